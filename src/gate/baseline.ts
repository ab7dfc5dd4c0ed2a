/**
 * A run against its baseline (`run --baseline`), in one place for every entry point: the CLI now,
 * the action and the paired A/B mode later. The baseline was read and checked before any load
 * (report/read-report.ts, assertMeasured); here the finished run is compared with it.
 */
import type { Thresholds } from '../config/types.js';
import type { Comparison, Report } from '../report/types.js';
import { compareRuns } from './compare-reports.js';
import { comparisonGate } from './comparison-limits.js';

export interface Baseline {
  readonly report: Report;
  /** The path as the user gave it: named in messages and recorded in the comparison. */
  readonly source: string;
  /** --max-regression (or its action input). */
  readonly maxRegression: number | undefined;
}

/**
 * The comparison of `head` with the baseline under the config's limits; undefined when `head`
 * measured nothing (its stop reason says why, and there is nothing to compare).
 */
export function compareWithBaseline(
  head: Report,
  baseline: Baseline,
  thresholds: Thresholds,
): Comparison | undefined {
  if (head.metrics.total_requests === 0) return undefined;
  return compareRuns({
    base: baseline.report,
    head,
    baseName: baseline.source,
    headName: 'this run',
    baseSource: baseline.source,
    gate: comparisonGate(thresholds, baseline.maxRegression),
  });
}
