/**
 * One shard report from disk, for `mcp-loadtest merge` and the action's `merge-reports` input:
 * a missing file, a file that is not JSON, or JSON that is not a report each stop the merge with
 * one line naming the file as the user gave it (`shown`), before anything is added.
 */
import { readFileSync } from 'node:fs';
import { LoadtestError } from '../errors.js';
import { whyUnreadable } from '../report/read-report.js';
import type { Report } from '../report/types.js';
import { validateReport } from '../report/validate-report.js';
import type { SourcedReport } from './merge-checks.js';

export function readShardReport(path: string, shown: string): SourcedReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LoadtestError(
      'REPORT_UNREADABLE',
      `merge: cannot read ${shown}: ${whyUnreadable(err)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LoadtestError(
      'REPORT_UNREADABLE',
      `merge: ${shown} is not JSON (${(err as Error).message.split('\n')[0]}); pass the reports written by run --shard`,
    );
  }
  const valid = validateReport(json);
  if (!valid.valid) {
    throw new LoadtestError(
      'REPORT_UNREADABLE',
      `merge: ${shown} is not an mcp-loadtest report: ${valid.errors[0]}`,
    );
  }
  return { source: shown, report: json as Report };
}
