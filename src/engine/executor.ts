/**
 * Executors decide the shape of the load, as k6's do (`lib/executor/`): one file per executor,
 * each with its own plan and run loop, all behind this interface. The run (`LoadRun`) owns
 * what they share: VUs and their sessions, timeouts, metrics, the timeline, stopping; it lends
 * VUs to the executor through `ExecutorHost`.
 *
 * - closed model (`constant-vus`, `ramping-vus`): a VU sends its next request when the previous
 *   one ends; the executor only keeps the VU count on its target.
 * - open model (`constant-arrival-rate`, `ramping-arrival-rate`): steps start on a clock, whatever
 *   the server does; VUs are pooled sessions lent one step at a time (see arrival-rate.ts).
 */
import type { RunMetrics } from '../metrics/run-metrics.js';
import type { Clock } from './clock.js';
import type { GeneratorCheck } from './generator-check.js';
import type { StepPlan } from './step-plan.js';

export type LoadModel = 'closed' | 'open';

export type ExecutorName =
  'constant-vus' | 'ramping-vus' | 'constant-arrival-rate' | 'ramping-arrival-rate';

export type StopReason =
  'duration' | 'iterations' | 'interrupted' | 'no_session' | 'breaking_point';

/** A VU as an executor sees it. */
export interface ExecutorVu {
  /** Open model: run one step that was due at `dueMs` (clock time). */
  runStep(step: number, dueMs: number): void;
  /** Open model: end an idle VU now. */
  endIdle(): void;
}

/** What the run lends its executor. */
export interface ExecutorHost {
  readonly clock: Clock;
  readonly plan: StepPlan;
  readonly metrics: RunMetrics;
  readonly generator: GeneratorCheck;
  readonly seed: number;
  readonly stopping: boolean;
  /** Seconds since the run started. */
  elapsedSecs(): number;
  /** VUs started and not yet retired or finished. */
  readonly liveCount: number;
  /** Starts a new VU (it does its own initialize). */
  spawn(): ExecutorVu;
  /** Ramp-down: the newest live VU finishes its request, then ends. */
  retireNewest(): void;
  /**
   * Claims one step of the --iterations budget; false when it is used up. In the closed model
   * taking the last one stops the run a microtask later (the caller still starts that step); in
   * the open model the executor stops the run once the steps it started have run.
   */
  takeIteration(): boolean;
  /** The next step of the run's seeded stream (after a successful `takeIteration`). */
  nextStep(): number;
  /** What is left of the --iterations budget (Infinity without one). */
  readonly iterationsLeft: number;
  stop(reason: StopReason): void;
}

export interface Executor {
  readonly name: ExecutorName;
  readonly model: LoadModel;
  /** Seconds of load the plan asks for. */
  readonly totalSecs: number;
  /** Most VUs the plan may use: the flat count, the stages' peak, or max_vus. */
  readonly plannedVus: number;
  /** Open model: the peak rate, steps per second; null for the closed model. */
  readonly peakRate: number | null;
  /** Stage count (0 when flat). */
  readonly stageCount: number;
  start(): void;
  /** Called every control tick (100 ms) with the seconds since the run started. */
  control(elapsedSecs: number): void;
  /** The VU target at `elapsedSecs` (open model: max_vus). */
  targetVusAt(elapsedSecs: number): number;
  /** The scheduled rate at `elapsedSecs`; null for the closed model. */
  targetRateAt(elapsedSecs: number): number | null;
  /** 0-based stage at `elapsedSecs`; null for a flat plan. */
  stageAt(elapsedSecs: number): number | null;
  /** Open model: a VU has a session and is free (after its handshake or a step). */
  onVuIdle(vu: ExecutorVu): void;
  /** A VU's first handshake attempt failed (it may retry). */
  onHandshakeFailed(vu: ExecutorVu): void;
  onVuFinished(vu: ExecutorVu): void;
  /** The run is stopping: start nothing more. */
  stop(): void;
}
