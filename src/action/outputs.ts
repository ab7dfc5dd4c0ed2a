/**
 * What later steps and the workflow UI get from a run: step outputs (raw report figures, so
 * `fromJSON` and shell comparisons work on them) and one annotation per failed threshold: an
 * error, or a warning when fail-on-threshold is false. `passed` is set by run.ts at the very end,
 * on every path, from the step's verdict.
 */
import * as core from '@actions/core';
import { relative } from 'node:path';
import type { LoadtestError } from '../errors.js';
import { describeRegressions } from '../render/comparison-table.js';
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
  'html-path',
  'comment-url',
  'regressed',
] as const;

export type OutputName = (typeof OUTPUT_NAMES)[number];

/** Set after the run: the HTML report and the PR comment, when there are any. */
export interface Published {
  reportPath: string;
  htmlPath?: string;
  commentUrl?: string;
}

/**
 * Every output but `passed`. Latencies are empty when no request succeeded (0 would read as
 * "instant"), the error rate when no request was sent (0 would read as "no errors").
 */
export function outputValues(
  report: Report,
  files: Published,
): Record<Exclude<OutputName, 'passed'>, string> {
  const m = report.metrics;
  const latency = (ms: number): string => (m.latency.count > 0 ? String(ms) : '');
  const bp = report.breaking_point;
  return {
    'p50-ms': latency(m.latency.p50_ms),
    'p95-ms': latency(m.latency.p95_ms),
    'p99-ms': latency(m.latency.p99_ms),
    'error-rate': m.total_requests > 0 ? String(m.error_rate) : '',
    'throughput-rps': String(m.throughput_rps),
    'total-requests': String(m.total_requests),
    'breaking-point-vus': bp.detected && bp.vus !== undefined ? String(bp.vus) : '',
    'report-path': files.reportPath,
    'html-path': files.htmlPath ?? '',
    'comment-url': files.commentUrl ?? '',
    // Empty, not "false", when nothing was compared: no baseline, or a run that measured nothing.
    regressed: report.comparison === undefined ? '' : String(report.comparison.regressed),
  };
}

export function setOutputs(report: Report, files: Published): void {
  for (const [name, value] of Object.entries(outputValues(report, files))) {
    core.setOutput(name, value);
  }
}

/**
 * One annotation per failed threshold (metric, observed value, limit and scope) and per regression
 * against the baseline: an error when it fails the step, a warning when fail-on-threshold is false. And one warning when any request
 * failed, whatever the thresholds say: a run with errors and no error-rate threshold is not clean.
 */
export function annotateResults(report: Report, failOnThreshold: boolean): void {
  const annotate = failOnThreshold ? core.error : core.warning;
  for (const t of report.thresholds) {
    if (t.passed) continue;
    annotate(`threshold failed: ${describeFailedThreshold(t)}`, {
      title: `mcp-loadtest: ${t.metric} threshold`,
    });
  }
  for (const line of describeRegressions(report.comparison)) {
    annotate(`regression: ${line}`, { title: 'mcp-loadtest: regression against the baseline' });
  }
  const m = report.metrics;
  if (m.error_count > 0) {
    core.warning(
      `${m.error_count} of ${m.total_requests} requests failed (error rate ${m.error_rate}); see the job summary's Errors table`,
      { title: 'mcp-loadtest: request errors' },
    );
  }
}

/**
 * A config error points at its TOML line, so the annotation shows on the file in the PR diff.
 * Returns true when it annotated: the caller then fails the step without a second annotation.
 */
export function annotateConfigError(error: LoadtestError, workspace: string): boolean {
  if (error.file === undefined) return false;
  const file = relative(workspace, error.file);
  core.error(error.message, {
    title: 'mcp-loadtest: config error',
    file: file.startsWith('..') ? error.file : file,
    ...(error.line === undefined ? {} : { startLine: error.line }),
    ...(error.column === undefined ? {} : { startColumn: error.column }),
  });
  return true;
}
