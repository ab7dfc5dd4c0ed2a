/**
 * One run on several worker threads (`run --workers N`), seen from the main thread as one
 * LoadRun: the same `start`, `stop`, `hardStop` and `done`, and one RunResult.
 *
 * Each thread runs a LoadRun (worker-thread.ts) on its part of the plan, split as shards are
 * (src/pipeline/ gives the parts). Every tick a thread posts its interval's figures; tick k of the
 * run is the sum of every thread's tick k (tick-merge.ts), so the timeline, the progress line and
 * the breaking point are computed here, once, on the merged figures, exactly as a single thread
 * computes them on its own. At the end the threads' metrics add (histograms without loss,
 * metrics-snapshot.ts) into one RunMetrics.
 *
 * Stopping: `stop` and `hardStop` are passed on to every thread. A thread that fails (an uncaught
 * error, an exit before its result) ends the run with WORKER_FAILED: the others are terminated,
 * and no report is made from part of the load.
 */
import { Worker } from 'node:worker_threads';
import type { LoadConfig } from '../config/types.js';
import { EXIT, LoadtestError } from '../errors.js';
import { absorbMetrics } from '../metrics/metrics-snapshot.js';
import { RunMetrics } from '../metrics/run-metrics.js';
import type { ProtocolProfile } from '../protocol/protocol-profile.js';
import type { Target } from '../protocol/target.js';
import type { Executor, StopReason } from './executor.js';
import type { LoadPlan } from './load-plan.js';
import {
  LoadRun,
  breakingPointAt,
  type BreakingPointResult,
  type RunResult,
  type RunTick,
} from './load-run.js';
import { RunTimeline } from './run-timeline.js';
import { TickMerge, type MergedTick } from './tick-merge.js';
import { combineResults } from './worker-results.js';
import type { FromWorker, ToWorker, WorkerResult } from './worker-messages.js';

export interface FleetOptions {
  target: Target;
  config: LoadConfig;
  /** The whole run's plan (what the report describes). */
  plan: LoadPlan;
  /** One plan per thread: the parts of `plan`. */
  parts: readonly LoadPlan[];
  protocol?: ProtocolProfile;
  onTick?: (tick: RunTick) => void;
  onBreakingPoint?: (bp: BreakingPointResult) => void;
  /** The worker script; default dist/worker.js (see WORKER_URL). */
  workerUrl?: URL;
}

/**
 * dist/worker.js beside the bundle that runs (dist/cli.js, dist/index.js); from the sources (the
 * tests), the one `npm run build` wrote, which the test setup builds first.
 */
export const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? '../../dist/worker.js' : './worker.js',
  import.meta.url,
);

/** A thread's hard stop is answered at once unless it is wedged: then it is terminated. */
const HARD_STOP_GRACE_MS = 2000;

interface Thread {
  worker: Worker;
  result: WorkerResult | null;
}

export class WorkerFleet {
  /** The whole plan's executor (never started): its shape, for the notes and the report. */
  readonly executor: Executor;
  readonly done: Promise<RunResult>;
  stopping = false;

  private readonly options: FleetOptions;
  /** The whole plan as one LoadRun would run it: its executor, step keys and model. */
  private readonly shape: LoadRun;
  private readonly threads: Thread[] = [];
  private readonly ticks: TickMerge;
  private readonly timeline = new RunTimeline();
  private totalRequests = 0;
  private totalErrors = 0;
  private totalDropped = 0;
  private stopReason: StopReason | null = null;
  private breakingPoint: BreakingPointResult | null = null;
  private t0 = 0;
  private startedAt = new Date();
  private settled = false;
  private resolveDone: (r: RunResult) => void = () => undefined;
  private rejectDone: (e: Error) => void = () => undefined;

  constructor(options: FleetOptions) {
    this.options = options;
    this.shape = new LoadRun({
      target: options.target,
      config: options.config,
      plan: options.plan,
    });
    this.executor = this.shape.executor;
    this.ticks = new TickMerge(options.parts.length, (tick) => this.addTick(tick));
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
  }

  get totalSecs(): number {
    return this.executor.totalSecs;
  }

  get plannedVus(): number {
    return this.executor.plannedVus;
  }

