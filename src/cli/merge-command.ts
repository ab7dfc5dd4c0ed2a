/**
 * `mcp-loadtest merge REPORT... --report OUT [--config F]`: the shard reports of one load
 * (`run --shard I/N`) → one report (src/merge/merge-reports.ts), validated and written, then the
 * summary and the exit code as `run` gives them (1 when a threshold failed on the merged figures).
 *
 * Each input is read and checked for shape before anything is added (merge/read-shard-report.ts).
 */
import { relative, resolve } from 'node:path';
import { mergeThresholds } from '../gate/thresholds.js';
import { EXIT, LoadtestError } from '../errors.js';
import { mergeReports } from '../merge/merge-reports.js';
import { readShardReport } from '../merge/read-shard-report.js';
import { writeReportAtomic } from '../report/write-report.js';
import { renderHtmlReport } from '../render/html/html-report.js';
import { renderSummary } from '../render/summary.js';
import { writeFileAtomic } from '../report/write-file-atomic.js';
import { describeFailedThreshold } from '../render/threshold-lines.js';
import { parseCommand, type OptionSpec } from './args.js';
import { colorEnabled, diag, type Output } from './output.js';
import { resolveConfig } from './run-command.js';

export const MERGE_OPTIONS: OptionSpec = {
  report: { type: 'string' },
  html: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
};

/** More inputs than this is a glob gone wrong, not a fleet. */
const MAX_REPORTS = 10_000;

export function mergeCommand(argv: string[], out: Output): number {
  const { values, positionals } = parseCommand('merge', argv, MERGE_OPTIONS, MAX_REPORTS);
  if (values.report === undefined) {
    throw new LoadtestError(
      'USAGE',
      'merge: missing --report OUT; usage: mcp-loadtest merge REPORT... --report OUT [--config F]',
    );
  }
  if (positionals.length === 0) {
    throw new LoadtestError(
      'USAGE',
      'merge: no report given; usage: mcp-loadtest merge REPORT... --report OUT [--config F]',
    );
  }
  const outPath = resolve(out.cwd, String(values.report));
  const thresholds =
    values.config === undefined
      ? null
      : mergeThresholds(resolveConfig('merge', values.config, out).thresholds, {});
  const inputs = positionals.map((p) => readShardReport(resolve(out.cwd, p), p));
  const report = mergeReports(inputs, thresholds);
  writeReportAtomic(outPath, report);
  const htmlPath = values.html === undefined ? null : resolve(out.cwd, String(values.html));
  if (htmlPath !== null) writeFileAtomic(htmlPath, renderHtmlReport(report), 'HTML report');
  if (values.quiet !== true) {
    const color = colorEnabled(out, values['no-color'] === true);
    out.stdout.write(
      renderSummary(report, { color, width: out.stdout.columns || undefined }) + '\n',
    );
  }
  diag(out, `merged ${inputs.length} shard reports: ${displayPath(out, outPath)}`);
  if (htmlPath !== null) diag(out, `HTML report: ${displayPath(out, htmlPath)}`);
  for (const failed of report.thresholds.filter((t) => !t.passed)) {
    diag(out, `threshold failed: ${describeFailedThreshold(failed)}`);
  }
  return report.thresholds_passed ? EXIT.ok : EXIT.thresholds;
}

function displayPath(out: Output, path: string): string {
  const rel = relative(out.cwd, path);
  return rel.startsWith('..') ? path : rel;
}
