/**
 * Input parsing without a runner: each bad input is one line naming the input and what is
 * accepted; headers are masked before they are validated; action.yml and the code agree.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInConfig } from '../../src/action/action-config.js';
import { readHeaderInput } from '../../src/action/headers.js';
import { mergeHeaders } from '../../src/protocol/target.js';
import { parseInputs } from '../../src/action/inputs.js';
import { OUTPUT_NAMES } from '../../src/action/outputs.js';

const INPUT_NAMES = [
  'url',
  'config',
  'tool',
  'arguments',
  'vus',
  'duration',
  'rate',
  'max-vus',
  'iterations',
  'workers',
  'p50-threshold-ms',
  'p95-threshold-ms',
  'p99-threshold-ms',
  'error-rate-threshold',
  'min-throughput-rps',
  'fail-on-breaking-point',
  'protocol',
  'transport',
  'headers',
  'github-token',
  'comment',
  'comment-key',
  'report-dir',
  'html',
  'baseline',
  'baseline-url',
  'rounds',
  'max-regression',
  'fail-on-threshold',
  'shard',
  'merge-reports',
  'working-directory',
];

function parse(values: Record<string, string>) {
  const read = (name: string): string => {
    if (!INPUT_NAMES.includes(name)) throw new Error(`read an undeclared input: ${name}`);
    return values[name] ?? '';
  };
  return parseInputs(read, '/github/workspace');
}

describe('action inputs', () => {
  it('applies the defaults of action.yml to unset inputs', () => {
    const inputs = parse({ url: 'http://127.0.0.1:3000/mcp' });
    expect(inputs).toMatchObject({
      workingDirectory: '/github/workspace',
      configPath: '/github/workspace/.pmcp/loadtest.toml',
      configIsDefault: true,
      comment: true,
      commentKey: 'default',
      reportDir: '/github/workspace/.pmcp/reports',
      failOnThreshold: true,
      overrides: {},
    });
    expect(inputs.vus).toBeUndefined();
    expect(inputs.workers).toBeUndefined();
  });

  it('reads workers as auto or a thread count', () => {
    expect(parse({ url: 'http://x/mcp', workers: 'auto' }).workers).toBe('auto');
    expect(parse({ url: 'http://x/mcp', workers: '3' }).workers).toBe(3);
  });

  it('maps the threshold inputs onto threshold overrides', () => {
    const inputs = parse({
      url: 'http://x/mcp',
      'p50-threshold-ms': '5',
      'p95-threshold-ms': '50',
      'p99-threshold-ms': '250.5',
      'error-rate-threshold': '0.01',
      'min-throughput-rps': '100',
      'fail-on-breaking-point': 'true',
    });
    expect(inputs.overrides).toEqual({
      p50Ms: 5,
      p95Ms: 50,
      p99Ms: 250.5,
      errorRate: 0.01,
      minThroughputRps: 100,
      failOnBreakingPoint: true,
    });
  });

  it('resolves config and report-dir against working-directory', () => {
    const inputs = parse({
      url: 'http://x/mcp',
      'working-directory': 'services/calc',
      config: 'load/ci.toml',
      'report-dir': '/tmp/reports',
    });
    expect(inputs.configPath).toBe('/github/workspace/services/calc/load/ci.toml');
    expect(inputs.configIsDefault).toBe(false);
    expect(inputs.reportDir).toBe('/tmp/reports');
  });

  it('resolves html against working-directory and leaves it undefined when empty', () => {
    expect(parse({ url: 'http://x/mcp' }).htmlPath).toBeUndefined();
    const inputs = parse({ url: 'http://x/mcp', 'working-directory': 'svc', html: 'out/r.html' });
    expect(inputs.htmlPath).toBe('/github/workspace/svc/out/r.html');
  });

  it('resolves baseline against working-directory and reads the paired-mode inputs', () => {
    expect(
      parse({ url: 'http://x/mcp', baseline: 'reports/base.json', 'max-regression': '0.2' }),
    ).toMatchObject({ baselinePath: '/github/workspace/reports/base.json', maxRegression: 0.2 });
    const paired = parse({
      url: 'http://x/mcp',
      'baseline-url': 'http://127.0.0.1:3001/mcp',
      rounds: '6',
    });
    expect(paired).toMatchObject({ baselineUrl: 'http://127.0.0.1:3001/mcp', rounds: 6 });
    expect(paired.baselinePath).toBeUndefined();
  });

  it('reads protocol and transport, leaving both undefined (the config decides) when empty', () => {
    expect(parse({ url: 'http://x/mcp' })).toMatchObject({
      protocol: undefined,
      transport: undefined,
    });
    expect(parse({ url: 'http://x/sse', protocol: '2024-11-05', transport: 'sse' })).toMatchObject({
      protocol: '2024-11-05',
      transport: 'sse',
    });
  });

  it('rejects a protocol that is not auto or a revision, naming what is accepted', () => {
    expect(() => parse({ url: 'http://x/mcp', protocol: '2024-01-01' })).toThrow(
      'input protocol is "2024-01-01"; accepted: auto, 2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05',
    );
  });

  it('rejects an unknown transport, naming what is accepted', () => {
    expect(() => parse({ url: 'http://x/mcp', transport: 'websocket' })).toThrow(
      'input transport is "websocket"; accepted: streamable-http, sse',
    );
  });

  it('reads shard as the I-th of N parts', () => {
    expect(parse({ url: 'http://x/mcp', shard: ' 2 / 3 ' }).shard).toEqual({ index: 2, count: 3 });
    expect(parse({ url: 'http://x/mcp' }).shard).toBeUndefined();
  });

  it('accepts merge-reports without url, since the merge job runs no load', () => {
    const inputs = parse({ 'merge-reports': 'shard-reports/**/*.json' });
    expect(inputs.mergeReports).toBe('shard-reports/**/*.json');
    expect(inputs.url).toBe('');
  });

  it('never echoes a query value or userinfo of a rejected url', () => {
    expect(() => parse({ url: 'ftp://user:hunter22@x/mcp?api_key=k3y-0123456789' })).toThrow(
      'input url is "ftp://[redacted]@x/mcp?api_key=[redacted]"; accepted: ',
    );
  });

  it.each([
    [
      {},
      'input url is required; accepted: the http:// or https:// MCP endpoint to test, e.g. http://127.0.0.1:3000/mcp (or merge-reports, to merge shard reports)',
    ],
    [
      { url: 'ws://127.0.0.1:3000/mcp' },
      'input url is "ws://127.0.0.1:3000/mcp"; accepted: the http:// or https:// MCP endpoint to test, e.g. http://127.0.0.1:3000/mcp',
    ],
    [
      { url: '127.0.0.1:3000' },
      'input url is "127.0.0.1:3000"; accepted: the http:// or https:// MCP endpoint to test, e.g. http://127.0.0.1:3000/mcp',
    ],
    [{ vus: '0' }, 'input vus is "0"; accepted: an integer from 1 to 100000'],
    [{ vus: '2.5' }, 'input vus is "2.5"; accepted: an integer from 1 to 100000'],
    [
      { duration: '30s' },
      'input duration is "30s"; accepted: a number of seconds greater than 0, at most 604800 (7 days)',
    ],
    [
      { iterations: '-1' },
      'input iterations is "-1"; accepted: a whole number of scenario steps, 1 or more',
    ],
    [
      { workers: '0' },
      'input workers is "0"; accepted: auto, or a whole number of threads from 1 to 256',
    ],
    [
      { workers: 'all' },
      'input workers is "all"; accepted: auto, or a whole number of threads from 1 to 256',
    ],
    [
      { 'p99-threshold-ms': 'fast' },
      'input p99-threshold-ms is "fast"; accepted: a number of milliseconds greater than 0, at most 3600000 (1 hour)',
    ],
    [
      { 'error-rate-threshold': '1.5' },
      'input error-rate-threshold is "1.5"; accepted: a ratio from 0 to 1 (0.05 = 5% of requests may fail)',
    ],
    [{ comment: 'yes' }, 'input comment is "yes"; accepted: true or false'],
    [{ 'fail-on-threshold': 'no' }, 'input fail-on-threshold is "no"; accepted: true or false'],
    [
      { arguments: '{"a": 1}' },
      'input arguments is set without the tool input; accepted: set tool as well, or remove arguments',
    ],
    [
      { tool: 'add', arguments: '{a: 1}' },
      /^input arguments is not valid JSON \(.+\); accepted: a JSON object of tool arguments, e\.g\. \{"a": 1, "b": 2\}$/,
    ],
    [
      { tool: 'add', arguments: '[1, 2]' },
      'input arguments is JSON array, not an object; accepted: a JSON object of tool arguments, e.g. {"a": 1, "b": 2}',
    ],
    [
      { baseline: 'base.json', 'baseline-url': 'http://127.0.0.1:3001/mcp' },
      'input baseline-url is set together with baseline; accepted: one of them: baseline (a report file) or baseline-url (a server run side by side)',
    ],
    [
      { 'baseline-url': 'ws://127.0.0.1:3001/mcp?key=s3cr3t' },
      'input baseline-url is "ws://127.0.0.1:3001/mcp?key=[redacted]"; accepted: the http:// or https:// MCP endpoint to test, e.g. http://127.0.0.1:3000/mcp',
    ],
    [
      { rounds: '4' },
      'input rounds is set without baseline-url; accepted: set baseline-url as well, or remove rounds',
    ],
    [
      { 'baseline-url': 'http://127.0.0.1:3001/mcp', rounds: '0' },
      'input rounds is "0"; accepted: a whole number of rounds per target, 1 to 100, each at least 4 s of the duration',
    ],
    [
      { 'max-regression': '0.2' },
      'input max-regression is set without baseline or baseline-url; accepted: set one of them as well, or remove max-regression',
    ],
    [
      { shard: '0/3' },
      /^input shard is "0\/3"; accepted: I\/N with 1 <= I <= N <= 10000, the I-th of N equal parts/,
    ],
    [{ shard: '4/3' }, /^input shard is "4\/3"; accepted: I\/N with 1 <= I <= N <= 10000/],
    [{ shard: 'two' }, /^input shard is "two"; accepted: I\/N/],
    [
      { shard: '1/2', 'merge-reports': 'shards/*.json' },
      'input shard is set together with merge-reports; accepted: shard on the jobs that run a part of the load, merge-reports on the one job that merges their reports',
    ],
    [
      { 'comment-key': 'a-->b' },
      /^input comment-key is "a-->b"; accepted: up to 100 characters without < >/,
    ],
  ] satisfies [Record<string, string>, string | RegExp][])(
    'rejects %j with one line',
    (values: Record<string, string>, message: string | RegExp) => {
      // A valid url beside the bad input, unless the case is about the url.
      const inputs =
        'url' in values || Object.keys(values).length === 0
          ? values
          : { url: 'http://x/mcp', ...values };
      expect(() => parse(inputs)).toThrow(message);
    },
  );
});

