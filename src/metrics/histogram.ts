/**
 * HdrHistogram in integer microseconds, 3 significant figures (hdr-histogram-js, pure JS:
 * no WebAssembly start-up, no memory outside the JS heap). Values below 1 µs are recorded as 1.
 */
import * as hdr from 'hdr-histogram-js';

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

/**
 * Coordinated-omission correction (`record_correct` in the `cargo pmcp loadtest` documentation,
 * "HdrHistogram and Coordinated Omission"): every recorded value larger than the expected interval
 * gets fill-ins at value − k·interval down to the interval. Applying it to a finished histogram is
 * the same as applying it at record time, which keeps it off the hot path; the fill-ins live only
 * in the returned copy, never in request counts.
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
