/**
 * One load-test run: the machinery every executor shares. The executor (executor.ts) decides the
 * shape of the load; the run owns the VUs and their sessions, the timeout sweeper, the metrics,
 * the one-second ticks that feed the timeline and the breaking-point detector, and stopping.
 *
 * Ending: the duration (checked by the executor on each control tick), the --iterations budget,
 * the breaking point (stop_on_breaking_point), no session, or `stop()`. New requests stop at once;
 * requests in flight drain, each bounded by its own timeout (the sweeper enforces it); sessions
 * are ended with DELETE; the run resolves. `hardStop()` (a second Ctrl+C) does not wait: it
 * returns the figures so far, with the requests still in flight counted apart.
 *
 * A run in which no session was ever established ends as `no_session`, whatever else ended it
 * (an address where nothing answers can otherwise run out its duration with every handshake
 * still pending). Only an interruption keeps its own reason.
 *
 * Timeouts: one interval timer sweeps all exchanges (no timer per request); its period is a
 * twentieth of timeout_ms, between 5 and 250 ms, so a timeout fires at most 5% late.
 */
import type { LoadConfig } from '../config/types.js';
import type { Detection } from '../metrics/breaking-point.js';
import { RunMetrics, type IntervalFigures } from '../metrics/run-metrics.js';
import type { ServerInfo } from '../protocol/mcp-connection.js';
import type { ProtocolProfile } from '../protocol/protocol-profile.js';
import { redactSecrets, type Target } from '../protocol/target.js';
import type { TransportPool } from '../protocol/shared-transport.js';
import { realClock, type Clock } from './clock.js';
import type { Executor, ExecutorHost, LoadModel, StopReason } from './executor.js';
import { GeneratorCheck, type GeneratorFigures } from './generator-check.js';
import { createExecutor, modelOf, type LoadPlan } from './load-plan.js';
import type { RunContext } from './run-context.js';
import {
  RunTimeline,
  type StageTotals,
  type TickContext,
  type TimelinePoint,
} from './run-timeline.js';
import { laneRandom, pickStep, planSteps, type StepPlan } from './step-plan.js';
import { VirtualUser } from './virtual-user.js';

export type { StopReason } from './executor.js';

export interface RunOptions {
  target: Target;
  config: LoadConfig;
  plan: LoadPlan;
  clock?: Clock;
  /** Called about once a second with the figures of the last interval. */
  onTick?: (tick: RunTick) => void;
  /**
   * Called with each interval's figures as they are taken: every tick (`final` false), and the
   * last, partial interval when the run ends (`final` true). A worker thread posts them to the
   * main thread (worker-thread.ts), which merges the threads' intervals into one timeline.
   */
  onInterval?: (interval: RunInterval) => void;
  /** Called once, when the breaking point is detected. */
  onBreakingPoint?: (bp: BreakingPointResult) => void;
  /** What the connections speak (detectProtocol, once per run); absent: the 2025 era. */
  protocol?: ProtocolProfile;
  /** stdio: the server processes the VUs share (created and stopped by the pipeline). */
  transports?: TransportPool;
}

/** One interval's figures as taken (RunOptions.onInterval). */
export interface RunInterval {
  figures: IntervalFigures;
  ctx: TickContext;
  /** The last, partial interval, taken when the run ended. */
  final: boolean;
  /** The load generator was saturated in the interval (generator-check.ts). */
  generatorSaturated: boolean;
}

export interface RunTick {
  elapsedSecs: number;
  totalSecs: number;
  intervalSecs: number;
  /** VUs with a working session. */
  activeVus: number;
  targetVus: number;
  /** Open model: the scheduled rate now; null for the closed model. */
  targetRate: number | null;
  /** 1-based stage and stage count; null for a flat run. */
  stage: { index: number; count: number } | null;
  intervalRequests: number;
  intervalErrors: number;
  /** Open model: steps dropped in the interval. */
  intervalDropped: number;
  intervalP99Ms: number | null;
  /** The run's totals so far. */
  totalRequests: number;
  totalErrors: number;
  totalDropped: number;
}

