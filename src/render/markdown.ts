/**
 * The report as GitHub markdown, rendered once and published twice: the job summary and the
 * sticky PR comment get the same string. It starts with a hidden marker naming the comment key,
 * which is how the next run finds the comment to update; the marker is invisible in both places.
 *
 * Size: GitHub refuses comment bodies of 65,536 characters or more. Every block but the per-tool
 * table and the thresholds table is bounded, so those two are trimmed (per-tool rows first, then
 * passed thresholds, then failed ones beyond what fits), each with a "… N more" row; JS string
 * length counts UTF-16 units, never fewer than GitHub's characters, so the check is safe.
 * Pure: report in, string out.
 */
import type { Report, ThresholdResult } from '../report/types.js';
import { formatElapsed, formatCount } from './format.js';
import { renderTimelineCharts } from './markdown-chart.js';
import { escapeText, untrustedCode } from './markdown-escape.js';
import {
  breakingPointLine,
  errorTable,
  figuresTable,
  handshakeErrorsLine,
  moreRowsRow,
  PER_TOOL_HEADER,
  perToolRows,
  runShape,
  serverLine,
} from './markdown-sections.js';
import { comparisonSection, comparisonVerdict } from './markdown-comparison.js';
import { describeFailure, thresholdTable } from './markdown-thresholds.js';

export interface MarkdownOptions {
  /** Separates the comments of matrix jobs; "default" when absent. */
  commentKey?: string;
  /** The heading; "mcp-loadtest" when absent. */
  title?: string;
}

export const MAX_MARKDOWN_CHARS = 65_535;
const MAX_TITLE_CHARS = 100;
const MAX_FAILURES_IN_VERDICT = 5;

/** `<!-- mcp-loadtest:<key> -->`; `<`, `>` and controls in the key are replaced so it cannot end early. */
export function commentMarker(commentKey?: string): string {
  const key = (commentKey ?? 'default').replace(/[<>\u0000-\u001f\u007f-\u009f]/g, '_').trim();
  return `<!-- mcp-loadtest:${key === '' ? 'default' : key} -->`;
}

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const tools = perToolRows(report.per_tool);
  const failed = report.thresholds.filter((t) => !t.passed);
  const passed = report.thresholds.filter((t) => t.passed);
  const render = (toolRows: number, passedRows: number, failedRows: number): string =>
    assemble(report, options, {
      tools: [...tools.slice(0, toolRows), ...more(tools.length - toolRows)],
      thresholds: [...failed.slice(0, failedRows), ...passed.slice(0, passedRows)],
      thresholdsCut: failed.length - failedRows + passed.length - passedRows,
    });
  let body = render(tools.length, passed.length, failed.length);
  if (body.length <= MAX_MARKDOWN_CHARS) return body;
  // Cut in order of least value to the reader, each as little as needed.
  const toolRows = largestFitting(tools.length, (k) => render(k, passed.length, failed.length));
  const passedRows = largestFitting(passed.length, (k) => render(toolRows, k, failed.length));
  const failedRows = largestFitting(failed.length, (k) => render(toolRows, passedRows, k));
  body = render(toolRows, passedRows, failedRows);
  return body.length <= MAX_MARKDOWN_CHARS ? body : hardCut(body);
}

interface Trimmed {
  tools: string[];
  thresholds: ThresholdResult[];
  thresholdsCut: number;
}

