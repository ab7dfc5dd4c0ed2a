/**
 * The baseline comparison as a user meets it, on real runs: the built CLI against SDK servers on
 * 127.0.0.1 whose tools answer after a delay plus random jitter (so run-to-run noise is real),
 * `run --baseline` and `compare` on the reports those runs wrote. An A/A pair (the same server
 * twice) is no regression; a server 3× slower is a p99 regression naming each tool.
 *
 * The three reports the verdicts rest on (base, a second run of the same server, the slower
 * server) come from runs made side by side: on a shared machine whose load changes from one minute
 * to the next, runs made one after the other differ for that reason too (README "Comparing runs"),
 * and the A/A verdict would then test the machine, not the comparison. Its verdicts are
 * measurements of timing, so the file runs alone (vitest.config.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';
import { validateJunitXml } from '../helpers/xmllint.js';

/** 5 full 2 s samples a run, 4 without the warm-up: p = 1/C(8,4) ≈ 0.014 at complete separation. */
const RUN_SECS = 10;
const STEPS = [toolStep('echo', '{ message = "hi" }', 2), toolStep('add', '{ a = 1, b = 2 }', 1)];
/**
 * expected_interval_ms above the servers' service times (README "What is measured"): the
 * coordinated-omission correction then fills in only for real stalls, not for every request.
 */
const CONFIG = toml(
  { virtual_users: 8, duration_secs: RUN_SECS, timeout_ms: 5000, expected_interval_ms: 2000 },
  ...STEPS,
);

