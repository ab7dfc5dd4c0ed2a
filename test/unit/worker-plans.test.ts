import { describe, expect, it } from 'vitest';
import type { LoadPlan } from '../../src/engine/load-plan.js';
import { LoadtestError } from '../../src/errors.js';
import { autoWorkers, workerCount, workerPlans } from '../../src/pipeline/worker-plans.js';

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
  iterations: 301,
  seed: 42,
};

const open: LoadPlan = {
  ...closed,
  executor: 'constant-arrival-rate',
  vus: 2,
  ratePerSec: 300,
  maxVus: 40,
  iterations: null,
};

describe('worker plans', () => {
  it('split VUs and iterations exactly, as shards do', () => {
    const parts = workerPlans(closed, 3, misuse);
    expect(parts.map((p) => p.vus)).toEqual([4, 3, 3]);
    expect(parts.map((p) => p.iterations)).toEqual([101, 100, 100]);
  });

  it('divide the rate and max_vus over the threads', () => {
    const parts = workerPlans(open, 2, misuse);
    expect(parts.map((p) => p.ratePerSec)).toEqual([150, 150]);
    expect(parts.map((p) => p.maxVus)).toEqual([20, 20]);
  });

  it('give thread i lane i of the seed, so the threads draw the one stream in turn', () => {
    const parts = workerPlans(closed, 3, misuse);
    expect(parts.map((p) => p.stepLane)).toEqual(
      [0, 1, 2].map((index) => ({ seed: 42, index, count: 3 })),
    );
  });

  it('split a lane again within a shard that already has one', () => {
    const shard = { ...closed, stepLane: { seed: 42, index: 1, count: 2 } };
    expect(workerPlans(shard, 2, misuse).map((p) => p.stepLane)).toEqual([
      { seed: 42, index: 1, count: 4 },
      { seed: 42, index: 3, count: 4 },
    ]);
  });

  it('refuse more threads than VUs, saying how many the run allows', () => {
    expect(() => workerCount({ ...closed, vus: 2 }, 3, misuse)).toThrow(
      'run: --workers 3 leaves a worker thread with no load: this run has 2 VUs at its peak, at least one per thread; use at most 2 threads',
    );
  });

  it('refuse more threads than iterations', () => {
    expect(() => workerCount({ ...closed, iterations: 2 }, 3, misuse)).toThrow(
      'this run has 2 iterations, at least one per thread; use at most 2 threads',
    );
  });

  it('auto takes the cores minus one, at least one', () => {
    expect([1, 2, 8].map((cores) => autoWorkers(cores))).toEqual([1, 1, 7]);
  });

  it('auto never asks for more threads than the run has VUs', () => {
    expect(workerCount({ ...closed, vus: 1, iterations: null }, 'auto', misuse)).toBe(1);
  });
});
