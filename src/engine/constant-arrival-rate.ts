/**
 * `constant-arrival-rate` (open model): `arrival_rate` steps per second for `duration_secs`,
 * on a fixed schedule whatever the server does (see arrival-rate.ts for the run loop).
 */
import { ArrivalRate } from './arrival-rate.js';
import { ArrivalSchedule } from './arrival-schedule.js';
import type { ExecutorHost } from './executor.js';

export interface ConstantArrivalRatePlan {
  readonly ratePerSec: number;
  readonly durationSecs: number;
  readonly preAllocatedVus: number;
  readonly maxVus: number;
}

export function constantArrivalRate(
  host: ExecutorHost,
  plan: ConstantArrivalRatePlan,
): ArrivalRate {
  const schedule = ArrivalSchedule.constant(plan.ratePerSec, plan.durationSecs);
  return new ArrivalRate('constant-arrival-rate', host, { ...plan, schedule }, false);
}