export interface BreakingPointResult extends Detection {
  vus: number;
  targetVus: number;
  /** Open model: the scheduled rate at detection; null for the closed model. */
  rate: number | null;
  timestamp: string;
  elapsedSecs: number;
  /** 1-based, null for a flat run. */
  stage: number | null;
  stoppedRun: boolean;
  /** The load generator itself was saturated in the interval of the detection. */
  generatorSaturated: boolean;
}

export interface RunResult {
  metrics: RunMetrics;
  model: LoadModel;
  plan: LoadPlan;
  /** What the run was asked for: flat VUs or the stages' peak (max_vus in the open model). */
  plannedVus: number;
  plannedSecs: number;
  /** Open model: the peak scheduled rate; null for the closed model. */
  plannedPeakRate: number | null;
  startedAt: Date;
  endedAt: Date;
  durationSecs: number;
  activeDurationSecs: number;
  completed: boolean;
  stopReason: StopReason;
  inFlightAtStop: number;
  protocolVersion: string | null;
  serverInfo: ServerInfo | null;
  /** Why no VU could initialize (stop_reason no_session). */
  noSessionDetail: string | null;
  timeline: readonly TimelinePoint[];
  /** Totals per 0-based stage index that ran. */
  stageTotals: ReadonlyMap<number, StageTotals>;
  breakingPoint: BreakingPointResult | null;
  generator: GeneratorFigures;
}

const DELETE_TIMEOUT_MS = 2000;
/** Mixed into the seed of the step stream (the open model's salt since its first release). */
const STEP_STREAM_SALT = 0x51ed270b;
const CONTROL_MS = 100;
const TICK_MS = 1000;

export class LoadRun implements RunContext, ExecutorHost {
  readonly target: Target;
  readonly plan: StepPlan;
  readonly loadPlan: LoadPlan;
  readonly metrics: RunMetrics;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly requestIntervalMs: number;
  /** What the connections speak, decided once per run (detectProtocol); undefined: 2025 era. */
  readonly protocol: ProtocolProfile | undefined;
  readonly transports: TransportPool | undefined;
  readonly clock: Clock;
  readonly generator = new GeneratorCheck();
  readonly executor: Executor;
  readonly pooled: boolean;
  stopping = false;

  private readonly options: RunOptions;
  private readonly timeline = new RunTimeline();
  /** Every VU ever started, and the live ones (not retired, not finished) in spawn order. */
  private readonly vus: VirtualUser[] = [];
  private readonly live: VirtualUser[] = [];
  private readonly closing: Promise<void>[] = [];
  private iterationsBudget: number;
  private readonly stepRandom: () => number;
  private stopReason: StopReason = 'duration';
  private finishedVus = 0;
  private readonly vusFailedFirst = new Set<number>();
  private sessions = 0;
  /**
   * Stopped at once: requests still in flight are counted apart (inFlightAtStop), so their ends
   * (the connections are destroyed) are not recorded as well.
   */
  hardStopped = false;
  /** VUs holding a session now. */
  private withSession = 0;
  private firstStartMs = 0;
  private lastEndMs = 0;
  private t0 = 0;
  private startedAt = new Date();
  private protocolVersion: string | null = null;
  private serverInfo: ServerInfo | null = null;
  private noSessionDetail: string | null = null;
  private breakingPoint: BreakingPointResult | null = null;
  private sweeper: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private controller: NodeJS.Timeout | undefined;
  private lastTickMs = 0;
  private resolveDone: ((r: RunResult) => void) | undefined;
  private settled = false;
  private finishing = false;
  readonly done: Promise<RunResult>;

