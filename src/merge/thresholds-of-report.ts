/**
 * The thresholds a report was gated with, read back from its `thresholds` results (metric,
 * scope, limit), so `merge` without `--config` re-evaluates the same gates on the merged figures.
 */
import type { ThresholdLimits, Thresholds } from '../config/types.js';
import type { Report, ThresholdMetric } from '../report/types.js';

const FIELD: Record<Exclude<ThresholdMetric, 'breaking_point'>, keyof ThresholdLimits> = {
  p50_ms: 'p50Ms',
  p95_ms: 'p95Ms',
  p99_ms: 'p99Ms',
  error_rate: 'errorRate',
  min_throughput_rps: 'minThroughputRps',
};

export function thresholdsOfReport(report: Report): Thresholds {
  const overall: { -readonly [K in keyof ThresholdLimits]: number } = {};
  // Tool names are server-chosen: a null-prototype object, never a plain one.
  const tools = Object.create(null) as Record<
    string,
    { -readonly [K in keyof ThresholdLimits]: number }
  >;
  let failOnBreakingPoint = false;
  for (const t of report.thresholds) {
    if (t.metric === 'breaking_point') {
      failOnBreakingPoint = true;
      continue;
    }
    const limits = t.scope === null ? overall : (tools[t.scope] ??= {});
    limits[FIELD[t.metric]] = t.limit;
  }
  return { ...overall, failOnBreakingPoint, tools };
}
