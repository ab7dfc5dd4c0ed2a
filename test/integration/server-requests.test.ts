/**
 * Server requests in the 2025 era (sampling, elicitation, roots sent on a tool call's SSE stream):
 * answered from `[client]`, or refused at once so the call fails fast, never as a timeout.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.js';
import { startServerRequests, type ServerRequestsFixture } from '../fixtures/server-requests.js';
import { runDetected, toolStep } from '../helpers/run-load.js';

const SETTINGS = '[settings]\nvirtual_users = 2\nduration_secs = 60\ntimeout_ms = 5000\n';
const CLIENT = `
[client]
sampling = { text = "canned model answer" }
elicitation = { action = "accept", content = { name = "load test" } }
roots = ["file:///workspace"]
`;
const TRIGGERS =
  toolStep('trigger-sampling-request', '{ prompt = "hello" }') +
  toolStep('trigger-elicitation-request');

describe('server-everything trigger tools', () => {
  let everything: ServerEverything;
  beforeAll(async () => {
    everything = await startServerEverything();
  });
  afterAll(async () => {
    await everything.close();
  });

  it('succeed when [client] answers sampling and elicitation', async () => {
    const { report } = await runDetected(everything.url, SETTINGS + CLIENT + TRIGGERS, {
      iterations: 8,
    });
    expect(report.protocol.era).toBe('legacy');
    expect(report.metrics.error_count).toBe(0);
    expect(report.metrics.success_count).toBe(8);
    const answered = report.protocol.server_requests?.answered ?? {};
    expect((answered['sampling/createMessage'] ?? 0) + (answered['elicitation/create'] ?? 0)).toBe(
      8,
    );
  });

  it('fail fast without [client]: the tools are not offered to a client without the capability', async () => {
    const { report } = await runDetected(everything.url, SETTINGS + TRIGGERS, { iterations: 4 });
    expect(report.metrics.error_count).toBe(4);
    expect(report.errors.timeout).toBe(0);
    expect(report.errors.jsonrpc + report.errors.tool).toBe(4);
  });
});

describe('a server request the config has no answer for', () => {
  let server: ServerRequestsFixture | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is refused at once with a JSON-RPC error, so the call fails as tool, not timeout', async () => {
    server = await startServerRequests();
    const { report } = await runDetected(
      server.url,
      SETTINGS.replace('timeout_ms = 5000', 'timeout_ms = 20000') +
        toolStep('ask', '{ what = "sampling" }'),
      { iterations: 3, vus: 1 },
    );
    expect(report.errors.tool).toBe(3);
    expect(report.errors.timeout).toBe(0);
    // With no answer the server would wait for one past the 20 s timeout: a timeout, not tool.
    expect(report.protocol.server_requests?.unanswered).toEqual({ 'sampling/createMessage': 3 });
    expect(server.answers).toHaveLength(3);
    expect(String((server.answers[0] as { error: string }).error)).toContain('[client]');
  });

  it('is answered from [client] when configured: roots as configured', async () => {
    server = await startServerRequests();
    const { report } = await runDetected(
      server.url,
      SETTINGS + CLIENT + toolStep('ask', '{ what = "roots" }'),
      { iterations: 2, vus: 1 },
    );
    expect(report.metrics.error_count).toBe(0);
    expect(server.answers).toEqual([
      { roots: [{ uri: 'file:///workspace' }] },
      { roots: [{ uri: 'file:///workspace' }] },
    ]);
  });
});
