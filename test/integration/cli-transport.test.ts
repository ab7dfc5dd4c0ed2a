/**
 * `run --transport` and `[settings] transport` through the real CLI bundle, against
 * server-everything's 2024-11-05 HTTP+SSE transport.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

describe('run --transport', () => {
  let everything: ServerEverything;
  const dirs: string[] = [];
  const project = (text: string) => {
    const dir = tempProject(text);
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => {
    everything = await startServerEverything('sse');
  });
  afterAll(async () => {
    await everything.close();
    removeProjects(dirs);
  });

  it('runs over HTTP+SSE with --transport sse and says so in the summary and the report', async () => {
    // Ended by --iterations; the long duration only keeps a loaded machine from ending it first.
    const dir = project(toml({ duration_secs: 60 }, toolStep('echo', '{ message = "hi" }')));
    const r = await runCli(
      ['run', everything.url, '--transport', 'sse', '--iterations', '20', '--report', 'r.json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  connection: protocol 2025-11-25 (sessions) over sse\n');
    const report = readReport(`${dir}/r.json`);
    expect(report.config.transport).toBe('sse');
    expect(report.protocol.transport_detected).toBe(false);
    expect(report.metrics).toMatchObject({ success_count: 20, error_count: 0 });
  });

  it('init discovers over HTTP+SSE, detected as run detects it', async () => {
    const dir = tempProject();
    dirs.push(dir);
    const init = await runCli(['init', everything.url], { cwd: dir });
    expect(init.stderr).toMatch(/Found \d+ tools/);
    expect(init.code).toBe(0);
    const text = readFileSync(join(dir, '.pmcp', 'loadtest.toml'), 'utf8');
    expect(text).toMatch(/^tool = "echo"$/m);
    expect(text).toMatch(/^tool = "get-sum"$/m);
  });

  it('exits 2 on an unknown --transport value, listing the accepted ones', async () => {
    const dir = project(toml({}, toolStep('echo', '{ message = "hi" }')));
    const r = await runCli(['run', everything.url, '--transport', 'websocket'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: run: --transport must be a transport name, got "websocket"; accepted: streamable-http, sse\n',
    );
  });

  it('exits 2 on --transport sse with --protocol 2026-07-28, before any load', async () => {
    const dir = project(toml({}, toolStep('echo', '{ message = "hi" }')));
    const r = await runCli(
      ['run', everything.url, '--transport', 'sse', '--protocol', '2026-07-28', '--no-report'],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: transport "sse" \(the 2024-11-05 HTTP\+SSE transport\) cannot carry protocol 2026-07-28; accepted with it: .*\n$/,
    );
  });
});
