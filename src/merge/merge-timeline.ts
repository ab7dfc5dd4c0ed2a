/**
 * Shard timelines → one timeline, aligned on wall-clock time, and the breaking point found again
 * on it.
 *
 * Alignment: a shard's sample ends at started_at + elapsed_secs. Every sample goes to the slot
 * of SAMPLE_SECS nearest its end, counted from the earliest start among the shards, so shards
 * that began within a second of each other (`run --start-at`) line up sample for sample. In a
 * slot, counts, VUs and rates add across shards (they ran at the same time); the interval is the
 * longest of theirs; the latency percentiles come from the sum of the samples' histograms.
 *
 * The breaking point is detected as during a run (metrics/breaking-point.ts) on the merged
 * samples, the last one left out when it is shorter than a sample (as a run leaves out its last,
 * partial sample).
 */
import { ERROR_KINDS } from '../protocol/outcome.js';
import { SAMPLE_SECS } from '../engine/run-timeline.js';
import { BreakingPointDetector } from '../metrics/breaking-point.js';
import { newHistogram, type Histogram } from '../metrics/histogram.js';
import { latencyStats } from '../metrics/latency-stats.js';
import type { BreakingPoint, ErrorCounts, TimelineSample } from '../report/types.js';

export interface ShardTimeline {
  startedAtMs: number;
  samples: readonly TimelineSample[];
  /** Decoded, one per sample. */
  histograms: readonly Histogram[];
}

export interface MergedSample {
  sample: TimelineSample;
  histogram: Histogram;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

interface Slot {
  endSecs: number;
  intervalSecs: number;
  activeVus: number;
  targetVus: number;
  targetRate: number | null;
  achievedRate: number | null;
  stage: number | null;
  requests: number;
  errors: ErrorCounts;
  dropped: number;
  histogram: Histogram;
}

export function mergeTimelines(shards: readonly ShardTimeline[]): MergedSample[] {
  if (shards.length === 0) return [];
  const t0 = Math.min(...shards.map((s) => s.startedAtMs));
  const slots = new Map<number, Slot>();
  for (const shard of shards) {
    // One shard's samples in one slot (its last, partial sample) fold first: their intervals add.
    const own = new Map<number, Slot>();
    shard.samples.forEach((sample, i) => {
      const endSecs = (shard.startedAtMs - t0) / 1000 + sample.elapsed_secs;
      const index = Math.round(endSecs / SAMPLE_SECS);
      const prior = own.get(index);
      const slot = toSlot(sample, shard.histograms[i]!, endSecs);
      own.set(index, prior === undefined ? slot : addSlot(prior, slot, 'sequential'));
    });
    for (const [index, slot] of own) {
      const prior = slots.get(index);
      slots.set(index, prior === undefined ? slot : addSlot(prior, slot, 'concurrent'));
    }
  }
  return [...slots.entries()].sort((a, b) => a[0] - b[0]).map(([, slot]) => toSample(slot));
}

function toSlot(s: TimelineSample, h: Histogram, endSecs: number): Slot {
  const histogram = newHistogram();
  if (h.totalCount > 0) histogram.add(h);
  return {
    endSecs,
    intervalSecs: s.interval_secs,
    activeVus: s.active_vus,
    targetVus: s.target_vus,
    targetRate: s.target_rate,
    achievedRate: s.achieved_rate,
    stage: s.stage,
    requests: s.requests,
    errors: { ...s.errors },
    dropped: s.dropped_iterations,
    histogram,
  };
}

const addNullable = (a: number | null, b: number | null): number | null =>
  a === null && b === null ? null : (a ?? 0) + (b ?? 0);

/** `sequential`: one shard's consecutive samples; `concurrent`: samples of different shards. */
function addSlot(a: Slot, b: Slot, how: 'sequential' | 'concurrent'): Slot {
  const later = b.endSecs >= a.endSecs ? b : a;
  if (b.histogram.totalCount > 0) a.histogram.add(b.histogram);
  for (const kind of ERROR_KINDS) a.errors[kind] += b.errors[kind];
  const sequential = how === 'sequential';
  return {
    endSecs: Math.max(a.endSecs, b.endSecs),
    intervalSecs: sequential
      ? a.intervalSecs + b.intervalSecs
      : Math.max(a.intervalSecs, b.intervalSecs),
    activeVus: sequential ? later.activeVus : a.activeVus + b.activeVus,
    targetVus: sequential ? later.targetVus : a.targetVus + b.targetVus,
    targetRate: sequential ? later.targetRate : addNullable(a.targetRate, b.targetRate),
    achievedRate: sequential ? later.achievedRate : addNullable(a.achievedRate, b.achievedRate),
    stage: later.stage,
    requests: a.requests + b.requests,
    errors: a.errors,
    dropped: a.dropped + b.dropped,
    histogram: a.histogram,
  };
}

function toSample(slot: Slot): MergedSample {
  const errorCount = ERROR_KINDS.reduce((n, kind) => n + slot.errors[kind], 0);
  const l = latencyStats(slot.histogram);
  const sample: TimelineSample = {
    elapsed_secs: round3(slot.endSecs),
    interval_secs: round3(slot.intervalSecs),
    active_vus: slot.activeVus,
    target_vus: slot.targetVus,
    stage: slot.stage,
    requests: slot.requests,
    errors: slot.errors,
    error_rate: slot.requests > 0 ? errorCount / slot.requests : 0,
    throughput_rps: slot.intervalSecs > 0 ? round3(slot.requests / slot.intervalSecs) : 0,
    p50_ms: l.p50_ms,
    p95_ms: l.p95_ms,
    p99_ms: l.p99_ms,
    target_rate: slot.targetRate === null ? null : round3(slot.targetRate),
    achieved_rate: slot.achievedRate === null ? null : round3(slot.achievedRate),
    dropped_iterations: slot.dropped,
  };
  return { sample, histogram: slot.histogram };
}

/**
 * The breaking point of the merged timeline; `stoppedRun` when a shard stopped on its own.
 * `generatorSaturated`: a shard's load generator was saturated (the reports keep no per-sample
 * flag, so any saturation in a shard marks the merged detection as possibly the generator's).
 */
export function detectBreakingPoint(
  merged: readonly MergedSample[],
  startedAtMs: number,
  stoppedRun: boolean,
  generatorSaturated = false,
): BreakingPoint {
  const detector = new BreakingPointDetector();
  const last = merged.at(-1);
  const full =
    last !== undefined && last.sample.interval_secs < SAMPLE_SECS - 0.5
      ? merged.slice(0, -1)
      : merged;
  for (const { sample, histogram } of full) {
    const errors = ERROR_KINDS.reduce((n, kind) => n + sample.errors[kind], 0);
    const detection = detector.push({ requests: sample.requests, errors, successes: histogram });
    if (detection === null) continue;
    return {
      detected: true,
      vus: sample.active_vus,
      reason: detection.reason,
      detail: detection.detail,
      timestamp: new Date(startedAtMs + sample.elapsed_secs * 1000).toISOString(),
      elapsed_secs: sample.elapsed_secs,
      stage: sample.stage,
      target_vus: sample.target_vus,
      rate: sample.target_rate,
      stopped_run: stoppedRun,
      generator_saturated: generatorSaturated,
    };
  }
  return { detected: false };
}
