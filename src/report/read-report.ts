/**
 * Reads a report written by an earlier run (a baseline for `compare` and `run --baseline`). A file
 * that is missing, not JSON or not a report of this schema is bad input, not a bug: one line
 * saying which file, what is wrong and what is accepted, exit code 2.
 */
import { readFileSync } from 'node:fs';
import { LoadtestError } from '../errors.js';
import type { Report } from './types.js';
import { validateReport } from './validate-report.js';

const ACCEPTED = 'accepted: a JSON report written by mcp-loadtest run (schema_version 1.2)';

/** `shown` names the file in messages as the user gave it. */
export function readReportFile(path: string, shown: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LoadtestError(
      'REPORT_UNREADABLE',
      `cannot read the report ${shown}: ${whyUnreadable(err)}; ${ACCEPTED}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the file's text, which may be anything.
    throw new LoadtestError('REPORT_UNREADABLE', `${shown} is not JSON; ${ACCEPTED}`);
  }
  const result = validateReport(parsed);
  if (!result.valid) {
    throw new LoadtestError(
      'REPORT_UNREADABLE',
      `${shown} is not an mcp-loadtest report: ${result.errors.slice(0, 2).join('; ')}; ${ACCEPTED}`,
    );
  }
  return parsed as Report;
}

/** Why a report file could not be read, in a few words (for one-line errors). */
export function whyUnreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'a directory';
  return code ?? (err as Error).message;
}
