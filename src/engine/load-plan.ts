/**
 * What one run is asked to do, resolved from the config and the command line (see
 * src/pipeline/resolve-plan.ts): which executor, and its figures. `createExecutor` is the one
 * place that maps a plan to its executor.
 */
import type { RateStage, Stage } from '../config/types.js';
import { constantArrivalRate } from './constant-arrival-rate.js';
import { ConstantVus } from './constant-vus.js';
import type { Executor, ExecutorHost, ExecutorName, LoadModel } from './executor.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';
import { RampingVus } from './ramping-vus.js';
import type { StepLane } from './step-plan.js';

export interface LoadPlan {
  readonly executor: ExecutorName;
  /** constant-vus: the VUs; open model: the sessions initialized before the schedule starts. */
  readonly vus: number;
  /** constant-vus and constant-arrival-rate. */
  readonly durationSecs: number;
  /** ramping-vus. */
  readonly stages: readonly Stage[];
  /** Open model: the constant rate, or the ramp's start rate (steps per second). */
  readonly ratePerSec: number | null;
  /** ramping-arrival-rate. */
  readonly rateStages: readonly RateStage[];
  /** Open model: most sessions the pool may hold. */
  readonly maxVus: number | null;
  readonly iterations: number | null;
  readonly seed: number;
  /**
   * The draws of the step stream this run takes (a worker thread's lane, worker-plans in
   * src/pipeline/); absent: all of the stream of `seed`.
   */
  readonly stepLane?: StepLane;
}

export function modelOf(executor: ExecutorName): LoadModel {
  return executor === 'constant-vus' || executor === 'ramping-vus' ? 'closed' : 'open';
}

export function createExecutor(plan: LoadPlan, host: ExecutorHost): Executor {
  switch (plan.executor) {
    case 'constant-vus':
      return new ConstantVus(host, plan);
    case 'ramping-vus':
      return new RampingVus(host, plan.stages);
    case 'constant-arrival-rate':
      return constantArrivalRate(host, {
        ratePerSec: plan.ratePerSec!,
        durationSecs: plan.durationSecs,
        preAllocatedVus: plan.vus,
        maxVus: plan.maxVus!,
      });
    case 'ramping-arrival-rate':
      return rampingArrivalRate(host, {
        startRate: plan.ratePerSec!,
        stages: plan.rateStages,
        preAllocatedVus: plan.vus,
        maxVus: plan.maxVus!,
      });
  }
}
