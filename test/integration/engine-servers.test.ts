/**
 * The engine against real MCP servers: the official SDK in its three deployment shapes and
 * server-everything. A mixed scenario must run error-free and produce a report that matches the
 * published schema and says what happened on the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import type { Report } from '../../src/report/types.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.js';
import { promptStep, resourceStep, runLoad, toml, toolStep } from '../helpers/run-load.js';

const VUS = 4;
const DURATION_SECS = 1.5;

const SDK_SCENARIO = toml(
  { timeout_ms: 5000 },
  toolStep('echo', '{ message = "hi" }', 3),
  toolStep('add', '{ a = 2, b = 3 }', 3),
  resourceStep('fixture://static/hello', 2),
  promptStep('greet', '{ name = "Ada" }', 2),
);

const EVERYTHING_SCENARIO = toml(
  { timeout_ms: 5000 },
  toolStep('echo', '{ message = "hi" }', 3),
  toolStep('get-sum', '{ a = 2, b = 3 }', 3),
  resourceStep('demo://resource/static/document/architecture.md', 2),
  promptStep('simple-prompt', undefined, 1),
  promptStep('args-prompt', '{ city = "Paris" }', 1),
);

function expectCleanReport(report: Report): void {
  expect(validateReport(report)).toEqual({ valid: true });
  expect(report.error_samples).toEqual({});
  expect(report.metrics.error_count).toBe(0);
  expect(report.metrics.total_requests).toBeGreaterThan(0);
  expect(report.completed).toBe(true);
  expect(report.stop_reason).toBe('duration');
  expect(report.protocol.version).toBe('2025-11-25');
  expect(report.handshake.error_count).toBe(0);
}

describe.each([
  ['stateful-sse', 'sse'],
  ['stateful-json', 'json'],
] as const)('engine against the SDK server (%s)', (mode, responseType) => {
  let server: FixtureServer;
  let report: Report;

  beforeAll(async () => {
    server = await startSdkServer(mode);
    ({ report } = await runLoad(server.url, SDK_SCENARIO, {
      vus: VUS,
      durationSecs: DURATION_SECS,
    }));
  });
  afterAll(() => server.close());

  it('runs the mixed scenario with no errors and a schema-valid report', () => {
    expectCleanReport(report);
    expect(Object.keys(report.per_tool).sort()).toEqual([
      'add',
      'echo',
      'fixture://static/hello',
      'greet',
    ]);
  });

  it(`counts every response as ${responseType}`, () => {
    const { json, sse } = report.protocol.response_types;
    expect(responseType === 'sse' ? sse : json).toBe(report.metrics.total_requests);
    expect(responseType === 'sse' ? json : sse).toBe(0);
  });

  it('creates one session per VU and never re-initializes', () => {
    expect(report.handshake.sessions_created).toBe(VUS);
    expect(report.handshake.reinitializations).toBe(0);
    expect(server.stats().sessionsCreated).toBe(VUS);
  });

  it('ends every session with DELETE', () => {
    expect(report.handshake.sessions_closed).toBe(VUS);
    expect(server.stats().deletes).toBe(VUS);
  });

  it('sends exactly the requests it reports', () => {
    const stats = server.stats();
    // initialize per VU + the scenario requests; notifications/initialized counted apart.
    expect(stats.byMethod.initialize).toBe(VUS);
    expect(stats.byMethod['notifications/initialized']).toBe(VUS);
    const scenario =
      (stats.byMethod['tools/call'] ?? 0) +
      (stats.byMethod['resources/read'] ?? 0) +
      (stats.byMethod['prompts/get'] ?? 0);
    expect(scenario).toBe(report.metrics.total_requests);
  });
});

describe('engine against the stateless SDK server', () => {
  let server: FixtureServer;
  let report: Report;

  beforeAll(async () => {
    server = await startSdkServer('stateless');
    ({ report } = await runLoad(server.url, SDK_SCENARIO, {
      vus: VUS,
      durationSecs: DURATION_SECS,
    }));
  });
  afterAll(() => server.close());

  it('runs the mixed scenario with no errors and a schema-valid report', () => {
    expectCleanReport(report);
  });

  it('counts every response as sse (the stateless SDK default)', () => {
    expect(report.protocol.response_types).toEqual({ json: 0, sse: report.metrics.total_requests });
  });

  it('reports no session created or closed, and sends no DELETE, when the server has none', () => {
    expect(report.handshake.success_count).toBe(VUS);
    expect(report.handshake.sessions_created).toBe(0);
    expect(report.handshake.sessions_closed).toBe(0);
    expect(server.stats().deletes).toBe(0);
  });
});

describe('engine against server-everything', () => {
  let server: ServerEverything;
  let report: Report;

  beforeAll(async () => {
    server = await startServerEverything();
    ({ report } = await runLoad(server.url, EVERYTHING_SCENARIO, {
      vus: VUS,
      durationSecs: DURATION_SECS,
    }));
  });
  afterAll(() => server.close());

  it('runs the mixed scenario with no errors and a schema-valid report', () => {
    expectCleanReport(report);
    expect(Object.keys(report.per_tool).sort()).toEqual([
      'args-prompt',
      'demo://resource/static/document/architecture.md',
      'echo',
      'get-sum',
      'simple-prompt',
    ]);
  });

  it('counts every response as sse (server-everything never answers JSON)', () => {
    expect(report.protocol.response_types).toEqual({ json: 0, sse: report.metrics.total_requests });
  });

  it('creates one session per VU and closes each with DELETE', () => {
    expect(report.handshake.sessions_created).toBe(VUS);
    expect(report.handshake.sessions_closed).toBe(VUS);
    expect(report.protocol.server_info?.name).toMatch(/everything/i);
  });
});

describe('engine against SSE streams that carry notifications before the response', () => {
  let server: FixtureServer;
  beforeAll(async () => (server = await startSdkServer('stateful-sse')));
  afterAll(() => server.close());

  it('skips the notifications and matches the response by its id', async () => {
    // The fixture's `progress` tool always sends notifications/message before its result.
    const { report } = await runLoad(server.url, toml({}, toolStep('progress', '{ steps = 2 }')), {
      vus: 2,
      iterations: 50,
    });
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.metrics.success_count).toBe(50);
    expect(report.protocol.response_types.sse).toBe(50);
  });
});
