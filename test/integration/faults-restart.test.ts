/**
 * The server dies during a run: every VU stays alive through the refused connections, the run
 * ends on time, and when the server comes back (same port, every session forgotten, as after a
 * crash) each VU re-initializes and succeeds again — errors, then recovery, in one report.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startFaultServer } from '../fixtures/fault-server.js';
import { readReport, removeProjects, spawnCli, tempProject, waitFor } from '../helpers/run-cli.js';
import { startLoad, toml, toolStep } from '../helpers/run-load.js';

const GRACE_MS = 1500;

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sum of the error counts of one timeline sample. */
const sampleErrors = (sample: Report['timeline'][number]) =>
  Object.values(sample.errors).reduce((a, b) => a + b, 0);

describe('a server stopped at 2 s and restarted at 3.5 s of an 8 s run with 4 VUs', () => {
  const VUS = 4;
  let report: Report;
  let elapsedMs: number;
  let received: number;

  it('keeps running through the outage and ends on time', async () => {
    const server = await startFaultServer();
    try {
      const load = startLoad(server.url, toml({ timeout_ms: 1000 }, toolStep('ok')), {
        vus: VUS,
        // Long enough after the restart for a 2-second sample with no error in any case: each VU
        // comes back after its refused-connection backoff (up to 2 s, jittered) and a 404.
        durationSecs: 8,
      });
      await sleep(2000);
      await server.stop();
      await sleep(1500);
      await server.restart();
      ({ report, elapsedMs } = await load.done);
      received = server.stats().toolCalls.ok ?? 0;
    } finally {
      await server.close();
    }
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.stop_reason).toBe('duration');
    expect(report.completed).toBe(true);
    expect(elapsedMs).toBeLessThan(8000 + 1000 + GRACE_MS);
  });

  it('counts the outage as connection errors and the lost sessions as session_expired', () => {
    expect(Object.keys(nonZero(report.errors)).sort()).toEqual(['connection', 'session_expired']);
    expect(report.errors.connection).toBeGreaterThan(0);
    // Each VU's first request to the new server carried its old session id: one 404 each.
    expect(report.errors.session_expired).toBeGreaterThanOrEqual(VUS);
  });

  it('re-initializes every VU after the restart, without a failed handshake', () => {
    expect(report.handshake.reinitializations).toBeGreaterThanOrEqual(VUS);
    expect(report.handshake.sessions_created).toBe(VUS + report.handshake.reinitializations);
    expect(report.handshake.error_count).toBe(0);
  });

  it('reconciles with the server: only the requests cut at the stop are unanswered', () => {
    // The server saw every success and every 404; of the connection errors, only the requests
    // in flight when it died (at most one per VU) had reached it — the rest were refused.
    const answered = report.metrics.success_count + report.errors.session_expired;
    expect(received).toBeGreaterThanOrEqual(answered);
    expect(received).toBeLessThanOrEqual(answered + VUS);
    expect(report.metrics.total_requests).toBe(
      report.metrics.success_count + report.metrics.error_count,
    );
  });

  it('shows successes, then errors, then successes only again in the timeline', () => {
    const timeline = report.timeline;
    expect(timeline.length).toBeGreaterThanOrEqual(3);
    const withErrors = timeline.flatMap((sample, i) => (sampleErrors(sample) > 0 ? [i] : []));
    expect(withErrors.length).toBeGreaterThan(0);
    const first = withErrors[0]!;
    const last = withErrors[withErrors.length - 1]!;
    // Before the outage: a sample of successes.
    expect(timeline.slice(0, first).some((s) => s.requests > 0 && sampleErrors(s) === 0)).toBe(
      true,
    );
    // After it: a sample with successes and no error at all.
    const after = timeline.slice(last + 1);
    expect(after.some((s) => s.requests > 0 && sampleErrors(s) === 0)).toBe(true);
    // The samples add up to the run's totals.
    expect(timeline.reduce((sum, s) => sum + s.requests, 0)).toBe(report.metrics.total_requests);
  });
});

describe('mcp-loadtest run against a server that dies for good', () => {
  it('survives the refused connections, ends on time and writes the report (exit 0)', async () => {
    const server = await startFaultServer();
    const dir = tempProject(toml({ timeout_ms: 1000 }, toolStep('ok')));
    try {
      const reportPath = join(dir, 'report.json');
      const cli = spawnCli(
        ['run', server.url, '--vus', '2', '--duration', '2', '--report', reportPath],
        {
          cwd: dir,
        },
      );
      await waitFor(() => (server.stats().toolCalls.ok ?? 0) > 20, 10_000, 'the run to start');
      await server.stop();
      const r = await cli.done;
      expect(r.stderr).not.toMatch(/internal error|AssertionError/);
      expect(r.code).toBe(0);
      const report = readReport(reportPath);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.stop_reason).toBe('duration');
      expect(report.duration_secs).toBeLessThan(2 + 1 + GRACE_MS / 1000);
      expect(nonZero(report.errors)).toEqual({ connection: report.metrics.error_count });
      expect(report.metrics.error_count).toBeGreaterThan(0);
      expect(report.metrics.success_count).toBeGreaterThan(0);
      expect(report.handshake.sessions_closed).toBe(0);
    } finally {
      await server.close();
      removeProjects([dir]);
    }
  });
});
