/**
 * Staged load against servers on 127.0.0.1: the documented ramp/hold/ramp-down of `cargo pmcp
 * loadtest` shortened, a breaking-point hunt against a server of finite capacity, --iterations
 * ending a staged run, and the plain progress lines a CI log gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { validateReport } from '../../src/report/validate-report.js';
import type { Report } from '../../src/report/types.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { runLoad, toolStep } from '../helpers/run-load.js';

const ADD = toolStep('add', '{ a = 42, b = 17 }');

function staged(stages: [number, number][], extraSettings = ''): string {
  return [
    '[settings]',
    'virtual_users = 1',
    'duration_secs = 1',
    'timeout_ms = 5000',
    extraSettings,
    '',
    ADD,
    ...stages.map(([vus, secs]) => `[[stage]]\ntarget_vus = ${vus}\nduration_secs = ${secs}\n`),
  ].join('\n');
}

describe('staged load', () => {
  let fast: DemoServer;
  const dirs: string[] = [];
  beforeAll(async () => (fast = await startDemoServer({ responseMode: 'json' })));
  afterAll(async () => {
    await fast.close();
    removeProjects(dirs);
  });

  it('ramps up, holds and ramps down as the stages say, and reports each stage', async () => {
    const { report } = await runLoad(
      fast.url,
      staged([
        [6, 2],
        [6, 2],
        [0, 2],
      ]),
    );
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.stop_reason).toBe('duration');
    expect(report.duration_secs).toBeGreaterThanOrEqual(6);
    expect(report.duration_secs).toBeLessThan(8);
    expect(report.stages.map((s) => [s.index, s.start_vus, s.target_vus, s.completed])).toEqual([
      [1, 0, 6, true],
      [2, 6, 6, true],
      [3, 6, 0, true],
    ]);
    expect(report.stages[1]!.peak_active_vus).toBe(6);
    expect(report.handshake.peak_vus).toBe(6);
    expect(report.handshake.sessions_created).toBe(6);
    // Every VU retired on the ramp-down ended its session.
    expect(report.handshake.sessions_closed).toBe(6);
    expect(fast.stats().activeSessions).toBe(0);
    // The timeline accounts for every request, in 2 s samples tagged with their stage.
    const sum = report.timeline.reduce((n, t) => n + t.requests, 0);
    expect(sum).toBe(report.metrics.total_requests);
    // One sample per 2 s stage, in order (a short last sample may follow when timers run late).
    expect(report.timeline.slice(0, 3).map((t) => t.stage)).toEqual([1, 2, 3]);
    expect(report.timeline[1]!.active_vus).toBe(6);
    expect(report.metrics.error_count).toBe(0);
  });

  it('ends a staged run at --iterations, counting exactly that many requests', async () => {
    const stages = staged([
      [4, 1],
      [4, 60],
    ]);
    const { report, elapsedMs } = await runLoad(fast.url, stages, { iterations: 300 });
    expect(report.stop_reason).toBe('iterations');
    expect(report.metrics.total_requests).toBe(300);
    expect(elapsedMs).toBeLessThan(15_000);
    expect(report.stages[1]!.completed).toBe(false);
  });

  it('finds the breaking point of a server of finite capacity and shows the climb in the timeline', async () => {
    // 4 slots of 50 ms: 80 req/s. Latency stays ~50 ms up to 4 VUs, then grows with the queue
    // (~12.5 ms per VU), so p99 triples from the 2-VU baseline somewhere past 12 VUs. A service
    // time this long keeps a busy machine's scheduling noise small beside it.
    const capped = await startDemoServer({ responseMode: 'json', delayMs: 50, capacity: 4 });
    try {
      const dir = tempProject(
        staged([
          [2, 2],
          [2, 10],
          [24, 12],
        ]),
      );
      dirs.push(dir);
      const r = await runCli(['run', capped.url, '--report', 'r.json', '--no-color'], { cwd: dir });
      expect(r.code).toBe(0);
      // stderr is a pipe here, as in every CI log: plain progress lines every few seconds.
      const progress = r.stderr.split('\n').filter((l) => /\[stage \d\/3\]/.test(l));
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(r.stderr).toMatch(
        /warning: breaking point detected at \d+ VUs \(latency_degradation: P99/,
      );
      const report: Report = readReport(`${dir}/r.json`);
      expect(validateReport(report)).toEqual({ valid: true });
      const bp = report.breaking_point;
      expect(bp).toMatchObject({
        detected: true,
        reason: 'latency_degradation',
        stage: 3,
        stopped_run: false,
      });
      expect(bp.vus).toBeGreaterThanOrEqual(8);
      expect(bp.vus).toBeLessThanOrEqual(40);
      // When it happened, not when the report was written.
      expect(Date.parse(bp.timestamp!)).toBeLessThan(Date.parse(report.timestamp) - 1000);
      expect(bp.elapsed_secs).toBeGreaterThanOrEqual(20);
      expect(r.stdout).toMatch(/breaking point/i);
      const first = report.timeline[2]!;
      const last = report.timeline[report.timeline.length - 2]!;
      expect(last.active_vus).toBeGreaterThan(first.active_vus * 4);
      expect(last.p99_ms).toBeGreaterThan(first.p99_ms * 3);
    } finally {
      await capped.close();
    }
  }, 60_000);

  it('ends the run at the breaking point with stop_on_breaking_point, and says so', async () => {
    const capped = await startDemoServer({ responseMode: 'json', delayMs: 50, capacity: 4 });
    try {
      // Far past capacity (40 VUs on 4 slots: ~10x the baseline p99), then a long hold.
      const stages: [number, number][] = [
        [2, 2],
        [2, 10],
        [40, 12],
        [40, 10],
      ];
      const config = staged(stages, 'stop_on_breaking_point = true');
      const { report } = await runLoad(capped.url, config);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.stop_reason).toBe('breaking_point');
      expect(report.config.stop_on_breaking_point).toBe(true);
      expect(report.breaking_point).toMatchObject({ detected: true, stopped_run: true, stage: 3 });
      // Stopped well before the 34 s the stages ask for: that is the CI time it saves.
      expect(report.duration_secs).toBeLessThan(30);
      expect(report.stages[3]!.completed).toBe(false);
      expect(report.handshake.sessions_closed).toBe(report.handshake.sessions_created);
    } finally {
      await capped.close();
    }
  }, 60_000);

  it('rejects --vus and --duration with a staged config, naming the conflict', async () => {
    const dir = tempProject(staged([[2, 2]]));
    dirs.push(dir);
    const r = await runCli(['run', fast.url, '--vus', '5'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'error: run: --vus does not apply to a staged config: its 1 [[stage]] blocks set the VUs and the duration; edit them, or remove them to run flat load',
    );
  });
});
