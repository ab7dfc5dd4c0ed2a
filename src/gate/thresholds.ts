/**
 * Threshold gates, shared by the CLI and the action: config limits merged with overrides (CLI
 * flags, action inputs), then evaluated against what the run measured (`GateFigures`: the
 * overall figures, each step's figures, whether a breaking point was seen). One evaluation, two
 * sources of figures: a run's metrics (./run-figures.ts, before the report is built) and, for
 * `merge`, reports (`reportFigures`). Pure: no I/O, no exit codes; a breached threshold is a
 * result, and the entry points decide.
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
export type ScopeFigures = Readonly<
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
 * What the gate needs from a run, and nothing else: the engine (or a report) provides it, so the
 * verdict never depends on how a report is serialized. `perTool` holds only the steps that made a
 * request; a Map because step names come from the server and the config (untrusted keys).
 */
export interface GateFigures {
  readonly overall: ScopeFigures;
  readonly perTool: ReadonlyMap<string, ScopeFigures>;
  readonly breakingPointDetected: boolean;
}

/** The figures of a built report, for the entry points that hold a report rather than metrics. */
export function reportFigures(report: Report): GateFigures {
  return {
    overall: { ...report.metrics, error_rate: report.metrics.gate_error_rate },
    perTool: new Map(Object.entries(report.per_tool)),
    breakingPointDetected: report.breaking_point.detected,
  };
}

/** Every evaluated threshold, overall first, then per tool in `perTool` order. */
export function evaluateThresholds(
  figures: GateFigures,
  thresholds: Thresholds,
): ThresholdResult[] {
  const results = evaluateScope(thresholds, null, figures.overall);
  if (thresholds.failOnBreakingPoint) {
    const detected = figures.breakingPointDetected;
    results.push({
      metric: 'breaking_point',
      scope: null,
      limit: 0,
      observed: detected ? 1 : 0,
      passed: !detected,
    });
  }
  // perTool order first; a scope that made no request (no figures) after, in config order.
  const scopes = Object.keys(thresholds.tools);
  const ordered = [
    ...[...figures.perTool.keys()].filter((key) => Object.hasOwn(thresholds.tools, key)),
    ...scopes.filter((key) => !figures.perTool.has(key)),
  ];
  for (const key of ordered) {
    const limits = thresholds.tools[key];
    if (limits === undefined) continue;
    results.push(...evaluateScope(limits, key, figures.perTool.get(key)));
  }
  return results;
}

/** The report's `thresholds` and `thresholds_passed` for these results. */
export function thresholdFields(
  results: ThresholdResult[],
): Pick<Report, 'thresholds' | 'thresholds_passed'> {
  return { thresholds: results, thresholds_passed: results.every((r) => r.passed) };
}

/** A copy of `report` gated by `thresholds` on its own figures (merge, and reports in tests). */
export function withThresholds(report: Report, thresholds: Thresholds): Report {
  return {
    ...report,
    ...thresholdFields(evaluateThresholds(reportFigures(report), thresholds)),
  };
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
