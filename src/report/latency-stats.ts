/**
 * A histogram's figures as the report states them (`latencyStats` in schema/report.schema.json):
 * percentiles, min, max and mean in milliseconds with microsecond precision.
 */
import type { Histogram } from '../metrics/histogram.js';
import type { LatencyStats } from './types.js';

export const usToMs = (us: number): number => Math.round(us) / 1000;

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
