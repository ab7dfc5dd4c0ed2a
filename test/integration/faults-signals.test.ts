/**
 * Nothing lost against servers that never answer: SIGINT, SIGTERM, an --iterations budget, or the
 * handshake's own timeout end the run within timeout_ms + a grace, and a valid report is always
 * written, with counts that match what the server received. (cli-signals.test.ts covers the same
 * signals against servers that do answer.)
 *
 * The tests are concurrent: each mostly waits on a stalled server, so they overlap well.
 */
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startFaultServer, startSilentServer } from '../fixtures/fault-server.js';
import {
  readReport,
  removeProjects,
  spawnCli,
  tempProject,
  waitFor,
  type CliHandle,
} from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

/** Process exit, the closing DELETEs, schema check and fsync of the report, on a busy machine. */
const GRACE_MS = 2500;

const dirs: string[] = [];
afterAll(() => removeProjects(dirs));

function project(timeoutMs: number, tool = 'stall'): { dir: string; reportPath: string } {
  const dir = tempProject(toml({ timeout_ms: timeoutMs, virtual_users: 2 }, toolStep(tool)));
  dirs.push(dir);
  return { dir, reportPath: join(dir, 'report.json') };
}

/** Sends `signal` and resolves with the result and the time from the signal to the exit. */
async function signalAndWait(cli: CliHandle, signal: NodeJS.Signals) {
  const signalledAt = performance.now();
  cli.child.kill(signal);
  const r = await cli.done;
  return { r, afterSignalMs: performance.now() - signalledAt };
}

describe.concurrent('a server whose tools never answer', () => {
  const TIMEOUT_MS = 1500;

  it.for(['SIGINT', 'SIGTERM'] as const)(
    '%s: exits 130 within timeout + grace, the stalled requests counted as timeouts',
    async (signal, { expect }) => {
      const server = await startFaultServer();
      try {
        const { dir, reportPath } = project(TIMEOUT_MS);
        const cli = spawnCli(['run', server.url, '--duration', '30', '--report', reportPath], {
          cwd: dir,
        });
        await waitFor(() => (server.stats().toolCalls.stall ?? 0) >= 2, 10_000, 'both VUs');
        const { r, afterSignalMs } = await signalAndWait(cli, signal);
        expect(r.code).toBe(130);
        expect(afterSignalMs).toBeLessThan(TIMEOUT_MS + GRACE_MS);
        const report = readReport(reportPath);
        expect(validateReport(report)).toEqual({ valid: true });
        expect(report.completed).toBe(false);
        expect(report.stop_reason).toBe('interrupted');
        // Drained, not dropped: every request the server received is in the report.
        expect(report.metrics.total_requests + report.metrics.in_flight_at_stop).toBe(
          server.stats().toolCalls.stall,
        );
        expect(report.errors.timeout).toBe(report.metrics.total_requests);
        expect(report.handshake.sessions_closed).toBe(2);
      } finally {
        await server.close();
      }
    },
  );

  it('--iterations ends the run when its budget is spent, each request a timeout', async ({
    expect,
  }) => {
    const server = await startFaultServer();
    try {
      const { dir, reportPath } = project(300);
      const r = await spawnCli(
        ['run', server.url, '--iterations', '6', '--duration', '30', '--report', reportPath],
        { cwd: dir },
      ).done;
      expect(r.code).toBe(0);
      const report = readReport(reportPath);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.stop_reason).toBe('iterations');
      expect(report.completed).toBe(true);
      expect(report.metrics.total_requests).toBe(6);
      expect(report.errors.timeout).toBe(6);
      expect(server.stats().toolCalls.stall).toBe(6);
      // Three rounds of 300 ms timeouts for 2 VUs, not 30 s.
      expect(report.duration_secs).toBeLessThan((3 * 300 + GRACE_MS) / 1000);
    } finally {
      await server.close();
    }
  });

  it('SIGINT during an --iterations run stops it as interrupted', async ({ expect }) => {
    const server = await startFaultServer();
    try {
      const { dir, reportPath } = project(TIMEOUT_MS);
      const cli = spawnCli(
        ['run', server.url, '--iterations', '1000', '--duration', '30', '--report', reportPath],
        { cwd: dir },
      );
      await waitFor(() => (server.stats().toolCalls.stall ?? 0) >= 2, 10_000, 'both VUs');
      const { r, afterSignalMs } = await signalAndWait(cli, 'SIGINT');
      expect(r.code).toBe(130);
      expect(afterSignalMs).toBeLessThan(TIMEOUT_MS + GRACE_MS);
      const report = readReport(reportPath);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.stop_reason).toBe('interrupted');
      expect(report.config.iterations).toBe(1000);
      expect(report.metrics.total_requests).toBe(server.stats().toolCalls.stall);
    } finally {
      await server.close();
    }
  });
});

describe.concurrent('a server that never answers at all (not even initialize)', () => {
  it('ends by itself as no_session, exit 3, once every handshake has timed out', async ({
    expect,
  }) => {
    const server = await startSilentServer();
    try {
      const { dir, reportPath } = project(500, 'ok');
      const r = await spawnCli(['run', server.url, '--duration', '30', '--report', reportPath], {
        cwd: dir,
      }).done;
      expect(r.code).toBe(3);
      // Era detection's probe (server/discover) waits one timeout before the VUs' handshakes do.
      expect(r.elapsedMs).toBeLessThan(2 * 500 + GRACE_MS);
      expect(r.stderr).toContain(
        `error: no virtual user could initialize a session with ${server.url}: no complete response within 500 ms`,
      );
      const report = readReport(reportPath);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.stop_reason).toBe('no_session');
      expect(report.metrics.total_requests).toBe(0);
      // Each VU timed out at least once; one may have started a retry before the end.
      expect(report.handshake.attempts).toBeGreaterThanOrEqual(2);
      expect(report.handshake.errors.timeout).toBe(report.handshake.attempts);
    } finally {
      await server.close();
    }
  });

  it.for(['SIGINT', 'SIGTERM'] as const)(
    '%s while initialize stalls: a report within timeout + grace, exit 130 or 3',
    async (signal, { expect }) => {
      const TIMEOUT_MS = 2000;
      const server = await startSilentServer();
      try {
        const { dir, reportPath } = project(TIMEOUT_MS, 'ok');
        const cli = spawnCli(['run', server.url, '--duration', '30', '--report', reportPath], {
          cwd: dir,
        });
        // Both VUs connected: the run has started, so the CLI's signal handlers are in place.
        await waitFor(() => server.connections() >= 2, 10_000, 'both VUs to connect');
        const { r, afterSignalMs } = await signalAndWait(cli, signal);
        expect(afterSignalMs).toBeLessThan(TIMEOUT_MS + GRACE_MS);
        const report = readReport(reportPath);
        expect(validateReport(report)).toEqual({ valid: true });
        expect(report.completed).toBe(false);
        // Either reading is truthful: the user stopped it, and no VU ever had a session.
        expect(['interrupted', 'no_session']).toContain(report.stop_reason);
        expect(r.code).toBe(report.stop_reason === 'interrupted' ? 130 : 3);
        expect(report.metrics.total_requests).toBe(0);
      } finally {
        await server.close();
      }
    },
  );
});
