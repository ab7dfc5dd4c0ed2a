/**
 * `mcp-loadtest run` as a user runs it: the built bundle in a child process, a config file in a
 * temp project, a real SDK server on 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import {
  closedPort,
  readReport,
  removeProjects,
  reportFiles,
  runCli,
  tempProject,
} from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const CONFIG = toml(
  { virtual_users: 2, duration_secs: 1, timeout_ms: 2000 },
  toolStep('echo', '{ message = "hi" }', 2),
  toolStep('add', '{ a = 2, b = 3 }', 1),
);
const SECRET = 's3cr3t-token-value';

describe('mcp-loadtest run', () => {
  let server: FixtureServer;
  const dirs: string[] = [];
  const project = (config: string | undefined = CONFIG) => {
    const dir = tempProject(config);
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => (server = await startSdkServer('stateful-sse')));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it('prints the summary on stdout and writes the report under .pmcp/reports', async () => {
    const dir = project();
    const r = await runCli(['run', server.url], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mcp_req_duration');
    expect(r.stdout).toContain('per-tool metrics');
    expect(r.stdout).toMatch(/^ {2}echo +\d+ /m);
    expect(r.stdout).toMatch(/^ {2}add +\d+ /m);
    const files = reportFiles(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/loadtest-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json$/);
    const report = readReport(files[0]!);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.metrics.error_count).toBe(0);
    expect(report.metrics.total_requests).toBeGreaterThan(0);
    expect(r.stderr).toContain('report: .pmcp/reports/loadtest-');
  });

  it('writes no report with --no-report', async () => {
    const dir = project();
    const r = await runCli(['run', server.url, '--no-report'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mcp_req_duration');
    expect(reportFiles(dir)).toEqual([]);
  });

  it('writes the report to --report PATH and nowhere else', async () => {
    const dir = project();
    const r = await runCli(['run', server.url, '--report', 'out/my-report.json'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = readReport(join(dir, 'out', 'my-report.json'));
    expect(validateReport(report)).toEqual({ valid: true });
    expect(reportFiles(dir)).toEqual([]);
  });

  it('finds the config by walking up from a nested working directory', async () => {
    const dir = project();
    const nested = join(dir, 'a', 'b', 'c');
    mkdirSync(nested, { recursive: true });
    const reportPath = join(dir, 'nested-report.json');
    const r = await runCli(['run', server.url, '--report', reportPath], { cwd: nested });
    expect(r.code).toBe(0);
    const report = readReport(reportPath);
    expect(report.config.config_path).toBe(join(dir, '.pmcp', 'loadtest.toml'));
    expect(Object.keys(report.per_tool).sort()).toEqual(['add', 'echo']);
  });

  it('lets --vus and --iterations override the config', async () => {
    const dir = project();
    const reportPath = join(dir, 'report.json');
    const r = await runCli(
      [
        'run',
        server.url,
        '--vus',
        '3',
        '--iterations',
        '30',
        '--seed',
        '7',
        '--report',
        reportPath,
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const report = readReport(reportPath);
    expect(report.config).toMatchObject({ virtual_users: 3, iterations: 30, seed: 7 });
    expect(report.metrics.total_requests).toBe(30);
    expect(report.handshake.sessions_created).toBe(3);
    expect(report.stop_reason).toBe('iterations');
  });

  it('never shows a --header value in stdout, stderr or the report', async () => {
    const dir = project();
    const reportPath = join(dir, 'report.json');
    const r = await runCli(
      ['run', server.url, '--header', `Authorization: Bearer ${SECRET}`, '--report', reportPath],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const reportText = readFileSync(reportPath, 'utf8');
    expect(readReport(reportPath).config.headers).toEqual({ authorization: '[redacted]' });
    for (const text of [r.stdout, r.stderr, reportText]) expect(text).not.toContain(SECRET);
  });

  it('exits 3 naming the URL, and writes a no_session report, when nothing listens', async () => {
    const dir = project();
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const reportPath = join(dir, 'report.json');
    const r = await runCli(['run', url, '--report', reportPath], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(`^error: .*${url.replace(/\./g, '\\.')}.*ECONNREFUSED`, 'm'),
    );
    const report = readReport(reportPath);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.stop_reason).toBe('no_session');
    expect(report.completed).toBe(false);
    expect(report.metrics.total_requests).toBe(0);
    expect(report.handshake.errors.connection).toBeGreaterThan(0);
  });
});

/**
 * A server that accepts the session but answers every scenario request 401 with the request's
 * Authorization header in the body, as some gateways do: the one way a secret reaches our output.
 */
async function startEchoingServer() {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      const msg = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
        id?: number;
        method?: string;
      };
      if (msg.method === 'initialize') {
        const result = {
          protocolVersion: '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 'echoing', version: '1' },
        };
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' });
        return void res.end(JSON.stringify({ result, jsonrpc: '2.0', id: msg.id }));
      }
      if (msg.id === undefined) return void res.writeHead(202).end();
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(`invalid credentials: ${req.headers.authorization ?? '(none)'}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('mcp-loadtest run against a server that echoes the Authorization header', () => {
  let server: Awaited<ReturnType<typeof startEchoingServer>>;
  let dir: string;
  beforeAll(async () => {
    server = await startEchoingServer();
    dir = tempProject(CONFIG);
  });
  afterAll(async () => {
    await server.close();
    removeProjects([dir]);
  });

  it('redacts the secret from the error samples in the summary and the report', async () => {
    const reportPath = join(dir, 'report.json');
    const r = await runCli(
      ['run', server.url, '-H', `Authorization: Bearer ${SECRET}`, '--report', reportPath],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const report = readReport(reportPath);
    expect(report.errors.http).toBe(report.metrics.total_requests);
    expect(report.error_samples.http).toContain('[redacted]');
    expect(r.stdout).toContain('[redacted]');
    for (const text of [r.stdout, r.stderr, readFileSync(reportPath, 'utf8')])
      expect(text).not.toContain(SECRET);
  });
});
