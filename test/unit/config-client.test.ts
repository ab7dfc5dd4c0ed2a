import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';

const SETTINGS = '[settings]\nvirtual_users = 1\nduration_secs = 1\ntimeout_ms = 1000\n';
const STEP = '\n[[scenario]]\ntype = "tools/call"\ntool = "add"\n';

function parse(text: string) {
  return parseConfig(text, 'loadtest.toml', {});
}

function message(text: string): string {
  try {
    parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('[settings] protocol', () => {
  it('defaults to auto', () => {
    expect(parse(SETTINGS + STEP).settings.protocol).toBe('auto');
  });

  it('accepts a pinned revision', () => {
    expect(parse(`${SETTINGS}protocol = "2026-07-28"\n${STEP}`).settings.protocol).toBe(
      '2026-07-28',
    );
  });

  it('rejects an unknown revision at its line, listing the accepted ones', () => {
    expect(message(`${SETTINGS}protocol = "2026-01-01"\n${STEP}`)).toBe(
      'loadtest.toml:5:1: settings.protocol must be "auto" or an MCP revision, got "2026-01-01" (a string); accepted: "auto", "2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"',
    );
  });
});

describe('[settings] transport', () => {
  it('is null when not set: Streamable HTTP, or HTTP+SSE when auto detects it', () => {
    expect(parse(SETTINGS + STEP).settings.transport).toBeNull();
  });

  it('accepts sse and streamable-http', () => {
    expect(parse(`${SETTINGS}transport = "sse"\n${STEP}`).settings.transport).toBe('sse');
    expect(parse(`${SETTINGS}transport = "streamable-http"\n${STEP}`).settings.transport).toBe(
      'streamable-http',
    );
  });

  it('rejects an unknown transport at its line, listing the accepted ones', () => {
    expect(message(`${SETTINGS}transport = "websocket"\n${STEP}`)).toBe(
      'loadtest.toml:5:1: settings.transport must be a transport name, got "websocket" (a string); accepted: "streamable-http", "sse"',
    );
  });

  it('rejects a transport that is not a string at its line', () => {
    expect(message(`${SETTINGS}transport = 1\n${STEP}`)).toMatch(
      /^loadtest\.toml:5:1: settings\.transport must be a transport name, got 1 .*; accepted: "streamable-http", "sse"$/,
    );
  });

  it('rejects sse with protocol 2026-07-28, which only Streamable HTTP carries', () => {
    expect(message(`${SETTINGS}protocol = "2026-07-28"\ntransport = "sse"\n${STEP}`)).toBe(
      'loadtest.toml:6:1: settings.transport "sse" (the 2024-11-05 HTTP+SSE transport) cannot carry protocol "2026-07-28"; accepted with it: protocol = "auto" or a 2025-era revision',
    );
  });
});

describe('[client]', () => {
  it('reads sampling, elicitation and roots', () => {
    const config = parse(
      `${SETTINGS}${STEP}\n[client]\nsampling = { text = "hi" }\nelicitation = { action = "accept", content = { name = "x" } }\nroots = ["file:///w"]\n`,
    );
    expect(config.client).toEqual({
      sampling: { text: 'hi' },
      elicitation: { action: 'accept', content: { name: 'x' } },
      roots: ['file:///w'],
    });
  });

  it('is empty when absent: no capability is declared', () => {
    expect(parse(SETTINGS + STEP).client).toEqual({});
  });

  it('rejects an unknown elicitation action, naming the accepted ones', () => {
    expect(message(`${SETTINGS}${STEP}\n[client]\nelicitation = { action = "maybe" }\n`)).toMatch(
      /^loadtest\.toml:11:17: client\.elicitation\.action must be one of accept, decline, cancel, got "maybe" \(a string\); accepted: /,
    );
  });

  it('rejects content with a declined elicitation', () => {
    expect(
      message(
        `${SETTINGS}${STEP}\n[client]\nelicitation = { action = "decline", content = { a = 1 } }\n`,
      ),
    ).toContain('content goes with action = "accept" only');
  });

  it('rejects a root that is not a URI', () => {
    expect(message(`${SETTINGS}${STEP}\n[client]\nroots = ["not a uri"]\n`)).toContain(
      'client.roots[0] must be a URI string',
    );
  });

  it('rejects sampling without text', () => {
    expect(message(`${SETTINGS}${STEP}\n[client]\nsampling = {}\n`)).toContain(
      'client.sampling.text must be a string',
    );
  });

  it('rejects an unknown key with a suggestion', () => {
    expect(message(`${SETTINGS}${STEP}\n[client]\nroot = []\n`)).toContain('did you mean `roots`?');
  });
});
