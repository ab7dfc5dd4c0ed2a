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
 * A scope's figures in one interval, as tested: the whole run's, or one step's (its part of the
 * interval, timeline[].per_tool). null where the interval measured none of that figure.
 */
export interface ScopeSample {
  readonly throughput_rps: number;
  /** null: no request of the scope in the interval. */
  readonly error_rate: number | null;
  /** null: no success of the scope in the interval. */
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
  readonly p99_ms: number | null;
}

/** The whole run's figures of each sample. */
export function overallSamples(samples: readonly TimelineSample[]): ScopeSample[] {
  return samples.map((s) => {
    let errors = 0;
    for (const count of Object.values(s.errors)) errors += count;
    return scopeSample(s.requests, errors, s.interval_secs, s);
  });
}

/**
 * One step's figures of each sample (an interval where it made no request counts as 0 requests
 * per second and has no error rate or latency; a step's part has no p50 or p95, so those rows are
 * not tested: they are shown, never gated); null when a sample has no per-tool figures (a
 * report of an older version, or a merged one): the step cannot be tested on its own samples.
 */
export function stepSamples(samples: readonly TimelineSample[], key: string): ScopeSample[] | null {
  const out: ScopeSample[] = [];
  for (const s of samples) {
    if (s.per_tool === undefined) return null;
    const part = Object.hasOwn(s.per_tool, key) ? s.per_tool[key] : undefined;
    out.push(
      part === undefined
        ? scopeSample(0, 0, s.interval_secs, null)
        : scopeSample(part.requests, part.errors, s.interval_secs, part),
    );
  }
  return out;
}

function scopeSample(
  requests: number,
  errors: number,
  intervalSecs: number,
  latency: Partial<Pick<TimelineSample, 'p50_ms' | 'p95_ms' | 'p99_ms'>> | null,
): ScopeSample {
  const measured = latency !== null && requests - errors > 0;
  const at = (figure: number | undefined): number | null =>
    measured && figure !== undefined ? figure : null;
  return {
    throughput_rps: intervalSecs > 0 ? requests / intervalSecs : 0,
    error_rate: requests > 0 ? errors / requests : null,
    p50_ms: at(latency?.p50_ms),
    p95_ms: at(latency?.p95_ms),
    p99_ms: at(latency?.p99_ms),
  };
}

/**
 * One-sided p-value that head's samples of `metric` are worse than base's (higher, except
 * throughput: lower); null when either side has no sample of it.
 */
export function worseThanBase(
  metric: ComparedMetric,
  base: readonly ScopeSample[],
  head: readonly ScopeSample[],
): number | null {
  const b = sampleValues(metric, base);
  const h = sampleValues(metric, head);
  const result = metric === 'throughput_rps' ? mannWhitneyGreater(b, h) : mannWhitneyGreater(h, b);
  return result === null ? null : result.pValue;
}

function sampleValues(metric: ComparedMetric, samples: readonly ScopeSample[]): number[] {
  const out: number[] = [];
  for (const s of samples) {
    const value = s[metric];
    if (value !== null) out.push(value);
  }
  return out;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
