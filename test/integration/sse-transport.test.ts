/**
 * The 2024-11-05 HTTP+SSE transport against real servers on 127.0.0.1: server-everything's `sse`
 * transport and the official SDK v1's SSEServerTransport. One GET stream per virtual user,
 * POSTs to the endpoint it names, responses matched on the stream; server requests answered from
 * `[client]` or refused at once; a stream that ends is a connection error and a new handshake.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.js';
import { startSdkSseServer, type SdkSseServer } from '../fixtures/sdk-sse-server.js';
import { runDetected, toolStep } from '../helpers/run-load.js';

const SETTINGS = '[settings]\nvirtual_users = 2\nduration_secs = 60\ntimeout_ms = 5000\n';
const SSE = 'transport = "sse"\n';
const CLIENT = `
[client]
sampling = { text = "canned model answer" }
elicitation = { action = "accept", content = { name = "load test" } }
`;
const MIX = toolStep('echo', '{ message = "hi" }') + toolStep('get-sum', '{ a = 1, b = 2 }');
const TRIGGERS =
  toolStep('trigger-sampling-request', '{ prompt = "hello" }') +
  toolStep('trigger-elicitation-request');

describe('server-everything over HTTP+SSE', () => {
  let everything: ServerEverything;
  beforeAll(async () => {
    everything = await startServerEverything('sse');
  });
  afterAll(async () => {
    await everything.close();
  });

  it('runs a mix of echo and get-sum with 0 errors, every step counted once', async () => {
    const { report } = await runDetected(everything.url, SETTINGS + SSE + MIX, {
      iterations: 200,
      vus: 4,
    });
    expect(report.protocol).toMatchObject({
      transport: 'sse',
      transport_detected: false,
      era: 'legacy',
    });
    expect(report.metrics).toMatchObject({ total_requests: 200, success_count: 200 });
    expect(report.metrics.error_count).toBe(0);
    const echo = report.per_tool['echo']!;
    const sum = report.per_tool['get-sum']!;
    expect(echo.success_count + sum.success_count).toBe(200);
    expect(echo.success_count).toBeGreaterThan(0);
    expect(sum.success_count).toBeGreaterThan(0);
    // One stream (session) per VU, each ended by closing it.
    expect(report.handshake).toMatchObject({ sessions_created: 4, sessions_closed: 4 });
    expect(report.handshake.error_count).toBe(0);
  });

  it('is detected under protocol auto when no transport is set', async () => {
    const { report } = await runDetected(everything.url, SETTINGS + MIX, { iterations: 20 });
    expect(report.protocol).toMatchObject({
      transport: 'sse',
      transport_detected: true,
      selection: 'auto',
    });
    expect(report.metrics.success_count).toBe(20);
  });

  it('answers trigger-sampling-request and trigger-elicitation-request from [client]', async () => {
    const { report } = await runDetected(everything.url, SETTINGS + SSE + CLIENT + TRIGGERS, {
      iterations: 8,
    });
    expect(report.metrics.error_count).toBe(0);
    expect(report.metrics.success_count).toBe(8);
    const answered = report.protocol.server_requests?.answered ?? {};
    expect((answered['sampling/createMessage'] ?? 0) + (answered['elicitation/create'] ?? 0)).toBe(
      8,
    );
  });

  it('fails the trigger tools fast without [client]: jsonrpc or tool errors, no timeout', async () => {
    const slow = SETTINGS.replace('timeout_ms = 5000', 'timeout_ms = 20000');
    const { report } = await runDetected(everything.url, slow + SSE + TRIGGERS, {
      iterations: 4,
    });
    expect(report.metrics.error_count).toBe(4);
    expect(report.errors.timeout).toBe(0);
    expect(report.errors.jsonrpc + report.errors.tool).toBe(4);
  });
});

describe('the SDK v1 SSEServerTransport', () => {
  let server: SdkSseServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('runs with 0 errors: one stream per VU, and every POST went to its endpoint', async () => {
    server = await startSdkSseServer();
    const { report } = await runDetected(
      server.url,
      SETTINGS.replace('virtual_users = 2', 'virtual_users = 3') +
        SSE +
        toolStep('add', '{ a = 1, b = 2 }'),
      { iterations: 60 },
    );
    expect(report.metrics).toMatchObject({ total_requests: 60, success_count: 60 });
    expect(server.streams()).toBe(3);
    // initialize and notifications/initialized per VU, then the 60 steps.
    expect(server.posts()).toBe(3 * 2 + 60);
    // Every stream was closed at the end (the server sees each close a moment later).
    await vi.waitFor(() => expect(server!.open()).toBe(0), { timeout: 2000 });
  });

  it('is detected when POST answers 405 and GET serves the stream', async () => {
    server = await startSdkSseServer();
    const { report } = await runDetected(
      server.url,
      SETTINGS + toolStep('add', '{ a = 1, b = 2 }'),
      {
        iterations: 10,
      },
    );
    expect(report.protocol).toMatchObject({ transport: 'sse', transport_detected: true });
    expect(report.metrics.success_count).toBe(10);
  });

  it('fails a request in flight when its stream ends, as connection, and handshakes on a new stream', async () => {
    server = await startSdkSseServer();
    const { report } = await runDetected(server.url, SETTINGS + SSE + toolStep('drop'), {
      iterations: 3,
      vus: 1,
    });
    expect(report.errors.connection).toBe(3);
    expect(report.errors.timeout).toBe(0);
    expect(report.error_samples.connection).toContain('SSE stream');
    // A new stream after each loss (the last one may be cut short by the run's end).
    expect(report.handshake.reinitializations).toBeGreaterThanOrEqual(2);
    expect(server.streams()).toBe(1 + report.handshake.reinitializations);
  });

  it('keeps serving the other steps after a stream is lost', async () => {
    server = await startSdkSseServer();
    const { report } = await runDetected(
      server.url,
      SETTINGS + SSE + toolStep('add', '{ a = 1, b = 2 }', 4) + toolStep('drop'),
      { iterations: 30, vus: 1, seed: 7 },
    );
    const drop = report.per_tool['drop']!;
    const add = report.per_tool['add']!;
    expect(drop.total_requests).toBeGreaterThan(0);
    expect(report.errors.connection).toBe(drop.total_requests);
    expect(add.error_count).toBe(0);
    expect(add.success_count + drop.total_requests).toBe(30);
  });

  it('refuses a server request [client] has no answer for at once, so the call fails as tool', async () => {
    server = await startSdkSseServer();
    const { report } = await runDetected(
      server.url,
      SETTINGS.replace('timeout_ms = 5000', 'timeout_ms = 20000') + SSE + toolStep('ask'),
      { iterations: 3, vus: 1 },
    );
    expect(report.errors.tool).toBe(3);
    expect(report.errors.timeout).toBe(0);
    expect(report.protocol.server_requests?.unanswered).toEqual({ 'sampling/createMessage': 3 });
  });

  it('answers a sampling request from [client] with a POST to the endpoint', async () => {
    server = await startSdkSseServer();
    const { report } = await runDetected(server.url, SETTINGS + SSE + CLIENT + toolStep('ask'), {
      iterations: 3,
      vus: 1,
    });
    expect(report.metrics.error_count).toBe(0);
    expect(report.protocol.server_requests?.answered).toEqual({ 'sampling/createMessage': 3 });
  });
});

describe('an HTTP+SSE endpoint on another origin', () => {
  let raw: http.Server | undefined;
  afterEach(async () => {
    raw?.closeAllConnections();
    await new Promise<void>((resolve) =>
      raw === undefined ? resolve() : raw.close(() => resolve()),
    );
    raw = undefined;
  });

  it('is refused: the handshake fails as protocol and nothing is POSTed', async () => {
    let posts = 0;
    raw = http.createServer((req, res) => {
      if (req.method === 'POST') {
        posts++;
        res.writeHead(202).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: http://elsewhere.invalid/messages?sessionId=1\n\n');
    });
    await new Promise<void>((resolve) => raw!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/sse`;
    const { report, verdict } = await runDetected(url, SETTINGS + SSE + MIX, { iterations: 5 });
    expect(verdict).toBe('no_session');
    expect(report.handshake.error_samples.protocol).toContain(
      'names another origin (http://elsewhere.invalid); refused',
    );
    expect(posts).toBe(0);
  });
});
