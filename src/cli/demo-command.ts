/**
 * `mcp-loadtest demo`: what a newcomer runs first. Starts the built-in calculator server in a child
 * process (so server and load generator each get a core, as in a real test), runs a ~10 s load test
 * against it with the calculator scenario of the `cargo pmcp loadtest` documentation, prints the
 * summary, stops the server.
 *
 * `mcp-loadtest serve-demo`: only the server, the target of the Rust tool's tutorial.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../config/load-config.js';
import { runServeDemo } from '../demo/demo-server.js';
import { EXIT, LoadtestError } from '../errors.js';
import { makeTarget } from '../protocol/target.js';
import { intOption, numberOption, parseCommand, reportOption, type OptionSpec } from './args.js';
import { executeRun, type RunOutcome, type Signals } from './execute-run.js';
import { diag, type Output } from './output.js';

/** The Rust tool's tutorial calculator scenario, plus a resource and a prompt. */
export const DEMO_CONFIG = `[settings]
virtual_users = 10
duration_secs = 10
timeout_ms = 5000

[[scenario]]
type = "tools/call"
weight = 30
tool = "add"
arguments = { a = 42, b = 17 }

[[scenario]]
type = "tools/call"
weight = 20
tool = "subtract"
arguments = { a = 100, b = 37 }

[[scenario]]
type = "tools/call"
weight = 20
tool = "multiply"
arguments = { a = 6, b = 7 }

[[scenario]]
type = "tools/call"
weight = 15
tool = "divide"
arguments = { dividend = 100, divisor = 4 }

[[scenario]]
type = "resources/read"
weight = 10
uri = "calculator://constants"

[[scenario]]
type = "prompts/get"
weight = 5
prompt = "explain-calculation"
arguments = { expression = "42 + 17" }
`;

export const DEMO_OPTIONS: OptionSpec = {
  json: { type: 'boolean' },
  vus: { type: 'string' },
  duration: { type: 'string' },
  seed: { type: 'string' },
  report: { type: 'string' },
  'no-report': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
};

export const SERVE_DEMO_OPTIONS: OptionSpec = {
  port: { type: 'string', short: 'p' },
  json: { type: 'boolean' },
  stateless: { type: 'boolean' },
  'delay-ms': { type: 'string' },
  'error-rate': { type: 'string' },
  capacity: { type: 'string' },
  // Internal: started by `demo`, which owns its lifetime (stdin closes when the parent dies).
  managed: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface ServingDemo {
  close(): Promise<void>;
  /** Started by `demo`: Ctrl+C is the parent's to handle; the end of stdin stops the server. */
  managed: boolean;
}

export async function serveDemoCommand(argv: string[], out: Output): Promise<ServingDemo> {
  const { values } = parseCommand('serve-demo', argv, SERVE_DEMO_OPTIONS, 0);
  const server = await runServeDemo(
    {
      port: intOption('serve-demo', 'port', values.port, 0, 65535) ?? 3000,
      responseMode: values.json === true ? 'json' : 'sse',
      delayMs: intOption('serve-demo', 'delay-ms', values['delay-ms'], 0, 600_000) ?? 0,
      errorRate: numberOption('serve-demo', 'error-rate', values['error-rate'], 0, 1) ?? 0,
      stateless: values.stateless === true,
      capacity: intOption('serve-demo', 'capacity', values.capacity, 0, 100_000) ?? 0,
    },
    out.stdout,
  );
  if (values.managed === true) {
    process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
    process.stdin.resume();
  }
  return { close: () => server.close(), managed: values.managed === true };
}

export async function demoCommand(
  argv: string[],
  out: Output,
  signals: Signals,
  exit: (code: number) => void,
): Promise<RunOutcome> {
  const { values } = parseCommand('demo', argv, DEMO_OPTIONS, 0);
  const vus = intOption('demo', 'vus', values.vus, 1, 10_000);
  const durationSecs = numberOption('demo', 'duration', values.duration, 0, 3600, true);
  const seed = intOption('demo', 'seed', values.seed, 0, 2 ** 32 - 1);
  // Built in, not read from a file: the report says config_path null.
  const config = { ...parseConfig(DEMO_CONFIG, 'demo.toml'), path: undefined };
  // Every option is checked before the server starts: a usage error sends nothing.
  const reportPath = reportOption('demo', values, out.cwd);
  const child = spawnDemoServer(values.json === true);
  try {
    const url = await waitForUrl(child);
    diag(
      out,
      `demo server (built-in calculator, ${values.json === true ? 'JSON' : 'SSE'} responses) at ${url}`,
    );
    return await executeRun(
      {
        target: makeTarget(url, {}),
        config,
        overrides: { vus, durationSecs, seed },
        command: 'demo',
        reportPath,
        noColor: values['no-color'] === true,
        quiet: values.quiet === true,
      },
      out,
      signals,
      exit,
    );
  } finally {
    child.stdin?.end();
    child.kill('SIGTERM');
  }
}

function spawnDemoServer(json: boolean): ChildProcess {
  const cli = fileURLToPath(import.meta.url);
  const args = [cli, 'serve-demo', '--port', '0', '--managed', ...(json ? ['--json'] : [])];
  return spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let text = '';
    let errText = '';
    const fail = (why: string): void =>
      reject(
        new LoadtestError('NO_SESSION', `demo: the demo server did not start: ${why}`, {
          exitCode: EXIT.noSession,
        }),
      );
    const timer = setTimeout(() => fail('no answer within 10 s'), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match !== null) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (errText += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(`it exited with code ${code}: ${errText.trim().split('\n').pop() ?? ''}`);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(err.message);
    });
  });
}
