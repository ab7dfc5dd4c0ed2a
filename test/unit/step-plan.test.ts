import { describe, expect, it } from 'vitest';
import type { ScenarioStep } from '../../src/config/types.js';
import {
  laneRandom,
  pickStep,
  planSteps,
  seededRandom,
  type StepPlan,
} from '../../src/engine/step-plan.js';
import { McpConnection } from '../../src/protocol/mcp-connection.js';
import { requestBody } from '../../src/protocol/request-template.js';
import { makeTarget } from '../../src/protocol/target.js';

const tool = (name: string, weight: number, args?: Record<string, unknown>): ScenarioStep =>
  args === undefined
    ? { type: 'tools/call', weight, tool: name }
    : { type: 'tools/call', weight, tool: name, arguments: args };

/** Draws `n` steps with a seeded generator, as a virtual user does. */
function draw(plan: StepPlan, seed: number, n: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => pickStep(plan, random() * plan.totalWeight));
}

function counts(picks: readonly number[], steps: number): number[] {
  const out = new Array<number>(steps).fill(0);
  for (const p of picks) out[p]!++;
  return out;
}

/** The request a step turns into, parsed back from the bytes that would be sent. */
function sentBody(plan: StepPlan, step: number, id = 1): Record<string, unknown> {
  return JSON.parse(requestBody(plan.templates[step]!, id)) as Record<string, unknown>;
}

describe('step plan', () => {
  // The documented 80/7/7/6 mix, with weight-0 steps first, in the middle and last.
  const steps = [
    tool('never-first', 0),
    tool('search', 80),
    tool('get', 7),
    tool('never-middle', 0),
    tool('update', 7),
    tool('delete', 6),
    tool('never-last', 0),
  ];
  const plan = planSteps(steps);
  const DRAWS = 100_000;

  it('picks steps in proportion to their weights (chi-square over 100k seeded draws)', () => {
    const seen = counts(draw(plan, 42, DRAWS), steps.length);
    let chiSquare = 0;
    steps.forEach((step, i) => {
      if (step.weight === 0) return;
      const expectedCount = (DRAWS * step.weight) / plan.totalWeight;
      chiSquare += (seen[i]! - expectedCount) ** 2 / expectedCount;
    });
    // 3 degrees of freedom: P(chi² > 16.27) = 0.001. The draw is seeded, so this never flakes.
    expect(chiSquare).toBeLessThan(16.27);
  });

  it('never picks a weight-0 step', () => {
    const seen = counts(draw(plan, 7, DRAWS), steps.length);
    expect([seen[0], seen[3], seen[6]]).toEqual([0, 0, 0]);
  });

  it('never picks a weight-0 step at the exact boundaries of the cumulative weights', () => {
    const picked = [0, 80, 87, 94, 99.999999].map((r) => steps[pickStep(plan, r)]!.weight);
    expect(picked.every((w) => w > 0)).toBe(true);
  });

  it('gives the same sequence for the same seed', () => {
    expect(draw(plan, 123, 1000)).toEqual(draw(plan, 123, 1000));
  });

  it('gives a different sequence for a different seed', () => {
    expect(draw(plan, 123, 1000)).not.toEqual(draw(plan, 124, 1000));
  });

  it('sends no "arguments" key for a tools/call step without arguments', () => {
    const p = planSteps([tool('ping', 1)]);
    const raw = requestBody(p.templates[0]!, 1);
    expect(raw).not.toContain('arguments');
    expect(sentBody(p, 0)).toEqual({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'ping' },
    });
  });

  it('sends no "arguments" key for a prompts/get step without arguments', () => {
    const p = planSteps([{ type: 'prompts/get', weight: 1, prompt: 'plain' }]);
    expect(sentBody(p, 0).params).toEqual({ name: 'plain' });
  });

  it('sends the configured arguments of a step unchanged', () => {
    const args = { a: 42, b: 17, nested: { list: [1, 'x'] } };
    const p = planSteps([tool('add', 1, args)]);
    expect(sentBody(p, 0).params).toEqual({ name: 'add', arguments: args });
  });

  it('sends resources/read with the uri as its only param', () => {
    const p = planSteps([{ type: 'resources/read', weight: 1, uri: 'fixture://static/hello' }]);
    expect(sentBody(p, 0)).toMatchObject({
      method: 'resources/read',
      params: { uri: 'fixture://static/hello' },
    });
  });

  it('reports two steps of the same tool under one metric key', () => {
    const p = planSteps([tool('add', 1, { a: 1, b: 2 }), tool('add', 1, { a: 3, b: 4 })]);
    expect(p.keys).toEqual([{ name: 'add', operation: 'tools/call' }]);
    expect([...p.keyOf]).toEqual([0, 0]);
  });

  it('gives every request of a connection a different JSON-RPC id', () => {
    const conn = new McpConnection(makeTarget('http://127.0.0.1:9/mcp', {}), {
      timeoutMs: 1000,
      maxResponseBytes: 1024,
    });
    try {
      const ids = Array.from(
        { length: 1000 },
        (_, i) => sentBody(plan, 1 + (i % 5), conn.takeId()).id,
      );
      expect(new Set(ids).size).toBe(1000);
    } finally {
      void conn.client.destroy();
    }
  });
});

describe('lanes of the step stream', () => {
  it('lanes 0..N-1 of one seed take turns and together draw exactly the whole stream', () => {
    const whole = seededRandom(99);
    const expected = Array.from({ length: 30 }, () => whole());
    for (const count of [1, 2, 3, 7]) {
      const lanes = Array.from({ length: count }, (_, index) =>
        laneRandom({ seed: 99, index, count }),
      );
      const interleaved = Array.from({ length: 30 }, (_, k) => lanes[k % count]!());
      expect(interleaved).toEqual(expected);
    }
  });

  it('a lane of a lane is the lane of the whole it interleaves to (threads within a shard)', () => {
    const whole = seededRandom(5);
    const draws = Array.from({ length: 24 }, () => whole());
    // Lane 1 of 2, split again in 3: its part 2 draws 1 + (2 + 3j)·2 = 5, 11, 17, 23.
    const nested = laneRandom({ seed: 5, index: 1 + 2 * 2, count: 2 * 3 });
    expect([nested(), nested(), nested(), nested()]).toEqual([5, 11, 17, 23].map((k) => draws[k]));
  });
});
