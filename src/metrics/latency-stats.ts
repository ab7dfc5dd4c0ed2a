/**
 * A histogram's figures as the report states them (`latencyStats` in schema/report.schema.json):
 * percentiles, min, max and mean in milliseconds with microsecond precision. Here, below the gate
 * and the report, so thresholds judge the very figures the report shows.
 */
import type { Histogram } from './histogram.js';

/** The shape of the report's `LatencyStats` (report/types.ts), which the compiler matches. */
export interface LatencyStats {
  count: number;
  p50_ms: number;
  p90_ms: number;
  p95_ms: number;
  p99_ms: number;
  p999_ms: number;
  min_ms: number;
  max_ms: number;
  mean_ms: number;
}

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
