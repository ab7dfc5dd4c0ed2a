/**
 * Evaluated thresholds as text: the summary's `thresholds:` block, and the one-line
 * `threshold failed: …` diagnostics the CLI prints on stderr. Pure; scope names are step names
 * from the config (tool names, URIs, prompt names) and are sanitised like every other name.
 *
 *   thresholds: 1 of 3 failed
 *     ✓ p99_ms................: 7.72ms <= 10ms
 *     ✗ error_rate (add)......: 12.0% > 5%
 *     ✓ min_throughput_rps....: 80.8 req/s >= 50 req/s
 *
 * Observed values use the summary's formats; limits are shown as the user wrote them. The
 * stderr line keeps raw numbers (`p99_ms 12.345 > 10`), the figures of the report.
 */
import type { ThresholdResult } from '../report/types.js';
import type { Colors } from './colors.js';
import {
  displayWidth,
  fitWidth,
  formatMs,
  formatPercent,
  formatRate,
  sanitizeForTerminal,
} from './format.js';

/** `    ✓ ` and a dot-padded name: the colons line up with the summary's metric rows. */
const MARK_INDENT = '    ';
const NAME_WIDTH = 24;
/** A scope is cut to leave at least this many cells for the values. */
const VALUE_ROOM = 30;

export function renderThresholds(
  results: readonly ThresholdResult[],
  c: Colors,
  width: number,
): string[] {
  if (results.length === 0) return [];
  const failed = results.filter((r) => !r.passed).length;
  const verdict =
    failed === 0
      ? c.green(`all ${results.length} passed`)
      : c.red(`${failed} of ${results.length} failed`);
  const lines = [`  thresholds: ${verdict}`];
  const scopeRoom = Math.max(8, width - MARK_INDENT.length - 2 - VALUE_ROOM);
  for (const result of results) {
    const mark = result.passed ? c.green('✓') : c.red('✗');
    const name =
      result.scope === null
        ? result.metric
        : `${result.metric} (${clip(sanitizeForTerminal(result.scope).trim(), scopeRoom - result.metric.length - 3)})`;
    const dots = c.dim('.'.repeat(Math.max(0, NAME_WIDTH - displayWidth(name))));
    lines.push(`${MARK_INDENT}${mark} ${name}${dots}: ${comparison(result)}`);
  }
  return lines;
}

/** `p99_ms 12.345 > 10 (overall)`: one failed threshold, for stderr (without the prefix). */
export function describeFailedThreshold(result: ThresholdResult): string {
  const where =
    result.scope === null ? 'overall' : `tool ${sanitizeForTerminal(result.scope).trim()}`;
  let what: string;
  if (result.metric === 'breaking_point') {
    what = 'breaking_point detected, fail_on_breaking_point is set';
  } else if (result.observed === null) {
    what = `${result.metric} not measured (${nothingMeasured(result)}), limit ${result.limit}`;
  } else {
    const op = result.metric === 'min_throughput_rps' ? '<' : '>';
    what = `${result.metric} ${result.observed} ${op} ${result.limit}`;
  }
  return `${what} (${where})`;
}

function comparison(r: ThresholdResult): string {
  if (r.metric === 'breaking_point') {
    return r.passed ? 'none detected' : 'detected (fail_on_breaking_point)';
  }
  const limit = limitText(r);
  if (r.observed === null) return `${nothingMeasured(r)} (limit ${limit})`;
  const observed = observedText(r, r.observed);
  const op = r.metric === 'min_throughput_rps' ? (r.passed ? '>=' : '<') : r.passed ? '<=' : '>';
  return `${observed} ${op} ${limit}`;
}

function nothingMeasured(r: ThresholdResult): string {
  return r.metric.endsWith('_ms') ? 'no successful request' : 'no request';
}

function observedText(r: ThresholdResult, observed: number): string {
  switch (r.metric) {
    case 'error_rate':
      return formatPercent(observed);
    case 'min_throughput_rps':
      return `${formatRate(observed)} req/s`;
    default:
      return formatMs(observed);
  }
}

/** The limit as the user wrote it (no rounding that could make a gate look looser). */
function limitText(r: ThresholdResult): string {
  switch (r.metric) {
    case 'error_rate':
      // toPrecision drops binary noise: 0.07 * 100 is 7.000000000000001.
      return `${Number((r.limit * 100).toPrecision(12))}%`;
    case 'min_throughput_rps':
      return `${r.limit} req/s`;
    default:
      return `${r.limit}ms`;
  }
}

/** `s` cut to `cols` terminal cells, "…" marking the cut. */
function clip(s: string, cols: number): string {
  return displayWidth(s) <= cols ? s : fitWidth(s, Math.max(1, cols)).trimEnd();
}
