/**
 * What later steps and the workflow UI get from a run: step outputs (raw report figures, so
 * `fromJSON` and shell comparisons work on them) and one error annotation per failed threshold.
 */
import * as core from '@actions/core';
import { relative } from 'node:path';
import type { LoadtestError } from '../errors.js';
import { describeFailedThreshold } from '../render/threshold-lines.js';
import type { Report } from '../report/types.js';

/** action.yml `outputs`, in its order. */
export const OUTPUT_NAMES = [
  'passed',
  'p50-ms',
  'p95-ms',
  'p99-ms',
  'error-rate',
  'throughput-rps',
  'total-requests',
  'breaking-point-vus',
  'report-path',
] as const;

export type OutputName = (typeof OUTPUT_NAMES)[number];

/** Latencies are empty when no request succeeded: 0 would read as "instant". */
export function outputValues(report: Report, reportPath: string): Record<OutputName, string> {
  const m = report.metrics;
  const latency = (ms: number): string => (m.latency.count > 0 ? String(ms) : '');
  const bp = report.breaking_point;
  return {
    passed: String(report.thresholds_passed),
    'p50-ms': latency(m.latency.p50_ms),
    'p95-ms': latency(m.latency.p95_ms),
    'p99-ms': latency(m.latency.p99_ms),
    'error-rate': String(m.error_rate),
    'throughput-rps': String(m.throughput_rps),
    'total-requests': String(m.total_requests),
    'breaking-point-vus': bp.detected && bp.vus !== undefined ? String(bp.vus) : '',
    'report-path': reportPath,
  };
}

export function setOutputs(report: Report, reportPath: string): void {
  for (const [name, value] of Object.entries(outputValues(report, reportPath))) {
    core.setOutput(name, value);
  }
}

/** One `::error::` per failed threshold: metric, observed value, limit and scope. */
export function annotateThresholds(report: Report): void {
  for (const t of report.thresholds) {
    if (t.passed) continue;
    core.error(`threshold failed: ${describeFailedThreshold(t)}`, {
      title: `mcp-loadtest: ${t.metric} threshold`,
    });
  }
}

/** A config error points at its TOML line, so the annotation shows on the file in the PR diff. */
export function annotateConfigError(error: LoadtestError, workspace: string): void {
  if (error.file === undefined) return;
  const file = relative(workspace, error.file);
  core.error(error.message, {
    title: 'mcp-loadtest: config error',
    file: file.startsWith('..') ? error.file : file,
    ...(error.line === undefined ? {} : { startLine: error.line }),
    ...(error.column === undefined ? {} : { startColumn: error.column }),
  });
}
