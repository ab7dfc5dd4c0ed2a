/**
 * A flat-load run (closed model): `vus` virtual users start together and loop until the duration
 * elapses, the --iterations budget is spent, or `stop()` is called.
 *
 * Ending: new requests stop at once; requests in flight drain, each bounded by its own timeout
 * (the sweeper below enforces it); then every session is ended with DELETE and the run resolves.
 * `hardStop()` (a second Ctrl+C) does not wait: it returns the figures so far, with the requests
 * still in flight counted apart.
 *
 * Timeouts: one interval timer sweeps all exchanges (no timer per request); its period is a
 * twentieth of timeout_ms, between 5 and 250 ms, so a timeout fires at most 5% late.
 */
import type { LoadConfig } from '../config/types.js';
import { RunMetrics } from '../metrics/run-metrics.js';
import type { ServerInfo } from '../protocol/mcp-connection.js';
import { redactSecrets, type Target } from '../protocol/target.js';
import type { RunContext } from './run-context.js';
import { planSteps, type StepPlan } from './step-plan.js';
import { VirtualUser } from './virtual-user.js';

export type StopReason = 'duration' | 'iterations' | 'interrupted' | 'no_session';

export interface RunOptions {
  target: Target;
  config: LoadConfig;
  vus: number;
  durationSecs: number;
  iterations: number | null;
  seed: number;
  /** Called about once a second with the figures of the last interval. */
  onTick?: (tick: RunTick) => void;
}

export interface RunTick {
  elapsedSecs: number;
  intervalSecs: number;
  activeVus: number;
  intervalRequests: number;
  intervalErrors: number;
  intervalP99Ms: number | null;
}

export interface RunResult {
  metrics: RunMetrics;
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
}

const DELETE_TIMEOUT_MS = 2000;

export class LoadRun implements RunContext {
  readonly target: Target;
  readonly plan: StepPlan;
  readonly metrics: RunMetrics;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly requestIntervalMs: number;
  stopping = false;

  private readonly options: RunOptions;
  private readonly vus: VirtualUser[] = [];
  private iterationsLeft: number;
  private stopReason: StopReason = 'duration';
  private finishedVus = 0;
  /** Indexes of the VUs whose handshake failed before they ever had a session. */
  private readonly vusFailedFirst = new Set<number>();
  private sessions = 0;
  private firstStartMs = 0;
  private lastEndMs = 0;
  private t0 = 0;
  private startedAt = new Date();
  private protocolVersion: string | null = null;
  private serverInfo: ServerInfo | null = null;
  private noSessionDetail: string | null = null;
  private sweeper: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private durationTimer: NodeJS.Timeout | undefined;
  private lastTickMs = 0;
  private resolveDone: ((r: RunResult) => void) | undefined;
  private settled = false;
  readonly done: Promise<RunResult>;

  constructor(options: RunOptions) {
    const s = options.config.settings;
    this.options = options;
    this.target = options.target;
    this.plan = planSteps(options.config.scenario);
    this.metrics = new RunMetrics(this.plan.keys);
    this.seed = options.seed;
    this.timeoutMs = s.timeoutMs;
    this.maxResponseBytes = s.maxResponseBytes;
    this.requestIntervalMs = s.requestIntervalMs;
    this.iterationsLeft = options.iterations ?? Infinity;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  start(): this {
    this.t0 = performance.now();
    this.lastTickMs = this.t0;
    this.startedAt = new Date();
    const sweepMs = Math.min(250, Math.max(5, Math.floor(this.timeoutMs / 20)));
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.ticker = setInterval(() => this.tick(), 1000);
    this.durationTimer = setTimeout(() => this.stop('duration'), this.options.durationSecs * 1000);
    for (let i = 0; i < this.options.vus; i++) this.vus.push(new VirtualUser(this, i));
    for (const vu of this.vus) vu.start();
    return this;
  }

  /** Graceful stop: no new requests; in-flight ones drain within their timeout. */
  stop(reason: StopReason): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopReason = reason;
    clearTimeout(this.durationTimer);
    for (const vu of this.vus) vu.wake();
  }

