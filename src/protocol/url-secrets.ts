/**
 * Secrets in a target URL: an API key in the query string (`?api_key=…`) and credentials in the
 * userinfo (`https://user:pass@host`; RFC 3986 §3.2.1 deprecates a password there, yet it is
 * used). Every query value counts as secret, not only those with token-like names: a name says
 * nothing reliable (`?k=…`, `?sig=…`), and the names alone are enough to read a report by.
 *
 * `redactUrl` is the URL as every output shows it (report, summary, comment, logs, errors);
 * `urlSecretParts` are the values to mask in the job log and to scrub from error text, by the
 * rule for header values (secret-parts.ts).
 */
import { secretParts } from './secret-parts.js';

export const REDACTED = '[redacted]';

/** `https://[redacted]@host/mcp?api_key=[redacted]&v=[redacted]`; a URL without secrets as is. */
export function redactUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (match === null) return url.replace(/[?#].*$/s, `?${REDACTED}`);
  const [, scheme = '', userinfo, rest = '', query, fragment] = match;
  const redactedQuery =
    query === undefined
      ? ''
      : '?' +
        query
          .slice(1)
          .split('&')
          .map((pair) => {
            const eq = pair.indexOf('=');
            if (eq === -1) return pair;
            return eq === pair.length - 1 ? pair : `${pair.slice(0, eq + 1)}${REDACTED}`;
          })
          .join('&');
  // A fragment is not sent, but may hold a token all the same (OAuth implicit flow).
  const redactedFragment =
    fragment === undefined || fragment === '#' ? (fragment ?? '') : `#${REDACTED}`;
  return `${scheme}${userinfo === undefined ? '' : `${REDACTED}@`}${rest}${redactedQuery}${redactedFragment}`;
}

/** Userinfo parts and query values, raw and percent-decoded, each as `secretParts` takes them. */
export function urlSecretParts(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const values = new Set<string>();
  const add = (raw: string): void => {
    if (raw === '') return;
    values.add(raw);
    try {
      values.add(decodeURIComponent(raw.replace(/\+/g, ' ')));
    } catch {
      // Malformed percent-encoding: the raw form is what appears in text.
    }
  };
  add(parsed.username);
  add(parsed.password);
  for (const pair of parsed.search.slice(1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq !== -1) add(pair.slice(eq + 1));
  }
  if (parsed.hash.length > 1) add(parsed.hash.slice(1));
  return [...values].flatMap((v) => secretParts(v));
}
