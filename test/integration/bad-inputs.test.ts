/**
 * The bad-input table: command-line flags, config files and server answers, each with the exact
 * one line the CLI prints on stderr and its exit code (2: usage or config, nothing was sent; 3:
 * no session; 4: the report could not be written). The built CLI runs each case, as a user would. Config cases already pinned by
 * test/unit/config-errors.test.ts are not repeated here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { zeroRequestReport } from '../fixtures/reports/sample-report.js';
import { removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { fullDevice } from '../helpers/devices.js';
import { toml, toolStep } from '../helpers/run-load.js';

interface Where {
  /** The project directory the CLI runs in (its config is `.pmcp/loadtest.toml`). */
  dir: string;
  /** `http://127.0.0.1:<port>` of the fault server. */
  origin: string;
}

interface BadInput {
  input: string;
  args: (w: Where) => string[];
  /** Files to write in the project directory first. */
  files?: Record<string, string | Buffer>;
  message: (w: Where) => string;
  code: 2 | 3 | 4;
}

const GOOD = toml({ virtual_users: 2, duration_secs: 1, timeout_ms: 2000 }, toolStep('ok'));
const URL_ = 'http://127.0.0.1:9/mcp';
const run =
  (...args: string[]) =>
  () => ['run', URL_, ...args];
const validate = () => ['validate', '--config', 'bad.toml'];
const at = (w: Where, line: number, column: number) =>
  `${join(w.dir, 'bad.toml')}:${line}:${column}`;

const SETTINGS = '[settings]\nvirtual_users = 2\nduration_secs = 1\ntimeout_ms = 1000\n';
const STEP = '\n[[scenario]]\ntype = "tools/call"\ntool = "ok"\n';
const VUS_RANGE = 'must be an integer from 1 to 100000';
const DURATION_RANGE = 'must be a number greater than 0 and at most 604800';
const HEADER_SHAPE = '--header must look like "Name: value" with a valid header name, got one';
const MANAGED =
  'any header except accept, connection, content-length, content-type, expect, host, keep-alive, mcp-method, mcp-name, mcp-protocol-version, mcp-session-id, transfer-encoding, upgrade (auth and routing headers such as Authorization)';
const VALUE_ACCEPTED = 'accepted: tab, visible ASCII and Latin-1 characters';
const NO_REPORT = 'pass --report with a writable path, or --no-report';
const A_REPORT = 'accepted: a JSON report written by mcp-loadtest run (schema_version 1.2)';
const TOML_1 = 'accepted: TOML 1.0 (https://toml.io/en/v1.0.0)';
const SECONDS = 'accepted: a number of seconds greater than 0, at most 604800 (7 days)';
const NOT_ENDPOINT = 'expected application/json or text/event-stream (is this the MCP endpoint?)';
const noSession = (w: Where, path: string, why: string) =>
  `no virtual user could initialize a session with ${w.origin}/${path}: ${why}`;

