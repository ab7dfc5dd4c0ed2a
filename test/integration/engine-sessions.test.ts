/**
 * Session life cycle under load: a server that forgets its sessions mid-run, and a run whose
 * virtual users do not all get a session at once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import { startLoad, runLoad, toml, toolStep } from '../helpers/run-load.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('engine when the SDK server drops every session mid-run', () => {
  let server: FixtureServer;
  beforeAll(async () => (server = await startSdkServer('stateful-sse')));
  afterAll(() => server.close());

  it('counts session_expired, re-initializes, and keeps succeeding afterwards', async () => {
    const vus = 2;
    const handle = startLoad(
      server.url,
      toml({ timeout_ms: 1000 }, toolStep('echo', '{ message = "hi" }')),
      { vus, durationSecs: 2 },
    );
    await sleep(700);
    const m = handle.run.metrics;
    const successesBeforeDrop = m.totalRequests - m.totalErrors;
    expect(successesBeforeDrop).toBeGreaterThan(0);
    server.dropSessions();
    const { report } = await handle.done;

    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.errors.session_expired).toBeGreaterThan(0);
    expect(report.handshake.reinitializations).toBeGreaterThanOrEqual(vus);
    expect(report.handshake.sessions_created).toBeGreaterThanOrEqual(2 * vus);
    expect(server.stats().sessionsCreated).toBeGreaterThanOrEqual(2 * vus);
    // Requests kept succeeding after the drop: well beyond a handful of stragglers.
    expect(report.metrics.success_count - successesBeforeDrop).toBeGreaterThan(20);
    expect(report.stop_reason).toBe('duration');
  });
});

/**
 * A minimal MCP server (JSON answers) that refuses every initialize on the first connection it
 * sees with 500 at once, and accepts those on any other connection after `acceptDelayMs`.
 */
async function startPickyServer(acceptDelayMs: number) {
  let badSocket: unknown;
  let sessions = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      const msg = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
        id?: number;
        method?: string;
      };
      badSocket ??= req.socket;
      const json = (body: unknown, headers: Record<string, string> = {}) =>
        res
          .writeHead(200, { 'content-type': 'application/json', ...headers })
          .end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, ...(body as object) }));
      if (msg.method === 'initialize') {
        if (req.socket === badSocket) return void res.writeHead(500).end('overloaded');
        setTimeout(() => {
          const result = {
            protocolVersion: '2025-11-25',
            capabilities: { tools: {} },
            serverInfo: { name: 'picky', version: '1' },
          };
          json({ result }, { 'mcp-session-id': `s${++sessions}` });
        }, acceptDelayMs);
        return;
      }
      if (msg.id === undefined) return void res.writeHead(202).end();
      json({ result: { content: [{ type: 'text', text: 'ok' }] } });
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

describe('engine when only some virtual users get a session', () => {
  let server: Awaited<ReturnType<typeof startPickyServer>>;
  beforeAll(async () => (server = await startPickyServer(300)));
  afterAll(() => server.close());

  it('keeps running while another VU is still initializing, however fast one VU fails', async () => {
    const { report } = await runLoad(server.url, toml({ timeout_ms: 2000 }, toolStep('ok')), {
      vus: 2,
      durationSecs: 1,
    });
    expect(report.stop_reason).toBe('duration');
    expect(report.handshake.error_count).toBeGreaterThan(1);
    expect(report.handshake.sessions_created).toBeGreaterThanOrEqual(1);
    expect(report.metrics.success_count).toBeGreaterThan(0);
  });
});
