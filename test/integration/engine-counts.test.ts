/**
 * The report's counts reconcile with what the server received: no request is lost, invented or
 * counted twice (the Rust tool counted coordinated-omission fill-ins as requests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startSdkServer, type FixtureServer, type FixtureStats } from '../fixtures/sdk-server.js';
import { promptStep, resourceStep, runLoad, toml, toolStep } from '../helpers/run-load.js';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';

const ITERATIONS = 500;

describe('engine counts with --iterations against the SDK server (stateful-json)', () => {
  let server: FixtureServer;
  let report: Report;
  let stats: FixtureStats;

  beforeAll(async () => {
    server = await startSdkServer('stateful-json');
    // A duration far beyond what 500 requests take: only the iteration budget ends the run.
    const config = toml(
      { timeout_ms: 5000, duration_secs: 60 },
      toolStep('echo', '{ message = "hi" }', 4),
      toolStep('add', '{ a = 1, b = 2 }', 3),
      resourceStep('fixture://static/hello', 2),
      promptStep('greet', '{ name = "Ada" }', 1),
    );
    ({ report } = await runLoad(server.url, config, { vus: 4, iterations: ITERATIONS }));
    stats = server.stats();
  });
  afterAll(() => server.close());

  it('sends exactly --iterations requests and reports exactly that many', () => {
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.metrics.total_requests).toBe(ITERATIONS);
    expect(report.metrics.success_count).toBe(ITERATIONS);
    expect(report.stop_reason).toBe('iterations');
    expect(report.completed).toBe(true);
  });

  it('reports per key exactly what the server received for that key', () => {
    const received: Record<string, number> = {
      ...stats.toolCalls,
      ...stats.resourceReads,
      ...stats.promptGets,
    };
    const reported = Object.fromEntries(
      Object.entries(report.per_tool).map(([key, m]) => [key, m.total_requests]),
    );
    expect(reported).toEqual(received);
  });

  it('reports per operation exactly what the server received per method', () => {
    expect(report.metrics.operation_counts).toEqual({
      'tools/call': stats.byMethod['tools/call'],
      'resources/read': stats.byMethod['resources/read'],
      'prompts/get': stats.byMethod['prompts/get'],
    });
  });

  it('keeps handshakes out of the request counts', () => {
    expect(stats.byMethod.initialize).toBe(4);
    expect(report.handshake.attempts).toBe(4);
    expect(report.metrics.latency_uncorrected.count).toBe(report.metrics.success_count);
  });
});

describe('engine budgets and pacing (fault server, tool "ok")', () => {
  let server: FaultServer;
  beforeAll(async () => (server = await startFaultServer()));
  afterAll(() => server.close());

  it('sends exactly --iterations requests when there are fewer iterations than VUs', async () => {
    const before = server.stats().toolCalls.ok ?? 0;
    const { report } = await runLoad(server.url, toml({ duration_secs: 60 }, toolStep('ok')), {
      vus: 4,
      iterations: 2,
    });
    expect(report.metrics.total_requests).toBe(2);
    expect((server.stats().toolCalls.ok ?? 0) - before).toBe(2);
    expect(report.stop_reason).toBe('iterations');
  });

  it('paces each VU by request_interval_ms, and stops a pausing VU at once at the end', async () => {
    // One request per VU, then a 5 s pause that the end of the 1 s run must cut short.
    const { report, elapsedMs } = await runLoad(
      server.url,
      toml({ request_interval_ms: 5000 }, toolStep('ok')),
      { vus: 2, durationSecs: 1 },
    );
    expect(report.metrics.total_requests).toBe(2);
    expect(elapsedMs).toBeLessThan(3000);
    expect(report.stop_reason).toBe('duration');
  });
});
