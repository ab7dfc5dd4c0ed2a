/**
 * Each fault of the fault server under load, in process: the run neither crashes nor hangs (it
 * ends within its duration + timeout_ms + a grace), every failure lands in exactly one error
 * kind, and the report's counts match what the server received, tool by tool.
 *
 * Each test has its own server, so the concurrent ones cannot disturb each other's counts.
 */
import { describe, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { runLoad, startLoad, toml, toolStep } from '../helpers/run-load.js';

/** Handshakes, sweeper lateness and the closing DELETEs, on a busy 2-core machine. */
const GRACE_MS = 1500;

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

async function withServer<T>(fn: (server: FaultServer) => Promise<T>): Promise<T> {
  const server = await startFaultServer();
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

describe.concurrent('a response that does not complete within timeout_ms is a timeout', () => {
  const TIMEOUT_MS = 300;
  it.for([
    ['headers that come after 5 s', 'slow', '{ ms = 5000 }'],
    ['a body that stalls halfway for 5 s', 'slow_body', '{ ms = 5000 }'],
    ['a request never answered at all', 'stall', undefined],
    [
      'an SSE stream of keep-alive comments that never sends the response',
      'sse_keepalive',
      '{ every_ms = 20 }',
    ],
  ] as const)('%s', async ([, tool, args], { expect }) => {
    await withServer(async (server) => {
      const { report, elapsedMs } = await runLoad(
        server.url,
        toml({ timeout_ms: TIMEOUT_MS }, toolStep(tool, args)),
        { vus: 2, durationSecs: 1 },
      );
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.metrics.total_requests).toBeGreaterThanOrEqual(2);
      expect(nonZero(report.errors)).toEqual({ timeout: report.metrics.total_requests });
      expect(report.metrics.latency.error_p50_ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
      // The requests in flight at the end drained as timeouts: none is left uncounted.
      expect(report.metrics.in_flight_at_stop).toBe(0);
      expect(server.stats().toolCalls[tool]).toBe(report.metrics.total_requests);
      expect(report.stop_reason).toBe('duration');
      expect(elapsedMs).toBeLessThan(1000 + TIMEOUT_MS + GRACE_MS);
    });
  });
});

describe.concurrent('a response cut short is a connection error', () => {
  it.for([
    ['a JSON body shorter than its Content-Length, then a clean close', 'truncated'],
    ['half an SSE event, then the chunked stream is cut', 'truncated_sse'],
  ] as const)('%s', async ([, tool], { expect }) => {
    await withServer(async (server) => {
      const { report } = await runLoad(server.url, toml({}, toolStep(tool)), {
        vus: 2,
        iterations: 40,
      });
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.metrics.total_requests).toBe(40);
      expect(nonZero(report.errors)).toEqual({ connection: 40 });
      expect(report.error_samples.connection).toMatch(/other side closed/);
      expect(server.stats().toolCalls[tool]).toBe(40);
      expect(report.stop_reason).toBe('iterations');
    });
  });
});

describe.concurrent('bursts of 503 and 429', () => {
  it.for([503, 429] as const)(
    'counts a burst of 5 × %i as exactly 5 http errors, then the run carries on',
    async (status, { expect }) => {
      await withServer(async (server) => {
        server.burst(status, 5);
        const { report } = await runLoad(server.url, toml({}, toolStep('ok')), {
          vus: 2,
          iterations: 30,
        });
        expect(validateReport(report)).toEqual({ valid: true });
        expect(nonZero(report.errors)).toEqual({ http: 5 });
        expect(report.metrics.success_count).toBe(25);
        expect(report.error_samples.http).toContain(`HTTP ${status}`);
        expect(server.stats().burstAnswers).toBe(5);
        expect(server.stats().toolCalls.ok).toBe(30);
        // The VUs kept their sessions: an HTTP error is not a session loss.
        expect(report.handshake.reinitializations).toBe(0);
      });
    },
  );

  it('retries an initialize answered 503 and then runs normally', async ({ expect }) => {
    await withServer(async (server) => {
      // One of the two first initializes fails: the other VU connects, so the run goes on.
      server.burst(503, 1, 'initialize');
      const { report } = await runLoad(server.url, toml({}, toolStep('ok')), {
        vus: 2,
        iterations: 30,
      });
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.stop_reason).toBe('iterations');
      expect(report.handshake.attempts).toBe(3);
      expect(nonZero(report.handshake.errors)).toEqual({ http: 1 });
      expect(report.handshake.sessions_created).toBe(2);
      expect(report.metrics.success_count).toBe(30);
      expect(server.stats().byMethod.initialize).toBe(3);
    });
  });
});

