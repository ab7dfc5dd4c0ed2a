/**
 * The action's comparisons: the `baseline` input's report (read and checked before any load, as
 * `run --baseline` does) and the failure line of a regression (README "Comparing runs").
 */
import { relative } from 'node:path';
import type { Baseline } from '../gate/baseline.js';
import { assertMeasured } from '../gate/compare-reports.js';
import { describeRegressions } from '../render/comparison-table.js';
import { readReportFile } from '../report/read-report.js';
import type { Report } from '../report/types.js';
import type { ActionInputs } from './inputs.js';

/** One line naming the file when it cannot be used; undefined without the input. */
export function readBaseline(inputs: ActionInputs): Baseline | undefined {
  if (inputs.baselinePath === undefined) return undefined;
  const source = relative(inputs.workingDirectory, inputs.baselinePath) || inputs.baselinePath;
  const report = readReportFile(inputs.baselinePath, `${source} (input baseline)`);
  assertMeasured(report, `${source} (input baseline)`);
  return { report, source, maxRegression: inputs.maxRegression };
}

/** Why the comparison fails the gate, or undefined when it found no regression. */
export function regressionReason(report: Report): string | undefined {
  const regressions = describeRegressions(report.comparison);
  if (regressions.length === 0) return undefined;
  const more = regressions.length > 1 ? ` (and ${regressions.length - 1} more)` : '';
  return `regression against the baseline: ${regressions[0]}${more}`;
}
