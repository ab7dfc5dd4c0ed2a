/**
 * A comparison with a baseline in markdown: the verdict line, the table (scope, metric, base,
 * head, change with ↑/↓, p, limit, ✅/❌) and the warnings. Used inside the run's markdown and,
 * with a heading, by `compare --markdown`. Step names are server text: escaped, in code spans.
 * The table is bounded (regressed rows first, then the rest, "… N more"), so the document stays
 * far below GitHub's comment limit whatever the number of steps.
 */
import type { Comparison, ComparisonRow } from '../report/types.js';
import {
  formatChange,
  formatComparisonLimit,
  formatPValue,
  formatValue,
  METRIC_LABELS,
  rowVerdict,
} from './comparison-format.js';
import { escapeText, MAX_MESSAGE_CHARS, MAX_NAME_CHARS, untrustedCode } from './markdown-escape.js';

/** Rows at most in the table: 12 steps' worth of five figures, plus the whole run. */
export const MAX_COMPARISON_ROWS = 65;
const MAX_NAMED_IN_VERDICT = 5;

export function comparisonSection(comparison: Comparison): string[][] {
  const source = comparison.baseline.source ?? 'the baseline';
  const blocks: string[][] = [
    [comparisonVerdict(comparison)],
    [
      `${baselineLine(comparison, source)} · one-sided Mann–Whitney U on the 2 s samples (base ${comparison.samples.base}, head ${comparison.samples.head}), α = ${comparison.alpha}`,
    ],
    comparisonTable(comparison),
  ];
  if (comparison.warnings.length > 0) {
    blocks.push(comparison.warnings.map((w) => `> ⚠️ ${escapeText(w, MAX_MESSAGE_CHARS * 3)}`));
  }
  return blocks;
}

/** Which baseline: a report file, or (paired A/B mode) a server measured in the same run. */
function baselineLine(comparison: Comparison, source: string): string {
  const p = comparison.paired;
  if (p === undefined) {
    return `Baseline ${untrustedCode(source, 120)} (${escapeText(comparison.baseline.timestamp, 40)})`;
  }
  return `Paired A/B with the baseline server ${untrustedCode(comparison.baseline.target_url, 120)}: ${p.rounds} rounds of ${p.round_secs} s each, order ${escapeText(p.order, 240)}`;
}

/** `compare --markdown`: a document of its own. */
export function renderComparisonMarkdown(comparison: Comparison): string {
  const blocks = [['## mcp-loadtest comparison'], ...comparisonSection(comparison)];
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

export function comparisonVerdict(comparison: Comparison): string {
  const regressed = comparison.rows.filter((row) => row.regressed);
  if (regressed.length === 0) {
    return '✅ **No regression** against the baseline (changes beyond a limit were not significant, or there were none)';
  }
  const listed = regressed.slice(0, MAX_NAMED_IN_VERDICT).map(describe);
  const rest = regressed.length - listed.length;
  if (rest > 0) listed.push(`and ${rest} more`);
  return `❌ **Regression** against the baseline: ${listed.join('; ')}`;
}

function describe(row: ComparisonRow): string {
  return `${METRIC_LABELS[row.metric]} of ${scopeCell(row.scope)} ${formatChange(row)} (limit ${formatComparisonLimit(row)}, p ${formatPValue(row.p_value)})`;
}

function comparisonTable(comparison: Comparison): string[] {
  const lines = [
    '| scope | metric | base | head | change | p | limit | |',
    '|:--|:--|--:|--:|--:|--:|--:|:-:|',
  ];
  const ordered = [
    ...comparison.rows.filter((row) => row.regressed),
    ...comparison.rows.filter((row) => !row.regressed),
  ];
  // Keep the original order among the shown rows: regressions are never the ones cut.
  const shown = new Set(ordered.slice(0, MAX_COMPARISON_ROWS));
  for (const row of comparison.rows) {
    if (!shown.has(row)) continue;
    const verdict = rowVerdict(row);
    const mark =
      verdict === 'regression'
        ? '❌'
        : verdict === 'within noise'
          ? '〰️'
          : verdict === 'ok'
            ? '✅'
            : '';
    lines.push(
      `| ${scopeCell(row.scope)} | ${METRIC_LABELS[row.metric]} | ${formatValue(row.metric, row.base)} | ${formatValue(row.metric, row.head)} | ${formatChange(row)} | ${formatPValue(row.p_value)} | ${formatComparisonLimit(row)} | ${mark} |`,
    );
  }
  const cut = comparison.rows.length - shown.size;
  if (cut > 0) lines.push(`| … ${cut} more rows (see the JSON report) | | | | | | | |`);
  return lines;
}

function scopeCell(scope: string | null): string {
  return scope === null ? 'all requests' : untrustedCode(scope, MAX_NAME_CHARS);
}
