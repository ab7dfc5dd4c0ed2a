/**
 * `run --workers N|auto`: one plan → N parts, one per worker thread (engine/worker-fleet.ts).
 *
 * The parts are shards' parts (shard-plan.ts: VUs, rate and --iterations split exactly), with
 * one difference: the step mix. Shards draw from streams of their own; worker threads share the
 * run's one stream in lanes (engine/step-plan.ts `laneRandom`), thread i taking draws i, i + N, …
 * As --iterations is split with the remainder to the first parts, the threads together draw the
 * stream's first --iterations steps: the same seed and iterations give the same step mix (count
 * per tool) as one thread.
 */
import { availableParallelism } from 'node:os';
import type { LoadPlan } from '../engine/load-plan.js';
import type { Misuse } from './resolve-plan.js';
import { shardPlan } from './shard-plan.js';

/** More threads than this is a typo, not a machine (each thread holds its own sockets). */
export const MAX_WORKERS = 256;

/** `auto`: the cores available minus one for the main thread, at least one. */
export function autoWorkers(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/** Most parts a plan splits into with at least one VU, session and iteration each. */
export function mostWorkers(plan: LoadPlan): number {
  const sessions =
    plan.ratePerSec !== null
      ? plan.maxVus!
      : plan.stages.length > 0
        ? Math.max(...plan.stages.map((s) => s.targetVus))
        : plan.vus;
  return Math.min(sessions, plan.iterations ?? Infinity);
}

/**
 * The thread count for a plan: `auto` is capped at what the plan can split into; a number that
 * leaves a thread with no load is refused, as `--shard` refuses it.
 */
export function workerCount(plan: LoadPlan, requested: number | 'auto', misuse: Misuse): number {
  const most = mostWorkers(plan);
  if (requested === 'auto') return Math.max(1, Math.min(autoWorkers(), most));
  if (requested > most) {
    throw misuse(
      'workers',
      `${requested} leaves a worker thread with no load: this run has ${most} ${plan.iterations !== null && plan.iterations === most ? 'iterations' : plan.ratePerSec !== null ? 'max_vus sessions' : 'VUs at its peak'}, at least one per thread; use at most ${most} threads`,
    );
  }
  return requested;
}

export function workerPlans(plan: LoadPlan, count: number, misuse: Misuse): LoadPlan[] {
  const parent = plan.stepLane ?? { seed: plan.seed, index: 0, count: 1 };
  return Array.from({ length: count }, (_, i) => ({
    ...shardPlan(plan, { index: i + 1, count }, misuse),
    // Lane i of `count` within the parent's lane: draws parent.index + (i + j·count)·parent.count.
    stepLane: {
      seed: parent.seed,
      index: parent.index + i * parent.count,
      count: parent.count * count,
    },
  }));
}
