import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LoadPlan } from '../../src/engine/load-plan.js';
import { LoadtestError } from '../../src/errors.js';
import { shardPlan, shardSeed, shareOf } from '../../src/pipeline/shard-plan.js';

const misuse = (key: string, what: string): LoadtestError =>
  new LoadtestError('USAGE', `run: --${key} ${what}`);

const closed: LoadPlan = {
  executor: 'constant-vus',
  vus: 10,
  durationSecs: 30,
  stages: [],
  ratePerSec: null,
  rateStages: [],
  maxVus: null,
  iterations: 100,
  seed: 42,
};

const open: LoadPlan = {
  executor: 'ramping-arrival-rate',
  vus: 5,
  durationSecs: 30,
  stages: [],
  ratePerSec: 30,
  rateStages: [
    { targetRate: 90, durationSecs: 10 },
    { targetRate: 0, durationSecs: 5 },
  ],
  maxVus: 20,
  iterations: null,
  seed: 42,
};

const shards = (plan: LoadPlan, count: number): LoadPlan[] =>
  Array.from({ length: count }, (_, i) => shardPlan(plan, { index: i + 1, count }, misuse));

describe('shard plan', () => {
  it('10 over 3 gives 4, 3, 3: the remainder goes to the first shards', () => {
    expect([1, 2, 3].map((i) => shareOf(10, i, 3))).toEqual([4, 3, 3]);
  });

  it('integer shares always add up to the whole and differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 500 }),
        (total, count) => {
          const parts = Array.from({ length: count }, (_, i) => shareOf(total, i + 1, count));
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('closed model: VUs and iterations split exactly', () => {
    const parts = shards(closed, 3);
    expect(parts.map((p) => p.vus)).toEqual([4, 3, 3]);
    expect(parts.map((p) => p.iterations)).toEqual([34, 33, 33]);
  });

  it('closed model: every stage target splits exactly', () => {
    const staged: LoadPlan = {
      ...closed,
      executor: 'ramping-vus',
      stages: [
        { targetVus: 7, durationSecs: 5 },
        { targetVus: 3, durationSecs: 5 },
      ],
    };
    const parts = shards(staged, 3);
    expect(parts.map((p) => p.stages.map((s) => s.targetVus))).toEqual([
      [3, 1],
      [2, 1],
      [2, 1],
    ]);
  });

  it('open model: rates divide by N, max_vus splits exactly', () => {
    const parts = shards(open, 3);
    expect(parts.map((p) => p.ratePerSec)).toEqual([10, 10, 10]);
    expect(parts.map((p) => p.rateStages.map((s) => s.targetRate))).toEqual([
      [30, 0],
      [30, 0],
      [30, 0],
    ]);
    expect(parts.map((p) => p.maxVus)).toEqual([7, 7, 6]);
    expect(parts.map((p) => p.vus)).toEqual([2, 2, 1]);
  });

  it('each shard draws from its own seed stream, the same for the same index', () => {
    const seeds = shards(closed, 4).map((p) => p.seed);
    expect(new Set(seeds).size).toBe(4);
    expect(shardSeed(42, { index: 2, count: 4 })).toBe(seeds[1]);
  });

  it('one shard of one is the plan itself', () => {
    expect(shardPlan(closed, { index: 1, count: 1 }, misuse)).toBe(closed);
  });

  it('refuses a split that leaves a shard without VUs', () => {
    expect(() => shardPlan({ ...closed, vus: 2 }, { index: 1, count: 3 }, misuse)).toThrow(
      'run: --shard 1/3 leaves shard 3 with no load: VUs 2 cannot be split into 3 shards of at least 1; use at most 2 shards',
    );
  });

  it('refuses a split that leaves a shard without iterations', () => {
    expect(() => shardPlan({ ...closed, iterations: 2 }, { index: 2, count: 3 }, misuse)).toThrow(
      'run: --shard 2/3 leaves shard 3 with no load: --iterations 2 cannot be split into 3 shards of at least 1; use at most 2 shards',
    );
  });
});
