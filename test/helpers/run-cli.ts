/**
 * Spawns the built CLI (`node dist/cli.js`, built by global-setup.ts) as a user would run it, and
 * collects its exit code and output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/report/types.js';

export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliOptions {
  cwd: string;
  /** Added to a minimal environment (PATH and HOME only, so NO_COLOR etc. are never inherited). */
  env?: Record<string, string>;
  /** Kill the CLI after this long (a hung CLI fails the test rather than the suite). */
  killAfterMs?: number;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export interface CliHandle {
  child: ChildProcess;
  /** Output so far (grows while the CLI runs). */
  readonly stdout: string;
  readonly stderr: string;
  done: Promise<CliResult>;
}

export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  return { ...env, ...extra };
}

export function spawnCli(args: string[], options: CliOptions): CliHandle {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd,
    env: baseEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 30_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - t0 });
    });
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    done,
  };
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return spawnCli(args, options).done;
}

/** Resolves when `predicate(handle)` holds, polling every 20 ms; rejects after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A loopback port that was just free: opened, then closed, so nothing listens on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fresh directory under the system temp dir, with `.pmcp/loadtest.toml` when given. */
export function tempProject(configText?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-loadtest-'));
  if (configText !== undefined) {
    mkdirSync(join(dir, '.pmcp'));
    writeFileSync(join(dir, '.pmcp', 'loadtest.toml'), configText);
  }
  return dir;
}

export function removeProjects(dirs: readonly string[]): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

/** The report files a run wrote under `<dir>/.pmcp/reports/`. */
export function reportFiles(dir: string): string[] {
  const reports = join(dir, '.pmcp', 'reports');
  return existsSync(reports) ? readdirSync(reports).map((f) => join(reports, f)) : [];
}

export function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}