  /** Immediate stop: the result as it stands, requests in flight counted apart. */
  hardStop(): RunResult {
    this.stop(this.stopping ? this.stopReason : 'interrupted');
    const inFlight = this.vus.filter((vu) => vu.exchange.inFlight).length;
    const result = this.result(inFlight);
    this.settle(result);
    for (const vu of this.vus) void vu.connection.client.destroy().catch(() => undefined);
    return result;
  }

  // ---- RunContext ----

  takeIteration(): boolean {
    if (this.iterationsLeft <= 0) return false;
    this.iterationsLeft--;
    if (this.iterationsLeft === 0) this.stop('iterations');
    return true;
  }

  onRequestStart(): void {
    if (this.firstStartMs === 0) this.firstStartMs = performance.now();
  }

  onRequestEnd(endMs: number): void {
    if (endMs > this.lastEndMs) this.lastEndMs = endMs;
  }

  onSession(protocolVersion: string, serverInfo: ServerInfo | null): void {
    this.sessions++;
    if (this.protocolVersion === null) {
      this.protocolVersion = protocolVersion;
      this.serverInfo = serverInfo;
    }
  }

  onHandshakeFailed(vu: VirtualUser, detail: string): void {
    if (vu.everConnected) return;
    this.noSessionDetail ??= this.redact(detail);
    // Every VU failed its first handshake and none ever connected: the run cannot get going.
    // Count VUs, not attempts: a VU retrying at once after a quick 500 must not end a run that
    // another VU, still initializing, is about to join.
    this.vusFailedFirst.add(vu.index);
    if (this.vusFailedFirst.size >= this.vus.length && this.sessions === 0) this.stop('no_session');
  }

  onVuFinished(_vu: VirtualUser): void {
    if (++this.finishedVus === this.vus.length) void this.finish();
  }

  redact(text: string): string {
    return redactSecrets(text, this.target);
  }

  // ---- internals ----

  private sweep(): void {
    const now = performance.now();
    for (const vu of this.vus) vu.exchange.expireIfDue(now);
  }

  private tick(): void {
    const now = performance.now();
    const interval = this.metrics.takeInterval();
    const h = interval.successes;
    this.options.onTick?.({
      elapsedSecs: (now - this.t0) / 1000,
      intervalSecs: (now - this.lastTickMs) / 1000,
      activeVus: this.vus.length - this.finishedVus,
      intervalRequests: interval.requests,
      intervalErrors: interval.errors,
      intervalP99Ms: h.totalCount > 0 ? h.getValueAtPercentile(99) / 1000 : null,
    });
    this.lastTickMs = now;
  }

  private async finish(): Promise<void> {
    clearInterval(this.sweeper);
    clearTimeout(this.durationTimer);
    const result = this.result(0);
    clearInterval(this.ticker);
    const closed = await Promise.all(
      this.vus.map((vu) => vu.connection.close(Math.min(this.timeoutMs, DELETE_TIMEOUT_MS))),
    );
    this.metrics.sessionsClosed = closed.filter(Boolean).length;
    this.settle(result);
  }

  private settle(result: RunResult): void {
    if (this.settled) return;
    this.settled = true;
    clearInterval(this.sweeper);
    clearInterval(this.ticker);
    clearTimeout(this.durationTimer);
    this.resolveDone?.(result);
  }

  private result(inFlight: number): RunResult {
    const now = performance.now();
    const activeMs =
      this.firstStartMs === 0 ? 0 : Math.max(0, (this.lastEndMs || now) - this.firstStartMs);
    const stopReason = this.stopReason;
    return {
      metrics: this.metrics,
      startedAt: this.startedAt,
      endedAt: new Date(),
      durationSecs: (now - this.t0) / 1000,
      activeDurationSecs: activeMs / 1000,
      completed: stopReason === 'duration' || stopReason === 'iterations',
      stopReason,
      inFlightAtStop: inFlight,
      protocolVersion: this.protocolVersion,
      serverInfo: this.serverInfo,
      noSessionDetail: stopReason === 'no_session' ? this.noSessionDetail : null,
    };
  }
}