const CLI_FLAGS: BadInput[] = [
  {
    input: '--vus 0',
    args: run('--vus', '0'),
    message: () => `run: --vus ${VUS_RANGE}, got "0"`,
    code: 2,
  },
  {
    input: '--vus abc',
    args: run('--vus', 'abc'),
    message: () => `run: --vus ${VUS_RANGE}, got "abc"`,
    code: 2,
  },
  {
    input: '--vus 1.5',
    args: run('--vus', '1.5'),
    message: () => `run: --vus ${VUS_RANGE}, got "1.5"`,
    code: 2,
  },
  {
    input: '--vus with no value',
    args: run('--vus'),
    message: () => 'run: option --vus needs a value',
    code: 2,
  },
  {
    input: '--duration -1',
    args: run('--duration', '-1'),
    message: () =>
      'run: option --duration needs a value, got the option-like "-1"; write --duration=-1 if that is the value',
    code: 2,
  },
  {
    input: '--duration=-1',
    args: run('--duration=-1'),
    message: () => `run: --duration ${DURATION_RANGE}, got "-1"`,
    code: 2,
  },
  {
    input: '--duration 0',
    args: run('--duration', '0'),
    message: () => `run: --duration ${DURATION_RANGE}, got "0"`,
    code: 2,
  },
  {
    input: '--duration 604801',
    args: run('--duration', '604801'),
    message: () => `run: --duration ${DURATION_RANGE}, got "604801"`,
    code: 2,
  },
  {
    input: '--duration NaN',
    args: run('--duration', 'NaN'),
    message: () => `run: --duration ${DURATION_RANGE}, got "NaN"`,
    code: 2,
  },
  {
    input: '--iterations 1.5',
    args: run('--iterations', '1.5'),
    message: () => 'run: --iterations must be an integer from 1 to 9007199254740991, got "1.5"',
    code: 2,
  },
  {
    input: '--iterations 0',
    args: run('--iterations', '0'),
    message: () => 'run: --iterations must be an integer from 1 to 9007199254740991, got "0"',
    code: 2,
  },
  {
    input: '--seed -1',
    args: run('--seed', '-1'),
    message: () =>
      'run: option --seed needs a value, got the option-like "-1"; write --seed=-1 if that is the value',
    code: 2,
  },
  {
    input: '--seed 4294967296',
    args: run('--seed', '4294967296'),
    message: () => 'run: --seed must be an integer from 0 to 4294967295, got "4294967296"',
    code: 2,
  },
  {
    input: '--workers 0',
    args: run('--workers', '0'),
    message: () => 'run: --workers must be auto or an integer from 1 to 256, got "0"',
    code: 2,
  },
  {
    input: '--workers many',
    args: run('--workers', 'many'),
    message: () => 'run: --workers must be auto or an integer from 1 to 256, got "many"',
    code: 2,
  },
  {
    input: '--header novalue',
    args: run('--header', 'novalue'),
    message: () => `run: ${HEADER_SHAPE} without ":"`,
    code: 2,
  },
  {
    input: "--header ': x'",
    args: run('--header', ': x'),
    message: () => `run: ${HEADER_SHAPE} named ""`,
    code: 2,
  },
  {
    input: "--header 'X A: b'",
    args: run('--header', 'X A: b'),
    message: () => `run: ${HEADER_SHAPE} named "X A"`,
    code: 2,
  },
  {
    input: '--header with a line break in the value',
    args: run('--header', 'X-Token: a\nInjected: b'),
    message: () =>
      `run: --header "X-Token" has a line break, control character or character above U+00FF in its value; ${VALUE_ACCEPTED}`,
    code: 2,
  },
  {
    input: '--header with a non-Latin-1 value',
    args: run('--header', 'X-Token: caf\u00e9 \u2603'),
    message: () =>
      `run: --header "X-Token" has a line break, control character or character above U+00FF in its value; ${VALUE_ACCEPTED}`,
    code: 2,
  },
  {
    input: '--header with a control character in the value',
    args: run('--header', 'X-Token: a\u0001b'),
    message: () =>
      `run: --header "X-Token" has a line break, control character or character above U+00FF in its value; ${VALUE_ACCEPTED}`,
    code: 2,
  },
  ...[
    'Keep-Alive: timeout=5',
    'Transfer-Encoding: chunked',
    'Upgrade: h2c',
    'Connection: close',
  ].map((header): BadInput => ({
    input: `--header '${header}' (the HTTP client's own)`,
    args: run('--header', header),
    message: () =>
      `run: --header "${header.split(':')[0]}" cannot be set: it is managed by the HTTP client; accepted: ${MANAGED}`,
    code: 2,
  })),
  {
    input: "--header 'Accept: text/html'",
    args: run('--header', 'Accept: text/html'),
    message: () =>
      `run: --header "Accept" cannot be set: it is set by mcp-loadtest itself; accepted: ${MANAGED}`,
    code: 2,
  },
  {
    input: '--config /dev/zero (an endless file)',
    args: () => ['run', URL_, '--config', '/dev/zero'],
    message: () =>
      '/dev/zero: config file is larger than 1 MiB; accepted: a TOML file of at most 1048576 bytes',
    code: 2,
  },
  {
    input: '-H with an option-like value (never echoed)',
    args: run('-H', '-secret'),
    message: () =>
      'run: option -H needs a value, got the option-like "<value>"; write --header=<value> if that is the value',
    code: 2,
  },
  {
    input: "--header 'Content-Type: text/plain'",
    args: run('--header', 'Content-Type: text/plain'),
    message: () =>
      `run: --header "Content-Type" cannot be set: it is set by mcp-loadtest itself; accepted: ${MANAGED}`,
    code: 2,
  },
  {
    input: 'URL ftp://x',
    args: () => ['run', 'ftp://x'],
    message: () =>
      'URL "ftp://…" uses ftp; only http:// and https:// MCP endpoints (Streamable HTTP) are supported',
    code: 2,
  },
  {
    input: 'URL "not a url"',
    args: () => ['run', 'not a url'],
    message: () => 'URL "not a url" is not a valid URL; expected e.g. http://127.0.0.1:3000/mcp',
    code: 2,
  },
  {
    input: 'URL with credentials',
    args: () => ['run', 'http://user:pass@127.0.0.1:9/mcp'],
    message: () =>
      'URL must not carry credentials; pass them as a header instead (--header "Authorization: Bearer …")',
    code: 2,
  },
  {
    input: 'a broken URL with credentials (never echoed)',
    args: () => ['run', 'http://user:s3cret@[bad/mcp'],
    message: () =>
      'URL "http://…@[bad/mcp" is not a valid URL; expected e.g. http://127.0.0.1:3000/mcp',
    code: 2,
  },
  {
    input: 'unknown command',
    args: () => ['runn', URL_],
    message: () =>
      'unknown command "runn"; commands: run, compare, merge, init, validate, report-html, demo, serve-demo',
    code: 2,
  },
  {
    input: 'run with no URL',
    args: () => ['run'],
    message: () =>
      'run: missing the server URL; usage: mcp-loadtest run <URL> [--config PATH] [--vus N] [--duration SECS], or mcp-loadtest run [options] -- COMMAND [ARGS...] for a stdio server',
    code: 2,
  },
  {
    input: 'run with nothing after --',
    args: () => ['run', '--'],
    message: () =>
      'run: no server command after --; usage: mcp-loadtest run [options] -- COMMAND [ARGS...]',
    code: 2,
  },
  {
    input: 'run with a URL and a server command',
    args: () => ['run', URL_, '--', 'node', 'server.js'],
    message: () => `run: got both a URL ("${URL_}") and a server command after --; pass one`,
    code: 2,
  },
  {
    input: 'run --protocol 2026-07-28 with a server command',
    args: () => ['run', '--protocol', '2026-07-28', '--', 'node', 'server.js'],
    message: () =>
      'protocol 2026-07-28 is not supported over stdio; accepted with a server command: auto or a 2025 revision (2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)',
    code: 2,
  },
  {
    input: 'run --transport sse with a server command',
    args: () => ['run', '--transport', 'sse', '--', 'node', 'server.js'],
    message: () =>
      'transport sse applies to a server URL; a server command after -- runs over stdio: remove --transport or [settings] transport',
    code: 2,
  },
  {
    input: 'run --workers 2 with a server command',
    args: () => ['run', '--workers', '2', '--', 'node', 'server.js'],
    message: () =>
      'run: --workers applies to HTTP servers; a stdio server runs on one thread, its load spread over [settings] processes = N server processes',
    code: 2,
  },
  {
    input: 'run with a second URL',
    args: run(URL_),
    message: () => `run: unexpected argument "${URL_}"; see mcp-loadtest run --help`,
    code: 2,
  },
  {
    input: '--quiet=1',
    args: run('--quiet=1'),
    message: () => 'run: option --quiet takes no value; pass --quiet alone',
    code: 2,
  },
  {
    input: '--report with --no-report',
    args: run('--report', 'r.json', '--no-report'),
    message: () => 'run: --report and --no-report exclude each other; pass one',
    code: 2,
  },
  {
    input: '--report in a directory that cannot be created (/proc)',
    args: run('--report', '/proc/no-such-dir/report.json'),
    message: () =>
      `cannot write the report to /proc/no-such-dir/report.json: its directory does not exist and cannot be created (ENOENT); ${NO_REPORT}`,
    code: 2,
  },
  {
    input: '--report naming a directory',
    args: run('--report', 'reports'),
    files: { 'reports/keep.txt': '' },
    message: (w) =>
      `cannot write the report to ${join(w.dir, 'reports')}: the path is a directory (EISDIR); ${NO_REPORT}`,
    code: 2,
  },
  {
    input: '--report under a file',
    args: run('--report', 'notes.txt/report.json'),
    files: { 'notes.txt': 'x' },
    message: (w) =>
      `cannot write the report to ${join(w.dir, 'notes.txt', 'report.json')}: a parent of the path is not a directory (ENOTDIR); ${NO_REPORT}`,
    code: 2,
  },
  {
    input: '--config naming a directory (unreadable as a file)',
    args: run('--config', 'confdir'),
    files: { 'confdir/keep.txt': '' },
    message: (w) =>
      `${join(w.dir, 'confdir')}: config file is a directory, not a file; accepted: a readable TOML file`,
    code: 2,
  },
  {
    input: '--config naming a missing file',
    args: run('--config', 'missing.toml'),
    message: (w) =>
      `${join(w.dir, 'missing.toml')}: config file not found; accepted: the path of an existing TOML file, such as .pmcp/loadtest.toml`,
    code: 2,
  },
  {
    input: 'validate with an argument',
    args: () => ['validate', 'extra'],
    message: () => 'validate: unexpected argument "extra"; see mcp-loadtest validate --help',
    code: 2,
  },
  {
    input: '--max-regression without --baseline',
    args: run('--max-regression', '0.2'),
    message: () =>
      'run: --max-regression applies to a comparison; pass --baseline BASE.json with it',
    code: 2,
  },
  {
    input: '--max-regression abc',
    args: run('--baseline', 'base.json', '--max-regression', 'abc'),
    message: () => 'run: --max-regression must be a number from 0 to 100, got "abc"',
    code: 2,
  },
  {
    input: '--baseline naming a missing file',
    args: run('--baseline', 'missing.json'),
    message: () => `cannot read the report missing.json: no such file; ${A_REPORT}`,
    code: 2,
  },
  {
    input: '--baseline naming a report that measured nothing',
    args: run('--baseline', 'empty.json'),
    files: { 'empty.json': JSON.stringify(zeroRequestReport({ stop_reason: 'no_session' })) },
    message: () =>
      'empty.json measured no request (stop_reason no_session), so there is nothing to compare; accepted: a report of a run that sent requests',
    code: 2,
  },
  {
    input: '--junit naming a directory',
    args: run('--junit', 'reports'),
    files: { 'reports/keep.txt': '' },
    message: (w) =>
      `cannot write the JUnit XML to ${join(w.dir, 'reports')}: the path is a directory (EISDIR); pass --junit with a writable path`,
    code: 2,
  },
  {
    input: 'compare with one report',
    args: () => ['compare', 'base.json'],
    message: () =>
      'compare: needs two reports; usage: mcp-loadtest compare BASE.json HEAD.json [--max-regression R] [--markdown]',
    code: 2,
  },
  {
    input: 'compare --max-regression 500',
    args: () => ['compare', 'a.json', 'b.json', '--max-regression', '500'],
    message: () => 'compare: --max-regression must be a number from 0 to 100, got "500"',
    code: 2,
  },
  {
    input: 'demo --vus 0',
    args: () => ['demo', '--vus', '0'],
    message: () => 'demo: --vus must be an integer from 1 to 10000, got "0"',
    code: 2,
  },
  {
    input: 'demo --report with --no-report',
    args: () => ['demo', '--report', 'r.json', '--no-report'],
    message: () => 'demo: --report and --no-report exclude each other; pass one',
    code: 2,
  },
];

