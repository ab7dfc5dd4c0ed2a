/**
 * A stdio run through the real pipeline, in-process (`run -- COMMAND` without the CLI), and the
 * commands that start this repo's stdio servers.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/load-config.js';
import { LoadtestError } from '../../src/errors.js';
import { runTest, type RunTestOutcome } from '../../src/pipeline/run-test.js';
import { stdioTarget, type StdioCommand } from '../../src/protocol/stdio-command.js';

const NO_SIGNALS = { on: () => undefined, off: () => undefined };

export const STDIO_FIXTURE = fileURLToPath(
  new URL('../fixtures/stdio-server.mjs', import.meta.url),
);

/** This repo's stdio fixture server (test/fixtures/stdio-server.mjs) with its fault flags. */
export function fixtureCommand(...flags: string[]): StdioCommand {
  return { program: process.execPath, args: [STDIO_FIXTURE, ...flags] };
}

/** @modelcontextprotocol/server-everything over stdio. */
export function serverEverythingCommand(): StdioCommand {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const { bin } = JSON.parse(readFileSync(pkg, 'utf8')) as { bin: Record<string, string> };
  const main = path.resolve(path.dirname(pkg), bin['mcp-server-everything']!);
  return { program: process.execPath, args: [main, 'stdio'] };
}

/**
 * Without `reportPath`, the report and the servers' stderr log go to a temporary directory that is
 * removed afterwards (no log is left in the system's temp directory).
 */
export async function runStdio(
  command: StdioCommand,
  tomlText: string,
  options: { reportPath?: string; iterations?: number } = {},
): Promise<RunTestOutcome> {
  const config = parseConfig(tomlText, 'test.toml', {});
  const scratch =
    options.reportPath === undefined ? mkdtempSync(join(tmpdir(), 'mcp-loadtest-run-')) : null;
  try {
    return await runTest({
      target: stdioTarget(command),
      stdio: command,
      config,
      overrides: { iterations: options.iterations ?? null, seed: 1 },
      misuse: (key, what) => new LoadtestError('USAGE', `${key} ${what}`),
      reportPath: options.reportPath ?? join(scratch!, 'report.json'),
      signals: NO_SIGNALS,
      protocol: config.settings.protocol,
    });
  } finally {
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  }
}

/** The pids a fixture wrote to its --pid-file, one per start (none when it never started). */
export function pidsIn(path: string): number[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

/** The process is still running (signal 0 reaches it). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
