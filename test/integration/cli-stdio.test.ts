/**
 * `run -- COMMAND` and `init -- COMMAND` as a user runs them (the built CLI): the summary names
 * the transport and the server's stderr log, discovery works over stdio, and whatever ends the
 * run (its end, SIGINT, SIGTERM, a second SIGINT) no server process survives it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import {
  readReport,
  removeProjects,
  runCli,
  spawnCli,
  tempProject,
  waitFor,
} from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';
import { alive, fixtureCommand, pidsIn, serverEverythingCommand } from '../helpers/run-stdio.js';

const dirs: string[] = [];
afterAll(() => removeProjects(dirs));

function argv(command: { program: string; args: readonly string[] }): string[] {
  return ['--', command.program, ...command.args];
}

describe('mcp-loadtest run -- COMMAND', () => {
  it('prints the transport, the restarts and the stderr log in the summary', async () => {
    const dir = tempProject(toml({ processes: 2 }, toolStep('echo', '{ message = "hi" }')));
    dirs.push(dir);
    const reportPath = join(dir, 'report.json');
    const r = await runCli(
      ['run', '--report', reportPath, '--no-color', ...argv(fixtureCommand())],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  stdio: 2 server processes · no restarts\n');
    expect(r.stdout).toContain(`  server stderr: ${join(dir, 'report.server-stderr.log')}\n`);
    expect(validateReport(readReport(reportPath))).toEqual({ valid: true });
  });
});

describe('mcp-loadtest init -- COMMAND', () => {
  it('discovers server-everything over stdio and writes its tools', async () => {
    const dir = tempProject();
    dirs.push(dir);
    const r = await runCli(['init', ...argv(serverEverythingCommand())], { cwd: dir });
    expect(r.code).toBe(0);
    const config = readFileSync(join(dir, '.pmcp/loadtest.toml'), 'utf8');
    expect(config).toContain('# Generated from server: stdio:');
    expect(config).toContain('tool = "get-sum"');
  });
});

describe('mcp-loadtest init -- COMMAND with a server that exits at once', () => {
  it('exits 3 naming the exit and the stderr log', async () => {
    const dir = tempProject();
    dirs.push(dir);
    const r = await runCli(
      ['init', '--', process.execPath, '-e', 'console.error("bad key"); process.exit(1)'],
      { cwd: dir },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /init: cannot initialize a session with stdio:.*the server process exited with code 1.*; the server's stderr is in (\S+)/,
    );
    const log = /the server's stderr is in (\S+)/.exec(r.stderr)![1]!;
    expect(readFileSync(log, 'utf8')).toContain('bad key');
    rmSync(log);
  });
});

describe('mcp-loadtest run -- COMMAND stopped by a signal', () => {
  /** Starts a run of two fixture processes that outlive stdin's end; resolves once both run. */
  async function startRun(step: string, settings: Record<string, number> = {}) {
    const dir = tempProject(toml({ processes: 2, duration_secs: 30, ...settings }, step));
    dirs.push(dir);
    const pidFile = join(dir, 'pids');
    const reportPath = join(dir, 'report.json');
    const cli = spawnCli(
      [
        'run',
        '--report',
        reportPath,
        ...argv(fixtureCommand('--ignore-stdin-end', '--pid-file', pidFile)),
      ],
      { cwd: dir },
    );
    await waitFor(() => pidsIn(pidFile).length === 2, 10_000, 'both server processes');
    await waitFor(
      () => readFileSync(join(dir, 'report.server-stderr.log'), 'utf8').includes('started'),
      10_000,
      'the run to start',
    );
    await new Promise((r) => setTimeout(r, 300));
    return { cli, pidFile, reportPath };
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops every server process on ${signal}`, async () => {
      const { cli, pidFile, reportPath } = await startRun(toolStep('echo', '{ message = "hi" }'));
      cli.child.kill(signal);
      const r = await cli.done;
      expect(r.code).toBe(130);
      expect(readReport(reportPath).stop_reason).toBe('interrupted');
      expect(pidsIn(pidFile).filter(alive)).toEqual([]);
    });
  }

  it('stops every server process on a second SIGINT while requests drain', async () => {
    const { cli, pidFile } = await startRun(toolStep('slow', '{ ms = 8000 }'), {
      timeout_ms: 10_000,
    });
    cli.child.kill('SIGINT');
    await waitFor(() => cli.stderr.includes('stopping: draining'), 5000, 'the drain');
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.elapsedMs).toBeLessThan(15_000);
    expect(pidsIn(pidFile).filter(alive)).toEqual([]);
  });
});
