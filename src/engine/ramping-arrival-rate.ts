/**
 * `ramping-arrival-rate` (open model): `[[stage]] target_rate` blocks move the rate linearly
 * from `arrival_rate` (the start rate) to each stage's target in turn, the way `target_vus`
 * moves VUs (see arrival-schedule.ts for how due times follow a ramp).
 */
import type { RateStage } from '../config/types.js';
import { ArrivalRate } from './arrival-rate.js';
import { ArrivalSchedule } from './arrival-schedule.js';
import type { ExecutorHost } from './executor.js';

export interface RampingArrivalRatePlan {
  readonly startRate: number;
  readonly stages: readonly RateStage[];
  readonly preAllocatedVus: number;
  readonly maxVus: number;
}

export function rampingArrivalRate(host: ExecutorHost, plan: RampingArrivalRatePlan): ArrivalRate {
  const schedule = ArrivalSchedule.ramping(plan.startRate, plan.stages);
  return new ArrivalRate('ramping-arrival-rate', host, { ...plan, schedule }, true);
}