  constructor(options: RunOptions) {
    const s = options.config.settings;
    this.options = options;
    this.target = options.target;
    this.loadPlan = options.plan;
    this.clock = options.clock ?? realClock;
    this.pooled = modelOf(options.plan.executor) === 'open';
    this.plan = planSteps(options.config.scenario);
    this.metrics = new RunMetrics(this.plan.keys, this.pooled);
    this.seed = options.plan.seed;
    this.timeoutMs = s.timeoutMs;
    this.maxResponseBytes = s.maxResponseBytes;
    this.requestIntervalMs = s.requestIntervalMs;
    this.protocol = options.protocol;
    this.transports = options.transports;
    this.iterationsBudget = options.plan.iterations ?? Infinity;
    // One stream for the whole run, drawn in the order steps start: N iterations of one seed are
    // the stream's first N steps, whichever VU (or worker thread, by its lane) sends each.
    const lane = options.plan.stepLane ?? { seed: options.plan.seed, index: 0, count: 1 };
    this.stepRandom = laneRandom({ ...lane, seed: lane.seed ^ STEP_STREAM_SALT });
    this.executor = createExecutor(options.plan, this);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get totalSecs(): number {
    return this.executor.totalSecs;
  }

  get plannedVus(): number {
    return this.executor.plannedVus;
  }

  start(): this {
    this.t0 = performance.now();
    this.lastTickMs = this.t0;
    this.startedAt = new Date();
    this.generator.start();
    const sweepMs = Math.min(250, Math.max(5, Math.floor(this.timeoutMs / 20)));
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.controller = setInterval(() => this.control(), CONTROL_MS);
    this.executor.start();
    this.control();
    return this;
  }

  /** Graceful stop: no new requests; in-flight ones drain within their timeout. */
  stop(reason: StopReason): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopReason = reason;
    clearInterval(this.controller);
    this.executor.stop();
    for (const vu of this.vus) vu.wake();
    if (this.finishedVus === this.vus.length) void this.finish();
  }

  /** Immediate stop: the result as it stands, requests in flight counted apart. */
  hardStop(): RunResult {
    this.stop(this.stopping ? this.stopReason : 'interrupted');
    this.hardStopped = true;
    const inFlight = this.vus.filter((vu) => vu.exchange.inFlight).length;
    this.flushTimeline();
    const result = this.result(inFlight);
    this.settle(result);
    for (const vu of this.vus) void vu.connection.client.destroy().catch(() => undefined);
    return result;
  }

  // ---- ExecutorHost ----

  elapsedSecs(now = performance.now()): number {
    return (now - this.t0) / 1000;
  }

  get liveCount(): number {
    return this.live.length;
  }

  spawn(): VirtualUser {
    const vu = new VirtualUser(this, this.vus.length);
    this.vus.push(vu);
    this.live.push(vu);
    vu.start();
    return vu;
  }

  retireNewest(): void {
    this.live.pop()?.retire();
  }

  // ---- RunContext ----

  get iterationsLeft(): number {
    return this.iterationsBudget;
  }

  takeIteration(): boolean {
    if (this.iterationsBudget <= 0) return false;
    this.iterationsBudget--;
    // The open model's executor ends the run itself, once the steps waiting for a session ran.
    if (this.iterationsBudget === 0 && !this.pooled) {
      queueMicrotask(() => this.stop('iterations'));
    }
    return true;
  }

  nextStep(): number {
    return pickStep(this.plan, this.stepRandom() * this.plan.totalWeight);
  }

  onRequestStart(): void {
    if (this.firstStartMs === 0) this.firstStartMs = performance.now();
  }

  onRequestEnd(endMs: number): void {
    if (endMs > this.lastEndMs) this.lastEndMs = endMs;
  }

  onSession(protocolVersion: string, serverInfo: ServerInfo | null): void {
    this.sessions++;
    // The peak is kept as sessions come, not only at the controller's ticks: a run shorter than
    // one tick still has one.
    this.metrics.noteLiveVus(++this.withSession);
    if (this.protocolVersion === null) {
      this.protocolVersion = protocolVersion;
      this.serverInfo = serverInfo;
    }
  }

  onSessionEnd(): void {
    this.withSession--;
  }

