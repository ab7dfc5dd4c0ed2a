/**
 * `run --workers N` against a real server on 127.0.0.1 (the stall-server fixture, which counts
 * the tools/call it received at GET /stats): the threads' figures merge into one report that
 * accounts for exactly what the server received, and a seed and --iterations give the same step
 * mix on one thread or several.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import type { LoadPlan } from '../../src/engine/load-plan.js';
import { WorkerFleet } from '../../src/engine/worker-fleet.js';
import { makeTarget } from '../../src/protocol/target.js';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startChildServer, type ChildServer } from '../helpers/child-server.js';
import {
  readReport,
  removeProjects,
  runCli,
  spawnCli,
  tempProject,
  waitFor,
} from '../helpers/run-cli.js';
import { runDetected, toml, toolStep } from '../helpers/run-load.js';
import { startV2Server, TASK_POLLS_BEFORE_DONE } from '../fixtures/v2-server.js';

const CONFIG = toml(
  { virtual_users: 4, duration_secs: 3, timeout_ms: 2000 },
  toolStep('alpha', undefined, 3),
  toolStep('beta', undefined, 2),
  toolStep('gamma', undefined, 1),
);

const perTool = (r: Report): Record<string, number> =>
  Object.fromEntries(Object.entries(r.per_tool).map(([name, t]) => [name, t.total_requests]));

describe('run --workers', () => {
  let server: ChildServer;
  let dir: string;
  /** tools/call the server received during `act`. */
  const served = async (act: () => Promise<unknown>): Promise<number> => {
    const before = (await server.stats()).toolCalls!;
    await act();
    return (await server.stats()).toolCalls! - before;
  };

  beforeAll(async () => {
    server = await startChildServer(new URL('../fixtures/stall-server.mjs', import.meta.url));
    dir = tempProject(CONFIG);
  });
  afterAll(async () => {
    await server?.close();
    removeProjects([dir]);
  });

  it('two threads give one report whose counts equal the server’s, with one timeline', async () => {
    let code: number | null = null;
    let stderr = '';
    const received = await served(async () => {
      const r = await runCli(['run', server.url, '--workers', '2', '--report', 'two.json'], {
        cwd: dir,
      });
      ({ code, stderr } = r);
    });
    expect(code).toBe(0);
    expect(stderr).toContain('note: 2 worker threads (--workers 2)');
    const report = readReport(join(dir, 'two.json'));
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.metrics.total_requests).toBeGreaterThan(0);
    expect(report.metrics.total_requests).toBe(received);
    const tools = Object.values(perTool(report)).reduce((a, b) => a + b, 0);
    expect(tools).toBe(received);
    // One timeline of the whole run: its samples add up to the total, its VUs to both threads'.
    expect(report.timeline.reduce((n, s) => n + s.requests, 0)).toBe(received);
    expect(Math.max(...report.timeline.map((s) => s.active_vus))).toBe(4);
    expect(report.handshake.sessions_created).toBe(4);
    expect(report.breaking_point.detected).toBe(false);
  });

  it('a seed and --iterations give the same count per tool on one thread and on three', async () => {
    const run = async (workers: string, extra: string[]): Promise<Report> => {
      const name = `mix-${workers}-${extra.length}.json`;
      const args = ['run', server.url, '--iterations', '301', '--seed', '5', ...extra];
      const received = await served(() =>
        runCli([...args, '--workers', workers, '--vus', '6', '--report', name, '-q'], {
          cwd: dir,
        }),
      );
      const report = readReport(join(dir, name));
      expect(report.metrics.total_requests).toBe(received);
      return report;
    };
    const closedOne = await run('1', []);
    const closedThree = await run('3', []);
    expect(closedOne.metrics.total_requests).toBe(301);
    expect(perTool(closedThree)).toEqual(perTool(closedOne));
    // The open model draws from the same stream, by arrival.
    const openOne = await run('1', ['--rate', '400']);
    const openThree = await run('3', ['--rate', '400']);
    expect(perTool(openThree)).toEqual(perTool(openOne));
    expect(perTool(openOne)).toEqual(perTool(closedOne));
  });

  it('a Ctrl+C stops every thread: exit 130 and a report of exactly what was sent', async () => {
    const before = (await server.stats()).toolCalls!;
    const cli = spawnCli(
      ['run', server.url, '--workers', '2', '--duration', '20', '--report', 'stopped.json'],
      { cwd: dir },
    );
    await waitFor(() => cli.stderr.includes('note: 2 worker threads'), 10_000, 'the threads');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    const report = readReport(join(dir, 'stopped.json'));
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.stop_reason).toBe('interrupted');
    expect(report.metrics.total_requests).toBe((await server.stats()).toolCalls! - before);
    expect(report.handshake.sessions_closed).toBe(4);
  });

  it('refuses more threads than VUs with one line saying how many fit', async () => {
    const r = await runCli(['run', server.url, '--vus', '2', '--workers', '3'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'run: --workers 3 leaves a worker thread with no load: this run has 2 VUs at its peak, at least one per thread; use at most 2 threads',
    );
  });

  it('a thread that fails ends the run with a clear error, not a hang', async () => {
    const config = parseConfig(CONFIG, 'test.toml', {});
    const plan: LoadPlan = {
      executor: 'constant-vus',
      vus: 2,
      durationSecs: 30,
      stages: [],
      ratePerSec: null,
      rateStages: [],
      maxVus: null,
      iterations: null,
      seed: 1,
    };
    const fleet = new WorkerFleet({
      target: makeTarget(server.url, {}),
      config,
      plan,
      parts: [
        { ...plan, vus: 1 },
        { ...plan, vus: 1 },
      ],
      workerUrl: new URL('../fixtures/crashing-worker.mjs', import.meta.url),
    }).start();
    await expect(fleet.done).rejects.toMatchObject({
      code: 'WORKER_FAILED',
      message: expect.stringContaining('failed: boom in the worker; no report was written'),
    });
  });
});

describe('run --workers in the 2026-07-28 era', () => {
  it('each thread speaks the detected revision, and the protocol counters add up', async () => {
    const server = await startV2Server({ posture: 'strict' });
    try {
      const settings = '[settings]\nvirtual_users = 2\nduration_secs = 60\ntimeout_ms = 5000\n';
      const { report } = await runDetected(server.url, settings + toolStep('slow-job'), {
        iterations: 4,
        workers: 2,
      });
      expect(report.protocol.version).toBe('2026-07-28');
      expect(report.metrics.error_count).toBe(0);
      expect(report.per_tool['slow-job']?.total_requests).toBe(4);
      expect(report.protocol.tasks).toBe(4);
      expect(report.protocol.task_polls).toBe(4 * (TASK_POLLS_BEFORE_DONE + 1));
      expect(server.taskPolls()).toBe(report.protocol.task_polls);
    } finally {
      await server.close();
    }
  });
});
