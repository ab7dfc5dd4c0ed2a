/**
 * The action as GitHub runs it (node dist/index.js, INPUT_* variables, real @actions/core) against
 * the built-in demo server on 127.0.0.1: the gate, outputs, summary, report, annotations, configs.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { DEMO_CONFIG, runAction } from '../helpers/run-action.js';
import { closedPort, removeProjects, tempProject } from '../helpers/run-cli.js';

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

/** A temp working directory with `.pmcp/loadtest.toml` (none with `config: null`). */
function project(config: string | null = DEMO_CONFIG): string {
  const dir = tempProject(config ?? undefined);
  projects.push(dir);
  return dir;
}

/** A short run: 300 scenario steps on 2 VUs. */
function gateInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { url: demo.url, iterations: '300', 'github-token': 'test-token', ...extra };
}

function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

describe('action open model', () => {
  it('runs the open model with the rate input: the report says open, with its rate and max_vus', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: {
        url: demo.url,
        rate: '100',
        'max-vus': '30',
        duration: '2',
        'github-token': 'test-token',
      },
    });
    expect(result.code).toBe(0);
    const report = readReport(result.outputs['report-path']!);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.config).toMatchObject({
      model: 'open',
      executor: 'constant-arrival-rate',
      arrival_rate: 100,
      max_vus: 30,
    });
    expect(report.metrics.total_requests + report.metrics.dropped_iterations).toBe(200);
  });

  it('refuses max-vus without rate, naming the input', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: { url: demo.url, 'max-vus': '30', 'github-token': 'test-token' },
    });
    expect(result.code).toBe(1);
    expect(result.commands.join('\n')).toMatch(
      /::error::input max-vus applies only to the open model: set an arrival rate with --rate or \[settings\] arrival_rate; accepted: set rate too, or leave max-vus empty/,
    );
  });
});

