/**
 * The per-tool table of the Rust tool's summary: one row per `per_tool` key, busiest first.
 *
 *   tool                             reqs      rate   err%     p50     p95     p99
 *   ──────────────────────────────────────────────────────────────────────────────
 *   calculate                         680    11.3/s   2.1%    42ms   120ms   350ms
 *
 * Keys are server-provided text: sanitised, then fitted by terminal cells (CJK and emoji are two
 * wide) so a hostile name can neither inject escapes nor push the numbers out of their columns.
 * The rule is as wide as the rows (the Rust tool's is two cells wider and wraps on 80 columns).
 */
import type { PerKeyMetrics, Report } from '../report/types.js';
import type { Colors } from './colors.js';
import {
  displayWidth,
  fitWidth,
  formatMs,
  formatPercent,
  formatRate,
  sanitizeForTerminal,
} from './format.js';

const INDENT = '  ';
/** The Rust tool's tool column at 80 columns; wider terminals widen it only for long names. */
const TOOL_COLUMN = 30;
const MIN_TOOL_COLUMN = 12;
const NUMBER_COLUMNS = [7, 10, 7, 8, 8, 8] as const;
const NUMBERS_WIDTH = NUMBER_COLUMNS.reduce((sum, w) => sum + w, 0);
const HEADERS = ['reqs', 'rate', 'err%', 'p50', 'p95', 'p99'] as const;

export function renderPerToolTable(
  perTool: Report['per_tool'],
  c: Colors,
  terminalWidth: number,
): string[] {
  const rows = Object.entries(perTool)
    .map(([key, metrics]) => ({ name: sanitizeForTerminal(key).trim(), metrics }))
    .sort(
      (a, b) =>
        b.metrics.total_requests - a.metrics.total_requests ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  const longest = Math.max(0, ...rows.map((row) => displayWidth(row.name)));
  const available = Math.max(MIN_TOOL_COLUMN, terminalWidth - INDENT.length - NUMBERS_WIDTH);
  const toolColumn = Math.min(Math.max(TOOL_COLUMN, longest + 1), available);

  const header = fitWidth('tool', toolColumn) + HEADERS.map(cell).join('');
  const lines = [INDENT + c.bold(header), INDENT + '─'.repeat(toolColumn + NUMBERS_WIDTH)];
  for (const { name, metrics } of rows) {
    // One cell short of the column so at least one space separates the name from `reqs`.
    const values = numbers(metrics).map(cell);
    if (metrics.error_count > 0) values[2] = c.red(values[2] ?? '');
    lines.push(INDENT + fitWidth(name, toolColumn - 1, 'left', 'middle') + ' ' + values.join(''));
  }
  return lines;

  function cell(text: string, index: number): string {
    return text.padStart(NUMBER_COLUMNS[index] ?? 8);
  }
}

function numbers(m: PerKeyMetrics): string[] {
  const none = m.total_requests === 0;
  const measured = m.latency.count > 0;
  return [
    String(m.total_requests),
    `${formatRate(m.throughput_rps)}/s`,
    none ? '-' : formatPercent(m.error_rate),
    measured ? formatMs(m.latency.p50_ms) : '-',
    measured ? formatMs(m.latency.p95_ms) : '-',
    measured ? formatMs(m.latency.p99_ms) : '-',
  ];
}
