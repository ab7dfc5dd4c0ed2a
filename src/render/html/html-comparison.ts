/**
 * The report's `comparison` (a baseline comparison, added by `run --baseline`), drawn without
 * depending on its exact shape: objects become key/value tables, arrays of objects become tables
 * with one column per key, anything else is shown as text. Depth and rows are capped, so an odd
 * or hostile report cannot make the page unbounded. Every string is escaped.
 */
import { untrustedHtml } from './html-escape.js';

const MAX_DEPTH = 4;
const MAX_ROWS = 200;

/** The section, or '' when the report has no `comparison`. */
export function comparisonSection(report: object): string {
  if (!Object.prototype.hasOwnProperty.call(report, 'comparison')) return '';
  const comparison = (report as { comparison?: unknown }).comparison;
  if (comparison === undefined || comparison === null) return '';
  return `<section id="comparison"><h2>Comparison with the baseline</h2>${value(comparison, 0)}</section>`;
}

function value(v: unknown, depth: number): string {
  if (v === null || v === undefined) return '<span class="muted">-</span>';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return untrustedHtml(v);
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(v)) return list(v, depth);
  if (typeof v === 'object') return record(v as Record<string, unknown>, depth);
  return '';
}

function record(o: Record<string, unknown>, depth: number): string {
  const rows = Object.entries(o)
    .slice(0, MAX_ROWS)
    .map(
      ([k, v]) =>
        `<tr><th scope="row">${untrustedHtml(k)}</th><td>${value(v, depth + 1)}</td></tr>`,
    );
  return `<table class="kv">${rows.join('')}</table>`;
}

function list(items: unknown[], depth: number): string {
  const shown = items.slice(0, MAX_ROWS);
  const more =
    items.length > shown.length ? `<p class="muted">… ${items.length - shown.length} more</p>` : '';
  const objects = shown.every((i) => typeof i === 'object' && i !== null && !Array.isArray(i));
  if (!objects || shown.length === 0) {
    return `<ul>${shown.map((i) => `<li>${value(i, depth + 1)}</li>`).join('')}</ul>${more}`;
  }
  const keys = [...new Set(shown.flatMap((i) => Object.keys(i as object)))].slice(0, 20);
  const head = keys.map((k) => `<th>${untrustedHtml(k)}</th>`).join('');
  const rows = shown.map((i) => {
    const o = i as Record<string, unknown>;
    return `<tr>${keys.map((k) => `<td>${value(o[k], depth + 1)}</td>`).join('')}</tr>`;
  });
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}
