/**
 * `run --protocol` and `[settings] protocol` through the real CLI bundle, against a strict
 * 2026-07-28 server built on the v2 SDK.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV2Server, type V2Server } from '../fixtures/v2-server.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

describe('run against a strict 2026-07-28 server', () => {
  let server: V2Server;
  const dirs: string[] = [];
  const project = (text: string) => {
    const dir = tempProject(text);
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => {
    server = await startV2Server({ posture: 'strict' });
  });
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it('detects the era, runs with 0 errors and says stateless in the summary', async () => {
    // Ended by --iterations; the long duration only keeps a loaded machine from ending it first.
    const dir = project(toml({ duration_secs: 60 }, toolStep('add', '{ a = 1, b = 2 }')));
    const r = await runCli(['run', server.url, '--iterations', '10', '--report', 'r.json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stateless (MCP 2026-07-28: no handshake, no session)');
    expect(r.stdout).toContain('connection: protocol 2026-07-28 (stateless) over streamable-http');
    const report = readReport(`${dir}/r.json`);
    expect(report.protocol).toMatchObject({
      version: '2026-07-28',
      era: 'modern',
      selection: 'auto',
    });
    expect(report.config.transport).toBe('streamable-http');
    expect(report.metrics.error_count).toBe(0);
  });

  it('init discovers the tools of a server that speaks only 2026-07-28, and run uses them', async () => {
    const dir = tempProject();
    dirs.push(dir);
    const init = await runCli(['init', server.url], { cwd: dir });
    expect(init.stderr).toContain('Found ');
    expect(init.code).toBe(0);
    const text = readFileSync(join(dir, '.pmcp', 'loadtest.toml'), 'utf8');
    expect(text).toContain('tool = "echo"');
    expect(text).toContain('tool = "add"');
    const run = await runCli(['run', server.url, '--iterations', '40', '--report', 'r.json'], {
      cwd: dir,
    });
    const report = readReport(`${dir}/r.json`);
    expect(report.protocol.version).toBe('2026-07-28');
    expect(report.per_tool.echo!.error_count).toBe(0);
    expect(report.per_tool.add!.error_count).toBe(0);
    expect(
      report.per_tool.echo!.total_requests + report.per_tool.add!.total_requests,
    ).toBeGreaterThan(0);
    expect([0, 1]).toContain(run.code);
  });

  it('exits 3 when --protocol pins a revision the server refuses, naming what it supports', async () => {
    const dir = project(toml({}, toolStep('add', '{ a = 1, b = 2 }')));
    const r = await runCli(['run', server.url, '--protocol', '2025-11-25', '--no-report'], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: ${server.url} does not accept MCP 2025-11-25 (pinned by protocol / --protocol): initialize got -32022; the server supports: 2026-07-28\n`,
    );
  });

  it('exits 2 on an unknown --protocol value, listing the accepted ones', async () => {
    const dir = project(toml({}, toolStep('add', '{ a = 1, b = 2 }')));
    const r = await runCli(['run', server.url, '--protocol', '2099-01-01'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: run: --protocol must be auto or an MCP revision, got "2099-01-01"; accepted: auto, 2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05\n',
    );
  });
});
