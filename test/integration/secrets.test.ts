/**
 * A header value is a secret: whether it comes from --header or from `[settings.headers]` with
 * `${ENV}` interpolation, it never appears in stdout, stderr, the report or any file the CLI
 * writes — even when the server echoes it back in every place a server can put text (a 401 body,
 * a JSON-RPC error, a tool result, an SSE event, the initialize answer), and even when an error
 * body is cut off in the middle of the token.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const TOKEN = 'tok_9f8e7d6c5b4a3f2e1d0c';
const HEADER = `Authorization: Bearer ${TOKEN}`;

/**
 * The four ways a scenario request gets the token echoed. The 401 body is padded so that the
 * 2 KiB kept of an error body ends inside the token.
 */
const ECHO_STEPS = [
  toolStep('echo_auth_401', '{ pad = 2000 }'),
  toolStep('echo_auth_rpc'),
  toolStep('echo_auth_tool'),
  toolStep('echo_auth_sse'),
];

/** Every file under `dir`, as text. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, filesUnder(path));
    else out[path] = readFileSync(path, 'utf8');
  }
  return out;
}

/** No 8-character piece of the token anywhere: a token cut short leaks as surely as a whole one. */
function expectNoToken(outputs: Record<string, string>): void {
  for (const [where, text] of Object.entries(outputs)) {
    for (let i = 0; i + 8 <= TOKEN.length; i++) {
      expect(text, `${where} holds "${TOKEN.slice(i, i + 8)}"`).not.toContain(
        TOKEN.slice(i, i + 8),
      );
    }
  }
}

describe.concurrent('a secret header', () => {
  let server: FaultServer;
  const dirs: string[] = [];
  const project = (config: string) => {
    const dir = tempProject(config);
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => (server = await startFaultServer()));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it('from --header is absent from every output while the server echoes it', async () => {
    const dir = project(toml({}, ...ECHO_STEPS));
    const r = await runCli(
      ['run', server.url, '--iterations', '40', '--seed', '1', '-H', HEADER, '--no-color'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(0);
    const [reportPath] = Object.keys(filesUnder(join(dir, '.pmcp', 'reports')));
    const report = readReport(reportPath!);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.config.headers).toEqual({ authorization: '[redacted]' });
    // Every request was answered with the token in it; each kept sample shows where it was.
    expect(report.metrics.error_count).toBe(40);
    for (const kind of ['jsonrpc', 'tool'] as const) {
      expect(report.error_samples[kind]).toContain('[redacted]');
    }
    expectNoToken({ stdout: r.stdout, stderr: r.stderr, ...filesUnder(dir) });
  });

  it('from ${ENV} in [settings.headers] is absent from every output while the server echoes it', async () => {
    const config = toml({}, ...ECHO_STEPS).replace(
      '[settings]',
      '[settings]\nheaders = { Authorization = "Bearer ${MCP_TOKEN}" }',
    );
    const dir = project(config);
    const env = { MCP_TOKEN: TOKEN };
    const validate = await runCli(['validate'], { cwd: dir, env });
    expect(validate.code).toBe(0);
    expect(validate.stderr).toContain('headers: Authorization (values not shown)');
    const reportPath = join(dir, 'report.json');
    const r = await runCli(
      ['run', server.url, '--iterations', '40', '--seed', '1', '--report', reportPath],
      {
        cwd: dir,
        env,
      },
    );
    expect(r.code).toBe(0);
    const report = readReport(reportPath);
    expect(report.config.headers).toEqual({ authorization: '[redacted]' });
    expect(report.metrics.error_count).toBe(40);
    expectNoToken({
      validateStdout: validate.stdout,
      validateStderr: validate.stderr,
      stdout: r.stdout,
      stderr: r.stderr,
      ...filesUnder(dir),
    });
  });

  it.for([
    ['a 401 body', 'init-echo-401', 'HTTP 401: invalid token: [redacted]'],
    ['a JSON-RPC error', 'init-echo-rpc', 'JSON-RPC error -32001: unauthorized: [redacted]'],
  ] as const)(
    'is absent from the no-session error line when initialize echoes it in %s (exit 3)',
    async ([, path, detail], { expect }) => {
      const dir = project(toml({}, toolStep('ok')));
      const url = `${server.origin}/${path}`;
      const r = await runCli(['run', url, '-H', HEADER, '--report', 'report.json'], {
        cwd: dir,
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        `error: no virtual user could initialize a session with ${url}: ${detail}`,
      );
      const report = readReport(join(dir, 'report.json'));
      expect(report.stop_reason).toBe('no_session');
      expectNoToken({ stdout: r.stdout, stderr: r.stderr, ...filesUnder(dir) });
    },
  );

  it('is absent from the no-session error line when an echoing 401 body is cut inside the token', async ({
    expect,
  }) => {
    // 2 KiB of an error body are kept: this pad puts the cut ten characters into the token.
    const dir = project(toml({}, toolStep('ok')));
    const url = `${server.origin}/init-echo-401?pad=2006`;
    const r = await runCli(['run', url, '-H', HEADER, '--no-report'], { cwd: dir });
    expect(r.code).toBe(3);
    const line = r.stderr.split('\n').find((l) => l.startsWith('error: '));
    expect(line).toMatch(/invalid token: \[redacted\]$/);
    expectNoToken({ stdout: r.stdout, stderr: r.stderr, ...filesUnder(dir) });
  });

  it('is absent from the error of init when initialize echoes it (exit 3, no file)', async ({
    expect,
  }) => {
    const dir = project(toml({}, toolStep('ok')));
    const url = `${server.origin}/init-echo-401`;
    const r = await runCli(['init', url, '--config', 'generated.toml', '-H', HEADER], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `error: init: cannot initialize a session with ${url}: HTTP 401: invalid token: [redacted]`,
    );
    expect(Object.keys(filesUnder(dir)).some((f) => f.endsWith('generated.toml'))).toBe(false);
    expectNoToken({ stdout: r.stdout, stderr: r.stderr, ...filesUnder(dir) });
  });
});
