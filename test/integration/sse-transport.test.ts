/**
 * The 2024-11-05 HTTP+SSE transport against real servers on 127.0.0.1: server-everything's `sse`
 * transport and the official SDK v1's SSEServerTransport. One GET stream per virtual user,
 * POSTs to the endpoint it names, responses matched on the stream; server requests answered from
 * `[client]` or refused at once; a stream that ends is a connection error and a new handshake.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.js';
import { startHandSseServer, type HandSseServer } from '../fixtures/hand-sse-server.js';
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
    expect(report.config.transport).toBe('sse');
    expect(report.protocol).toMatchObject({ transport_detected: false, era: 'legacy' });
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
    expect(report.config.transport).toBe('sse');
    expect(report.protocol).toMatchObject({ transport_detected: true, selection: 'auto' });
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
    expect(report.config.transport).toBe('sse');
    expect(report.protocol.transport_detected).toBe(true);
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

  it('times out a response that comes too late and ignores it when it does come', async () => {
    server = await startSdkSseServer();
    const { report } = await runDetected(
      server.url,
      SETTINGS.replace('timeout_ms = 5000', 'timeout_ms = 1000') +
        SSE +
        toolStep('add', '{ a = 1, b = 2 }', 3) +
        toolStep('slow', '{ ms = 1500 }'),
      { iterations: 12, vus: 1, seed: 3 },
    );
    const slow = report.per_tool['slow']!;
    expect(slow.total_requests).toBeGreaterThan(0);
    expect(report.errors.timeout).toBe(slow.total_requests);
    // Each late answer reaches the stream while a later request waits: matched by id, not taken.
    expect(report.per_tool['add']!.error_count).toBe(0);
    expect(report.per_tool['add']!.success_count + slow.total_requests).toBe(12);
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

describe('HTTP+SSE servers that behave unusually', () => {
  let server: HandSseServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('takes a response that arrives on the stream before its POST is acknowledged', async () => {
    server = await startHandSseServer({ ackAfterResponseMs: 50 });
    const { report } = await runDetected(server.url, SETTINGS + SSE + toolStep('echo'), {
      iterations: 5,
      vus: 1,
    });
    expect(report.metrics).toMatchObject({ success_count: 5, error_count: 0 });
  });

  it('counts a POST answered with an error status as that response: http', async () => {
    server = await startHandSseServer({ toolCallStatus: 500 });
    const { report } = await runDetected(server.url, SETTINGS + SSE + toolStep('echo'), {
      iterations: 3,
      vus: 1,
    });
    expect(report.errors.http).toBe(3);
    expect(report.error_samples.http).toBe('echo: HTTP 500: the server refused the message');
  });

  it('fails the handshake as protocol when the GET is not an event stream', async () => {
    server = await startHandSseServer({ streamType: 'application/json' });
    const { report, verdict } = await runDetected(server.url, SETTINGS + SSE + MIX, {
      iterations: 5,
    });
    expect(verdict).toBe('no_session');
    expect(report.handshake.error_samples.protocol).toContain(
      'answered HTTP 200 with Content-Type "application/json"; expected text/event-stream',
    );
    expect(server.posts()).toBe(0);
  });

  it('refuses an endpoint on another origin: the handshake fails as protocol, nothing is POSTed', async () => {
    server = await startHandSseServer({
      endpoint: 'http://elsewhere.invalid/messages?sessionId=1',
    });
    const { report, verdict } = await runDetected(server.url, SETTINGS + SSE + MIX, {
      iterations: 5,
    });
    expect(verdict).toBe('no_session');
    expect(report.handshake.error_samples.protocol).toContain(
      'names another origin (http://elsewhere.invalid); refused',
    );
    expect(server.posts()).toBe(0);
  });
});