  onHandshakeFailed(vu: VirtualUser, detail: string): void {
    if (vu.everConnected) return;
    this.noSessionDetail ??= this.redact(detail);
    this.executor.onHandshakeFailed(vu);
    // The run cannot get going when no session was ever made and every VU has given up its
    // first handshakes (HANDSHAKE_ATTEMPTS tries, or a timeout). Count VUs, not attempts: one VU
    // retrying fast must not end a run another VU is about to join; and a first burst of 503 or
    // 429 is retried, not taken for a dead server.
    if (vu.gaveUpHandshaking) this.vusFailedFirst.add(vu.index);
    if (this.vusFailedFirst.size >= this.vus.length && this.sessions === 0) this.stop('no_session');
  }

  onVuIdle(vu: VirtualUser): void {
    this.executor.onVuIdle(vu);
  }

  onVuFinished(vu: VirtualUser): void {
    const at = this.live.indexOf(vu);
    if (at !== -1) this.live.splice(at, 1);
    if (vu.lost) this.metrics.countVuReplaced();
    this.finishedVus++;
    this.executor.onVuFinished(vu);
    // End the session now (ramp-down, lost VU) rather than at the end of the run.
    this.closing.push(
      vu.connection.close(Math.min(this.timeoutMs, DELETE_TIMEOUT_MS)).then((deleted) => {
        if (deleted) this.metrics.countSessionClosed();
      }),
    );
    if (this.stopping && this.finishedVus === this.vus.length) void this.finish();
  }

  redact(text: string): string {
    return redactSecrets(text, this.target);
  }

  // ---- internals ----

  private control(): void {
    if (this.stopping) return;
    const elapsed = this.elapsedSecs();
    this.executor.control(elapsed);
    this.timeline.notePeak(this.activeVus(), this.executor.stageAt(elapsed));
  }

  /** VUs with a working session now. */
  private activeVus(): number {
    let n = 0;
    for (const vu of this.live) if (vu.hasSession) n++;
    this.metrics.noteLiveVus(n);
    return n;
  }

  private sweep(): void {
    const now = performance.now();
    for (const vu of this.vus) if (!vu.finished) vu.exchange.expireIfDue(now);
  }

  private tickContext(now: number): TickContext {
    const elapsedSecs = this.elapsedSecs(now);
    const intervalSecs = (now - this.lastTickMs) / 1000;
    // An interval belongs to the stage it was mostly in: the one at its midpoint.
    const midSecs = elapsedSecs - intervalSecs / 2;
    const at = Math.min(elapsedSecs, this.totalSecs);
    return {
      elapsedSecs,
      intervalSecs,
      activeVus: this.activeVus(),
      targetVus: this.executor.targetVusAt(at),
      targetRate: this.executor.targetRateAt(at),
      stageIndex: this.executor.stageAt(midSecs),
    };
  }

  private tick(): void {
    const now = performance.now();
    const generatorSaturated = this.generator.tick();
    const ctx = this.tickContext(now);
    const figures = this.metrics.takeInterval();
    this.lastTickMs = now;
    this.options.onInterval?.({ figures, ctx, final: false, generatorSaturated });
    const detection = this.timeline.addTick(figures, ctx);
    const h = figures.successes;
    const stageCount = this.executor.stageCount;
    const m = this.metrics;
    this.options.onTick?.({
      elapsedSecs: ctx.elapsedSecs,
      totalSecs: this.totalSecs,
      intervalSecs: ctx.intervalSecs,
      activeVus: ctx.activeVus,
      targetVus: ctx.targetVus,
      targetRate: ctx.targetRate,
      stage: ctx.stageIndex === null ? null : { index: ctx.stageIndex + 1, count: stageCount },
      intervalRequests: figures.requests,
      intervalErrors: figures.errors,
      intervalDropped: figures.dropped,
      intervalP99Ms: h.totalCount > 0 ? h.getValueAtPercentile(99) / 1000 : null,
      totalRequests: m.totalRequests,
      totalErrors: m.totalErrors,
      totalDropped: m.droppedIterations,
    });
    if (detection !== null && !this.stopping) this.onDetection(detection, ctx, generatorSaturated);
  }

