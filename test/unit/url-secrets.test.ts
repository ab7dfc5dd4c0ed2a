/** Secrets in a target URL: how every output shows the URL, and what the log masks. */
import { describe, expect, it } from 'vitest';
import { makeTarget, redactSecrets } from '../../src/protocol/target.js';
import { redactUrl, urlSecretParts } from '../../src/protocol/url-secrets.js';

describe('redactUrl', () => {
  it('replaces every query value and keeps the names', () => {
    expect(redactUrl('https://h/mcp?api_key=abc123&mode=fast&flag&empty=')).toBe(
      'https://h/mcp?api_key=[redacted]&mode=[redacted]&flag&empty=',
    );
  });

  it('replaces userinfo and a fragment', () => {
    expect(redactUrl('https://user:pass@h:8080/mcp#access_token=x')).toBe(
      'https://[redacted]@h:8080/mcp#[redacted]',
    );
  });

  it('leaves a URL without secrets as typed', () => {
    expect(redactUrl('http://127.0.0.1:3000/mcp')).toBe('http://127.0.0.1:3000/mcp');
  });

  it('cuts everything after ? or # of a string that is no URL', () => {
    expect(redactUrl('not a url?key=secret-value')).toBe('not a url?[redacted]');
  });
});

describe('urlSecretParts', () => {
  it('lists query values raw and percent-decoded, and userinfo, by the header rule', () => {
    expect(urlSecretParts('https://alice:s3cr3t-pw@h/mcp?k=a%2Bb%3Dc%2Fd&n=1')).toEqual([
      'alice',
      's3cr3t-pw',
      'a%2Bb%3Dc%2Fd',
      'a+b=c/d',
    ]);
  });

  it('makes a target scrub its query key from error text', () => {
    const target = makeTarget('http://127.0.0.1/mcp?api_key=k-0123456789', {});
    expect(redactSecrets('GET /mcp?api_key=k-0123456789 failed', target)).toBe(
      'GET /mcp?api_key=[redacted] failed',
    );
  });
});
