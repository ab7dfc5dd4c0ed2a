/**
 * The action under the runtime action.yml declares (`runs.using: node24`), not only the Node 20
 * the suite runs on: the bundle's ESM, top-level await, undici and @actions/* must all load and
 * work there. The binary comes from test/helpers/node24.ts; this test never skips.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { node24Binary } from '../helpers/node24.js';
import { DEMO_CONFIG, PR_NUMBER, runAction } from '../helpers/run-action.js';
import { removeProjects, tempProject } from '../helpers/run-cli.js';

let demo: DemoServer;
let github: FakeGitHub;
let node24: string;
const projects: string[] = [];

beforeAll(async () => {
  node24 = node24Binary();
  demo = await startDemoServer();
  github = await FakeGitHub.start();
}, 300_000);

afterAll(async () => {
  await demo?.close();
  await github?.close();
  removeProjects(projects);
});

describe('the action on Node 24', () => {
  it('declares node24 in action.yml', () => {
    const actionYml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
    expect(actionYml).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js\n/m);
  });

  it('has a Node 24 binary to run it with', () => {
    expect(execFileSync(node24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  });

  it('runs a gated load test, writes outputs and summary, and creates the PR comment', async () => {
    const cwd = tempProject(DEMO_CONFIG);
    projects.push(cwd);
    const inputs = {
      url: demo.url,
      iterations: '200',
      'github-token': 'test-token',
      'p99-threshold-ms': '60000',
    };
    const result = await runAction({ cwd, apiUrl: github.url, node: node24, inputs });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs.passed).toBe('true');
    expect(result.outputs['total-requests']).toBe('200');
    expect(result.summary).toContain('✅ **Passed:** all 1 thresholds met');
    expect(github.commentsOn(PR_NUMBER).map((c) => c.body)).toEqual([result.summary]);
  });

  it('runs the load on two worker threads (dist/worker.js beside dist/index.js)', async () => {
    const cwd = tempProject(DEMO_CONFIG);
    projects.push(cwd);
    const inputs = { url: demo.url, iterations: '200', workers: '2', comment: 'false' };
    const result = await runAction({ cwd, apiUrl: github.url, node: node24, inputs });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('note: 2 worker threads');
    expect(result.outputs['total-requests']).toBe('200');
  });

  it('fails the step on a tight threshold', async () => {
    const cwd = tempProject(DEMO_CONFIG);
    projects.push(cwd);
    const inputs = { url: demo.url, iterations: '200', 'p99-threshold-ms': '0.001' };
    const result = await runAction({ cwd, event: 'push', node: node24, inputs });
    expect(result.code).toBe(1);
    expect(result.outputs.passed).toBe('false');
    expect(result.commands[result.commands.length - 1]).toMatch(
      /^::error::1 of 1 thresholds failed: p99_ms [\d.]+ > 0\.001 \(overall\)$/,
    );
  });
});