function assemble(report: Report, options: MarkdownOptions, t: Trimmed): string {
  const title = escapeText(options.title ?? 'mcp-loadtest', MAX_TITLE_CHARS) || 'mcp-loadtest';
  const blocks: string[][] = [
    [commentMarker(options.commentKey), `## ${title}`],
    verdict(report),
    [`Target ${untrustedCode(report.target_url, 200)} · ${runShape(report)}`],
    figuresTable(report),
  ];
  if (report.thresholds.length > 0) {
    const table = thresholdTable(report, t.thresholds);
    if (t.thresholdsCut > 0) table.push(`| … ${formatCount(t.thresholdsCut)} more | | | | |`);
    blocks.push(['### Thresholds'], table);
  }
  if (report.comparison !== undefined) {
    blocks.push(['### Compared with the baseline'], ...comparisonSection(report.comparison));
  }
  if (Object.keys(report.per_tool).length > 0) {
    blocks.push(['### Per tool'], [...PER_TOOL_HEADER, ...t.tools]);
  }
  const errors = errorTable(report);
  const handshakeErrors = handshakeErrorsLine(report);
  if (errors.length > 0 || handshakeErrors !== undefined) blocks.push(['### Errors']);
  if (errors.length > 0) blocks.push(errors);
  if (handshakeErrors !== undefined) blocks.push([handshakeErrors]);
  const charts = renderTimelineCharts(report.timeline);
  if (charts.length > 0) blocks.push(['### Latency and load over time'], ...charts.map((c) => [c]));
  blocks.push([breakingPointLine(report)], [serverLine(report)], [footer(report)]);
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function verdict(report: Report): string[] {
  const total = report.thresholds.length;
  const failed = report.thresholds.filter((t) => !t.passed);
  const lines: string[] = [];
  if (failed.length > 0) {
    const listed = failed.slice(0, MAX_FAILURES_IN_VERDICT).map((t) => describeFailure(report, t));
    const rest = failed.length - listed.length;
    if (rest > 0) listed.push(`and ${formatCount(rest)} more`);
    lines.push(
      `❌ **Failed:** ${failed.length} of ${total} thresholds failed: ${listed.join('; ')}`,
    );
    if (!report.completed) lines.push(`⚠️ ${stopText(report)}`);
  } else if (!report.completed) {
    const met = total === 0 ? '' : `; ${total} of ${total} thresholds met on the part that ran`;
    lines.push(`⚠️ **Incomplete:** ${stopText(report)}${met}`);
  } else {
    lines.push(
      total === 0
        ? '✅ **Passed:** the run completed; no thresholds were set'
        : `✅ **Passed:** all ${total} thresholds met`,
    );
  }
  if (report.comparison !== undefined) {
    // A regression is a failure: it leads, and nothing above it says "Passed".
    const compared = comparisonVerdict(report.comparison);
    if (!report.comparison.regressed) lines.push(compared);
    else lines.splice(0, 1, compared, lines[0]!.replace('✅ **Passed:** ', 'Thresholds: '));
  }
  // Two lines of one paragraph: a trailing backslash is a hard line break in GFM.
  return [lines.join('\\\n')];
}

function stopText(report: Report): string {
  const after = formatElapsed(report.duration_secs);
  switch (report.stop_reason) {
    case 'interrupted':
      return `the run was interrupted after ${after}: the figures cover only the part that ran`;
    case 'no_session':
      return 'no virtual user could initialize a session: nothing was measured';
    case 'breaking_point':
      return `the run stopped at the breaking point after ${after} (stop_on_breaking_point)`;
    default:
      return `the run stopped early after ${after} (stop reason: ${report.stop_reason})`;
  }
}

function footer(report: Report): string {
  return `<sub>${report.tool.name} ${escapeText(report.tool.version, 20)} · report schema ${report.schema_version} · seed ${report.config.seed} · finished ${escapeText(report.timestamp, 40)}</sub>`;
}

function more(count: number): string[] {
  return count > 0 ? [moreRowsRow(count)] : [];
}

/** The largest k in [0, n] whose rendering fits (rendering grows with k); 0 when none does. */
function largestFitting(n: number, renderWith: (k: number) => string): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (renderWith(mid).length <= MAX_MARKDOWN_CHARS) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Last resort, unreachable with the caps above: cut at a line end, say so. */
function hardCut(body: string): string {
  const note = '\n\n… (cut to fit GitHub’s size limit: see the JSON report)\n';
  const end = body.lastIndexOf('\n', MAX_MARKDOWN_CHARS - note.length);
  return body.slice(0, Math.max(0, end)) + note;
}
