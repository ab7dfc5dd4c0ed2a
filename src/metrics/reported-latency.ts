/**
 * Which success latency a report states (and a threshold judges) for a set of step keys. Closed
 * model: the raw histograms added, then corrected for coordinated omission at the expected
 * interval (correction does not commute with addition, so the sum is corrected, never the parts).
 * Open model: the histograms measured from each step's scheduled start, which need no correction.
 */
import { corrected, merged, type Histogram } from './histogram.js';
import type { RunMetrics } from './run-metrics.js';

export function reportedLatency(
  metrics: RunMetrics,
  keys: readonly number[],
  expectedIntervalUs: number,
): Histogram {
  const scheduled = metrics.keyScheduled;
  if (keys.length === 1) {
    const k = keys[0]!;
    return scheduled === null
      ? corrected(metrics.keySuccess[k]!, expectedIntervalUs)
      : scheduled[k]!;
  }
  return scheduled === null
    ? corrected(merged(keys.map((k) => metrics.keySuccess[k]!)), expectedIntervalUs)
    : merged(keys.map((k) => scheduled[k]!));
}
