/**
 * Ctrl+C: a first SIGINT drains the requests in flight (each within timeout_ms) and exits 130
 * with a complete report; a second one exits at once, still with a report.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import { readReport, removeProjects, spawnCli, tempProject, waitFor } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const dirs: string[] = [];
afterAll(() => removeProjects(dirs));

describe('mcp-loadtest run interrupted by SIGINT', () => {
  let server: FixtureServer;
  beforeAll(async () => (server = await startSdkServer('stateful-sse')));
  afterAll(() => server.close());

  it('exits 130 within timeout + 2 s with a valid report marked interrupted', async () => {
    const timeoutMs = 1000;
    const dir = tempProject(
      toml({ timeout_ms: timeoutMs }, toolStep('echo', '{ message = "hi" }')),
    );
    dirs.push(dir);
    const reportPath = join(dir, 'report.json');
    const cli = spawnCli(['run', server.url, '--duration', '10', '--report', reportPath], {
      cwd: dir,
    });
    await waitFor(() => (server.stats().toolCalls.echo ?? 0) > 20, 10_000, 'the run to start');
    const signalledAt = performance.now();
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(performance.now() - signalledAt).toBeLessThan(timeoutMs + 2000);
    expect(r.stderr).toContain('stopping: draining requests in flight');
    const report = readReport(reportPath);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.completed).toBe(false);
    expect(report.stop_reason).toBe('interrupted');
    expect(report.metrics.total_requests).toBeGreaterThan(0);
    expect(report.handshake.sessions_closed).toBe(2);
    expect(r.stdout).toContain('Run interrupted');
  });
});

describe('mcp-loadtest run stopped by SIGTERM', () => {
  let server: FixtureServer;
  beforeAll(async () => (server = await startSdkServer('stateful-json')));
  afterAll(() => server.close());

  it('stops like a first Ctrl+C: exit 130 and a report marked interrupted', async () => {
    const dir = tempProject(toml({ timeout_ms: 1000 }, toolStep('echo', '{ message = "hi" }')));
    dirs.push(dir);
    const reportPath = join(dir, 'report.json');
    const cli = spawnCli(['run', server.url, '--duration', '10', '--report', reportPath], {
      cwd: dir,
    });
    await waitFor(() => (server.stats().toolCalls.echo ?? 0) > 20, 10_000, 'the run to start');
    cli.child.kill('SIGTERM');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.elapsedMs).toBeLessThan(8000);
    const report = readReport(reportPath);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.stop_reason).toBe('interrupted');
  });
});

describe('mcp-loadtest run interrupted by a second SIGINT while draining', () => {
  let server: FaultServer;
  beforeAll(async () => (server = await startFaultServer()));
  afterAll(() => server.close());

  it('exits 130 at once and still writes a valid report, counting the requests in flight', async () => {
    // Requests that take 8 s, within a 10 s timeout: the first SIGINT would wait for them.
    const dir = tempProject(toml({ timeout_ms: 10_000 }, toolStep('slow', '{ ms = 8000 }')));
    dirs.push(dir);
    const reportPath = join(dir, 'report.json');
    const cli = spawnCli(['run', server.url, '--duration', '10', '--report', reportPath], {
      cwd: dir,
    });
    await waitFor(() => (server.stats().toolCalls.slow ?? 0) >= 2, 10_000, 'both VUs to call');
    cli.child.kill('SIGINT');
    await waitFor(() => cli.stderr.includes('stopping:'), 5000, 'the first SIGINT to be seen');
    const secondAt = performance.now();
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    // "At once": the 8 s requests are not awaited. The bound leaves room for a loaded machine
    // (the report is schema-checked and fsynced before the exit).
    expect(performance.now() - secondAt).toBeLessThan(3000);
    expect(r.stderr).toContain('report (partial)');
    const report = readReport(reportPath);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.completed).toBe(false);
    expect(report.stop_reason).toBe('interrupted');
    expect(report.metrics.in_flight_at_stop).toBe(2);
    expect(report.metrics.total_requests).toBe(0);
  });
});
