/**
 * `mcp-loadtest compare BASE.json HEAD.json`: the head run against the base run, as a table in
 * the terminal or markdown, and a noise-aware verdict (src/gate/compare-reports.ts). Exit 1 on a
 * regression, 0 otherwise, 2 when a report cannot be used (missing, not a report, measured
 * nothing). Different scenarios are a warning: the steps only one run measured are listed.
 */
import { findConfig, loadConfigFile } from '../config/load-config.js';
import { RULES } from '../config/config-rules.js';
import type { Thresholds } from '../config/types.js';
import { EXIT, LoadtestError } from '../errors.js';
import { compareRuns } from '../gate/compare-reports.js';
import { comparisonGate } from '../gate/comparison-limits.js';
import { readReportFile } from '../report/read-report.js';
import { colors } from '../render/colors.js';
import { describeRegressions, renderComparison, verdictLine } from '../render/comparison-table.js';
import { renderComparisonMarkdown } from '../render/markdown-comparison.js';
import { resolve } from 'node:path';
import { numberOption, parseCommand, type OptionSpec } from './args.js';
import { colorEnabled, diag, type Output } from './output.js';

export const COMPARE_OPTIONS: OptionSpec = {
  config: { type: 'string', short: 'c' },
  'max-regression': { type: 'string' },
  markdown: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
};

export function compareCommand(argv: string[], out: Output): number {
  const { values, positionals } = parseCommand('compare', argv, COMPARE_OPTIONS, 2);
  const [basePath, headPath] = positionals;
  if (basePath === undefined || headPath === undefined) {
    throw new LoadtestError(
      'USAGE',
      'compare: needs two reports; usage: mcp-loadtest compare BASE.json HEAD.json [--max-regression R] [--markdown]',
    );
  }
  const maxRegression = maxRegressionOption('compare', values['max-regression']);
  const thresholds = compareThresholds(values.config, out);
  const base = readReportFile(resolve(out.cwd, basePath), basePath);
  const head = readReportFile(resolve(out.cwd, headPath), headPath);
  const comparison = compareRuns({
    base,
    head,
    baseName: basePath,
    headName: headPath,
    baseSource: basePath,
    gate: comparisonGate(thresholds, maxRegression),
  });
  const c = colors(colorEnabled(out, values['no-color'] === true));
  if (values.markdown === true) {
    out.stdout.write(renderComparisonMarkdown(comparison));
  } else if (values.quiet === true) {
    for (const warning of comparison.warnings) diag(out, `warning: ${warning}`);
    out.stdout.write(verdictLine(comparison, c) + '\n');
  } else {
    const width = out.stdout.columns || 80;
    out.stdout.write(renderComparison(comparison, c, width).join('\n') + '\n');
  }
  for (const line of describeRegressions(comparison)) diag(out, `regression: ${line}`);
  return comparison.regressed ? EXIT.thresholds : EXIT.ok;
}

/** `--max-regression R`: the same bounds as `max_p99_regression` in the config. */
export function maxRegressionOption(command: string, raw: unknown): number | undefined {
  const rule = RULES.maxP99Regression;
  return numberOption(command, 'max-regression', raw, rule.min, rule.max, rule.minExclusive);
}

/** [thresholds] of --config, or of the nearest .pmcp/loadtest.toml; none when there is none. */
function compareThresholds(raw: unknown, out: Output): Thresholds | undefined {
  const path = raw !== undefined ? resolve(out.cwd, String(raw)) : findConfig(out.cwd);
  return path === undefined ? undefined : loadConfigFile(path, out.env).thresholds;
}
