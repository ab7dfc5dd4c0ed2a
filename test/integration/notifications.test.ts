/**
 * Progress and logging notifications counted per step (MCP "Progress", "Logging"), with the time
 * to the first byte and to the first progress notification of long-running tools, against
 * server-everything's trigger-long-running-operation and the SDK fixture's `progress` tool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.js';
import { runDetected } from '../helpers/run-load.js';

const SETTINGS = '[settings]\nvirtual_users = 2\nduration_secs = 60\ntimeout_ms = 5000\n';
const ITERATIONS = 4;

function step(tool: string, args: string, progress: boolean): string {
  return [
    '[[scenario]]',
    'type = "tools/call"',
    `tool = "${tool}"`,
    `arguments = ${args}`,
    ...(progress ? ['progress = true'] : []),
    '',
  ].join('\n');
}

describe('notifications against server-everything', () => {
  let server: ServerEverything;
  beforeAll(async () => (server = await startServerEverything()));
  afterAll(async () => server.close());

  const LONG = 'trigger-long-running-operation';
  const ARGS = '{ duration = 0.2, steps = 2 }';

  it('counts the progress notifications a long-running tool sends for a progressToken, with first-byte and first-progress times', async () => {
    const { report } = await runDetected(server.url, SETTINGS + step(LONG, ARGS, true), {
      iterations: ITERATIONS,
    });
    expect(report.metrics.error_count).toBe(0);
    expect(report.config.scenario[0]).toMatchObject({ tool: LONG, progress: true });
    const notes = report.per_tool[LONG]!.notifications!;
    expect(notes.progress).toBe(ITERATIONS * 2);
    expect(notes.logging).toBe(0);
    expect(notes.first_byte!.count).toBe(ITERATIONS);
    expect(notes.first_progress!.count).toBe(ITERATIONS);
    // Order, not speed: the first progress comes on the stream whose headers came first.
    expect(notes.first_progress!.min_ms).toBeGreaterThanOrEqual(notes.first_byte!.min_ms);
    expect(notes.first_progress!.mean_ms).toBeGreaterThanOrEqual(notes.first_byte!.mean_ms);
    expect(notes.first_progress!.max_ms).toBeGreaterThanOrEqual(notes.first_progress!.mean_ms);
  });

  it('reports no notifications when the step does not ask for progress', async () => {
    const { report } = await runDetected(server.url, SETTINGS + step(LONG, ARGS, false), {
      iterations: 2,
    });
    expect(report.metrics.error_count).toBe(0);
    expect(report.per_tool[LONG]!.notifications).toBeUndefined();
  });
});

describe('notifications against the SDK server', () => {
  let server: FixtureServer;
  beforeAll(async () => (server = await startSdkServer('stateful-sse')));
  afterAll(async () => server.close());

  it('counts logging notifications alongside progress ones, per step', async () => {
    const { report } = await runDetected(
      server.url,
      SETTINGS + step('progress', '{ steps = 3 }', true),
      { iterations: ITERATIONS },
    );
    expect(report.metrics.error_count).toBe(0);
    expect(report.per_tool.progress!.notifications).toMatchObject({
      progress: ITERATIONS * 3,
      logging: ITERATIONS,
      first_progress: { count: ITERATIONS },
    });
  });

  it('counts logging notifications of a step that asked for no progress, without times', async () => {
    const { report } = await runDetected(
      server.url,
      SETTINGS + step('progress', '{ steps = 3 }', false),
      { iterations: ITERATIONS },
    );
    expect(report.per_tool.progress!.notifications).toEqual({ progress: 0, logging: ITERATIONS });
  });
});
