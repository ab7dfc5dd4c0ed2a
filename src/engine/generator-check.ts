/**
 * The load generator watching itself: when this process is the bottleneck, the latencies it
 * measures include its own delays and overstate the server's, so the report must say so rather
 * than blame the server.
 *
 * Two signals: the event loop's delay (`perf_hooks.monitorEventLoopDelay`, which samples every
 * RESOLUTION_MS and records how long each sample took; the resolution itself is subtracted), and
 * in the open model the schedule lag, how late each step was started against its due time. The
 * generator counts as saturated when either one's p99 passes SATURATED_MS: at that point a
 * steady share of requests waited on us, not on the server.
 *
 * Per interval (`tick()`), the event loop's utilisation and the interval's schedule lag say
 * whether the generator was saturated *then*, so a breaking point detected while it was is
 * flagged as possibly ours rather than the server's.
 */
import {
  monitorEventLoopDelay,
  performance,
  type EventLoopUtilization,
  type IntervalHistogram,
} from 'node:perf_hooks';
import { newHistogram, toMicros, type Histogram } from '../metrics/histogram.js';

const RESOLUTION_MS = 10;
export const SATURATED_MS = 50;
/** Event-loop utilisation over an interval above which the generator had no idle time left. */
const SATURATED_ELU = 0.95;

export interface GeneratorFigures {
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Open model only; null in the closed model (it has no schedule). */
  scheduleLagP99Ms: number | null;
  scheduleLagMaxMs: number | null;
  saturated: boolean;
}

export class GeneratorCheck {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly lag: Histogram = newHistogram();
  private intervalLag: Histogram = newHistogram();
  private lastElu: EventLoopUtilization | undefined;
  private running = false;

  start(): void {
    this.loop.enable();
    this.lastElu = performance.eventLoopUtilization();
    this.running = true;
  }

  /** Whether the generator was saturated over the interval since the last call. */
  tick(): boolean {
    const elu = performance.eventLoopUtilization(this.lastElu);
    this.lastElu = performance.eventLoopUtilization();
    const lag = this.intervalLag;
    const lagP99Ms = lag.totalCount > 0 ? lag.getValueAtPercentile(99) / 1000 : 0;
    if (lag.totalCount > 0) this.intervalLag = newHistogram();
    return elu.utilization > SATURATED_ELU || lagP99Ms > SATURATED_MS;
  }

  stop(): void {
    if (!this.running) return;
    this.loop.disable();
    this.running = false;
  }

  /** Open model: a step started `lagMs` after it was due. */
  recordLag(lagMs: number): void {
    const us = toMicros(lagMs < 0 ? 0 : lagMs);
    this.lag.recordValue(us);
    this.intervalLag.recordValue(us);
  }

  figures(): GeneratorFigures {
    const delay = (ns: number): number =>
      this.loop.count === 0 ? 0 : round3(Math.max(0, ns / 1e6 - RESOLUTION_MS));
    const loopP99 = delay(this.loop.percentile(99));
    const hasLag = this.lag.totalCount > 0;
    const lagP99 = hasLag ? round3(this.lag.getValueAtPercentile(99) / 1000) : null;
    return {
      eventLoopDelayP99Ms: loopP99,
      eventLoopDelayMaxMs: delay(this.loop.max),
      scheduleLagP99Ms: lagP99,
      scheduleLagMaxMs: hasLag ? round3(this.lag.maxValue / 1000) : null,
      saturated: loopP99 > SATURATED_MS || (lagP99 !== null && lagP99 > SATURATED_MS),
    };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
