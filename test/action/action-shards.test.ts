/**
 * A sharded load in a matrix, as GitHub runs it: the built action (node dist/index.js) with the
 * `shard` input in two jobs against one demo server, their reports laid out as
 * actions/download-artifact leaves them (one directory per artifact), then the fan-in job with
 * `merge-reports`, talking to a local fake of GitHub's issue-comments API.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import type { Report } from '../../src/report/types.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { DEMO_CONFIG, PR_NUMBER, runAction } from '../helpers/run-action.js';
import { removeProjects, tempProject } from '../helpers/run-cli.js';

let demo: DemoServer;
let github: FakeGitHub;
const projects: string[] = [];

beforeAll(async () => {
  demo = await startDemoServer();
  github = await FakeGitHub.start();
});

afterAll(async () => {
  await demo.close();
  await github.close();
  removeProjects(projects);
});

beforeEach(() => github.reset());

/** Six VUs, so three shards each get two. */
const SHARDED_CONFIG = DEMO_CONFIG.replace('virtual_users = 2', 'virtual_users = 6');

function project(): string {
  const cwd = tempProject(SHARDED_CONFIG);
  projects.push(cwd);
  return cwd;
}

function runShard(cwd: string, shard: string, inputs: Record<string, string> = {}) {
  return runAction({
    cwd,
    apiUrl: github.url,
    inputs: {
      url: demo.url,
      iterations: '301',
      shard,
      'report-dir': `shard-reports/loadtest-shard-${shard.split('/')[0]}`,
      'github-token': 'test-token',
      ...inputs,
    },
  });
}

function runMerge(cwd: string, inputs: Record<string, string> = {}) {
  return runAction({
    cwd,
    apiUrl: github.url,
    inputs: {
      'merge-reports': 'shard-reports/**/*.json',
      'report-dir': 'merged',
      'github-token': 'test-token',
      ...inputs,
    },
  });
}

const readReport = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;

describe('shard input', () => {
  it('runs its part of the iterations, records the shard and posts no PR comment', async () => {
    const cwd = project();
    const first = await runShard(cwd, '1/2');
    const second = await runShard(cwd, '2/2');
    expect([first.code, second.code]).toEqual([0, 0]);
    const reports = [first, second].map((r) => readReport(r.outputs['report-path']!));
    expect(reports.map((r) => r.shard)).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    // 301 iterations over 2 shards: 151 and 150, the remainder to the first.
    expect(reports.map((r) => r.metrics.total_requests)).toEqual([151, 150]);
    expect(first.stdout).toContain('no PR comment: this job is shard 1/2');
    expect(github.calls).toEqual([]);
  });

  it('warns instead of failing when its part misses a threshold', async () => {
    const result = await runShard(project(), '1/2', { 'p99-threshold-ms': '0.001' });
    expect(result.code).toBe(0);
    expect(result.outputs.passed).toBe('false');
    const warning = result.commands.find((c) => c.includes('not failing the step'));
    expect(warning).toMatch(/^::warning::1 of 1 thresholds failed: .*shard 1\/2 is one part/);
  });
});

describe('merge-reports input', () => {
  it('merges the downloaded shard reports into one report and one PR comment', async () => {
    const cwd = project();
    const before = demo.stats().toolCalls.add ?? 0;
    for (const shard of ['1/3', '2/3', '3/3']) expect((await runShard(cwd, shard)).code).toBe(0);
    const sent = (demo.stats().toolCalls.add ?? 0) - before;
    expect(github.calls).toEqual([]);

    const merged = await runMerge(cwd, { 'p99-threshold-ms': '60000' });
    expect(merged.code).toBe(0);
    const report = readReport(merged.outputs['report-path']!);
    expect(merged.outputs['report-path']!.startsWith(join(cwd, 'merged'))).toBe(true);
    expect(report.merged_shards).toBe(3);
    expect(report.metrics.total_requests).toBe(301);
    expect(report.metrics.total_requests).toBe(sent);
    expect(merged.outputs['total-requests']).toBe('301');
    expect(merged.outputs.passed).toBe('true');
    expect(report.thresholds.map((t) => [t.metric, t.limit, t.passed])).toEqual([
      ['p99_ms', 60000, true],
    ]);
    const [create] = github.callsOf('create');
    expect(create?.path).toBe(`/repos/owner/repo/issues/${PR_NUMBER}/comments`);
    expect(create?.body?.body).toBe(merged.summary);
    expect(github.commentsOn(PR_NUMBER)).toHaveLength(1);
    expect(merged.stdout).toContain('mcp-loadtest: merging 3 shard reports: ');
  });

  it('fails the step when a threshold fails on the merged figures', async () => {
    const cwd = project();
    for (const shard of ['1/2', '2/2']) expect((await runShard(cwd, shard)).code).toBe(0);
    const merged = await runMerge(cwd, { 'p99-threshold-ms': '0.001', comment: 'false' });
    expect(merged.code).toBe(1);
    expect(merged.outputs.passed).toBe('false');
    expect(merged.commands.find((c) => c.startsWith('::error::'))).toMatch(
      /^::error::1 of 1 thresholds failed: /,
    );
  });

  it('refuses a set with a shard missing, in one line naming the shards', async () => {
    const cwd = project();
    for (const shard of ['1/3', '3/3']) expect((await runShard(cwd, shard)).code).toBe(0);
    const merged = await runMerge(cwd, { comment: 'false' });
    expect(merged.code).toBe(1);
    const error = merged.commands.find((c) => c.startsWith('::error::'));
    expect(error).toBe(
      "::error::merge: shard 2 of 3 missing: a merge needs every shard's report (got 2)",
    );
    expect(merged.outputs.passed).toBe('false');
  });

  it('fails with one line when the glob matches no file', async () => {
    const merged = await runMerge(project(), { comment: 'false' });
    expect(merged.code).toBe(1);
    expect(merged.commands.find((c) => c.startsWith('::error::'))).toMatch(
      /^::error::input merge-reports matched no file: "shard-reports\/\*\*\/\*\.json" \(in working-directory \/.+\); accepted: a glob of the shard reports \(run with the shard input\), e\.g\. shard-reports\/\*\*\/\*\.json$/,
    );
  });

  it('names a file that is not a report, relative to working-directory', async () => {
    const cwd = project();
    mkdirSync(join(cwd, 'shard-reports', 'x'), { recursive: true });
    writeFileSync(join(cwd, 'shard-reports', 'x', 'notes.json'), '{"not": "a report"}');
    const merged = await runMerge(cwd, { comment: 'false' });
    expect(merged.code).toBe(1);
    expect(merged.commands.find((c) => c.startsWith('::error::'))).toMatch(
      /^::error::merge: shard-reports\/x\/notes\.json is not an mcp-loadtest report: /,
    );
  });
});