  private onDetection(detection: Detection, ctx: TickContext, generatorSaturated: boolean): void {
    const stop = this.options.config.settings.stopOnBreakingPoint;
    this.breakingPoint = breakingPointAt(detection, ctx, stop, generatorSaturated);
    this.options.onBreakingPoint?.(this.breakingPoint);
    if (stop) this.stop('breaking_point');
  }

  private flushTimeline(): void {
    const now = performance.now();
    const ctx = this.tickContext(now);
    this.lastTickMs = now;
    const figures = this.metrics.takeInterval();
    this.options.onInterval?.({ figures, ctx, final: true, generatorSaturated: false });
    this.timeline.flush(figures, ctx);
  }

  private async finish(): Promise<void> {
    // Once: stop() and the last VU's finish can both call it before the sessions are closed, and
    // a second flush would add an interval to a result already taken.
    if (this.settled || this.finishing) return;
    this.finishing = true;
    clearInterval(this.sweeper);
    clearInterval(this.controller);
    clearInterval(this.ticker);
    this.flushTimeline();
    const result = this.result(0);
    await Promise.all(this.closing);
    this.settle(result);
  }

  private settle(result: RunResult): void {
    if (this.settled) return;
    this.settled = true;
    clearInterval(this.sweeper);
    clearInterval(this.ticker);
    clearInterval(this.controller);
    this.generator.stop();
    this.resolveDone?.(result);
  }

  private result(inFlight: number): RunResult {
    const now = performance.now();
    this.metrics.noteVuSessions(this.vus.length, this.vus.filter((vu) => !vu.everConnected).length);
    const activeMs =
      this.firstStartMs === 0 ? 0 : Math.max(0, (this.lastEndMs || now) - this.firstStartMs);
    let stopReason = this.stopReason;
    let noSessionDetail = this.noSessionDetail;
    if (this.sessions === 0 && stopReason !== 'interrupted') {
      if (stopReason !== 'no_session') {
        noSessionDetail ??= `no initialize was answered before the run ended (${this.vus.length} handshakes still pending after ${Math.round(this.elapsedSecs(now))}s): nothing answered at the address, or the server accepted connections and never replied`;
      }
      stopReason = 'no_session';
    }
    return {
      metrics: this.metrics,
      model: this.pooled ? 'open' : 'closed',
      plan: this.loadPlan,
      plannedVus: this.plannedVus,
      plannedSecs: this.totalSecs,
      plannedPeakRate: this.executor.peakRate,
      startedAt: this.startedAt,
      endedAt: new Date(),
      durationSecs: (now - this.t0) / 1000,
      activeDurationSecs: activeMs / 1000,
      completed:
        stopReason === 'duration' || stopReason === 'iterations' || stopReason === 'breaking_point',
      stopReason,
      inFlightAtStop: inFlight,
      protocolVersion: this.protocolVersion,
      serverInfo: this.serverInfo,
      noSessionDetail: stopReason === 'no_session' ? noSessionDetail : null,
      timeline: this.timeline.points,
      stageTotals: this.timeline.stages,
      breakingPoint: this.breakingPoint,
      generator: this.generator.figures(),
    };
  }
}

/** A detection with where the run stood when it was made (one thread, or merged from many). */
export function breakingPointAt(
  detection: Detection,
  ctx: TickContext,
  stoppedRun: boolean,
  generatorSaturated: boolean,
): BreakingPointResult {
  return {
    ...detection,
    vus: ctx.activeVus,
    targetVus: ctx.targetVus,
    rate: ctx.targetRate,
    timestamp: new Date().toISOString(),
    elapsedSecs: ctx.elapsedSecs,
    stage: ctx.stageIndex === null ? null : ctx.stageIndex + 1,
    stoppedRun,
    generatorSaturated,
  };
}
