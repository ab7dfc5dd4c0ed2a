/**
 * The sticky PR comment, as GitHub runs the action on pull_request events: the built action
 * (node dist/index.js) against the demo server, talking to a local fake of GitHub's
 * issue-comments REST API that records every call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { DEMO_CONFIG, PR_NUMBER, runAction, type ActionOptions } from '../helpers/run-action.js';
import { removeProjects, tempProject } from '../helpers/run-cli.js';

let demo: DemoServer;
let github: FakeGitHub;
let cwd: string;

beforeAll(async () => {
  demo = await startDemoServer();
  github = await FakeGitHub.start();
  cwd = tempProject(DEMO_CONFIG);
});

afterAll(async () => {
  await demo.close();
  await github.close();
  removeProjects([cwd]);
});

beforeEach(() => github.reset());

function run(inputs: Record<string, string> = {}, options: Partial<ActionOptions> = {}) {
  return runAction({
    cwd,
    apiUrl: github.url,
    inputs: { url: demo.url, iterations: '200', 'github-token': 'test-token', ...inputs },
    ...options,
  });
}

const DEFAULT_MARKER = '<!-- mcp-loadtest:default -->';

describe('sticky PR comment', () => {
  it('creates one comment on the first run, with the job summary as its body', async () => {
    const result = await run();
    expect(result.code).toBe(0);
    expect(github.callsOf('list')).toHaveLength(1);
    const [create] = github.callsOf('create');
    expect(create?.path).toBe(`/repos/owner/repo/issues/${PR_NUMBER}/comments`);
    expect(create?.authorization).toBe('token test-token');
    expect(create?.body?.body).toBe(result.summary);
    expect(result.summary.startsWith(`${DEFAULT_MARKER}\n`)).toBe(true);
    expect(github.commentsOn(PR_NUMBER)).toHaveLength(1);
    expect(github.callsOf('update')).toEqual([]);
  });

  it('updates the same comment on the second run instead of adding one', async () => {
    await run();
    const [first] = github.commentsOn(PR_NUMBER);
    const second = await run({ 'p99-threshold-ms': '60000' });
    expect(second.code).toBe(0);
    expect(github.callsOf('create')).toHaveLength(1);
    const [update] = github.callsOf('update');
    expect(update?.path).toBe(`/repos/owner/repo/issues/comments/${first!.id}`);
    expect(github.commentsOn(PR_NUMBER)).toHaveLength(1);
    expect(github.commentsOn(PR_NUMBER)[0]!.body).toBe(second.summary);
    expect(second.summary).toContain('✅ **Passed:** all 1 thresholds met');
  });

  it('creates a second comment for a different comment-key', async () => {
    await run();
    const matrix = await run({ 'comment-key': 'node-24' });
    expect(matrix.code).toBe(0);
    const bodies = github.commentsOn(PR_NUMBER).map((c) => c.body.split('\n', 2).join('\n'));
    expect(bodies).toEqual([
      `${DEFAULT_MARKER}\n## mcp-loadtest`,
      '<!-- mcp-loadtest:node-24 -->\n## mcp-loadtest · node-24',
    ]);
    // Running the matrix job again updates its own comment only.
    await run({ 'comment-key': 'node-24' });
    expect(github.commentsOn(PR_NUMBER)).toHaveLength(2);
    expect(github.callsOf('update')).toHaveLength(1);
  });

  it('finds the marker on page 2 of 3, asking 100 comments per page', async () => {
    const others = (n: number): string[] =>
      Array.from({ length: n }, (_, i) => `LGTM ${i} <!-- mcp-loadtest:default --> quoted`);
    github.seed(PR_NUMBER, others(150));
    const [ours] = github.seed(PR_NUMBER, [`${DEFAULT_MARKER}\nold results`]);
    github.seed(PR_NUMBER, others(99));
    const result = await run();
    expect(result.code).toBe(0);
    const lists = github.callsOf('list');
    expect(lists.map((c) => c.query)).toEqual([
      { per_page: '100' },
      { per_page: '100', page: '2' },
    ]);
    expect(github.callsOf('update').map((c) => c.path)).toEqual([
      `/repos/owner/repo/issues/comments/${ours!.id}`,
    ]);
    expect(github.callsOf('create')).toEqual([]);
    expect(github.commentsOn(PR_NUMBER)).toHaveLength(250);
  });

  it('follows every page when the marker is nowhere, then creates the comment', async () => {
    github.seed(
      PR_NUMBER,
      Array.from({ length: 230 }, (_, i) => `comment ${i}`),
    );
    await run();
    expect(github.callsOf('list')).toHaveLength(3);
    expect(github.callsOf('create')).toHaveLength(1);
  });

  it('warns naming pull-requests: write on a 403, and passes when the thresholds pass', async () => {
    github.failWith = { create: 403 };
    const result = await run({ 'p99-threshold-ms': '60000' });
    expect(result.code).toBe(0);
    const warning = result.commands.find((c) => c.startsWith('::warning::'));
    expect(warning).toContain('HTTP 403');
    expect(warning).toContain('`permissions: pull-requests: write`');
    expect(warning).toContain('forks');
    expect(result.summary).toContain('✅ **Passed:**');
  });

  it('warns on a 403 and still fails when a threshold fails: the gate decides', async () => {
    github.failWith = { list: 403 };
    const result = await run({ 'p99-threshold-ms': '0.001' });
    expect(result.code).toBe(1);
    expect(result.commands).toContainEqual(expect.stringContaining('pull-requests: write'));
    expect(result.commands[result.commands.length - 1]).toMatch(
      /^::error::1 of 1 thresholds failed: p99_ms /,
    );
  });

  it('makes no call when comment is false', async () => {
    const result = await run({ comment: 'false' });
    expect(result.code).toBe(0);
    expect(github.calls).toEqual([]);
  });

  it('comments on pull_request_target events too', async () => {
    const result = await run({}, { event: 'pull_request_target' });
    expect(result.code).toBe(0);
    expect(github.callsOf('create')).toHaveLength(1);
  });
});
