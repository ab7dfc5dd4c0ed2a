/**
 * The run's history: one-second ticks folded into SAMPLE_SECS samples (the report's timeline
 * and the breaking-point detector's input) and into per-stage totals.
 *
 * Invariant: every request recorded by RunMetrics lands in exactly one tick, so the timeline's
 * request counts add up to the run's total once `flush()` has taken the last partial interval.
 */
import { ERROR_KINDS } from '../protocol/outcome.js';
import { BreakingPointDetector, type Detection } from '../metrics/breaking-point.js';
import { newHistogram, type Histogram } from '../metrics/histogram.js';
import type { IntervalFigures, KeyInterval } from '../metrics/run-metrics.js';

export const SAMPLE_SECS = 2;

export interface TickContext {
  elapsedSecs: number;
  intervalSecs: number;
  activeVus: number;
  targetVus: number;
  /** Open model: the scheduled rate; null for the closed model. */
  targetRate: number | null;
  /** 0-based stage index, or null for a flat run. */
  stageIndex: number | null;
}

/**
 * One step's part of a sample, reduced to the figures a comparison gates a step on (requests,
 * errors, p99) when the sample closes: a long run keeps one sample per 2 s, and a histogram per
 * step in each would cost far more memory (README "Comparing runs": each step is tested on its own
 * samples).
 */
export interface KeySample {
  requests: number;
  errors: number;
  /** Success latency p99 in µs; 0 with no success. */
  p99Us: number;
}

/**
 * One sample: the context of its last tick, and the figures of all its ticks added up; each
 * step's part in `keySamples` (indexed like RunMetrics.keys) once the sample is closed.
 */
export type TimelinePoint = TickContext &
  Omit<IntervalFigures, 'perKey'> & { keySamples?: readonly KeySample[] };

export interface StageTotals {
  peakActiveVus: number;
  requests: number;
  errors: number;
  successes: Histogram;
}

export class RunTimeline {
  readonly points: TimelinePoint[] = [];
  readonly stages = new Map<number, StageTotals>();
  private readonly detector = new BreakingPointDetector();
  private pending: TimelinePoint | null = null;
  /** Each step's sums over the pending sample; reused from sample to sample. */
  private readonly keySums: KeyInterval[] = [];
  private pendingTicks = 0;

  /**
   * The live VU count seen by a control tick (every 100 ms): a stage's peak is the most VUs it
   * had at any moment, not only at the one-second ticks.
   */
  notePeak(activeVus: number, stageIndex: number | null): void {
    if (stageIndex === null) return;
    const s = this.stage(stageIndex);
    if (activeVus > s.peakActiveVus) s.peakActiveVus = activeVus;
  }

  /** Folds one tick in; returns a detection the first time the detector fires. */
  addTick(figures: IntervalFigures, ctx: TickContext): Detection | null {
    this.fold(figures, ctx);
    if (++this.pendingTicks < SAMPLE_SECS) return null;
    return this.detector.push(this.closeSample());
  }

  /** Closes the last, partial sample (not fed to the detector: it is shorter than the rest). */
  flush(figures: IntervalFigures, ctx: TickContext): void {
    if (figures.requests === 0 && this.pending === null && ctx.intervalSecs < 0.05) return;
    this.fold(figures, ctx);
    this.closeSample();
  }

  private fold(figures: IntervalFigures, ctx: TickContext): void {
    this.addToStage(figures, ctx);
    this.foldKeys(figures.perKey);
    const p = this.pending;
    if (p === null) {
      const { perKey: _perKey, ...counts } = figures;
      this.pending = { ...ctx, ...counts };
      return;
    }
    p.elapsedSecs = ctx.elapsedSecs;
    p.intervalSecs += ctx.intervalSecs;
    p.activeVus = ctx.activeVus;
    p.targetVus = ctx.targetVus;
    p.targetRate = ctx.targetRate;
    p.stageIndex = ctx.stageIndex;
    p.requests += figures.requests;
    p.errors += figures.errors;
    p.started += figures.started;
    p.dropped += figures.dropped;
    for (let i = 0; i < ERROR_KINDS.length; i++) p.errorsByKind[i]! += figures.errorsByKind[i]!;
    if (figures.successes.totalCount > 0) p.successes.add(figures.successes);
  }

  /** Adds a tick's parts into the sums (never keeps them: RunMetrics reuses them next tick). */
  private foldKeys(perKey: readonly KeyInterval[]): void {
    while (this.keySums.length < perKey.length) {
      this.keySums.push({ requests: 0, errors: 0, successes: newHistogram() });
    }
    perKey.forEach((part, i) => {
      const sum = this.keySums[i]!;
      sum.requests += part.requests;
      sum.errors += part.errors;
      if (part.successes.totalCount > 0) sum.successes.add(part.successes);
    });
  }

  private closeSample(): TimelinePoint {
    const point = this.pending!;
    point.keySamples = this.keySums.map(keySample);
    for (const sum of this.keySums) {
      sum.requests = 0;
      sum.errors = 0;
      if (sum.successes.totalCount > 0) sum.successes.reset();
    }
    this.pending = null;
    this.pendingTicks = 0;
    this.points.push(point);
    return point;
  }

  private stage(index: number): StageTotals {
    let s = this.stages.get(index);
    if (s === undefined) {
      s = { peakActiveVus: 0, requests: 0, errors: 0, successes: newHistogram() };
      this.stages.set(index, s);
    }
    return s;
  }

  private addToStage(figures: IntervalFigures, ctx: TickContext): void {
    if (ctx.stageIndex === null) return;
    const s = this.stage(ctx.stageIndex);
    if (ctx.activeVus > s.peakActiveVus) s.peakActiveVus = ctx.activeVus;
    s.requests += figures.requests;
    s.errors += figures.errors;
    if (figures.successes.totalCount > 0) s.successes.add(figures.successes);
  }
}

/** A step's part of a closed sample, as the report keeps it. */
export function keySample(part: KeyInterval): KeySample {
  const h = part.successes;
  const p99Us = h.totalCount > 0 ? h.getValueAtPercentile(99) : 0;
  return { requests: part.requests, errors: part.errors, p99Us };
}
