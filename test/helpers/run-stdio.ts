/**
 * A stdio run through the real pipeline, in-process (`run -- COMMAND` without the CLI), and the
 * commands that start this repo's stdio servers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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

export function runStdio(
  command: StdioCommand,
  tomlText: string,
  options: { reportPath?: string | null; iterations?: number } = {},
): Promise<RunTestOutcome> {
  const config = parseConfig(tomlText, 'test.toml', {});
  return runTest({
    target: stdioTarget(command),
    stdio: command,
    config,
    overrides: { iterations: options.iterations ?? null, seed: 1 },
    misuse: (key, what) => new LoadtestError('USAGE', `${key} ${what}`),
    reportPath: options.reportPath ?? null,
    signals: NO_SIGNALS,
    protocol: config.settings.protocol,
  });
}
