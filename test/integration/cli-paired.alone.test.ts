/**
 * Paired A/B mode as a user meets it (README "Paired A/B runs"): the built CLI loads a head and a
 * baseline SDK server on 127.0.0.1 in alternating rounds and compares them. The servers' tools
 * answer after a delay plus random jitter, so the noise is real; the slower pair differs only by
 * an injected delay. Its verdicts are measurements of timing, so the file runs alone
 * (vitest.config.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import {
  readReport,
  removeProjects,
  runCli,
  tempProject,
  type CliResult,
} from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';
import { validateJunitXml } from '../helpers/xmllint.js';

/** 4 rounds of 4 s a target: two full 2 s samples each, 8 a side (p ≥ 1/C(16, 8) ≈ 0.00008). */
const RUN_SECS = 16;
const ROUNDS = 4;
const STEPS = [toolStep('echo', '{ message = "hi" }', 2), toolStep('add', '{ a = 1, b = 2 }', 1)];
const CONFIG = toml(
  { virtual_users: 8, duration_secs: RUN_SECS, timeout_ms: 5000, expected_interval_ms: 2000 },
  ...STEPS,
);
/** 100–160 ms: the baseline and its identical twin. */
const BASE = { toolDelayMs: 100, toolJitterMs: 60 };
/** The same server with 150 ms injected into every answer. */
const DELAYED = { toolDelayMs: 250, toolJitterMs: 60 };

describe('mcp-loadtest run --baseline-url (paired A/B)', () => {
  let base: FixtureServer;
  let twin: FixtureServer;
  let delayed: FixtureServer;
  let dir: string;
  let slow: CliResult;
  let same: CliResult;
  const at = (name: string): string => join(dir, name);
  const validReport = (name: string): Report => {
    const report = readReport(at(name));
    expect(validateReport(report)).toEqual({ valid: true });
    return report;
  };

  beforeAll(async () => {
    [base, twin, delayed] = await Promise.all([
      startSdkServer('stateful-json', BASE),
      startSdkServer('stateful-json', BASE),
      startSdkServer('stateful-json', DELAYED),
    ]);
    dir = tempProject(CONFIG);
    const paired = (head: string, name: string): Promise<CliResult> =>
      runCli(
        [
          'run',
          head,
          '--baseline-url',
          base.url,
          '--rounds',
          String(ROUNDS),
          '--no-color',
          '--report',
          at(`${name}.json`),
          '--junit',
          at(`${name}.xml`),
        ],
        // Twice 16 s of load, plus eight rounds' sessions and drains.
        { cwd: dir, killAfterMs: 90_000 },
      );
    [slow, same] = await Promise.all([paired(delayed.url, 'slow'), paired(twin.url, 'same')]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([base?.close(), twin?.close(), delayed?.close()]);
    removeProjects([dir]);
  });

  it('reports a server slowed by an injected delay as a significant p99 regression, naming the tools, and exits 1', () => {
    expect(slow.code).toBe(1);
    const report = validReport('slow.json');
    const c = report.comparison!;
    expect(c.paired).toEqual({ rounds: ROUNDS, round_secs: RUN_SECS / ROUNDS, order: 'ABBAABBA' });
    expect(c.baseline).toMatchObject({ source: null, target_url: base.url });
    expect(c.samples.base).toBeGreaterThanOrEqual(2 * ROUNDS);
    expect(c.samples.head).toBeGreaterThanOrEqual(2 * ROUNDS);
    for (const scope of [null, 'echo', 'add']) {
      const p99 = c.rows.find((r) => r.metric === 'p99_ms' && r.scope === scope)!;
      expect(p99).toMatchObject({ beyond_limit: true, significant: true, regressed: true });
      expect(p99.p_value).toBeLessThan(0.01);
    }
    expect(slow.stdout).toContain(
      `  paired A/B with the baseline ${base.url}: ${ROUNDS} rounds of ${RUN_SECS / ROUNDS}s each, order ABBAABBA`,
    );
    expect(slow.stdout).toMatch(/^ {2}comparison: regression in .*p99 \(overall, echo, add\)/m);
    expect(slow.stderr).toMatch(/^regression: p99 of the whole run \S+ → \S+ \(↑ [\d.]+%/m);
    const xml = readFileSync(at('slow.xml'), 'utf8');
    expect(validateJunitXml(xml).valid).toBe(true);
    expect(xml).toMatch(
      /<testcase name="p99_ms overall \(against the baseline\)"[^>]*>\n\s*<failure /,
    );
  });

  it('measures both targets with the whole duration each, in rounds, and keeps per-tool samples', () => {
    const report = validReport('slow.json');
    const rows = report.comparison!.rows.filter((r) => r.metric === 'throughput_rps');
    expect(rows.every((r) => r.base !== null && r.base > 0)).toBe(true);
    expect(report.config.duration_secs).toBe(RUN_SECS);
    expect(report.metrics.total_requests).toBe(report.timeline.reduce((n, s) => n + s.requests, 0));
    expect(report.timeline.every((s) => s.per_tool !== undefined)).toBe(true);
  });

  it('finds no regression between two identical servers and exits 0', () => {
    expect(same.stderr).not.toContain('regression:');
    expect(same.code).toBe(0);
    const report = validReport('same.json');
    expect(report.comparison?.regressed).toBe(false);
    expect(same.stdout).toMatch(/^ {2}comparison: no regression \(9 limits checked\)$/m);
  });
});

describe('mcp-loadtest run --baseline-url: bad input', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempProject(CONFIG);
  });
  afterAll(() => removeProjects([dir]));

  const refused = async (args: string[], message: string): Promise<void> => {
    const r = await runCli(['run', 'http://127.0.0.1:9/mcp', ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error: ${message}`);
  };

  it('refuses --rounds without --baseline-url', async () => {
    await refused(
      ['--rounds', '4'],
      'run: --rounds applies to a paired run; pass --baseline-url BASE_URL with it',
    );
  });

  it('refuses --baseline with --baseline-url', async () => {
    await refused(
      ['--baseline-url', 'http://127.0.0.1:9/mcp', '--baseline', 'base.json'],
      'run: --baseline and --baseline-url are two ways to compare; pass one of them',
    );
  });

  it('refuses rounds shorter than 4 s, saying how long they would be', async () => {
    await refused(
      ['--baseline-url', 'http://127.0.0.1:9/mcp', '--rounds', '5'],
      'run: --rounds is 5: 16s split into 5 rounds is 3.2s a round, below the 4s a round needs (two 2 s samples); lower the rounds or raise the duration',
    );
  });

  it('refuses a baseline URL that is not http(s)', async () => {
    await refused(
      ['--baseline-url', 'ftp://127.0.0.1/mcp'],
      'run: --baseline-url: URL "ftp://…" uses ftp; only http:// and https:// MCP endpoints (Streamable HTTP) are supported',
    );
  });
});
