/**
 * The action says what happened on every path, run as the runner runs it (node dist/index.js,
 * INPUT_* variables, the fake GitHub on 127.0.0.1): `passed` is "false" whenever the step fails
 * (unreachable URL, cancelled run), a run with errors and no threshold is never a pass, a key in
 * the URL's query string reaches no output, and the summary and comment name the commit and
 * link the workflow run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { DEMO_CONFIG, HEAD_SHA, PR_NUMBER, runAction } from '../helpers/run-action.js';
import { closedPort, removeProjects, tempProject } from '../helpers/run-cli.js';

let demo: DemoServer;
let failing: DemoServer;
let github: FakeGitHub;
const projects: string[] = [];

beforeAll(async () => {
  demo = await startDemoServer();
  failing = await startDemoServer({ errorRate: 1 });
  github = await FakeGitHub.start();
});

afterAll(async () => {
  await demo.close();
  await failing.close();
  await github.close();
  removeProjects(projects);
});

beforeEach(() => github.reset());

function project(config: string | null = DEMO_CONFIG): string {
  const dir = tempProject(config ?? undefined);
  projects.push(dir);
  return dir;
}

const RUNNER_ENV = {
  GITHUB_SHA: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_RUN_ID: '987654321',
};

describe('action verdict on every path', () => {
  it('sets passed=false and an empty error-rate for an unreachable URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: { url, iterations: '50' },
    });
    expect(result.code).toBe(1);
    expect(result.outputs.passed).toBe('false');
    expect(result.outputs['error-rate']).toBe('');
    expect(result.outputs['total-requests']).toBe('0');
  });

  it('sets passed=false for a bad input, before any load', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: { url: demo.url, vus: 'many' },
    });
    expect(result.code).toBe(1);
    expect(result.outputs).toEqual({ passed: 'false' });
  });

  it('sets passed=false for a run cancelled by SIGINT, after writing the summary', async () => {
    let signalled = false;
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: { url: demo.url, vus: '2', duration: '30' },
      onStdout: (stdout, child) => {
        if (signalled || !stdout.includes('load-testing')) return;
        signalled = true;
        setTimeout(() => child.kill('SIGINT'), 1_500);
      },
    });
    expect(signalled).toBe(true);
    expect(result.code).toBe(1);
    expect(result.outputs.passed).toBe('false');
    expect(result.summary).toContain('⚠️ **Incomplete:** the run was interrupted');
    expect(result.commands[result.commands.length - 1]).toBe(
      '::error::the run was interrupted (job cancelled); the report covers the part that ran',
    );
  });

  it('never says ✅ for a run where every request failed, and warns about the errors', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: { url: failing.url, iterations: '100' },
    });
    expect(result.outputs['error-rate']).toBe('1');
    expect(result.summary).not.toContain('✅');
    expect(result.summary).toContain('➖ **Not gated:**');
    expect(result.summary).toContain('⚠️ **Errors:** 100 of 100 requests failed (100.0%)');
    expect(result.commands).toContainEqual(
      "::warning title=mcp-loadtest: request errors::100 of 100 requests failed (error rate 1); see the job summary's Errors table",
    );
  });

  it('with fail-on-threshold false, annotates failed thresholds as warnings and passes the step', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: {
        url: demo.url,
        iterations: '100',
        'p99-threshold-ms': '0.001',
        'fail-on-threshold': 'false',
      },
    });
    expect(result.code).toBe(0);
    expect(result.outputs.passed).toBe('false');
    expect(result.commands.filter((c) => c.startsWith('::error'))).toEqual([]);
    expect(result.commands).toContainEqual(
      expect.stringMatching(/^::warning title=mcp-loadtest: p99_ms threshold::threshold failed: /),
    );
  });

  it('annotates a config error once, on its TOML line', async () => {
    const cwd = project(DEMO_CONFIG.replace('virtual_users = 2', 'virtual_user = 2'));
    const result = await runAction({ cwd, event: 'push', inputs: { url: demo.url } });
    expect(result.code).toBe(1);
    expect(result.outputs.passed).toBe('false');
    const errors = result.commands.filter((c) => c.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error title=mcp-loadtest: config error,file=\.pmcp\/loadtest\.toml,line=2/,
    );
  });
});

describe('action secrets in the URL', () => {
  const KEY = 'qk-9f8e7d6c5b4a39281706';

  it('masks a query-string key and keeps it out of every output, report and comment', async () => {
    const result = await runAction({
      cwd: project(),
      apiUrl: github.url,
      inputs: {
        url: `${demo.url}?api_key=${KEY}&tenant=acme-corp`,
        iterations: '100',
        'github-token': 'test-token',
        html: 'out/report.html',
      },
    });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(`::add-mask::${KEY}`);
    const report = readFileSync(result.outputs['report-path']!, 'utf8');
    expect(JSON.parse(report).target_url).toBe(`${demo.url}?api_key=[redacted]&tenant=[redacted]`);
    const html = readFileSync(result.outputs['html-path']!, 'utf8');
    const published = [
      lines.filter((l) => !l.startsWith('::add-mask::')).join('\n'),
      result.stderr,
      result.summary,
      JSON.stringify(result.outputs),
      report,
      html,
      ...github.calls.map((c) => JSON.stringify(c.body ?? '')),
    ];
    for (const text of published) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('acme-corp');
    }
    expect(github.callsOf('create')).toHaveLength(1);
  });

  it('keeps a query-string key out of the failure line of an unreachable URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp?token=${KEY}`;
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: { url, iterations: '10' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout.replace(`::add-mask::${KEY}`, '')).not.toContain(KEY);
    expect(result.summary).not.toContain(KEY);
    expect(result.commands[result.commands.length - 1]).toContain('/mcp?token=[redacted]');
  });
});

describe('action summary, comment and outputs', () => {
  it('names the head commit and links the workflow run, and sets comment-url and html-path', async () => {
    const cwd = project();
    const result = await runAction({
      cwd,
      apiUrl: github.url,
      env: RUNNER_ENV,
      inputs: {
        url: demo.url,
        iterations: '100',
        'github-token': 'test-token',
        html: 'report.html',
      },
    });
    expect(result.code).toBe(0);
    const source = `Commit \`${HEAD_SHA.slice(0, 7)}\` · [workflow run](https://github.example/owner/repo/actions/runs/987654321)`;
    expect(result.summary).toContain(source);
    const [create] = github.callsOf('create');
    expect(create?.body?.body).toContain(source);
    expect(result.outputs['comment-url']).toMatch(
      new RegExp(`^https://github\\.com/owner/repo/pull/${PR_NUMBER}#issuecomment-\\d+$`),
    );
    expect(result.outputs['html-path']).toBe(`${cwd}/report.html`);
    expect(existsSync(result.outputs['html-path']!)).toBe(true);
    expect(readFileSync(result.outputs['html-path']!, 'utf8')).toContain('<code>add</code>');
  });

  it('uses GITHUB_SHA outside a pull request and leaves comment-url empty', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      env: RUNNER_ENV,
      inputs: { url: demo.url, iterations: '50' },
    });
    expect(result.summary).toContain('Commit `aaaaaaa`');
    expect(result.outputs['comment-url']).toBe('');
    expect(result.outputs['html-path']).toBe('');
  });
});
