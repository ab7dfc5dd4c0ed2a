/**
 * HdrHistogram in integer microseconds, 3 significant figures (hdr-histogram-js, pure JS:
 * no WebAssembly start-up, no memory outside the JS heap). Values below 1 µs are recorded as 1.
 */
import * as hdr from 'hdr-histogram-js';
import type { LatencyStats } from '../report/types.js';

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** Rounds a latency in milliseconds to integer microseconds for recording. */
export function toMicros(ms: number): number {
  const us = Math.round(ms * 1000);
  return us < 1 ? 1 : us;
}

const usToMs = (us: number): number => Math.round(us) / 1000;

export function latencyStats(h: Histogram): LatencyStats {
  const count = h.totalCount;
  if (count === 0) {
    return {
      count: 0,
      p50_ms: 0,
      p90_ms: 0,
      p95_ms: 0,
      p99_ms: 0,
      p999_ms: 0,
      min_ms: 0,
      max_ms: 0,
      mean_ms: 0,
    };
  }
  return {
    count,
    p50_ms: usToMs(h.getValueAtPercentile(50)),
    p90_ms: usToMs(h.getValueAtPercentile(90)),
    p95_ms: usToMs(h.getValueAtPercentile(95)),
    p99_ms: usToMs(h.getValueAtPercentile(99)),
    p999_ms: usToMs(h.getValueAtPercentile(99.9)),
    min_ms: usToMs(h.minNonZeroValue),
    max_ms: usToMs(h.maxValue),
    mean_ms: usToMs(h.mean),
  };
}

/**
 * Coordinated-omission correction (the chapter's `record_correct`): every recorded value larger
 * than the expected interval gets fill-ins at value − k·interval down to the interval. Applying it
 * to a finished histogram is the same as applying it at record time, which keeps it off the hot
 * path; the fill-ins live only in the returned copy, never in request counts.
 */
export function corrected(h: Histogram, expectedIntervalUs: number): Histogram {
  if (h.totalCount === 0 || h.maxValue <= expectedIntervalUs) return h;
  return h.copyCorrectedForCoordinatedOmission(expectedIntervalUs);
}

export function merged(parts: readonly Histogram[]): Histogram {
  const out = newHistogram();
  for (const p of parts) if (p.totalCount > 0) out.add(p);
  return out;
}