describe('action gate', () => {
  it('passes a loose p99 threshold: exit 0, passed=true, no error annotation', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: gateInputs({ 'p99-threshold-ms': '60000', 'error-rate-threshold': '0.5' }),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs.passed).toBe('true');
    expect(result.commands.filter((c) => c.startsWith('::error'))).toEqual([]);
    expect(result.summary).toContain('✅ **Passed:** all 2 thresholds met');
  });

  it('fails a tight p99 threshold with metric, observed value and limit in the error', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: gateInputs({ 'p99-threshold-ms': '0.001' }),
    });
    expect(result.code).toBe(1);
    expect(result.outputs.passed).toBe('false');
    const p99 = result.outputs['p99-ms']!;
    const annotation = result.commands.find((c) => c.includes('threshold failed'));
    expect(annotation).toBe(
      `::error title=mcp-loadtest: p99_ms threshold::threshold failed: p99_ms ${p99} > 0.001 (overall)`,
    );
    // The single setFailed, last: after the summary and the outputs were written.
    const last = result.commands[result.commands.length - 1];
    expect(last).toBe(`::error::1 of 1 thresholds failed: p99_ms ${p99} > 0.001 (overall)`);
    expect(result.summary).toContain('❌ **Failed:** 1 of 1 thresholds failed');
    expect(existsSync(result.outputs['report-path']!)).toBe(true);
  });

  it('reports without failing when fail-on-threshold is false', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: gateInputs({ 'p99-threshold-ms': '0.001', 'fail-on-threshold': 'false' }),
    });
    expect(result.code).toBe(0);
    expect(result.outputs.passed).toBe('false');
    expect(result.commands).toContainEqual(
      expect.stringMatching(/^::warning::1 of 1 thresholds failed: .*fail-on-threshold: false/),
    );
  });

  it('writes the figures to the outputs, the summary and a schema-valid report', async () => {
    const cwd = project();
    const result = await runAction({
      cwd,
      event: 'push',
      inputs: gateInputs({ 'report-dir': 'out/reports' }),
    });
    expect(result.code).toBe(0);
    const path = result.outputs['report-path']!;
    expect(path.startsWith(join(cwd, 'out', 'reports', 'loadtest-'))).toBe(true);
    const report = readReport(path);
    expect(validateReport(report)).toEqual({ valid: true });
    const m = report.metrics;
    expect(result.outputs).toEqual({
      passed: 'true',
      'p50-ms': String(m.latency.p50_ms),
      'p95-ms': String(m.latency.p95_ms),
      'p99-ms': String(m.latency.p99_ms),
      'error-rate': '0',
      'throughput-rps': String(m.throughput_rps),
      'total-requests': '300',
      'breaking-point-vus': '',
      'report-path': path,
      'html-path': '',
      'comment-url': '',
      // No baseline: nothing compared, so empty rather than "false".
      regressed: '',
    });
    expect(result.summary.startsWith('<!-- mcp-loadtest:default -->\n')).toBe(true);
    expect(result.summary).toContain('| `mcp_req_total` | 300 |');
    expect(result.summary).toMatch(/\| <code>add<\/code> \| 300 \| /);
    expect(result.summary).toContain('**Breaking point:** none detected at 2 VUs peak');
  });

  it('runs a built-in single-tool config from the tool and arguments inputs', async () => {
    const result = await runAction({
      cwd: project(null),
      event: 'push',
      inputs: gateInputs({ tool: 'add', arguments: '{"a": 40, "b": 2}', vus: '3' }),
    });
    expect(result.code).toBe(0);
    const report = readReport(result.outputs['report-path']!);
    expect(report.config.scenario).toEqual([
      { type: 'tools/call', weight: 1, tool: 'add', arguments: { a: 40, b: 2 } },
    ]);
    expect(report.config.virtual_users).toBe(3);
    expect(report.config.config_path).toBeNull();
    expect(report.metrics.error_count).toBe(0);
  });

  it('fails when there is no config and no tool input, saying how to fix it', async () => {
    const result = await runAction({ cwd: project(null), event: 'push', inputs: gateInputs() });
    expect(result.code).toBe(1);
    expect(result.commands).toEqual([
      expect.stringMatching(
        /^::error::no config file at \.pmcp\/loadtest\.toml .*add one .*set the tool input/,
      ),
    ]);
  });

  it('annotates a config error on its TOML line', async () => {
    const cwd = project(DEMO_CONFIG.replace('virtual_users = 2', 'virtual_user = 2'));
    const result = await runAction({ cwd, event: 'push', inputs: gateInputs() });
    expect(result.code).toBe(1);
    const annotation = result.commands.find((c) => c.includes('file='));
    expect(annotation).toMatch(
      /^::error title=mcp-loadtest: config error,file=\.pmcp\/loadtest\.toml,line=2,col=1::.*virtual_user/,
    );
  });

  it('fails a bad input with one line naming the input and what is accepted', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: gateInputs({ 'error-rate-threshold': '5%' }),
    });
    expect(result.code).toBe(1);
    expect(result.commands).toEqual([
      '::error::input error-rate-threshold is "5%"; accepted: a ratio from 0 to 1 (0.05 = 5% of requests may fail)',
    ]);
  });

  it('fails when no session can be established, after writing the summary', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const result = await runAction({ cwd: project(), event: 'push', inputs: gateInputs({ url }) });
    expect(result.code).toBe(1);
    expect(result.summary).toContain('⚠️ **Incomplete:** no virtual user could initialize');
    expect(result.commands[result.commands.length - 1]).toMatch(
      /^::error::no virtual user could initialize a session with http:\/\/127\.0\.0\.1:\d+\/mcp: /,
    );
  });

  it('logs a progress line every 5 s while the test runs', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: { url: demo.url, duration: '5.6', vus: '1' },
    });
    expect(result.code).toBe(0);
    const progress = result.stdout.split('\n').filter((l) => /^\d+\.\ds\/5\.6s /.test(l));
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatch(/^5\.\ds\/5\.6s .*vus 1\/1 .*req\/s/);
  });

  it('makes no GitHub API call outside a pull request', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      apiUrl: github.url,
      inputs: gateInputs(),
    });
    expect(result.code).toBe(0);
    expect(github.calls).toEqual([]);
    expect(result.stdout).toContain('no PR comment: the push event has no pull request');
  });
});

describe('action configs', () => {
  it('runs the self-test workflow config (.github/loadtest/demo.toml) and passes its thresholds', async () => {
    const repo = fileURLToPath(new URL('../../', import.meta.url));
    const cwd = project(null);
    const result = await runAction({
      cwd,
      event: 'push',
      inputs: gateInputs({ config: join(repo, '.github', 'loadtest', 'demo.toml') }),
    });
    expect(result.code).toBe(0);
    const report = readReport(result.outputs['report-path']!);
    expect(report.thresholds.map((t) => t.metric)).toEqual(['p99_ms', 'error_rate']);
    expect(Object.keys(report.per_tool).sort()).toEqual([
      'add',
      'calculator://constants',
      'divide',
    ]);
  });

  it('resolves config and report-dir against working-directory', async () => {
    const root = project(null);
    const sub = join(root, 'services', 'calc');
    mkdirSync(join(sub, '.pmcp'), { recursive: true });
    writeFileSync(join(sub, '.pmcp', 'loadtest.toml'), DEMO_CONFIG);
    const result = await runAction({
      cwd: root,
      event: 'push',
      inputs: gateInputs({ 'working-directory': 'services/calc' }),
    });
    expect(result.code).toBe(0);
    expect(result.outputs['report-path']!.startsWith(join(sub, '.pmcp', 'reports'))).toBe(true);
    rmSync(sub, { recursive: true, force: true });
  });
});
