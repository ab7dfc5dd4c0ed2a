/**
 * Config + command-line (or action-input) overrides → the LoadPlan the engine runs. The one home
 * of the rules that tie flags to the config's model:
 *
 * - a `[[stage]] target_vus` config sets the VUs and the duration itself: `--vus`, `--duration`
 *   and `--rate` do not apply;
 * - a `[[stage]] target_rate` config sets the duration: `--duration` does not apply; `--rate`
 *   sets its start rate and `--vus` its pre-allocated sessions;
 * - `--rate` (or `arrival_rate`) selects the open model; `--max-vus` applies only there.
 *
 * max_vus default: enough sessions to keep the schedule through a 2-second stall at the peak rate
 * (2 × peak rate), and at least ten times `virtual_users`; capped at the VU limit.
 */
import { LIMITS } from '../config/config-rules.js';
import type { LoadConfig } from '../config/types.js';
import type { ExecutorName } from '../engine/executor.js';
import type { LoadPlan } from '../engine/load-plan.js';
import type { LoadtestError } from '../errors.js';
import type { ShardSpec } from './shard-plan.js';

export interface PlanOverrides {
  vus?: number;
  durationSecs?: number;
  ratePerSec?: number;
  maxVus?: number;
  iterations?: number | null;
  seed: number;
  /** `--shard I/N`: run the I-th of N equal parts of the plan (shard-plan.ts). */
  shard?: ShardSpec;
  /** `--workers N|auto`: run on that many worker threads (worker-plans.ts); absent: one thread. */
  workers?: number | 'auto';
}

export type PlanKey =
  'vus' | 'duration' | 'rate' | 'max-vus' | 'shard' | 'workers' | 'baseline-url' | 'rounds';

/** Builds the usage error for an override that does not apply (`what` says why). */
export type Misuse = (key: PlanKey, what: string) => LoadtestError;

/** Seconds of a stall at the peak rate the default max_vus keeps the schedule through. */
const STALL_SECS = 2;
const MIN_SESSIONS_PER_VU = 10;

export function defaultMaxVus(peakRate: number, vus: number): number {
  const wanted = Math.max(MIN_SESSIONS_PER_VU * vus, Math.ceil(STALL_SECS * peakRate));
  return Math.min(LIMITS.maxVirtualUsers, Math.max(1, wanted));
}

export function resolvePlan(config: LoadConfig, o: PlanOverrides, misuse: Misuse): LoadPlan {
  const s = config.settings;
  const vuStages = config.stages.length;
  const rateStages = config.rateStages.length;
  if (vuStages > 0) {
    const key =
      o.vus !== undefined
        ? 'vus'
        : o.durationSecs !== undefined
          ? 'duration'
          : o.ratePerSec !== undefined
            ? 'rate'
            : undefined;
    if (key !== undefined) {
      throw misuse(
        key,
        `does not apply to a staged config: its ${vuStages} [[stage]] blocks set the VUs and the duration`,
      );
    }
  }
  if (rateStages > 0 && o.durationSecs !== undefined) {
    throw misuse(
      'duration',
      `does not apply to a staged config: its ${rateStages} [[stage]] blocks set the duration`,
    );
  }
  const ratePerSec = o.ratePerSec ?? s.arrivalRate;
  if (ratePerSec === null && o.maxVus !== undefined) {
    throw misuse(
      'max-vus',
      'applies only to the open model: set an arrival rate with --rate or [settings] arrival_rate',
    );
  }
  const vus = o.vus ?? s.virtualUsers;
  const common = { iterations: o.iterations ?? null, seed: o.seed };
  if (ratePerSec === null) {
    const executor: ExecutorName = vuStages > 0 ? 'ramping-vus' : 'constant-vus';
    return {
      executor,
      vus,
      durationSecs: o.durationSecs ?? s.durationSecs,
      stages: config.stages,
      ratePerSec: null,
      rateStages: [],
      maxVus: null,
      ...common,
    };
  }
  const peakRate = Math.max(ratePerSec, ...config.rateStages.map((st) => st.targetRate));
  const maxVus = o.maxVus ?? s.maxVus ?? defaultMaxVus(peakRate, vus);
  return {
    executor: rateStages > 0 ? 'ramping-arrival-rate' : 'constant-arrival-rate',
    vus: Math.min(vus, maxVus),
    durationSecs: o.durationSecs ?? s.durationSecs,
    stages: [],
    ratePerSec,
    rateStages: config.rateStages,
    maxVus,
    ...common,
  };
}
