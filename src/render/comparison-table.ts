/**
 * A comparison with a baseline in the terminal: a heading naming the baseline and the test, then
 * one block per scope (the whole run first, then each step both runs measured):
 *
 *   scope / metric          base        head     change        p     limit  verdict
 *   ────────────────────────────────────────────────────────────────────────────────
 *   overall
 *     throughput          80.3/s      26.9/s    ↓ 66.5%   <0.001     ≥ 87%  ✗ regression
 *     p99                 21.2ms      63.0ms   ↑ 197.2%   <0.001   ≤ +15%   ✗ regression
 *
 * then the warnings and a one-line verdict. Step names are server text: sanitised and fitted.
 * Pure: comparison in, lines out.
 */
import type { Comparison, ComparisonRow } from '../report/types.js';
import type { Colors } from './colors.js';
import {
  describeRow,
  formatChange,
  formatComparisonLimit,
  formatPValue,
  formatValue,
  METRIC_LABELS,
  rowVerdict,
} from './comparison-format.js';
import { fitWidth, sanitizeForTerminal } from './format.js';

const INDENT = '  ';
const LABEL_COLUMN = 18;
const COLUMNS = [11, 12, 11, 9, 10] as const;
const HEADERS = ['base', 'head', 'change', 'p', 'limit'] as const;
/** Step names in the verdict line, before "and N more". */
const MAX_NAMED_STEPS = 5;

export function renderComparison(comparison: Comparison, c: Colors, width: number): string[] {
  const source = comparison.baseline.source ?? 'the baseline';
  const p = comparison.paired;
  const lines = [
    p === undefined
      ? `${INDENT}compared with ${sanitizeForTerminal(source)} (${sanitizeForTerminal(comparison.baseline.timestamp)}):`
      : `${INDENT}paired A/B with the baseline ${sanitizeForTerminal(comparison.baseline.target_url)}: ${p.rounds} rounds of ${p.round_secs}s each, order ${sanitizeForTerminal(p.order)}`,
    `${INDENT}one-sided Mann–Whitney U on the 2 s samples (base ${comparison.samples.base}, head ${comparison.samples.head}), alpha ${comparison.alpha}`,
    '',
    INDENT +
      c.bold(fitWidth('scope / metric', LABEL_COLUMN) + HEADERS.map(cell).join('') + '  verdict'),
    INDENT + '─'.repeat(Math.min(width - INDENT.length, LABEL_COLUMN + sum(COLUMNS) + 16)),
  ];
  let scope: string | null | undefined;
  for (const row of comparison.rows) {
    if (row.scope !== scope || scope === undefined) {
      scope = row.scope;
      const name = scope === null ? 'overall' : sanitizeForTerminal(scope).trim();
      lines.push(
        INDENT +
          fitWidth(name, Math.max(12, width - INDENT.length - 1), 'left', 'middle').trimEnd(),
      );
    }
    lines.push(INDENT + rowLine(row, c));
  }
  for (const warning of comparison.warnings) {
    lines.push('', `${INDENT}${c.yellow('warning:')} ${sanitizeForTerminal(warning)}`);
  }
  lines.push('', INDENT + verdictLine(comparison, c));
  return lines;
}

function rowLine(row: ComparisonRow, c: Colors): string {
  const cells = [
    formatValue(row.metric, row.base),
    formatValue(row.metric, row.head),
    formatChange(row),
    formatPValue(row.p_value),
    formatComparisonLimit(row),
  ].map(cell);
  const verdict = rowVerdict(row);
  const shown =
    verdict === 'regression'
      ? c.red('✗ regression')
      : verdict === 'within noise'
        ? c.yellow('~ within noise')
        : verdict === 'ok'
          ? c.green('✓')
          : '';
  return `  ${fitWidth(METRIC_LABELS[row.metric], LABEL_COLUMN - 2)}${cells.join('')}  ${shown}`.trimEnd();
}

function cell(text: string, index: number): string {
  return text.padStart(COLUMNS[index] ?? 10);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** "comparison: no regression" or "comparison: regression in p99 (overall, add, …)". */
export function verdictLine(comparison: Comparison, c: Colors): string {
  const regressed = comparison.rows.filter((row) => row.regressed);
  if (regressed.length === 0) {
    return `comparison: ${c.green('no regression')} (${comparison.rows.filter((r) => r.limit !== null).length} limits checked)`;
  }
  const byMetric = new Map<string, string[]>();
  for (const row of regressed) {
    const names = byMetric.get(row.metric) ?? [];
    names.push(row.scope === null ? 'overall' : sanitizeForTerminal(row.scope));
    byMetric.set(row.metric, names);
  }
  const parts = [...byMetric].map(([metric, names]) => {
    const listed = names.slice(0, MAX_NAMED_STEPS);
    if (names.length > listed.length) listed.push(`and ${names.length - listed.length} more`);
    return `${METRIC_LABELS[metric as ComparisonRow['metric']]} (${listed.join(', ')})`;
  });
  return `comparison: ${c.red('regression')} in ${parts.join('; ')}`;
}

/** One line per regressed row, for stderr after the summary (as failed thresholds are). */
export function describeRegressions(comparison: Comparison | undefined): string[] {
  if (comparison === undefined) return [];
  return comparison.rows
    .filter((row) => row.regressed)
    .map((row) =>
      describeRow(row, row.scope === null ? 'the whole run' : sanitizeForTerminal(row.scope)),
    );
}
