/**
 * Every error kind, provoked on a real server, lands in its own bucket and nowhere else: the SDK
 * server for in-band tool failures and JSON-RPC errors, the fault server for transport faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import { promptStep, resourceStep, runLoad, toml, toolStep } from '../helpers/run-load.js';

/** The error kinds that occurred, with their counts (zero kinds left out). */
function nonZeroErrors(report: Report): Record<string, number> {
  return Object.fromEntries(Object.entries(report.errors).filter(([, n]) => n > 0));
}

/** Asserts every scenario request failed with `kind`, and the report is still schema-valid. */
function expectOnly(report: Report, kind: string): void {
  expect(validateReport(report)).toEqual({ valid: true });
  expect(report.metrics.total_requests).toBeGreaterThan(0);
  expect(nonZeroErrors(report)).toEqual({ [kind]: report.metrics.total_requests });
  expect(report.error_samples[kind as keyof Report['error_samples']]).toBeTruthy();
}

const ITERATIONS = 12;

describe('error kinds from the SDK server (stateful-sse)', () => {
  let server: FixtureServer;
  beforeAll(async () => (server = await startSdkServer('stateful-sse')));
  afterAll(() => server.close());

  const run = (step: string) =>
    runLoad(server.url, toml({}, step), { vus: 2, iterations: ITERATIONS }).then((o) => o.report);

  it('counts a tools/call with arguments of the wrong type as tool (isError result)', async () => {
    const report = await run(toolStep('add', '{ a = "two", b = 3 }'));
    expectOnly(report, 'tool');
    expect(report.metrics.total_requests).toBe(ITERATIONS);
  });

  it('counts a tools/call of an unknown tool as tool', async () => {
    expectOnly(await run(toolStep('no-such-tool', '{ x = 1 }')), 'tool');
  });

  it('counts a tool that returns isError as tool, with its text as the sample', async () => {
    const report = await run(toolStep('fail'));
    expectOnly(report, 'tool');
    expect(report.error_samples.tool).toContain('failed on purpose');
  });

  it('counts a resources/read of a missing resource as jsonrpc', async () => {
    expectOnly(await run(resourceStep('fixture://static/missing')), 'jsonrpc');
  });

  it('counts a prompts/get of an unknown prompt as jsonrpc', async () => {
    expectOnly(await run(promptStep('no-such-prompt')), 'jsonrpc');
  });
});

describe('error kinds from the fault server', () => {
  let server: FaultServer;
  beforeAll(async () => (server = await startFaultServer()));
  afterAll(() => server.close());

  const run = (step: string, settings: Record<string, number> = {}) =>
    runLoad(server.url, toml(settings, step), { vus: 2, iterations: ITERATIONS });

  it('counts HTTP 500 as http', async () => {
    const { report } = await run(toolStep('http500'));
    expectOnly(report, 'http');
    expect(report.error_samples.http).toContain('HTTP 500');
  });

  it('counts a JSON-RPC error answer as jsonrpc', async () => {
    expectOnly((await run(toolStep('jsonrpc_error'))).report, 'jsonrpc');
  });

  it('counts an isError tool result as tool', async () => {
    expectOnly((await run(toolStep('tool_error'))).report, 'tool');
  });

  it('counts a body that is not JSON as protocol', async () => {
    expectOnly((await run(toolStep('bad_json'))).report, 'protocol');
  });

  it('counts an SSE stream that ends without the response as protocol', async () => {
    const { report } = await run(toolStep('sse_no_response'));
    expectOnly(report, 'protocol');
    expect(report.error_samples.protocol).toMatch(/ended without a response/);
  });

  it('counts a body larger than max_response_bytes as response_too_large', async () => {
    const { report } = await run(toolStep('huge', '{ bytes = 200000 }'), {
      max_response_bytes: 100_000,
    });
    expectOnly(report, 'response_too_large');
  });

  it('accepts a body just under max_response_bytes', async () => {
    const { report } = await run(toolStep('huge', '{ bytes = 99000 }'), {
      max_response_bytes: 100_000,
    });
    expect(nonZeroErrors(report)).toEqual({});
  });

  it('counts a connection reset mid-body as connection', async () => {
    expectOnly((await run(toolStep('reset'))).report, 'connection');
  });

  it.each(['expire', 'expire400'])(
    'counts session loss (%s) as session_expired and re-initializes',
    async (tool) => {
      const before = server.stats().sessionsCreated;
      const { report } = await run(toolStep(tool));
      expectOnly(report, 'session_expired');
      expect(report.handshake.reinitializations).toBeGreaterThan(0);
      expect(report.handshake.error_count).toBe(0);
      expect(server.stats().sessionsCreated - before).toBeGreaterThan(2);
    },
  );

  it('counts a response slower than timeout_ms as timeout, and still ends on time', async () => {
    const timeoutMs = 500;
    const { report, elapsedMs } = await runLoad(
      server.url,
      toml({ timeout_ms: timeoutMs }, toolStep('slow', '{ ms = 5000 }')),
      { vus: 2, durationSecs: 1 },
    );
    expectOnly(report, 'timeout');
    // duration + one timeout for the requests in flight + a grace for handshakes, sweep and DELETE
    // (waiting for the 5 s answers instead would take 6 s).
    expect(elapsedMs).toBeLessThan(1000 + timeoutMs + 1000);
    expect(report.metrics.latency.error_p50_ms).toBeGreaterThanOrEqual(timeoutMs);
  });

  it('measures an SSE response whose stream never ends as a success, at the response', async () => {
    const timeoutMs = 5000;
    const { report, elapsedMs } = await runLoad(
      server.url,
      toml({ timeout_ms: timeoutMs }, toolStep('sse_never_ends')),
      { vus: 2, durationSecs: 1 },
    );
    expect(validateReport(report)).toEqual({ valid: true });
    expect(nonZeroErrors(report)).toEqual({});
    expect(report.metrics.success_count).toBeGreaterThan(0);
    expect(report.metrics.latency_uncorrected.max_ms).toBeLessThan(timeoutMs / 10);
    // The open stream is cut soon after the response: the run does not wait out the 5 s timeout.
    expect(elapsedMs).toBeLessThan(1000 + 2000);
  });
});
