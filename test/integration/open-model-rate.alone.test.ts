/**
 * The open model against real servers on 127.0.0.1: a fast server gets exactly the scheduled
 * number of requests; a server of finite capacity makes the pool hit max_vus (drops) or, on a
 * ramping rate, reveals its breaking point at a rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startChildServer, type ChildServer } from '../helpers/child-server.js';
import { CLI_PATH, readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { runLoad, toml, toolStep } from '../helpers/run-load.js';

const STALL_SERVER = new URL('../fixtures/stall-server.mjs', import.meta.url);
const ADD = toolStep('add', '{ a = 42, b = 17 }');
const dirs: string[] = [];

/**
 * The built-in demo server of finite capacity, in its own process: two work slots of 50 ms, so
 * 40 answers a second and the rest wait in its line. Its own process, so the load generator's
 * self-check measures the generator alone.
 */
function startCappedServer(): Promise<ChildServer> {
  return startChildServer(CLI_PATH, [
    'serve-demo',
    '--port',
    '0',
    '--json',
    '--delay-ms',
    '50',
    '--capacity',
    '2',
    '--managed',
  ]);
}
afterAll(() => removeProjects(dirs));

describe('constant-arrival-rate', () => {
  let fast: ChildServer;
  beforeAll(async () => (fast = await startChildServer(STALL_SERVER)));
  afterAll(() => fast.close());

  it('--rate 2000 for 10 s delivers 20,000 requests (the server count), none dropped', async () => {
    const dir = tempProject(toml({ virtual_users: 20 }, toolStep('echo')));
    dirs.push(dir);
    const before = (await fast.stats()).toolCalls!;
    const r = await runCli(
      ['run', fast.url, '--rate', '2000', '--duration', '10', '--report', 'r.json', '--quiet'],
      { cwd: dir, killAfterMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const received = (await fast.stats()).toolCalls! - before;
    const report = readReport(`${dir}/r.json`);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.metrics.total_requests).toBe(received);
    expect(Math.abs(received - 20_000)).toBeLessThanOrEqual(400);
    expect(report.metrics.dropped_iterations).toBe(0);
    expect(report.metrics.error_count).toBe(0);
  }, 60_000);
});

describe('a server of capacity 40 req/s', () => {
  it('--rate 200 --max-vus 20 drops steps, says so, and its p99 shows the backlog', async () => {
    const capped = await startCappedServer();
    try {
      const dir = tempProject(toml({ virtual_users: 5, timeout_ms: 5000 }, ADD));
      dirs.push(dir);
      const r = await runCli(
        [
          'run',
          capped.url,
          '--rate',
          '200',
          '--max-vus',
          '20',
          '--duration',
          '5',
          '--report',
          'r.json',
          '--no-color',
        ],
        { cwd: dir, killAfterMs: 60_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      const report = readReport(`${dir}/r.json`);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.config.max_vus).toBe(20);
      // At most 20 in the server at once, served 40/s: about 200 of the 1,000 steps ran.
      expect(report.metrics.dropped_iterations).toBeGreaterThan(500);
      expect(report.metrics.total_requests + report.metrics.dropped_iterations).toBe(1000);
      expect(r.stdout).toMatch(/mcp_req_dropped\.+: \d+ +\(no free session at max_vus 20\)/);
      // 20 sessions queued on 40/s: ~500 ms each once the line is full, ten times the 50 ms work.
      expect(report.metrics.latency.p99_ms).toBeGreaterThan(300);
      expect(report.timeline.some((s) => s.dropped_iterations > 0)).toBe(true);
    } finally {
      await capped.close();
    }
  }, 60_000);
});

describe('ramping-arrival-rate', () => {
  it('past a finite server capacity, detects the breaking point and records the rate', async () => {
    const capped = await startCappedServer();
    try {
      const config = [
        '[settings]',
        'virtual_users = 4',
        'duration_secs = 1',
        'timeout_ms = 10000',
        'arrival_rate = 10',
        'stop_on_breaking_point = true',
        '',
        ADD,
        '[[stage]]',
        'target_rate = 10',
        'duration_secs = 10',
        '',
        '[[stage]]',
        'target_rate = 120',
        'duration_secs = 14',
        '',
      ].join('\n');
      const { report } = await runLoad(capped.url, config);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.config.executor).toBe('ramping-arrival-rate');
      expect(report.config.stages).toEqual([
        { target_rate: 10, duration_secs: 10 },
        { target_rate: 120, duration_secs: 14 },
      ]);
      expect(report.stop_reason).toBe('breaking_point');
      const bp = report.breaking_point;
      expect(bp).toMatchObject({ detected: true, reason: 'latency_degradation', stage: 2 });
      // The server broke, not the generator: it had idle time to spare at 120 steps/s.
      expect(bp.generator_saturated).toBe(false);
      // Capacity is 40/s: the break shows past it, before the ramp's top.
      expect(bp.rate!).toBeGreaterThan(40);
      expect(bp.rate!).toBeLessThan(120);
      expect(report.stages[1]).toMatchObject({
        target_rate: 120,
        start_rate: 10,
        target_vus: null,
      });
      // The timeline carries the schedule's rate climbing through stage 2.
      const rates = report.timeline.map((s) => s.target_rate!);
      expect(rates[rates.length - 1]!).toBeGreaterThan(rates[0]! * 3);
    } finally {
      await capped.close();
    }
  }, 60_000);
});
