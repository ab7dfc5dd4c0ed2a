/**
 * What a run's results say, in one word, for every renderer (markdown, HTML) and the action:
 * only a run whose thresholds were all met is "passed". A run with no thresholds was not gated,
 * whatever it measured (a run where every request failed and nothing was checked is not a pass);
 * a run that stopped early is "incomplete" unless a threshold already failed.
 */
import type { Report } from '../report/types.js';

export type VerdictState = 'failed' | 'incomplete' | 'not-gated' | 'passed';

export function verdictState(report: Report): VerdictState {
  if (report.thresholds.some((t) => !t.passed)) return 'failed';
  if (!report.completed) return 'incomplete';
  return report.thresholds.length === 0 ? 'not-gated' : 'passed';
}
