/**
 * The report as the gate sees it: written atomically, then read back from disk and validated
 * against schema/report.schema.json. Gating on the file rather than the object in memory means
 * the summary, the comment and the outputs describe exactly what was published, and a report a
 * downstream `jq` or schema check would reject fails the step here first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadtestError } from '../errors.js';
import type { Report } from '../report/types.js';
import { validateReport } from '../report/validate-report.js';
import { reportFileName, writeReportAtomic } from '../report/write-report.js';

const ERRORS_SHOWN = 5;

export function reportPathIn(reportDir: string, now: Date): string {
  return join(reportDir, reportFileName(now));
}

export function writeAndReadBack(path: string, report: Report): Report {
  writeReportAtomic(path, report);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LoadtestError(
      'REPORT_INVALID',
      `report ${path} cannot be read back: ${(error as Error).message}`,
      {
        exitCode: 1,
        cause: error,
      },
    );
  }
  const validation = validateReport(parsed);
  if (!validation.valid) {
    const shown = validation.errors.slice(0, ERRORS_SHOWN);
    const more = validation.errors.length - shown.length;
    throw new LoadtestError(
      'REPORT_INVALID',
      `report ${path} does not match schema/report.schema.json: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
      { exitCode: 1 },
    );
  }
  return parsed as Report;
}