describe.concurrent('a burst on the very first initialize of every VU', () => {
  // A burst is transient by definition: the VUs retry with their backoff, and the run is not
  // taken for one that cannot get going (no_session needs 3 failed tries from every VU).
  it.for([503, 429] as const)(
    'answered %i: the VUs retry and the run goes on',
    async (status, { expect }) => {
      await withServer(async (server) => {
        server.burst(status, 2, 'initialize');
        const { report } = await runLoad(server.url, toml({}, toolStep('ok')), {
          vus: 2,
          iterations: 30,
        });
        expect(validateReport(report)).toEqual({ valid: true });
        expect(nonZero(report.handshake.errors)).toEqual({ http: 2 });
        expect(report.stop_reason).toBe('iterations');
        expect(report.metrics.success_count).toBe(30);
      });
    },
  );
});

/** The tool of each step, and the one error kind its failures must land in (null: success). */
const MIXED: Record<string, keyof Report['errors'] | null> = {
  ok: null,
  http500: 'http',
  jsonrpc_error: 'jsonrpc',
  tool_error: 'tool',
  bad_json: 'protocol',
  reset: 'connection',
  truncated: 'connection',
  truncated_sse: 'connection',
  sse_no_response: 'protocol',
  sse_keepalive: 'timeout',
  slow_body: 'timeout',
  expire: 'session_expired',
};

describe('every fault at once', () => {
  it('puts each tool’s failures in its one kind, and reconciles every count with the server', async ({
    expect,
  }) => {
    await withServer(async (server) => {
      const TIMEOUT_MS = 300;
      const steps = Object.keys(MIXED).map((tool) =>
        toolStep(tool, tool === 'slow_body' ? '{ ms = 5000 }' : undefined),
      );
      const { report, elapsedMs } = await runLoad(
        server.url,
        toml({ timeout_ms: TIMEOUT_MS }, ...steps),
        { vus: 4, durationSecs: 2 },
      );
      expect(validateReport(report)).toEqual({ valid: true });
      expect(elapsedMs).toBeLessThan(2000 + TIMEOUT_MS + GRACE_MS);
      const received = server.stats().toolCalls;
      for (const [tool, kind] of Object.entries(MIXED)) {
        const perTool = report.per_tool[tool]!;
        expect(perTool.total_requests, tool).toBeGreaterThan(0);
        expect(perTool.total_requests, tool).toBe(received[tool]);
        const expected = kind === null ? {} : { [kind]: perTool.total_requests };
        expect(nonZero(perTool.errors), tool).toEqual(expected);
      }
      const sum = Object.values(received).reduce((a, b) => a + b, 0);
      expect(report.metrics.total_requests).toBe(sum);
      expect(report.metrics.success_count + report.metrics.error_count).toBe(sum);
      // Each session loss was followed by a new session, except one a VU met as the run was
      // ending (it then finishes instead of re-initializing: virtual-user.ts): at most one per VU.
      const lost = report.errors.session_expired;
      expect(report.handshake.reinitializations).toBeLessThanOrEqual(lost);
      expect(report.handshake.reinitializations).toBeGreaterThanOrEqual(lost - 4);
      expect(lost).toBeGreaterThan(0);
    });
  });
});

describe('a VU that cannot get its session back', () => {
  it('is replaced by a new VU on a new connection, and the churn is counted', async ({
    expect,
  }) => {
    await withServer(async (server) => {
      const handle = startLoad(server.url, toml({ duration_secs: 3 }, toolStep('ok')), { vus: 2 });
      await new Promise((r) => setTimeout(r, 500));
      // Every session is lost (a restart), and the next 6 initializes fail: 3 in a row for each
      // of the 2 VUs.
      await server.stop();
      server.burst(503, 6, 'initialize');
      await server.restart();
      const { report } = await handle.done;
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.handshake.vus_replaced).toBeGreaterThanOrEqual(1);
      // The replacements connected: sessions from the start, plus at least one new one.
      expect(report.handshake.sessions_created).toBeGreaterThanOrEqual(3);
      expect(report.handshake.errors.http).toBe(6);
      // And the load went on after the churn.
      const last = report.timeline[report.timeline.length - 1]!;
      expect(last.requests - last.errors.connection - last.errors.session_expired).toBeGreaterThan(
        0,
      );
      expect(report.stop_reason).toBe('duration');
    });
  });
});
