/**
 * Runs the built action (`node dist/index.js`, built by global-setup.ts) the way the runner does:
 * a child process with INPUT_* variables (GitHub keeps hyphens and upper-cases the name:
 * `p99-threshold-ms` → `INPUT_P99-THRESHOLD-MS`), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
 * and an event payload. The real @actions/core and @actions/github run, with no mocks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseEnv } from './run-cli.js';

export const ACTION_PATH = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
export const PR_NUMBER = 17;
/** The pull request's head commit in the event payload (GITHUB_SHA is the merge commit). */
export const HEAD_SHA = '3f2a9c1d5e7b4a6c8d0e2f4a6b8c0d2e4f6a8b0c';

export interface ActionOptions {
  /** Input name as in action.yml → value. */
  inputs: Record<string, string>;
  /** The job's working directory (GITHUB_WORKSPACE). */
  cwd: string;
  event?: 'pull_request' | 'pull_request_target' | 'push';
  /** The fake GitHub API's base URL. */
  apiUrl?: string;
  /** The node binary; this test process's by default. */
  node?: string;
  killAfterMs?: number;
  /** More runner variables (GITHUB_SHA, GITHUB_RUN_ID, GITHUB_SERVER_URL, …). */
  env?: Record<string, string>;
  /** Called with the output so far on every chunk of stdout (to signal the child mid-run). */
  onStdout?: (stdout: string, child: ChildProcess) => void;
}

export interface ActionResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /**
   * The workflow commands (`::error …::…`) printed on stdout, one per line, with @actions/core's
   * escapes (%25 %0D %0A, and %3A %2C in properties) decoded as the runner decodes them.
   */
  commands: string[];
}

export async function runAction(options: ActionOptions): Promise<ActionResult> {
  const runnerDir = mkdtempSync(join(tmpdir(), 'mcp-loadtest-runner-'));
  const outputFile = join(runnerDir, 'output');
  const summaryFile = join(runnerDir, 'summary.md');
  const eventFile = join(runnerDir, 'event.json');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const event = options.event ?? 'pull_request';
  writeFileSync(eventFile, JSON.stringify(payload(event)));
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: 'owner/repo',
    GITHUB_WORKSPACE: options.cwd,
    RUNNER_TEMP: runnerDir,
    ...(options.apiUrl === undefined ? {} : { GITHUB_API_URL: options.apiUrl }),
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const child = spawn(options.node ?? process.execPath, [ACTION_PATH], {
    cwd: options.cwd,
    env: baseEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    options.onStdout?.(stdout, child);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  });
  clearTimeout(killer);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    commands: stdout
      .split('\n')
      .filter((line) => line.startsWith('::'))
      .map(decodeCommand),
  };
}

function payload(event: string): Record<string, unknown> {
  const repository = { name: 'repo', owner: { login: 'owner' }, full_name: 'owner/repo' };
  if (event === 'push') return { ref: 'refs/heads/main', repository };
  return {
    action: 'synchronize',
    number: PR_NUMBER,
    pull_request: {
      number: PR_NUMBER,
      head: { ref: 'feature', sha: HEAD_SHA },
      base: { ref: 'main' },
    },
    repository,
  };
}

function decodeCommand(line: string): string {
  return line
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%25/g, '%');
}

/** GITHUB_OUTPUT's `name<<ghadelimiter_…` heredoc blocks → { name: value }. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^(.+?)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n?\2$/gm;
  for (const match of text.matchAll(block)) outputs[match[1]!] = match[3]!;
  return outputs;
}

/** A `.pmcp/loadtest.toml` for the demo calculator: one `add` step, bounded by iterations. */
export const DEMO_CONFIG = `[settings]
virtual_users = 2
duration_secs = 10
timeout_ms = 5000

[[scenario]]
type = "tools/call"
weight = 1
tool = "add"
arguments = { a = 1, b = 2 }
`;
