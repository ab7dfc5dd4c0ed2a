/**
 * The reason the open model exists: a server whose event loop freezes 500 ms every 2 s (25 % of
 * wall time). A steady stream of users then sees a p99 of about 480 ms: a quarter of them arrive
 * during a freeze and wait out its rest, uniformly 0–500 ms, so 1 % wait more than 480 ms. The
 * open model (`--rate`) must report that; the closed model hides it, and must say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { startChildServer, type ChildServer } from '../helpers/child-server.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';
import { validateReport } from '../../src/report/validate-report.js';

const STALL_SERVER = new URL('../fixtures/stall-server.mjs', import.meta.url);

describe('a server that blocks its event loop 500 ms every 2 s', () => {
  let server: ChildServer;
  const dirs: string[] = [];
  beforeAll(async () => {
    server = await startChildServer(STALL_SERVER, ['--stall-ms', '500', '--every-ms', '2000']);
  });
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  let open: Report;
  let openStdout: string;
  let received: number;

  it('run --rate 200 --duration 20 reports the p99 users saw, within 10 % of 480 ms', async () => {
    const dir = tempProject(toml({ virtual_users: 10, timeout_ms: 5000 }, toolStep('echo')));
    dirs.push(dir);
    const before = (await server.stats()).toolCalls!;
    const r = await runCli(
      ['run', server.url, '--rate', '200', '--duration', '20', '--report', 'r.json', '--no-color'],
      { cwd: dir, killAfterMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    received = (await server.stats()).toolCalls! - before;
    open = readReport(`${dir}/r.json`);
    openStdout = r.stdout;
    expect(validateReport(open)).toEqual({ valid: true });
    expect(open.config.model).toBe('open');
    expect(open.config.executor).toBe('constant-arrival-rate');
    expect(open.config.arrival_rate).toBe(200);
    expect(open.metrics.latency.p99_ms).toBeGreaterThan(480 * 0.9);
    expect(open.metrics.latency.p99_ms).toBeLessThan(480 * 1.1);
  }, 90_000);

  it('counts exactly what the server received, and drops nothing', () => {
    expect(open.metrics.total_requests).toBe(received);
    expect(open.metrics.dropped_iterations).toBe(0);
    expect(open.metrics.error_count).toBe(0);
    // 200/s for 20 s is 4,000 steps on the schedule.
    expect(open.metrics.total_requests).toBe(4000);
  });

  it('keeps the time from the send beside it, never above the time from the schedule', () => {
    const fromSend = open.metrics.latency_uncorrected;
    expect(fromSend.count).toBe(open.metrics.latency.count);
    expect(fromSend.p50_ms).toBeLessThanOrEqual(open.metrics.latency.p50_ms);
    expect(fromSend.p99_ms).toBeLessThanOrEqual(open.metrics.latency.p99_ms);
    expect(openStdout).toMatch(/mcp_req_duration\.+: p50=.* p99=[45]\d\dms/);
    expect(openStdout).toMatch(/rate: +200\.0 steps\/s \(up to \d+ sessions\)/);
    expect(openStdout).toMatch(/mcp_req_dropped\.+: 0/);
    // The hint is the closed model's: the open model has no stall to hide.
    expect(openStdout).not.toMatch(/closed model hides stalls/);
    // Throughput is the Rust tool's formula: total over the elapsed run time.
    expect(open.metrics.throughput_rps).toBeCloseTo(
      open.metrics.total_requests / open.duration_secs,
      2,
    );
    expect(open.timeline.every((s) => s.target_rate === 200)).toBe(true);
    const full = open.timeline.slice(1, -1);
    for (const s of full) expect(s.achieved_rate!).toBeGreaterThan(180);
  });

  it('the closed model on the same server prints the hint that it hides the stall', async () => {
    const dir = tempProject(toml({ virtual_users: 10, timeout_ms: 5000 }, toolStep('echo')));
    dirs.push(dir);
    const r = await runCli(
      ['run', server.url, '--duration', '6', '--report', 'r.json', '--no-color'],
      {
        cwd: dir,
        killAfterMs: 60_000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const closed = readReport(`${dir}/r.json`);
    expect(closed.config.model).toBe('closed');
    expect(closed.metrics.latency.max_ms).toBeGreaterThan(10 * closed.metrics.latency.p99_ms);
    expect(r.stdout).toMatch(
      /note: the slowest request took .*, over 10× the p99 .*: the closed model hides stalls .*run with --rate N \(open model\)/,
    );
  }, 60_000);
});
