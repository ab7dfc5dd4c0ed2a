/**
 * The thresholds of a run in markdown: the table (metric, scope, limit, observed, ✅/❌) and the
 * one-phrase form of a failure used by the verdict line and the action's annotations.
 */
import type { Report, ThresholdResult } from '../report/types.js';
import { MAX_NAME_CHARS, untrustedCode } from './markdown-escape.js';
import { formatMs, formatRate } from './format.js';

export function thresholdTable(report: Report, results: readonly ThresholdResult[]): string[] {
  const lines = ['| metric | scope | limit | observed | |', '|:--|:--|--:|--:|:-:|'];
  for (const t of results) {
    lines.push(
      `| \`${t.metric}\` | ${scopeCell(t.scope)} | ${formatLimit(t)} | ${formatObserved(report, t)} | ${t.passed ? '✅' : '❌'} |`,
    );
  }
  return lines;
}

/** "`p99_ms` 120ms (limit ≤ 50.0ms)", with "of <code>tool</code>" for a per-tool threshold. */
export function describeFailure(report: Report, t: ThresholdResult): string {
  const scope = t.scope === null ? '' : ` of ${scopeCell(t.scope)}`;
  return `\`${t.metric}\`${scope} ${formatObserved(report, t)} (limit ${formatLimit(t)})`;
}

function scopeCell(scope: string | null): string {
  return scope === null ? 'all requests' : untrustedCode(scope, MAX_NAME_CHARS);
}

export function formatLimit(t: ThresholdResult): string {
  switch (t.metric) {
    case 'p50_ms':
    case 'p95_ms':
    case 'p99_ms':
      return `≤ ${formatMs(t.limit)}`;
    case 'error_rate':
      return `≤ ${preciseRatio(t.limit)}`;
    case 'min_throughput_rps':
      return `≥ ${formatRate(t.limit)} req/s`;
    case 'breaking_point':
      return 'none allowed';
  }
}

export function formatObserved(report: Report, t: ThresholdResult): string {
  if (t.metric === 'breaking_point') {
    const bp = report.breaking_point;
    if (!bp.detected) return 'none';
    return bp.vus === undefined ? 'detected' : `detected at ${bp.vus} VUs`;
  }
  if (t.observed === null || !Number.isFinite(t.observed)) return 'not measured';
  switch (t.metric) {
    case 'p50_ms':
    case 'p95_ms':
    case 'p99_ms':
      return formatMs(t.observed);
    case 'error_rate':
      return preciseRatio(t.observed);
    case 'min_throughput_rps':
      return `${formatRate(t.observed)} req/s`;
  }
}

/**
 * A 0–1 ratio as a percentage with three significant figures, never rounded to a neighbour of the
 * limit: `formatPercent` shows 0.0004 as "<0.1%", which cannot be compared with a 0.05% limit.
 */
export function preciseRatio(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio < 0) return '-';
  if (ratio === 0) return '0%';
  const pct = ratio * 100;
  if (pct < 0.001) return '<0.001%';
  const text = pct >= 100 ? pct.toFixed(1) : Number(pct.toPrecision(3)).toString();
  return `${text}%`;
}
