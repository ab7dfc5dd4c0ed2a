/**
 * The action's comparisons, run as the runner runs it (node dist/index.js, INPUT_* variables, the
 * fake GitHub on 127.0.0.1): `baseline` (a report file, as downloaded from the base branch's run)
 * and `baseline-url` (paired A/B mode) put the comparison, with arrows, into the summary and the
 * PR comment, set `regressed`, and fail the step on a regression. The SDK servers' tools answer
 * after a delay plus random jitter, so the noise is real; the slow one is 3× slower. Its verdicts
 * are measurements of timing, so the file runs alone (vitest.config.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { HEAD_SHA, runAction } from '../helpers/run-action.js';
import { removeProjects, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const STEPS = [toolStep('echo', '{ message = "hi" }', 2), toolStep('add', '{ a = 1, b = 2 }', 1)];
/** 10 s: 4 full samples after the warm-up, p = 1/C(8, 4) ≈ 0.014 at complete separation. */
const CONFIG = toml(
  { virtual_users: 8, duration_secs: 10, timeout_ms: 5000, expected_interval_ms: 2000 },
  ...STEPS,
);
const RUNNER_ENV = {
  GITHUB_SHA: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_RUN_ID: '987654321',
};
const RUN_LINK = '[workflow run](https://github.example/owner/repo/actions/runs/987654321)';
const SECRET = 'k3y-base-0123456789';

let fast: FixtureServer;
let slow: FixtureServer;
let github: FakeGitHub;
let dir: string;

beforeAll(async () => {
  // 200–280 ms against 600–840 ms, as in test/integration/cli-compare.alone.test.ts.
  [fast, slow, github] = await Promise.all([
    startSdkServer('stateful-json', { toolDelayMs: 200, toolJitterMs: 80 }),
    startSdkServer('stateful-json', { toolDelayMs: 600, toolJitterMs: 240 }),
    FakeGitHub.start(),
  ]);
  dir = tempProject(CONFIG);
});
afterAll(async () => {
  await Promise.all([fast?.close(), slow?.close(), github?.close()]);
  removeProjects([dir]);
});
beforeEach(() => github.reset());

const readValid = (path: string): Report => {
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  expect(validateReport(report)).toEqual({ valid: true });
  return report;
};

describe('action baseline input', () => {
  it('compares with a baseline report: arrows in the summary and comment, regressed=true, passed=false', async () => {
    const base = await runAction({
      cwd: dir,
      inputs: { url: fast.url, comment: 'false', 'report-dir': 'base' },
    });
    expect(base.code).toBe(0);
    // Nothing was compared: empty, not "false".
    expect(base.outputs.regressed).toBe('');

    const head = await runAction({
      cwd: dir,
      apiUrl: github.url,
      env: RUNNER_ENV,
      inputs: {
        url: slow.url,
        baseline: base.outputs['report-path']!,
        'github-token': 'test-token',
        'report-dir': 'head',
      },
    });
    expect(head.code).toBe(1);
    expect(head.outputs.regressed).toBe('true');
    expect(head.outputs.passed).toBe('false');
    const report = readValid(head.outputs['report-path']!);
    expect(report.comparison?.regressed).toBe(true);
    const [create] = github.callsOf('create');
    const comment = create?.body?.body ?? '';
    for (const text of [head.summary, comment]) {
      expect(text).toContain('### Compared with the baseline');
      expect(text).toContain('❌ **Regression** against the baseline');
      expect(text).toMatch(/\| p99 \| [^|]+ \| [^|]+ \| ↑ [\d.]+% \|/);
      expect(text).toContain(`Commit \`${HEAD_SHA.slice(0, 7)}\``);
      expect(text).toContain(RUN_LINK);
    }
    expect(head.outputs['comment-url']).toMatch(/#issuecomment-\d+$/);
    expect(head.commands.some((c) => c.startsWith('::error title=mcp-loadtest: regression'))).toBe(
      true,
    );
    expect(head.commands.filter((c) => c.startsWith('::error::'))).toEqual([
      expect.stringMatching(/^::error::regression against the baseline: /),
    ]);
  });

  it('fails with one line naming the input when the baseline report is missing, before any load', async () => {
    const r = await runAction({
      cwd: dir,
      inputs: { url: fast.url, comment: 'false', baseline: 'nowhere/base.json' },
    });
    expect(r.code).toBe(1);
    expect(r.outputs.passed).toBe('false');
    expect(r.commands).toEqual([
      expect.stringMatching(
        /^::error::cannot read the report nowhere\/base\.json \(input baseline\): /,
      ),
    ]);
    expect(r.stdout).not.toContain('load-testing');
  });
});

describe('action baseline-url input (paired A/B)', () => {
  it('runs both servers in rounds, shows the comparison, sets regressed, and keeps the baseline URL key secret', async () => {
    const baseUrl = `${fast.url}?key=${SECRET}`;
    const r = await runAction({
      cwd: dir,
      apiUrl: github.url,
      env: RUNNER_ENV,
      inputs: {
        url: slow.url,
        'baseline-url': baseUrl,
        duration: '12',
        rounds: '3',
        'github-token': 'test-token',
        'report-dir': 'paired',
      },
      killAfterMs: 90_000,
    });
    expect(r.code).toBe(1);
    expect(r.outputs.regressed).toBe('true');
    expect(r.outputs.passed).toBe('false');
    const report = readValid(r.outputs['report-path']!);
    expect(report.comparison?.paired).toEqual({ rounds: 3, round_secs: 4, order: 'ABBAAB' });
    expect(report.comparison?.baseline.target_url).toBe(`${fast.url}?key=[redacted]`);
    const p99 = report.comparison!.rows.find((row) => row.metric === 'p99_ms' && !row.scope)!;
    expect(p99).toMatchObject({ regressed: true });
    const comment = github.callsOf('create')[0]?.body?.body ?? '';
    for (const text of [r.summary, comment]) {
      expect(text).toContain('Paired A/B with the baseline server');
      expect(text).toContain('3 rounds of 4 s each, order ABBAAB');
      expect(text).toMatch(/\| p99 \| [^|]+ \| [^|]+ \| ↑ [\d.]+% \|/);
    }
    expect(r.stdout).toContain('::add-mask::' + SECRET);
    const everywhere = [
      r.stdout.replace(`::add-mask::${SECRET}`, ''),
      r.stderr,
      r.summary,
      comment,
      JSON.stringify(r.outputs),
      readFileSync(r.outputs['report-path']!, 'utf8'),
    ];
    for (const text of everywhere) expect(text).not.toContain(SECRET);
  });
});