describe('mcp-loadtest compare and run --baseline', () => {
  let fast: FixtureServer;
  let slow: FixtureServer;
  let dir: string;
  const at = (name: string): string => join(dir, name);
  const validReport = (name: string): Report => {
    const report = readReport(at(name));
    expect(validateReport(report)).toEqual({ valid: true });
    return report;
  };

  beforeAll(async () => {
    // 200–280 ms against 600–840 ms: every tool 3× slower, each answer with its own jitter. Long
    // enough that the load generator's own CPU time and a busy machine's scheduling stalls are a
    // small part of each request, so the p99 reflects the server rather than the machine.
    fast = await startSdkServer('stateful-json', { toolDelayMs: 200, toolJitterMs: 80 });
    slow = await startSdkServer('stateful-json', { toolDelayMs: 600, toolJitterMs: 240 });
    dir = tempProject(CONFIG);
    const runs = await Promise.all(
      [
        [fast.url, 'base.json'],
        [fast.url, 'aa.json'],
        [slow.url, 'slow.json'],
      ].map(([url, report]) => runCli(['run', url!, '-q', '--report', at(report!)], { cwd: dir })),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
  });
  afterAll(async () => {
    await Promise.all([fast?.close(), slow?.close()]);
    removeProjects([dir]);
  });

  it('finds no regression between two runs of the same server (A/A)', async () => {
    const r = await runCli(['compare', 'base.json', 'aa.json', '--no-color'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  compared with base.json (');
    expect(r.stdout).toMatch(/^ {2}comparison: no regression \(9 limits checked\)$/m);
  });

  it('calls a server 3× slower a p99 regression naming each tool, in the table, --markdown and --quiet', async () => {
    const compared = await runCli(['compare', 'base.json', 'slow.json', '--no-color'], {
      cwd: dir,
    });
    expect(compared.code).toBe(1);
    expect(compared.stdout).toMatch(/^ {2}comparison: regression in .*p99 \(overall, echo, add\)/m);
    expect(compared.stdout).toMatch(/^ {4}p99 .*↑ [\d.]+% .*✗ regression$/m);
    expect(compared.stderr).toMatch(
      /^regression: p99 of echo \S+ → \S+ \(↑ [\d.]+%, limit ≤ \+15%, p [\d.<]+\)$/m,
    );
    expect(compared.stderr).toMatch(/^regression: p99 of add /m);

    const markdown = await runCli(['compare', 'base.json', 'slow.json', '--markdown'], {
      cwd: dir,
    });
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toMatch(
      /^❌ \*\*Regression\*\* against the baseline: .*p99 of all requests ↑/m,
    );
    expect(markdown.stdout).toMatch(
      /^\| <code>echo<\/code> \| p99 \| .* \| ↑ [\d.]+% \| .* \| ❌ \|$/m,
    );

    const quiet = await runCli(['compare', 'base.json', 'slow.json', '-q', '--no-color'], {
      cwd: dir,
    });
    expect(quiet.code).toBe(1);
    expect(quiet.stdout.trim().split('\n')).toHaveLength(1);
    expect(quiet.stdout).toContain('p99 (overall, echo, add)');
  });

  it('run --baseline against the 3× slower server exits 1 after the report, summary and JUnit say why', async () => {
    const args = ['--report', at('slow2.json'), '--junit', at('slow2.xml'), '--no-color'];
    const r = await runCli(['run', slow.url, '-q', '--baseline', 'base.json', ...args], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    const report = validReport('slow2.json');
    expect(report.comparison?.baseline.source).toBe('base.json');
    // Made after the others, this run meets whatever else the machine is doing by then, so the
    // per-tool p99 verdicts are left to the side-by-side test above; a third of the throughput is
    // a regression under any noise.
    const rows = report.comparison!.rows;
    const throughput = rows.find((row) => row.metric === 'throughput_rps' && row.scope === null);
    expect(throughput?.regressed).toBe(true);
    expect(report.thresholds_passed).toBe(true); // the comparison alone failed the gate
    const regressed = rows.filter((row) => row.regressed);
    expect(r.stderr.match(/^regression: /gm)).toHaveLength(regressed.length);
    expect(r.stderr).toMatch(
      /^regression: throughput of the whole run \S+ → \S+ \(↓ [\d.]+%, limit ≥ 90%, p [\d.<]+\)$/m,
    );
    expect(r.stdout).toMatch(/^ {2}comparison: regression in throughput \(overall/m);
    // The verdict comes last: the report is announced before the regressions.
    expect(r.stderr.indexOf('report: ')).toBeLessThan(r.stderr.indexOf('regression:'));
    const xml = readFileSync(at('slow2.xml'), 'utf8');
    expect(validateJunitXml(xml).valid).toBe(true);
    expect(xml).toContain(
      `<testsuite name="mcp-loadtest comparison" tests="9" failures="${regressed.length}"`,
    );
    expect(xml).toMatch(
      /<testcase name="throughput_rps overall \(against the baseline\)"[^>]*>\n\s*<failure /,
    );
  });

  it('run --baseline within the limits exits 0 with the comparison in the report, summary and JUnit', async () => {
    // One run after the others shares the machine with other work, not with them: a loose limit
    // keeps this about the plumbing; the A/A verdict itself is tested on side-by-side runs above.
    const args = ['--report', at('aa2.json'), '--junit', at('aa2.xml'), '--no-color'];
    const r = await runCli(
      ['run', fast.url, '-q', '--baseline', 'base.json', '--max-regression', '2', ...args],
      { cwd: dir },
    );
    expect(r.stderr).not.toContain('regression:');
    expect(r.code).toBe(0);
    const report = validReport('aa2.json');
    expect(report.comparison?.regressed).toBe(false);
    expect(report.comparison?.samples.base).toBeGreaterThanOrEqual(3);
    expect(r.stdout).toMatch(/^ {2}comparison: no regression \(9 limits checked\)$/m);
    const xml = readFileSync(at('aa2.xml'), 'utf8');
    expect(validateJunitXml(xml).valid).toBe(true);
    expect(xml).toContain('<testsuite name="mcp-loadtest comparison" tests="9" failures="0"');
  });

  it('lets a loose --max-regression pass the slower server on p99 and throughput', async () => {
    // 3× slower is +200% p99 and a throughput of 1/3: R = 3 allows up to +300% and 1/4.
    const r = await runCli(['compare', 'base.json', 'slow.json', '--max-regression', '3'], {
      cwd: dir,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('warns about steps only one run measured and lists them', async () => {
    const other = tempProject(
      toml(
        { virtual_users: 2, duration_secs: 2, timeout_ms: 5000 },
        STEPS[0]!,
        toolStep('slow', '{ ms = 1 }'),
      ),
    );
    try {
      const run = await runCli(['run', fast.url, '-q', '--report', join(other, 'other.json')], {
        cwd: other,
      });
      expect(run.code).toBe(0);
      const r = await runCli(['compare', at('base.json'), join(other, 'other.json'), '-q'], {
        cwd: dir,
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        `warning: the runs measured different steps, compared only the shared ones (only in ${at('base.json')}: add; only in ${join(other, 'other.json')}: slow)`,
      );
    } finally {
      removeProjects([other]);
    }
  });

  it('exits 2 with one line for a report that is missing, not JSON, or not a report', async () => {
    writeFileSync(at('text.json'), 'not json');
    writeFileSync(at('other.json'), '{"hello": 1}');
    const cases: [string, string][] = [
      [
        'missing.json',
        'error: cannot read the report missing.json: no such file; accepted: a JSON report written by mcp-loadtest run (schema_version 1.2)\n',
      ],
      [
        'text.json',
        'error: text.json is not JSON; accepted: a JSON report written by mcp-loadtest run (schema_version 1.2)\n',
      ],
      [
        'other.json',
        'error: other.json is not an mcp-loadtest report: /schema_version is required; /timestamp is required; accepted: ',
      ],
    ];
    for (const [file, message] of cases) {
      const r = await runCli(['compare', 'base.json', file], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr.startsWith(message)).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const run = await runCli(['run', fast.url, '--baseline', 'missing.json', '--no-report'], {
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: cannot read the report missing.json: no such file');
  });
});
