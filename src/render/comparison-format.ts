/**
 * How a comparison row reads, shared by the terminal table, markdown and JUnit: values in the
 * metric's unit, the change with an arrow (↑ / ↓ and %; error rate in points, since a rise from 0
 * has no percentage), the limit, the p-value. Pure; "-" for what was not measured.
 */
import type { ComparedMetric, ComparisonRow } from '../report/types.js';
import { formatMs, formatPercent, formatRate } from './format.js';

export const METRIC_LABELS: Readonly<Record<ComparedMetric, string>> = {
  throughput_rps: 'throughput',
  error_rate: 'error rate',
  p50_ms: 'p50',
  p95_ms: 'p95',
  p99_ms: 'p99',
};

export function formatValue(metric: ComparedMetric, value: number | null): string {
  if (value === null) return '-';
  switch (metric) {
    case 'throughput_rps':
      return `${formatRate(value)}/s`;
    case 'error_rate':
      return formatPercent(value);
    default:
      return formatMs(value);
  }
}

/** "↑ 12.5%", "↓ 3.0%", "= 0.0%"; error rate "↑ 1.2 pt"; "-" when not computable. */
export function formatChange(row: ComparisonRow): string {
  if (row.metric === 'error_rate') {
    if (row.delta === null) return '-';
    return `${arrow(row.delta)} ${Math.abs(row.delta * 100).toFixed(1)} pt`;
  }
  if (row.change_ratio === null) return '-';
  return `${arrow(row.change_ratio)} ${Math.abs(row.change_ratio * 100).toFixed(1)}%`;
}

function arrow(change: number): string {
  // Below what the one-decimal figure shows, the change reads as none.
  if (Math.abs(change) < 0.0005) return '=';
  return change > 0 ? '↑' : '↓';
}

/** "≤ +15%" (p99), "≤ +1.0 pt" (error rate), "≥ 90%" (throughput share); "" when not gated. */
export function formatComparisonLimit(row: ComparisonRow): string {
  if (row.limit === null) return '';
  switch (row.metric) {
    case 'error_rate':
      return `≤ +${trim(row.limit * 100)} pt`;
    case 'throughput_rps':
      return `≥ ${trim(row.limit * 100)}%`;
    default:
      return `≤ +${trim(row.limit * 100)}%`;
  }
}

function trim(pct: number): string {
  return Number(pct.toPrecision(3)).toString();
}

export function formatPValue(p: number | null): string {
  if (p === null) return '-';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** The row's verdict in words. */
export function rowVerdict(row: ComparisonRow): 'regression' | 'within noise' | 'ok' | '' {
  if (row.limit === null) return '';
  if (row.regressed) return 'regression';
  return row.beyond_limit ? 'within noise' : 'ok';
}

/** "p99 of add 10.1ms → 31.0ms (↑ 207.0%, limit ≤ +15%, p 0.004)": scope given by the caller. */
export function describeRow(row: ComparisonRow, scope: string): string {
  return `${METRIC_LABELS[row.metric]} of ${scope} ${formatValue(row.metric, row.base)} → ${formatValue(row.metric, row.head)} (${formatChange(row)}, limit ${formatComparisonLimit(row)}, p ${formatPValue(row.p_value)})`;
}
