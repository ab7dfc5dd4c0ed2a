/**
 * The samples a comparison tests: a report's timeline, one entry per 2 s interval, each with that
 * interval's throughput, error rate and success percentiles. They show how much a figure moves
 * within one run, which is the noise a change must stand out from (README "Comparing runs").
 */
import type { ComparedMetric, TimelineSample } from '../report/types.js';
import { mannWhitneyGreater } from './mann-whitney.js';

/** A sample counts when its interval is at least this share of the typical one (drops the tail). */
const FULL_SAMPLE_SHARE = 0.75;

/** Samples at least this many after the warm-up is left out; fewer, and it stays. */
const MIN_SAMPLES_WITHOUT_WARM_UP = 3;

/**
 * The samples a run is judged on: full-length intervals with at least one request (the last,
 * partial interval is dropped), without the first one when enough remain: it holds the start
 * (sessions opening, code warming up in client and server), whose stalls say nothing about the
 * server under steady load and differ from run to run.
 */
export function fullSamples(timeline: readonly TimelineSample[]): TimelineSample[] {
  // The typical interval, not the longest: one interval stretched by a stalled event loop must
  // not make every other one look partial.
  const typical = median(timeline.map((s) => s.interval_secs));
  const full = timeline.filter(
    (s) => s.requests > 0 && s.interval_secs >= FULL_SAMPLE_SHARE * typical,
  );
  const warmUp = full[0] === timeline[0] && full.length > MIN_SAMPLES_WITHOUT_WARM_UP;
  return warmUp ? full.slice(1) : full;
}

/**
 * One-sided p-value that head's samples of `metric` are worse than base's (higher, except
 * throughput: lower); null when either run has no sample of it.
 */
export function worseThanBase(
  metric: ComparedMetric,
  base: readonly TimelineSample[],
  head: readonly TimelineSample[],
): number | null {
  const b = sampleValues(metric, base);
  const h = sampleValues(metric, head);
  const result = metric === 'throughput_rps' ? mannWhitneyGreater(b, h) : mannWhitneyGreater(h, b);
  return result === null ? null : result.pValue;
}

function sampleValues(metric: ComparedMetric, samples: readonly TimelineSample[]): number[] {
  if (metric === 'throughput_rps' || metric === 'error_rate') return samples.map((s) => s[metric]);
  // A latency figure exists only for intervals with a success (0 stands for "none").
  return samples.filter((s) => successes(s) > 0).map((s) => s[metric]);
}

function successes(s: TimelineSample): number {
  let errors = 0;
  for (const count of Object.values(s.errors)) errors += count;
  return s.requests - errors;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