  start(): this {
    this.t0 = performance.now();
    this.startedAt = new Date();
    const { config, target, protocol } = this.options;
    // The main thread detects the breaking point on the merged timeline and stops the threads.
    const threadConfig = {
      ...config,
      settings: { ...config.settings, stopOnBreakingPoint: false },
    };
    const threadProtocol =
      protocol === undefined ? undefined : (({ stats: _stats, ...rest }) => rest)(protocol);
    this.options.parts.forEach((plan, i) => {
      const worker = new Worker(this.options.workerUrl ?? WORKER_URL, {
        workerData: { target, config: threadConfig, plan, protocol: threadProtocol },
      });
      const thread: Thread = { worker, result: null };
      this.threads.push(thread);
      worker.on('message', (message: FromWorker) => this.onMessage(i, message));
      worker.on('error', (err) => this.fail(i, err.message));
      worker.on('exit', (code) => {
        if (thread.result === null) this.fail(i, `it exited (code ${code}) before its result`);
      });
    });
    return this;
  }

  /** Graceful stop: every thread stops starting requests and drains its own. */
  stop(reason: StopReason): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopReason = reason;
    this.post({ type: 'stop', reason });
  }

  /** Immediate stop: each thread answers with its figures so far, or is terminated. */
  hardStop(): void {
    this.stopReason ??= 'interrupted';
    this.stopping = true;
    this.post({ type: 'hard-stop' });
    setTimeout(() => {
      const wedged = this.threads.findIndex((t) => t.result === null);
      if (wedged !== -1) this.fail(wedged, 'it did not answer a hard stop');
    }, HARD_STOP_GRACE_MS).unref();
  }

  private post(message: ToWorker): void {
    for (const t of this.threads) if (t.result === null) t.worker.postMessage(message);
  }

  private fail(index: number, why: string): void {
    if (this.settled) return;
    this.settled = true;
    for (const t of this.threads) void t.worker.terminate();
    this.rejectDone(
      new LoadtestError(
        'WORKER_FAILED',
        `worker thread ${index + 1} of ${this.threads.length} failed: ${why}; no report was written (a report of part of the load would mislead); run again, or with --workers 1`,
        { exitCode: EXIT.internal },
      ),
    );
  }

  private onMessage(index: number, message: FromWorker): void {
    if (this.settled) return;
    if (message.type === 'interval') return this.ticks.add(index, message);
    const thread = this.threads[index]!;
    thread.result = message.result;
    // Its sockets may keep a thread alive; its work is done.
    void thread.worker.terminate();
    if (this.threads.every((t) => t.result !== null)) this.finish();
  }

  private addTick({ figures, ctx, generatorSaturated }: MergedTick): void {
    this.totalRequests += figures.requests;
    this.totalErrors += figures.errors;
    this.totalDropped += figures.dropped;
    const detection = this.timeline.addTick(figures, ctx);
    const h = figures.successes;
    this.options.onTick?.({
      elapsedSecs: ctx.elapsedSecs,
      totalSecs: this.totalSecs,
      intervalSecs: ctx.intervalSecs,
      activeVus: ctx.activeVus,
      targetVus: ctx.targetVus,
      targetRate: ctx.targetRate,
      stage:
        ctx.stageIndex === null
          ? null
          : { index: ctx.stageIndex + 1, count: this.executor.stageCount },
      intervalRequests: figures.requests,
      intervalErrors: figures.errors,
      intervalDropped: figures.dropped,
      intervalP99Ms: h.totalCount > 0 ? h.getValueAtPercentile(99) / 1000 : null,
      totalRequests: this.totalRequests,
      totalErrors: this.totalErrors,
      totalDropped: this.totalDropped,
    });
    if (detection === null || this.stopping) return;
    const stop = this.options.config.settings.stopOnBreakingPoint;
    this.breakingPoint = breakingPointAt(detection, ctx, stop, generatorSaturated);
    this.options.onBreakingPoint?.(this.breakingPoint);
    if (stop) this.stop('breaking_point');
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    const results = this.threads.map((t) => t.result!);
    const last = this.ticks.lastInterval();
    const ctx = last.ctx ?? {
      elapsedSecs: (performance.now() - this.t0) / 1000,
      intervalSecs: 0,
      activeVus: 0,
      targetVus: 0,
      targetRate: null,
      stageIndex: null,
    };
    this.timeline.flush(last.figures, ctx);
    const { plan, target, protocol } = this.options;
    const metrics = new RunMetrics(this.shape.plan.keys, this.shape.pooled);
    for (const r of results) absorbMetrics(metrics, r.metrics);
    this.resolveDone(
      combineResults(results, {
        metrics,
        plan,
        executor: this.executor,
        target,
        protocol,
        stopReason: this.stopReason,
        startedAt: this.startedAt,
        durationSecs: (performance.now() - this.t0) / 1000,
        timeline: this.timeline,
        breakingPoint: this.breakingPoint,
      }),
    );
  }
}
