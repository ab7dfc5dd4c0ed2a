/**
 * How a report's load is described in one phrase, for the summary banner and the markdown:
 * "10", "up to 50 (3 stages)" VUs in the closed model; "200 steps/s (up to 400 sessions)" or
 * "10 → 300 steps/s (2 stages, up to 600 sessions)" in the open model.
 */
import type { Report } from '../report/types.js';
import { formatCount, formatRate } from './format.js';

export interface LoadShape {
  /** `vus` (closed model) or `rate` (open model). */
  label: 'vus' | 'rate';
  text: string;
  /** Seconds of load the config asked for. */
  plannedSecs: number;
  /** Closed model: the flat VUs or the stages' peak. */
  peakVus: number;
}

export function loadShape(report: Report): LoadShape {
  const { config } = report;
  const stages = config.stages;
  const plannedSecs =
    stages.length > 0 ? stages.reduce((sum, s) => sum + s.duration_secs, 0) : config.duration_secs;
  const stageCount = stages.length > 0 ? plural(stages.length, 'stage') : '';
  if (config.model === 'open') {
    const sessions = `up to ${plural(config.max_vus ?? 0, 'session')}`;
    const start = formatRate(config.arrival_rate ?? 0);
    const rates = stages.map((s) => s.target_rate ?? 0);
    const text =
      stages.length > 0
        ? `${start} → ${formatRate(Math.max(...rates))} steps/s (${stageCount}, ${sessions})`
        : `${start} steps/s (${sessions})`;
    return { label: 'rate', text, plannedSecs, peakVus: config.max_vus ?? 0 };
  }
  const peakVus =
    stages.length > 0 ? Math.max(...stages.map((s) => s.target_vus ?? 0)) : config.virtual_users;
  const text = stages.length > 0 ? `up to ${peakVus} (${stageCount})` : String(peakVus);
  return { label: 'vus', text, plannedSecs, peakVus };
}

function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}
