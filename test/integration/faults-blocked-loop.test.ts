/**
 * A server whose handler busy-waits, blocking its whole event loop (a CPU-bound tool, a sync
 * file read): it accepts connections (the kernel does) but answers nothing meanwhile. The load
 * runs in the CLI's own process, since the fault server blocks this one; the tests run one after
 * the other for the same reason, each with its own server (a blocked server keeps working through
 * the requests the client gave up on: that backlog must not reach the next test).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const GRACE_MS = 1500;

describe('a server whose handler blocks its event loop', () => {
  let server: FaultServer;
  const dirs: string[] = [];
  beforeEach(async () => {
    server = await startFaultServer();
  });
  afterEach(() => server.close());
  afterAll(() => removeProjects(dirs));

  async function run(timeoutMs: number, busyMs: number) {
    const dir = tempProject(
      toml({ timeout_ms: timeoutMs }, toolStep('busy', `{ ms = ${busyMs} }`)),
    );
    dirs.push(dir);
    const reportPath = join(dir, 'report.json');
    const r = await runCli(
      ['run', server.url, '--vus', '2', '--duration', '1.5', '--report', reportPath],
      { cwd: dir },
    );
    return { r, report: readReport(reportPath) };
  }

  it('for longer than timeout_ms: every request a timeout, and the run still ends on time', async () => {
    const TIMEOUT_MS = 300;
    const { r, report } = await run(TIMEOUT_MS, 800);
    expect(r.code).toBe(0);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.metrics.total_requests).toBeGreaterThanOrEqual(2);
    expect(report.errors.timeout).toBe(report.metrics.total_requests);
    // Measured by the CLI itself: this process was blocked by the server meanwhile. Duration,
    // one timeout for the requests in flight, one for the DELETEs to the blocked server, grace.
    expect(report.duration_secs * 1000).toBeLessThan(1500 + 2 * TIMEOUT_MS + GRACE_MS);
    expect(report.stop_reason).toBe('duration');
  });

  it('for less than timeout_ms: latency, not errors', async () => {
    const { r, report } = await run(5000, 100);
    expect(r.code).toBe(0);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.metrics.error_count).toBe(0);
    expect(report.metrics.success_count).toBeGreaterThan(0);
    // Two VUs queue behind one blocked loop: a request waits for its own 100 ms at least.
    expect(report.metrics.latency_uncorrected.p50_ms).toBeGreaterThanOrEqual(100);
    expect(report.metrics.total_requests).toBe(server.stats().toolCalls.busy);
  });
});
