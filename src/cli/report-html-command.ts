/**
 * `mcp-loadtest report-html REPORT.json --out PATH`: the HTML report of an existing JSON report
 * (an artifact from CI, a run from last week). The JSON must be a report this version can read:
 * it is checked against schema/report.schema.json first, so a wrong file gets one line saying so.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, LoadtestError } from '../errors.js';
import { renderHtmlReport } from '../render/html/html-report.js';
import type { Report } from '../report/types.js';
import { validateReport } from '../report/validate-report.js';
import { writeFileAtomic } from '../report/write-file-atomic.js';
import { parseCommand, type OptionSpec } from './args.js';
import { diag, type Output } from './output.js';

export const REPORT_HTML_OPTIONS: OptionSpec = {
  out: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
};

const ERRORS_SHOWN = 3;

export function reportHtmlCommand(argv: string[], out: Output): number {
  const { values, positionals } = parseCommand('report-html', argv, REPORT_HTML_OPTIONS, 1);
  const input = positionals[0];
  if (input === undefined || values.out === undefined) {
    throw new LoadtestError(
      'USAGE',
      'report-html: needs a JSON report and --out: mcp-loadtest report-html REPORT.json --out REPORT.html',
    );
  }
  const report = readReport(resolve(out.cwd, input), input);
  const outPath = resolve(out.cwd, String(values.out));
  writeFileAtomic(outPath, renderHtmlReport(report), 'HTML report');
  diag(out, `HTML report: ${String(values.out)}`);
  return EXIT.ok;
}

/** Reads and validates a JSON report; `shown` is the path as the user wrote it. */
export function readReport(path: string, shown: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : (code ?? String(error));
    throw new LoadtestError('USAGE', `report-html: cannot read ${shown}: ${why}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LoadtestError(
      'USAGE',
      `report-html: ${shown} is not JSON (${(error as Error).message}); pass a report written by mcp-loadtest run`,
    );
  }
  const validation = validateReport(parsed);
  if (!validation.valid) {
    const shownErrors = validation.errors.slice(0, ERRORS_SHOWN).join('; ');
    throw new LoadtestError(
      'USAGE',
      `report-html: ${shown} is not an mcp-loadtest report (schema/report.schema.json): ${shownErrors}`,
    );
  }
  return parsed as Report;
}
