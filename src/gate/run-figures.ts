/**
 * The gate's figures from what a run measured (`RunResult` → `GateFigures`): what the thresholds
 * are evaluated on in `mcp-loadtest run`, before any report exists, as k6 evaluates thresholds on
 * its metric sinks. The report states the same figures (report/build-report.ts takes them from
 * here), so a threshold's `observed` is the figure the summary shows. `merge` has reports, not
 * metrics: it reads the same figures back from them (`reportFigures` in ./thresholds.ts).
 */
import type { RunResult } from '../engine/load-run.js';
import { latencyStats } from '../metrics/latency-stats.js';
import { reportedLatency } from '../metrics/reported-latency.js';
import type { MetricKey, RunMetrics } from '../metrics/run-metrics.js';
import { ERROR_KINDS } from '../protocol/outcome.js';
import type { GateFigures, ScopeFigures } from './thresholds.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

/**
 * The report's per_tool key of each step key, in key order: the step's name, or
 * "<operation> <name>" when an earlier step took the name (a tool and a prompt both called "x").
 */
export function perToolNames(keys: readonly MetricKey[]): string[] {
  const taken = new Set<string>();
  return keys.map((key) => {
    const name = taken.has(key.name) ? `${key.operation} ${key.name}` : key.name;
    taken.add(name);
    return name;
  });
}

/** Errors of one step key, all kinds. */
export function keyErrorTotal(metrics: RunMetrics, key: number): number {
  let n = 0;
  for (let i = 0; i < ERROR_KINDS.length; i++) n += metrics.errorCount(key, i);
  return n;
}

/**
 * What the error_rate threshold checks, so VUs that never got a session count against the gate:
 * the larger of (errors + failed handshakes) / (requests + failed handshakes) and VUs without a
 * session / VUs started (schema/report.schema.json, `metrics.gate_error_rate`).
 */
function gateErrorRate(metrics: RunMetrics, requests: number, errors: number): number {
  const failedHandshakes = metrics.handshakeAttempts - metrics.handshakeOk;
  return Math.max(
    ratio(errors + failedHandshakes, requests + failedHandshakes),
    ratio(metrics.vusWithoutSession, metrics.vusStarted),
  );
}

export function runFigures(result: RunResult, expectedIntervalMs: number): GateFigures {
  const m = result.metrics;
  const intervalUs = expectedIntervalMs * 1000;
  const elapsedSecs = result.durationSecs;
  // Built as the report's per_tool object is (null prototype: the keys are server-chosen names),
  // then read in that object's key order, so results come in the order a report gives them.
  const perTool = Object.create(null) as Record<string, ScopeFigures>;
  let requests = 0;
  let errors = 0;
  perToolNames(m.keys).forEach((name, k) => {
    const keyRequests = m.keyTotal[k]!;
    const keyErrors = keyErrorTotal(m, k);
    requests += keyRequests;
    errors += keyErrors;
    perTool[name] = {
      total_requests: keyRequests,
      error_rate: ratio(keyErrors, keyRequests),
      throughput_rps: round3(ratio(keyRequests, elapsedSecs)),
      latency: latencyStats(reportedLatency(m, [k], intervalUs)),
    };
  });
  return {
    overall: {
      total_requests: requests,
      error_rate: gateErrorRate(m, requests, errors),
      throughput_rps: round3(ratio(requests, elapsedSecs)),
      latency: latencyStats(
        reportedLatency(
          m,
          m.keys.map((_, k) => k),
          intervalUs,
        ),
      ),
    },
    perTool: new Map(Object.entries(perTool)),
    breakingPointDetected: result.breakingPoint !== null,
  };
}
