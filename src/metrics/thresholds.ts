/**
 * Threshold gates, shared by the CLI and the action: config limits merged with overrides (CLI
 * flags, action inputs), then evaluated against a built report. Pure: no I/O, no exit codes; a
 * breached threshold is a result written into the report, and the entry points decide.
 *
 * What each metric compares (every comparison is inclusive: observed == limit passes):
 *   p50_ms, p95_ms, p99_ms  the report's success latency, coordinated-omission CORRECTED
 *                           (`metrics.latency.pXX_ms`, per tool `per_tool[k].latency.pXX_ms`), the
 *                           figure the summary shows; passes when observed <= limit
 *   error_rate              errors / requests (0..1); passes when observed <= limit. Overall,
 *                           VUs that never got a session count (metrics.gate_error_rate: a
 *                           failed initialize is a failed request, and a VU that never got a
 *                           session failed for its whole life)
 *   min_throughput_rps      real requests per second of active load; passes when observed >= limit
 *   breaking_point          only with fail_on_breaking_point: limit 0, observed 1 when detected
 *                           else 0; passes when none was detected
 *
 * Nothing measured cannot pass a gate: a latency limit over zero successes, an error-rate limit
 * over zero requests, or any limit on a per-tool scope that made no request (absent from
 * per_tool) is observed null and FAILED. A run that did not complete (interrupted, no session) is
 * evaluated on what it measured.
 */
import type { ThresholdLimits, Thresholds } from '../config/types.js';
import type {
  LatencyStats,
  PerKeyMetrics,
  Report,
  ThresholdMetric,
  ThresholdResult,
} from '../report/types.js';

/** Overall limits from the command line or action inputs; each one set replaces the config's. */
export interface ThresholdOverrides {
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  errorRate?: number;
  minThroughputRps?: number;
  failOnBreakingPoint?: boolean;
}

/** What one scope measured: `metrics` for the whole run, or one per_tool entry. */
type ScopeFigures = Readonly<
  Pick<PerKeyMetrics, 'total_requests' | 'error_rate' | 'throughput_rps'>
> & {
  readonly latency: LatencyStats;
};

const LATENCY_LIMITS = [
  ['p50_ms', 'p50Ms'],
  ['p95_ms', 'p95Ms'],
  ['p99_ms', 'p99Ms'],
] as const satisfies readonly (readonly [ThresholdMetric, keyof ThresholdLimits])[];

/** The config's thresholds with the overrides applied to the overall scope; per-tool unchanged. */
export function mergeThresholds(config: Thresholds, overrides: ThresholdOverrides): Thresholds {
  const merged: { -readonly [K in keyof Thresholds]: Thresholds[K] } = {
    ...config,
    failOnBreakingPoint: overrides.failOnBreakingPoint ?? config.failOnBreakingPoint,
  };
  for (const key of ['p50Ms', 'p95Ms', 'p99Ms', 'errorRate', 'minThroughputRps'] as const) {
    const value = overrides[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/**
 * Fills report.thresholds (every evaluated threshold, overall first then per tool in per_tool
 * order) and report.thresholds_passed.
 */
export function applyThresholds(report: Report, thresholds: Thresholds): void {
  const m = report.metrics;
  const results = evaluateScope(thresholds, null, { ...m, error_rate: m.gate_error_rate });
  if (thresholds.failOnBreakingPoint) {
    const detected = report.breaking_point.detected;
    results.push({
      metric: 'breaking_point',
      scope: null,
      limit: 0,
      observed: detected ? 1 : 0,
      passed: !detected,
    });
  }
  // per_tool order first; a scope with no per_tool entry (no request made) after, in config order.
  const measured = (key: string): boolean => Object.hasOwn(report.per_tool, key);
  const scopes = Object.keys(thresholds.tools);
  const ordered = [
    ...Object.keys(report.per_tool).filter((key) => Object.hasOwn(thresholds.tools, key)),
    ...scopes.filter((key) => !measured(key)),
  ];
  for (const key of ordered) {
    const limits = thresholds.tools[key];
    if (limits === undefined) continue;
    results.push(...evaluateScope(limits, key, measured(key) ? report.per_tool[key] : undefined));
  }
  report.thresholds = results;
  report.thresholds_passed = results.every((r) => r.passed);
}

/** The thresholds of one scope, in metric order; `figures` undefined when it made no request. */
function evaluateScope(
  limits: ThresholdLimits,
  scope: string | null,
  figures: ScopeFigures | undefined,
): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  const atMost = (metric: ThresholdMetric, limit: number, observed: number | null): void => {
    results.push({
      metric,
      scope,
      limit,
      observed,
      passed: observed !== null && observed <= limit,
    });
  };
  const measuredLatency = figures !== undefined && figures.latency.count > 0;
  for (const [metric, field] of LATENCY_LIMITS) {
    const limit = limits[field];
    if (limit !== undefined) {
      atMost(metric, limit, measuredLatency ? figures.latency[metric] : null);
    }
  }
  if (limits.errorRate !== undefined) {
    const measured = figures !== undefined && figures.total_requests > 0;
    atMost('error_rate', limits.errorRate, measured ? figures.error_rate : null);
  }
  if (limits.minThroughputRps !== undefined) {
    const observed = figures === undefined ? null : figures.throughput_rps;
    results.push({
      metric: 'min_throughput_rps',
      scope,
      limit: limits.minThroughputRps,
      observed,
      passed: observed !== null && observed >= limits.minThroughputRps,
    });
  }
  return results;
}