describe('headers input', () => {
  it('parses one "Name: value" per line, skipping blank lines', () => {
    const headers = readHeaderInput(
      'Authorization: Bearer abc:def\n\n  X-Tenant:  acme  \r\n',
      () => {},
    );
    expect(headers).toEqual({ Authorization: 'Bearer abc:def', 'X-Tenant': 'acme' });
  });

  it('masks every value before validating any line', () => {
    const masked: string[] = [];
    expect(() =>
      readHeaderInput('X-Key: first-secret-value\nbad line\nY: z', (s) => masked.push(s)),
    ).toThrow('input headers line 2 has no ":"');
    expect(masked).toEqual(['first-secret-value', 'bad line']);
  });

  it('masks the long words of a value apart, and no value shorter than 4 characters', () => {
    const masked: string[] = [];
    readHeaderInput('Authorization: Bearer tok_1234567890\nX-Flag: on', (s) => masked.push(s));
    expect(masked).toEqual(['Bearer tok_1234567890', 'tok_1234567890']);
  });

  it.each([
    ['Bad Name: x', 'input headers line 1 has an invalid header name'],
    [
      'Content-Type: text/plain',
      'input headers line 1 sets Content-Type, which is set by mcp-loadtest itself',
    ],
    [
      'Keep-Alive: timeout=5',
      'input headers line 1 sets Keep-Alive, which is managed by the HTTP client',
    ],
    [
      'Transfer-Encoding: chunked',
      'input headers line 1 sets Transfer-Encoding, which is managed by the HTTP client',
    ],
    ['X-A: 1\nx-a: 2', 'input headers line 2 sets x-a a second time (names are case-insensitive)'],
    [
      'X-A: caf\u00e9 \u2603',
      'input headers line 1 (X-A) has a control character or a character above U+00FF',
    ],
  ])('rejects %j without echoing the value', (text, message) => {
    expect(() => readHeaderInput(text, () => {})).toThrow(message);
  });

  it('lets an input header replace a config header of the same name in any case', () => {
    expect(mergeHeaders({ authorization: 'a', 'X-B': 'b' }, { Authorization: 'c' })).toEqual({
      'X-B': 'b',
      Authorization: 'c',
    });
  });
});

