/**
 * `run --shard I/N`: the I-th (1-based) of N equal parts of one load, so N processes on N
 * machines together send what one process would (README "Shards and merge").
 *
 * Split rules (pure, exact):
 * - counts (VUs, each stage's target_vus, max_vus, the pre-allocated sessions, --iterations) are
 *   split in integers that add up to the whole: each shard gets floor(total / N), and the
 *   remainder goes one each to the first shards (10 over 3 → 4, 3, 3);
 * - rates (arrival_rate, each stage's target_rate) are divided by N: a rate is not a count, and
 *   N schedules of rate/N start as many steps per second as one of the whole rate;
 * - each shard draws its step mix from its own seed stream, derived from the seed and I, so the
 *   shards do not repeat each other's sequence; one shard of one (1/1) keeps the seed itself.
 *
 * A split that would leave a shard with nothing to do (2 VUs over 3 shards) is refused: that
 * shard's report would measure no load, and its handshake-only run would distort the merge.
 */
import type { LoadPlan } from '../engine/load-plan.js';
import type { Misuse } from './resolve-plan.js';

export interface ShardSpec {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** More shards than this is a typo, not a fleet (each shard is at least one VU). */
export const MAX_SHARDS = 10_000;

/**
 * `I/N` (spaces allowed around the slash) → the shard, or null unless 1 <= I <= N <= MAX_SHARDS.
 * One rule for `run --shard` and the action's `shard` input; each says the error its own way.
 */
export function parseShard(text: string): ShardSpec | null {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) return null;
  return { index, count };
}

/** Shard `index` (1-based) of `count` equal integer parts of `total`; the first get the remainder. */
export function shareOf(total: number, index: number, count: number): number {
  const base = Math.floor(total / count);
  return base + (index <= total % count ? 1 : 0);
}

/** The seed stream of shard `index`: distinct per shard, the seed itself for a single shard. */
export function shardSeed(seed: number, shard: ShardSpec): number {
  if (shard.count === 1) return seed;
  // A multiplicative hash of the index (golden-ratio constant, as in step-plan's per-VU streams),
  // mixed into the seed: shards of one seed differ, and one shard stays reproducible.
  return (Math.imul(seed ^ Math.imul(shard.index, 0x9e3779b1), 0x85ebca6b) ^ shard.count) >>> 0;
}

export function shardPlan(plan: LoadPlan, shard: ShardSpec, misuse: Misuse): LoadPlan {
  const { index, count } = shard;
  if (count === 1) return plan;
  const tooFew = (what: string, total: number): never => {
    throw misuse(
      'shard',
      `${index}/${count} leaves shard ${count} with no load: ${what} ${total} cannot be split into ${count} shards of at least 1; use at most ${total} shards`,
    );
  };
  const iterations = plan.iterations === null ? null : shareOf(plan.iterations, index, count);
  if (plan.iterations !== null && plan.iterations < count) tooFew('--iterations', plan.iterations);
  const common = { iterations, seed: shardSeed(plan.seed, shard) };
  if (plan.ratePerSec === null) {
    const peak =
      plan.stages.length > 0 ? Math.max(...plan.stages.map((s) => s.targetVus)) : plan.vus;
    if (peak < count) tooFew(plan.stages.length > 0 ? 'the peak target_vus' : 'VUs', peak);
    return {
      ...plan,
      vus: shareOf(plan.vus, index, count),
      stages: plan.stages.map((s) => ({ ...s, targetVus: shareOf(s.targetVus, index, count) })),
      ...common,
    };
  }
  const maxVus = plan.maxVus!;
  if (maxVus < count) tooFew('max_vus', maxVus);
  const shardMaxVus = shareOf(maxVus, index, count);
  return {
    ...plan,
    // The sessions initialized before the schedule: at least one, within the shard's max_vus.
    vus: Math.min(shardMaxVus, Math.max(1, shareOf(plan.vus, index, count))),
    maxVus: shardMaxVus,
    ratePerSec: plan.ratePerSec / count,
    rateStages: plan.rateStages.map((s) => ({ ...s, targetRate: s.targetRate / count })),
    ...common,
  };
}
