/**
 * Threshold gates as a user meets them: the built CLI in a child process, `[thresholds]` in the
 * config and the threshold flags, a real SDK server on 127.0.0.1. Whatever the verdict, the
 * report is written (and valid) and the summary printed before the exit code says it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import {
  closedPort,
  readReport,
  removeProjects,
  reportFiles,
  runCli,
  spawnCli,
  tempProject,
  waitFor,
} from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

/** `echo` answers at once, `slow` after 30 ms: a per-tool p99 of 5 ms fails `slow` only. */
const STEPS = [toolStep('echo', '{ message = "hi" }', 2), toolStep('slow', '{ ms = 30 }', 1)];
const CONFIG = toml({ virtual_users: 2, duration_secs: 5, timeout_ms: 2000 }, ...STEPS);
/** Bounded by steps, not time: quick, and the same mix every run. */
const SHORT = ['--iterations', '24', '--seed', '7'];

describe('mcp-loadtest run with thresholds', () => {
  let server: FixtureServer;
  const dirs: string[] = [];
  const project = (config = CONFIG): string => {
    const dir = tempProject(config);
    dirs.push(dir);
    return dir;
  };
  const validReport = (path: string): Report => {
    const report = readReport(path);
    expect(validateReport(report)).toEqual({ valid: true });
    return report;
  };

  beforeAll(async () => (server = await startSdkServer('stateful-sse')));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it('exits 0 when loose thresholds pass, and records them in the report', async () => {
    const dir = project();
    const reportPath = join(dir, 'report.json');
    const r = await runCli(
      [
        'run',
        server.url,
        ...SHORT,
        '--p99-threshold-ms',
        '10000',
        '--error-rate-threshold',
        '0.5',
        '--min-throughput-rps',
        '0.01',
        '--fail-on-breaking-point',
        '--report',
        reportPath,
      ],
      { cwd: dir },
    );
    expect(r.stderr).not.toContain('threshold failed');
    expect(r.code).toBe(0);
    const report = validReport(reportPath);
    expect(report.thresholds_passed).toBe(true);
    expect(report.thresholds.map((t) => [t.metric, t.limit, t.passed])).toEqual([
      ['p99_ms', 10000, true],
      ['error_rate', 0.5, true],
      ['min_throughput_rps', 0.01, true],
      ['breaking_point', 0, true],
    ]);
    expect(r.stdout).toContain('  thresholds: all 4 passed\n');
  });

  it('exits 1 when a tight p99 fails, after writing the report and printing the summary', async () => {
    const dir = project();
    const r = await runCli(['run', server.url, ...SHORT, '--p99-threshold-ms', '0.001'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    const files = reportFiles(dir);
    expect(files).toHaveLength(1);
    const report = validReport(files[0]!);
    expect(report.thresholds_passed).toBe(false);
    const [p99] = report.thresholds;
    expect(p99).toMatchObject({ metric: 'p99_ms', scope: null, limit: 0.001, passed: false });
    expect(p99?.observed).toBe(report.metrics.latency.p99_ms);
    expect(r.stderr).toContain(
      `threshold failed: p99_ms ${report.metrics.latency.p99_ms} > 0.001 (overall)\n`,
    );
    expect(r.stdout).toContain('  thresholds: 1 of 1 failed\n');
    expect(r.stdout).toMatch(/^ {4}✗ p99_ms\.+: \S+ > 0\.001ms$/m);
    // The verdict comes last: the report path is announced before the failures.
    expect(r.stderr.indexOf('report: ')).toBeLessThan(r.stderr.indexOf('threshold failed'));
    expect(r.stderr).not.toMatch(/^error:/m);
  });

  it('lets a flag loosen a [thresholds] limit of the config', async () => {
    const dir = project(`${CONFIG}\n[thresholds]\np99_ms = 0.001\nerror_rate = 0.5\n`);
    const reportPath = join(dir, 'report.json');
    const strict = await runCli(['run', server.url, ...SHORT, '--report', reportPath], {
      cwd: dir,
    });
    expect(strict.code).toBe(1);
    const loose = await runCli(
      ['run', server.url, ...SHORT, '--p99-threshold-ms', '10000', '--report', reportPath],
      { cwd: dir },
    );
    expect(loose.code).toBe(0);
    expect(validReport(reportPath).thresholds.map((t) => [t.metric, t.limit])).toEqual([
      ['p99_ms', 10000],
      ['error_rate', 0.5],
    ]);
  });

  it('fails a per-tool threshold for its tool only', async () => {
    const dir = project(
      `${CONFIG}\n[thresholds.tools.echo]\np99_ms = 5000\n\n[thresholds.tools.slow]\np99_ms = 5\n`,
    );
    const reportPath = join(dir, 'report.json');
    const r = await runCli(['run', server.url, ...SHORT, '--report', reportPath], { cwd: dir });
    expect(r.code).toBe(1);
    const report = validReport(reportPath);
    const bySlow = report.per_tool.slow!.latency.p99_ms;
    expect(bySlow).toBeGreaterThan(5);
    expect(report.thresholds).toEqual([
      {
        metric: 'p99_ms',
        scope: 'echo',
        limit: 5000,
        observed: report.per_tool.echo!.latency.p99_ms,
        passed: true,
      },
      { metric: 'p99_ms', scope: 'slow', limit: 5, observed: bySlow, passed: false },
    ]);
    expect(r.stderr).toContain(`threshold failed: p99_ms ${bySlow} > 5 (tool slow)\n`);
    expect(r.stderr).not.toContain('(tool echo)');
    expect(r.stderr.match(/threshold failed/g)).toHaveLength(1);
  });

  it('keeps exit code 3 when no session starts, still writing the failed thresholds', async () => {
    const dir = project();
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const reportPath = join(dir, 'report.json');
    const r = await runCli(['run', url, '--p99-threshold-ms', '100', '--report', reportPath], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    const report = validReport(reportPath);
    expect(report.stop_reason).toBe('no_session');
    expect(report.thresholds).toEqual([
      { metric: 'p99_ms', scope: null, limit: 100, observed: null, passed: false },
    ]);
    expect(r.stderr).toContain(
      'threshold failed: p99_ms not measured (no successful request), limit 100 (overall)\n',
    );
    expect(r.stderr).toMatch(/^error: no virtual user could initialize/m);
  });

  it('keeps exit code 130 when interrupted, with the failed thresholds in the report', async () => {
    const dir = project();
    const reportPath = join(dir, 'report.json');
    const before = server.stats().toolCalls.echo ?? 0;
    const cli = spawnCli(
      ['run', server.url, '--p99-threshold-ms', '0.001', '--report', reportPath],
      { cwd: dir },
    );
    await waitFor(
      () => (server.stats().toolCalls.echo ?? 0) > before + 10,
      10_000,
      'the run to start',
    );
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    const report = validReport(reportPath);
    expect(report.stop_reason).toBe('interrupted');
    expect(report.thresholds_passed).toBe(false);
    expect(r.stderr).toMatch(/^threshold failed: p99_ms \S+ > 0\.001 \(overall\)$/m);
  });

  it.each([
    [
      ['--error-rate-threshold', '1.5'],
      'run: --error-rate-threshold must be a number from 0 to 1, got "1.5"',
    ],
    [
      ['--p99-threshold-ms', '0'],
      'run: --p99-threshold-ms must be a number greater than 0 and at most 3600000, got "0"',
    ],
    [
      ['--min-throughput-rps', 'fast'],
      'run: --min-throughput-rps must be a number greater than 0 and at most 10000000, got "fast"',
    ],
  ])('rejects %j with one line and exit code 2, sending nothing', async (flags, message) => {
    const dir = project();
    const r = await runCli(['run', server.url, ...flags], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${message}\n`);
    expect(r.stdout).toBe('');
    expect(reportFiles(dir)).toEqual([]);
  });

  it('rejects a per-tool threshold that names no step, before sending anything', async () => {
    const dir = project(`${CONFIG}\n[thresholds.tools.eho]\np99_ms = 5\n`);
    const r = await runCli(['run', server.url], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: \/.*loadtest\.toml:\d+:1: thresholds\.tools\.eho names no \[\[scenario\]\] step, so it would never be checked \(did you mean "echo"\?\); accepted: .*"echo", "slow"\n$/,
    );
    expect(reportFiles(dir)).toEqual([]);
  });
});