const CONFIG_FILES: BadInput[] = [
  {
    input: 'an empty file',
    files: { 'bad.toml': '' },
    args: validate,
    message: (w) =>
      `${at(w, 1, 1)}: the [settings] table is missing; accepted: a [settings] table with virtual_users, duration_secs and timeout_ms`,
    code: 2,
  },
  {
    input: 'a file of comments only',
    files: { 'bad.toml': '# nothing here yet\n# see the README\n' },
    args: validate,
    message: (w) =>
      `${at(w, 1, 1)}: the [settings] table is missing; accepted: a [settings] table with virtual_users, duration_secs and timeout_ms`,
    code: 2,
  },
  {
    input: 'a binary file (a PNG)',
    files: {
      'bad.toml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    },
    args: validate,
    message: (w) => `${at(w, 1, 1)}: invalid TOML: illegal character in key; ${TOML_1}`,
    code: 2,
  },
  {
    input: 'a non-ASCII bare key',
    files: { 'bad.toml': `${SETTINGS}vírtual = 1\n${STEP}` },
    args: validate,
    message: (w) => `${at(w, 5, 2)}: invalid TOML: illegal character in key; ${TOML_1}`,
    code: 2,
  },
  {
    input: '[[settings]] (an array of tables)',
    files: { 'bad.toml': `[${SETTINGS.replace('[settings]', '[settings]]')}${STEP}` },
    args: validate,
    message: (w) =>
      `${at(w, 1, 1)}: settings must be a table, got an array; accepted: a [settings] table`,
    code: 2,
  },
  {
    input: 'virtual_users = true',
    files: {
      'bad.toml': `${SETTINGS.replace('virtual_users = 2', 'virtual_users = true')}${STEP}`,
    },
    args: validate,
    message: (w) =>
      `${at(w, 2, 1)}: settings.virtual_users must be a positive integer, got true (a boolean); accepted: an integer from 1 to 100000`,
    code: 2,
  },
  {
    input: 'duration_secs given as a date',
    files: {
      'bad.toml': `${SETTINGS.replace('duration_secs = 1', 'duration_secs = 1979-05-27')}${STEP}`,
    },
    args: validate,
    message: (w) =>
      `${at(w, 3, 1)}: settings.duration_secs must be a positive number, got 1979-05-27 (a date); ${SECONDS}`,
    code: 2,
  },
  {
    input: 'duration_secs = "60s"',
    files: {
      'bad.toml': `${SETTINGS.replace('duration_secs = 1', 'duration_secs = "60s"')}${STEP}`,
    },
    args: validate,
    message: (w) =>
      `${at(w, 3, 1)}: settings.duration_secs must be a positive number, got "60s" (a string); ${SECONDS}`,
    code: 2,
  },
  {
    input: 'timeout_ms = 1.5',
    files: { 'bad.toml': `${SETTINGS.replace('timeout_ms = 1000', 'timeout_ms = 1.5')}${STEP}` },
    args: validate,
    message: (w) =>
      `${at(w, 4, 1)}: settings.timeout_ms must be a positive integer, got 1.5 (a float); accepted: an integer from 1 to 3600000 milliseconds (1 hour)`,
    code: 2,
  },
  {
    input: 'request_interval_ms over an hour',
    files: { 'bad.toml': `${SETTINGS}request_interval_ms = 3600001\n${STEP}` },
    args: validate,
    message: (w) =>
      `${at(w, 5, 1)}: settings.request_interval_ms is too large, got 3600001 (an integer); accepted: an integer from 0 to 3600000 milliseconds (1 hour)`,
    code: 2,
  },
  {
    input: 'max_response_bytes over 1 GiB',
    files: { 'bad.toml': `${SETTINGS}max_response_bytes = 2000000000\n${STEP}` },
    args: validate,
    message: (w) =>
      `${at(w, 5, 1)}: settings.max_response_bytes is too large, got 2000000000 (an integer); accepted: an integer from 1024 to 1073741824 bytes (1 GiB)`,
    code: 2,
  },
  {
    input: 'a weight over a million',
    files: { 'bad.toml': `${SETTINGS}${STEP}weight = 2000000\n` },
    args: validate,
    message: (w) =>
      `${at(w, 9, 1)}: scenario[0].weight is too large, got 2000000 (an integer); accepted: a number from 0 to 1000000 (weights are relative)`,
    code: 2,
  },
  {
    input: 'type = "tools/list" (a real method, not a scenario operation)',
    files: { 'bad.toml': `${SETTINGS}\n[[scenario]]\ntype = "tools/list"\n` },
    args: validate,
    message: (w) =>
      `${at(w, 7, 1)}: scenario[0].type "tools/list" is not a supported MCP operation; accepted: "tools/call", "resources/read", "prompts/get"`,
    code: 2,
  },
  {
    input: 'a resources/read step without uri',
    files: { 'bad.toml': `${SETTINGS}\n[[scenario]]\ntype = "resources/read"\n` },
    args: validate,
    message: (w) =>
      `${at(w, 6, 1)}: scenario[0].uri is missing (a "resources/read" step needs uri); accepted: a resource URI from resources/list, e.g. uri = "file:///data/config.json"`,
    code: 2,
  },
  {
    input: 'a config without [[scenario]]',
    files: { 'bad.toml': SETTINGS },
    args: validate,
    message: (w) =>
      `${at(w, 1, 1)}: no [[scenario]] is defined; accepted: one or more [[scenario]] blocks with type "tools/call", "resources/read" or "prompts/get"`,
    code: 2,
  },
  {
    input: 'a config with [[scenario]] but no [settings]',
    files: { 'bad.toml': STEP },
    args: validate,
    message: (w) =>
      `${at(w, 1, 1)}: the [settings] table is missing; accepted: a [settings] table with virtual_users, duration_secs and timeout_ms`,
    code: 2,
  },
  {
    input: 'Accept in [settings.headers] (validate refuses what run would)',
    files: { 'bad.toml': `${SETTINGS}[settings.headers]\nAccept = "text/html"\n${STEP}` },
    args: validate,
    message: (w) =>
      `${at(w, 6, 1)}: settings.headers.Accept cannot be set in the config: it is set by mcp-loadtest itself; accepted: ${MANAGED}`,
    code: 2,
  },
  {
    input: 'Keep-Alive in [settings.headers]',
    files: { 'bad.toml': `${SETTINGS}[settings.headers]\nKeep-Alive = "timeout=5"\n${STEP}` },
    args: validate,
    message: (w) =>
      `${at(w, 6, 1)}: settings.headers.Keep-Alive cannot be set in the config: it is managed by the HTTP client; accepted: ${MANAGED}`,
    code: 2,
  },
  {
    input: 'a prompts/get step without prompt',
    files: { 'bad.toml': `${SETTINGS}\n[[scenario]]\ntype = "prompts/get"\n` },
    args: validate,
    message: (w) =>
      `${at(w, 6, 1)}: scenario[0].prompt is missing (a "prompts/get" step needs prompt); accepted: a prompt name from prompts/list, e.g. prompt = "summarize"`,
    code: 2,
  },
];

/** `run` against an endpoint of the fault server that answers initialize wrongly. */
const badServer = (path: string, why: string): Omit<BadInput, 'input'> => ({
  args: (w) => ['run', `${w.origin}/${path}`, '--no-report'],
  message: (w) => noSession(w, path, why),
  code: 3,
});

const SERVER_ANSWERS: BadInput[] = [
  {
    // Before, the duration ended with every handshake pending: 0 requests, exit 0.
    input: 'initialize is never answered and the duration ends first',
    args: (w) => ['run', `${w.origin}/init-stall`, '--no-report', '--duration', '0.5'],
    message: (w) => noSession(w, 'init-stall', 'no complete response within 2000 ms'),
    code: 3,
  },
  {
    input: 'initialize answers an unsupported protocolVersion',
    ...badServer(
      'init-version',
      'initialize answered protocolVersion "1999-01-01"; supported: 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05',
    ),
  },
  {
    input: 'initialize answers with neither result nor error',
    ...badServer('init-no-result', 'the response has neither a result object nor an error'),
  },
  {
    input: 'initialize answers HTTP 200 text/plain',
    ...badServer('init-text-plain', `HTTP 200 with Content-Type "text/plain"; ${NOT_ENDPOINT}`),
  },
  {
    input: 'initialize answers HTTP 200 text/html (a web page)',
    ...badServer(
      'init-html',
      `HTTP 200 with Content-Type "text/html; charset=utf-8"; ${NOT_ENDPOINT}`,
    ),
  },
  {
    input: 'initialize answers an empty application/json body',
    ...badServer(
      'init-empty',
      'HTTP 200 with an empty application/json body where a response was expected',
    ),
  },
  {
    input: 'initialize answers HTML labelled application/json',
    ...badServer(
      'init-not-json',
      'the application/json body is not valid JSON; it starts with: <html>not json</html>',
    ),
  },
  {
    input: 'initialize answers for another JSON-RPC id',
    ...badServer('init-wrong-id', 'the JSON body holds no response to id 1'),
  },
  {
    input: 'initialize answered 406 Not Acceptable',
    ...badServer(
      'init-406',
      'HTTP 406: {"jsonrpc":"2.0","error":{"code":-32000,"message":"Not Acceptable: Client must accept both application/json and text/event-stream"},"id":null}',
    ),
  },
  {
    input: 'a URL whose path is not the MCP endpoint (404)',
    ...badServer('not-mcp', 'HTTP 404: Not Found'),
  },
  {
    input: 'initialize answered 301 (a redirect that is not followed)',
    ...badServer(
      'init-moved',
      'HTTP 301 redirect to "/mcp"; only a same-origin 307 or 308 is followed: use the URL it names',
    ),
  },
];

/** A run that works, whose report cannot be written. */
const REPORT_DESTINATIONS: BadInput[] = [
  {
    // A full device made in the project when root (test/helpers/devices.ts), else /dev/full.
    input: '--report to a full device (no space left)',
    args: (w) => ['run', `${w.origin}/mcp`, '--report', fullDevice(w.dir)],
    message: (w) =>
      `cannot write report ${process.getuid?.() === 0 ? join(w.dir, 'full') : '/dev/full'}: no space left on device (ENOSPC)`,
    code: 4,
  },
  {
    input: '--report under a device (/dev/full/x.json)',
    args: (w) => ['run', `${w.origin}/mcp`, '--report', '/dev/full/x.json'],
    message: () =>
      'cannot write the report to /dev/full/x.json: a parent of the path is not a directory (ENOTDIR); pass --report with a writable path, or --no-report',
    code: 2,
  },
];

describe('the bad-input table', () => {
  let server: FaultServer;
  const dirs: string[] = [];
  beforeAll(async () => (server = await startFaultServer()));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it('has at least 30 cases', () => {
    expect(
      CLI_FLAGS.length + CONFIG_FILES.length + SERVER_ANSWERS.length + REPORT_DESTINATIONS.length,
    ).toBeGreaterThanOrEqual(30);
  });

  describe.concurrent.each([
    ['command-line flags', CLI_FLAGS],
    ['config files', CONFIG_FILES],
    ['server answers', SERVER_ANSWERS],
    ['report destinations', REPORT_DESTINATIONS],
  ] as const)('%s', (_, cases) => {
    it.for(cases)('$input → exit $code and one line', async (c, { expect }) => {
      const dir = tempProject(GOOD);
      dirs.push(dir);
      for (const [name, content] of Object.entries(c.files ?? {})) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        writeFileSync(join(dir, name), content);
      }
      const where = { dir, origin: server.origin };
      const r = await runCli(c.args(where), { cwd: dir });
      expect(r.stderr).toBe(`error: ${c.message(where)}\n`);
      expect(r.code).toBe(c.code);
      // Usage and config errors send nothing and print no summary.
      if (c.code === 2) expect(r.stdout).toBe('');
    });
  });
});