describe('built-in config', () => {
  it('is one tools/call step with the arguments, 10 VUs for 30 s', () => {
    const config = builtInConfig('add', { a: 1, b: [2, 3], c: { d: 'e' } });
    expect(config.path).toBeUndefined();
    expect(config.scenario).toEqual([
      { type: 'tools/call', weight: 1, tool: 'add', arguments: { a: 1, b: [2, 3], c: { d: 'e' } } },
    ]);
    expect(config.settings).toMatchObject({ virtualUsers: 10, durationSecs: 30, timeoutMs: 5000 });
  });

  it('rejects arguments holding null, which TOML cannot carry', () => {
    expect(() => builtInConfig('add', { a: 1, b: [{ c: 2 }, { d: null }] })).toThrow(
      'input arguments holds null at b[1].d; accepted: a JSON object without null values',
    );
  });
});

describe('action.yml', () => {
  const yml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
  const section = (name: string): string => yml.split(`\n${name}:\n`)[1]!.split(/\n\S/)[0]!;
  const keys = (text: string): string[] =>
    [...text.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((m) => m[1]!);

  it('declares exactly the inputs the action reads', () => {
    expect(keys(section('inputs'))).toEqual(INPUT_NAMES);
  });

  it('declares exactly the outputs the action sets', () => {
    expect(keys(section('outputs'))).toEqual([...OUTPUT_NAMES]);
  });

  it('uses no expression outside the github-token default (descriptions are evaluated too)', () => {
    const expressions = yml.split('\n').filter((line) => line.includes('${{'));
    expect(expressions).toEqual(['    default: ${{ github.token }}']);
  });

  it('has the defaults the code applies', () => {
    const defaults = Object.fromEntries(
      [...section('inputs').matchAll(/^ {2}([a-z0-9-]+):\n(?: {4}.*\n)*? {4}default: (.*)$/gm)].map(
        (m) => [m[1], m[2]!.replace(/^'(.*)'$/, '$1')],
      ),
    );
    expect(defaults).toEqual({
      config: '.pmcp/loadtest.toml',
      'fail-on-breaking-point': 'false',
      'github-token': '${{ github.token }}',
      comment: 'true',
      'comment-key': 'default',
      'report-dir': '.pmcp/reports',
      'fail-on-threshold': 'true',
      'working-directory': '.',
    });
  });
});
