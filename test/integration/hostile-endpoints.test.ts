/**
 * Whole runs of the built CLI against endpoints that misbehave at the HTTP or SSE level
 * (test/fixtures/hostile-endpoints.ts): each either works as the standards say it should, or
 * fails with a message that says what the server did.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import type { Report } from '../../src/report/types.js';
import { startHostileServer, type HostileServer } from '../fixtures/hostile-endpoints.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const CONFIG = toml({ virtual_users: 2, duration_secs: 1, timeout_ms: 2000 }, toolStep('ok'));

describe('hostile endpoints', () => {
  let server: HostileServer;
  const dirs: string[] = [];
  beforeAll(async () => (server = await startHostileServer()));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  async function run(path: string, config = CONFIG, ...args: string[]) {
    const dir = tempProject(config);
    dirs.push(dir);
    const r = await runCli(['run', `${server.origin}${path}`, '--report', 'r.json', ...args], {
      cwd: dir,
    });
    let report: Report | undefined;
    try {
      report = readReport(join(dir, 'r.json'));
    } catch {
      report = undefined;
    }
    if (report !== undefined) expect(validateReport(report)).toEqual({ valid: true });
    return { ...r, report };
  }

  it('an initialize result without serverInfo still counts as a session in the summary', async () => {
    const r = await run('/no-server-info');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('no session established');
    expect(r.stdout).toContain('server: no serverInfo in its initialize result');
    expect(r.report!.protocol.server_info).toBeNull();
    expect(r.report!.metrics.success_count).toBeGreaterThan(0);
  });

  it('a failed notifications/initialized ends its session: none orphaned, counts reconcile', async () => {
    const before = server.stats();
    const r = await run('/initialized-fails');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('notifications/initialized: HTTP 500: initialized: internal error');
    const after = server.stats();
    const made = after.sessionsMade - before.sessionsMade;
    expect(made).toBeGreaterThan(0);
    expect(after.sessionsDeleted - before.sessionsDeleted).toBe(made);
    const h = r.report!.handshake;
    expect(h.sessions_closed).toBeLessThanOrEqual(h.sessions_created);
    expect(h.success_count + h.error_count).toBe(h.attempts);
  });

  it.for(['/fastmcp', '/perm'])(
    'a same-origin 307/308 (%s) is followed with the body and reported',
    async (path) => {
      const r = await run(path);
      expect(r.code).toBe(0);
      expect(r.report!.metrics.error_count).toBe(0);
      expect(r.report!.metrics.success_count).toBeGreaterThan(0);
      expect(r.report!.protocol.redirect).toEqual({
        status: path === '/fastmcp' ? 307 : 308,
        from: path,
        to: `${path}/`,
      });
      expect(r.stdout).toContain(`redirect: ${path === '/fastmcp' ? 307 : 308} ${path} → ${path}/`);
    },
  );

  it('a 301 is not followed: an http error naming the Location', async () => {
    const r = await run('/moved');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `error: no virtual user could initialize a session with ${server.origin}/moved: HTTP 301 redirect to "/mcp"; only a same-origin 307 or 308 is followed: use the URL it names\n`,
    );
    expect(r.report!.handshake.errors.http).toBeGreaterThan(0);
  });

  it('a 307 to another origin is not followed: an http error naming the Location', async () => {
    const r = await run('/elsewhere');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('HTTP 307 redirect to "http://127.0.0.2:9/mcp"');
  });

  it('103 Early Hints before each answer is skipped, its headers ignored', async () => {
    const r = await run('/early-hints');
    expect(r.code).toBe(0);
    expect(r.report!.metrics.error_count).toBe(0);
    expect(r.report!.metrics.success_count).toBeGreaterThan(0);
  });

  it('an unsolicited 100 Continue before each answer is skipped, not a connection error', async () => {
    const r = await run('/continue');
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.report!.metrics.error_count).toBe(0);
    expect(r.report!.metrics.success_count).toBeGreaterThan(0);
  });

  it('a UTF-8 BOM at the start of an SSE stream is skipped', async () => {
    const r = await run('/bom');
    expect(r.code).toBe(0);
    expect(r.report!.metrics.error_count).toBe(0);
    expect(r.report!.protocol.response_types.sse).toBeGreaterThan(0);
  });

  it('SSE streams left open after the response are reported as linger, cut ones counted', async () => {
    const r = await run('/linger');
    expect(r.code).toBe(0);
    const linger = r.report!.protocol.sse_linger!;
    expect(linger.streams).toBe(r.report!.protocol.response_types.sse);
    expect(linger.cut).toBe(linger.streams);
    expect(linger.mean_ms).toBeGreaterThanOrEqual(200);
    expect(r.stdout).toMatch(
      /sse linger: mean .*, max .* after the response; \d+ of \d+ cut at 250ms$/m,
    );
  });

  it('an SSE stream that ends soon after its response is linger, not cut', async () => {
    const r = await run('/linger-short');
    const linger = r.report!.protocol.sse_linger!;
    expect(linger.streams).toBeGreaterThan(0);
    expect(linger.cut).toBe(0);
    expect(linger.max_ms).toBeLessThan(250);
  });

  it('a JSON endpoint reports no linger', async () => {
    const r = await run('/no-server-info');
    expect(r.report!.protocol.sse_linger).toEqual({
      streams: 0,
      cut: 0,
      total_ms: 0,
      mean_ms: 0,
      max_ms: 0,
    });
  });

  it('a 300 KB SSE line trickling in past timeout_ms ends as a timeout, not much later', async () => {
    // The line takes about 4 s to arrive; timeout_ms is 1 s.
    const config = toml({ virtual_users: 1, duration_secs: 1, timeout_ms: 1000 }, toolStep('ok'));
    const t0 = performance.now();
    const r = await run('/long-line?ms=4000', config);
    const elapsedMs = performance.now() - t0;
    expect(r.report!.errors.timeout).toBeGreaterThan(0);
    expect(r.report!.metrics.success_count).toBe(0);
    // Not a speed assertion: a bound on the timeout itself (1 s run + 1 s timeout + start-up).
    expect(elapsedMs).toBeLessThan(3900);
  });

  it('a 300 KB SSE line in 100-byte chunks within timeout_ms is parsed whole', async () => {
    const config = toml({ virtual_users: 1, duration_secs: 1, timeout_ms: 10_000 }, toolStep('ok'));
    const r = await run('/long-line', config, '--iterations', '3');
    expect(r.code).toBe(0);
    expect(r.report!.metrics.success_count).toBe(3);
  });
});
