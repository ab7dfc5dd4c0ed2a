/**
 * An `https:` target over real TLS (protocol/http1-client.ts on Node's tls): the demo
 * calculator's endpoint on node:https, 127.0.0.1, with a certificate made for this test (openssl,
 * valid for IP 127.0.0.1), trusted by the CLI only through NODE_EXTRA_CA_CERTS. Without that
 * trust the run must fail on the certificate, never pass.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoEndpoint } from '../../src/demo/demo-endpoint.js';
import { EXIT } from '../../src/errors.js';
import { resolveDemoOptions } from '../../src/demo/demo-options.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const dirs: string[] = [];
let server: Server;
let endpoint: DemoEndpoint;
let url = '';
let certFile = '';
/** Answer with `Connection: close`, so every request needs a new TLS connection. */
let closeEach = false;
/** TLS connections the server accepted, and how many resumed an earlier session. */
let handshakes = 0;
let resumed = 0;

beforeAll(async () => {
  const dir = tempProject();
  dirs.push(dir);
  const keyFile = join(dir, 'key.pem');
  certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore', timeout: 20_000 },
  );
  endpoint = new DemoEndpoint(resolveDemoOptions({ responseMode: 'json' }));
  server = createServer(
    { key: readFileSync(keyFile), cert: readFileSync(certFile) },
    (req, res) => {
      if (closeEach) res.setHeader('connection', 'close');
      endpoint.handle(req, res);
    },
  );
  server.on('secureConnection', (socket) => {
    handshakes++;
    if (socket.isSessionReused()) resumed++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

afterAll(async () => {
  endpoint.cancelPending();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  removeProjects(dirs);
});

describe('an https: target', () => {
  it('is load-tested over TLS: every request counted, as many as the server answered', async () => {
    const before = endpoint.stats().toolCalls.add ?? 0;
    const dir = tempProject(toml({ virtual_users: 4 }, toolStep('add', '{ a = 2, b = 3 }')));
    dirs.push(dir);
    const reportPath = join(dir, 'report.json');
    const r = await runCli(['run', url, '--iterations', '400', '--report', reportPath], {
      cwd: dir,
      env: { NODE_EXTRA_CA_CERTS: certFile },
      killAfterMs: 60_000,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/certificate|error/i);
    const report = readReport(reportPath);
    expect(report.metrics.total_requests).toBe(400);
    expect(report.metrics.error_count).toBe(0);
    expect(report.handshake.sessions_created).toBe(4);
    expect((endpoint.stats().toolCalls.add ?? 0) - before).toBe(400);
  });

  it('resumes the TLS session on a new connection (RFC 8446 §2.2)', async () => {
    closeEach = true;
    try {
      const dir = tempProject(toml({ virtual_users: 2 }, toolStep('add', '{ a = 2, b = 3 }')));
      dirs.push(dir);
      const handshakesBefore = handshakes;
      const resumedBefore = resumed;
      const r = await runCli(['run', url, '--iterations', '20', '--no-report'], {
        cwd: dir,
        env: { NODE_EXTRA_CA_CERTS: certFile },
        killAfterMs: 60_000,
      });
      expect(r.code).toBe(0);
      // Each VU: initialize, initialized, 10 steps, DELETE: a connection each. A VU's first is
      // new, and so may be one opened before the server's ticket (sent after the handshake in
      // TLS 1.3) arrived; the others resume. Without resumption none would.
      const made = handshakes - handshakesBefore;
      expect(made).toBeGreaterThanOrEqual(20);
      expect(resumed - resumedBefore).toBeGreaterThan(made / 2);
    } finally {
      closeEach = false;
    }
  });

  it('fails on the certificate when the CLI does not trust it, and never exits 0', async () => {
    const dir = tempProject(toml({ virtual_users: 1 }, toolStep('add', '{ a = 2, b = 3 }')));
    dirs.push(dir);
    const r = await runCli(['run', url, '--iterations', '5', '--no-report'], {
      cwd: dir,
      killAfterMs: 60_000,
    });
    expect(r.code).toBe(EXIT.noSession);
    expect(r.stderr).toMatch(/no virtual user could initialize a session .*: .*certificate/);
  });
});
