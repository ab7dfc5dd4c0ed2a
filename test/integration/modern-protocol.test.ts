/**
 * The 2026-07-28 era against real servers built on the official v2 SDK (test/fixtures/v2-server.ts):
 * era detection, the request metadata the server received, input_required rounds, task polling,
 * -32022 and pinned revisions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolRefusedError } from '../../src/protocol/detect-protocol.js';
import {
  LEGACY_ONLY_VERSIONS,
  startV2Server,
  TASK_POLLS_BEFORE_DONE,
  type V2Server,
} from '../fixtures/v2-server.js';
import { META_PROTOCOL_VERSION } from '../../src/protocol/mcp-vocabulary.js';
import { runDetected, toolStep } from '../helpers/run-load.js';

const SETTINGS = '[settings]\nvirtual_users = 2\nduration_secs = 60\ntimeout_ms = 5000\n';
const MIX = toolStep('echo', '{ message = "hi" }') + toolStep('add', '{ a = 2, b = 3 }');
const ITERATIONS = 20;

let server: V2Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function posts(s: V2Server, method: string) {
  return s.received.filter((r) => r.httpMethod === 'POST' && r.body?.method === method);
}

describe('the 2026-07-28 era against v2 SDK servers', () => {
  it('runs a strict (legacy: reject) server with 0 errors in auto and reports 2026-07-28', async () => {
    server = await startV2Server({ posture: 'strict' });
    const { report } = await runDetected(server.url, SETTINGS + MIX, { iterations: ITERATIONS });
    expect(report.metrics.error_count).toBe(0);
    expect(report.metrics.success_count).toBe(ITERATIONS);
    expect(report.protocol.version).toBe('2026-07-28');
    expect(report.protocol.era).toBe('modern');
    expect(report.protocol.server_info?.name).toBe('v2-fixture');
    expect(posts(server, 'initialize')).toHaveLength(0);
  });

  it('runs the default (dual-era) server on its modern lane in auto, not its legacy lane', async () => {
    server = await startV2Server({ posture: 'dual' });
    const { report } = await runDetected(server.url, SETTINGS + MIX, { iterations: ITERATIONS });
    expect(report.metrics.error_count).toBe(0);
    expect(report.protocol.version).toBe('2026-07-28');
    expect(posts(server, 'initialize')).toHaveLength(0);
    const calls = posts(server, 'tools/call');
    expect(calls).toHaveLength(ITERATIONS);
    expect(calls.every((r) => r.headers['mcp-protocol-version'] === '2026-07-28')).toBe(true);
  });

  it('sends Mcp-Method, Mcp-Name and the _meta envelope on every tools/call', async () => {
    server = await startV2Server({ posture: 'strict' });
    await runDetected(server.url, SETTINGS + toolStep('echo', '{ message = "hi" }'), {
      iterations: 3,
    });
    const calls = posts(server, 'tools/call');
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.headers['mcp-method']).toBe('tools/call');
      expect(call.headers['mcp-name']).toBe('echo');
      const meta = (call.body?.params as { _meta?: Record<string, unknown> })._meta;
      expect(meta?.['io.modelcontextprotocol/protocolVersion']).toBe('2026-07-28');
      expect(meta?.['io.modelcontextprotocol/clientInfo']).toMatchObject({ name: 'mcp-loadtest' });
      expect(meta?.['io.modelcontextprotocol/clientCapabilities']).toBeTypeOf('object');
    }
  });

  it('mirrors an x-mcp-header argument into Mcp-Param-Region, which the server checks', async () => {
    server = await startV2Server({ posture: 'strict' });
    const { report } = await runDetected(
      server.url,
      SETTINGS + toolStep('region-echo', '{ region = "eu-west", query = "q" }'),
      { iterations: 3 },
    );
    expect(report.metrics.error_count).toBe(0);
    expect(posts(server, 'tools/call').map((r) => r.headers['mcp-param-region'])).toEqual([
      'eu-west',
      'eu-west',
      'eu-west',
    ]);
  });

  it('answers input_required from [client] and retries with requestState echoed, as one step', async () => {
    server = await startV2Server({ posture: 'strict' });
    const config = `${SETTINGS}\n[client]\nelicitation = { action = "accept", content = { name = "load test" } }\n\n${toolStep('confirm')}`;
    const { report } = await runDetected(server.url, config, { iterations: 4 });
    expect(report.metrics.error_count).toBe(0);
    expect(report.per_tool.confirm?.total_requests).toBe(4);
    expect(report.protocol.input_rounds).toBe(4);
    const calls = posts(server, 'tools/call');
    expect(calls).toHaveLength(8);
    const retries = calls.filter((r) => (r.body?.params as Record<string, unknown>).requestState);
    expect(retries).toHaveLength(4);
    for (const retry of retries) {
      const params = retry.body?.params as Record<string, unknown>;
      expect(params.requestState).toBe('confirm-round-1');
      expect(params.inputResponses).toEqual({
        who: { action: 'accept', content: { name: 'load test' } },
      });
    }
  });

  it('without [client] declares no elicitation, so the server refuses the step at once (-32021)', async () => {
    server = await startV2Server({ posture: 'strict' });
    const { report } = await runDetected(server.url, SETTINGS + toolStep('confirm'), {
      iterations: 2,
    });
    expect(report.errors.http).toBe(2);
    expect(report.errors.timeout).toBe(0);
    expect(report.error_samples.http).toMatch(/-32021/);
    const meta = (
      posts(server, 'tools/call')[0]?.body?.params as { _meta?: Record<string, unknown> }
    )._meta;
    expect(meta?.['io.modelcontextprotocol/clientCapabilities']).not.toHaveProperty('elicitation');
  });

  it('polls a task result with tasks/get until it completes, timed as one step', async () => {
    server = await startV2Server({ posture: 'strict' });
    const { report } = await runDetected(server.url, SETTINGS + toolStep('slow-job'), {
      iterations: 3,
      vus: 1,
    });
    expect(report.metrics.error_count).toBe(0);
    expect(report.per_tool['slow-job']?.total_requests).toBe(3);
    expect(report.protocol.tasks).toBe(3);
    expect(report.protocol.task_polls).toBe(3 * (TASK_POLLS_BEFORE_DONE + 1));
    expect(server.taskPolls()).toBe(3 * (TASK_POLLS_BEFORE_DONE + 1));
    const gets = posts(server, 'tasks/get');
    expect(gets.every((r) => r.headers['mcp-method'] === 'tasks/get')).toBe(true);
  });

  it('runs a pinned 2025-11-25 against the default server through its legacy lane', async () => {
    server = await startV2Server({ posture: 'dual' });
    const { report } = await runDetected(server.url, SETTINGS + MIX, {
      iterations: ITERATIONS,
      setting: '2025-11-25',
    });
    expect(report.metrics.error_count).toBe(0);
    expect(report.protocol.version).toBe('2025-11-25');
    expect(report.protocol.era).toBe('legacy');
    expect(posts(server, 'initialize').length).toBeGreaterThan(0);
    expect(posts(server, 'server/discover')).toHaveLength(0);
  });

  it('refuses a pinned 2025-11-25 against a strict server, naming what it supports', async () => {
    server = await startV2Server({ posture: 'strict' });
    const run = runDetected(server.url, SETTINGS + MIX, { iterations: 1, setting: '2025-11-25' });
    await expect(run).rejects.toBeInstanceOf(ProtocolRefusedError);
    await expect(run).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/2025-11-25.*supports: 2026-07-28/),
    });
  });

  it('retries with a version from -32022 when the server does not take 2026-07-28', async () => {
    server = await startV2Server({ posture: 'legacy-only' });
    const { report } = await runDetected(server.url, SETTINGS + MIX, { iterations: 6 });
    expect(report.metrics.error_count).toBe(0);
    expect(report.protocol.version).toBe(LEGACY_ONLY_VERSIONS[0]);
    expect(report.protocol.era).toBe('legacy');
    const offered = posts(server, 'initialize').map(
      (r) => (r.body?.params as { protocolVersion?: string }).protocolVersion,
    );
    expect(new Set(offered)).toEqual(new Set([LEGACY_ONLY_VERSIONS[0]]));
  });

  it('refuses a pinned 2026-07-28 that the server answers with -32022, listing its versions', async () => {
    server = await startV2Server({ posture: 'legacy-only' });
    const run = runDetected(server.url, SETTINGS + MIX, { iterations: 1, setting: '2026-07-28' });
    await expect(run).rejects.toMatchObject({
      code: 'PROTOCOL_REFUSED',
      exitCode: 3,
      message: expect.stringContaining(`supports: ${LEGACY_ONLY_VERSIONS.join(', ')}`),
    });
  });

  it('retries once a request refused mid-run with -32022 whose supported list names 2026-07-28', async () => {
    // Every 3rd tools/call reaches the SDK under a version it does not take (as an instance
    // behind a load balancer mid-deploy might): the SDK answers 400 -32022, supported 2026-07-28.
    let calls = 0;
    server = await startV2Server({
      posture: 'strict',
      tamper: (headers, body) => {
        if (body?.method !== 'tools/call' || ++calls % 3 !== 0) return;
        headers['mcp-protocol-version'] = '2099-01-01';
        (body.params as { _meta: Record<string, unknown> })._meta[META_PROTOCOL_VERSION] =
          '2099-01-01';
      },
    });
    const { report } = await runDetected(server.url, SETTINGS + MIX, { iterations: ITERATIONS });
    expect(report.metrics.error_count).toBe(0);
    expect(report.metrics.total_requests).toBe(ITERATIONS);
    const refused = Math.floor(calls / 3);
    expect(refused).toBeGreaterThan(0);
    expect(report.protocol.version_retries).toBe(refused);
    // Each refused call was sent once more, and a step counts once.
    expect(posts(server, 'tools/call')).toHaveLength(ITERATIONS + refused);
  });

  it('counts a mid-run -32022 whose supported list lacks 2026-07-28 as an http error, naming the list', async () => {
    let calls = 0;
    server = await startV2Server({
      posture: 'strict',
      refuse: (body) =>
        body?.method === 'tools/call' && ++calls % 3 === 0 ? ['2025-11-25'] : undefined,
    });
    const { report } = await runDetected(server.url, SETTINGS + MIX, { iterations: ITERATIONS });
    const refused = Math.floor(calls / 3);
    expect(refused).toBeGreaterThan(0);
    expect(report.errors.http).toBe(refused);
    expect(report.metrics.error_count).toBe(refused);
    expect(report.protocol.version_retries).toBe(0);
    expect(report.error_samples.http).toMatch(/HTTP 400: .*-32022.*"supported":\["2025-11-25"\]/);
  });

  it('counts a 2026-07-28 HTTP 400 with a JSON-RPC error body as an http error, not jsonrpc', async () => {
    // Mcp-Name that disagrees with params.name: the SDK answers 400 -32020 (header mismatch).
    let calls = 0;
    server = await startV2Server({
      posture: 'strict',
      tamper: (headers, body) => {
        if (body?.method === 'tools/call' && ++calls % 4 === 0) headers['mcp-name'] = 'other';
      },
    });
    const { report } = await runDetected(server.url, SETTINGS + MIX, { iterations: ITERATIONS });
    const mismatched = Math.floor(calls / 4);
    expect(mismatched).toBeGreaterThan(0);
    expect(report.errors.http).toBe(mismatched);
    expect(report.metrics.error_count).toBe(mismatched);
    expect(report.protocol.version_retries).toBe(0);
    expect(report.error_samples.http).toMatch(/HTTP 400: .*-32020/);
  });
});
