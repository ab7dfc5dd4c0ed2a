/**
 * What a run's results say, in one word, for every renderer (markdown, HTML) and the action:
 * only a run whose thresholds were all met (and, with a baseline, that did not regress) is
 * "passed". A run with no thresholds and no baseline was not gated,
 * whatever it measured (a run where every request failed and nothing was checked is not a pass);
 * a run that stopped early is "incomplete" unless a threshold already failed.
 */
import type { Report } from '../report/types.js';

export type VerdictState = 'failed' | 'incomplete' | 'not-gated' | 'passed';

export function verdictState(report: Report): VerdictState {
  const regressed = report.comparison?.regressed === true;
  if (report.thresholds.some((t) => !t.passed) || regressed) return 'failed';
  if (!report.completed) return 'incomplete';
  // A comparison with a baseline gates the run too (README "Comparing runs").
  return report.thresholds.length === 0 && report.comparison === undefined ? 'not-gated' : 'passed';
}
