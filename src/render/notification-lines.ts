/**
 * The steps that got progress or logging notifications (report `per_tool[name].notifications`),
 * one phrase each, for the summary and the markdown: how many arrived and, for long-running
 * steps, how soon the first byte and the first progress notification came (means, from the send).
 * At most MAX_STEPS steps, those with the most notifications first.
 */
import type { Report } from '../report/types.js';
import { formatMs } from './format.js';

const MAX_STEPS = 3;

/** `name` is the step's name already made safe for the output by the caller's `safe`. */
export function notificationPhrases(report: Report, safe: (name: string) => string): string[] {
  const steps = Object.entries(report.per_tool)
    .flatMap(([name, m]) => (m.notifications === undefined ? [] : [{ name, n: m.notifications }]))
    .sort((a, b) => b.n.progress + b.n.logging - (a.n.progress + a.n.logging));
  const phrases = steps.slice(0, MAX_STEPS).map(({ name, n }) => {
    const counts = [
      n.progress > 0 ? `${n.progress} progress` : '',
      n.logging > 0 ? `${n.logging} logging` : '',
    ].filter((s) => s !== '');
    const times =
      n.first_progress === undefined || n.first_byte === undefined
        ? ''
        : ` (first byte ${formatMs(n.first_byte.mean_ms)}, first progress ${formatMs(n.first_progress.mean_ms)})`;
    return `${safe(name)}: ${counts.join(', ')}${times}`;
  });
  if (steps.length > MAX_STEPS) phrases.push(`${steps.length - MAX_STEPS} more steps`);
  return phrases;
}
