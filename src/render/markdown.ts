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
import { describeFailure, preciseRatio, thresholdTable } from './markdown-thresholds.js';
import { verdictState } from './verdict.js';

export interface MarkdownOptions {
  /** Separates the comments of matrix jobs; "default" when absent. */
  commentKey?: string;
  /** The heading; "mcp-loadtest" when absent. */
  title?: string;
  /** Where the run came from (the action: the head commit and the workflow run's page). */
  source?: RunSource;
}

export interface RunSource {
  /** The commit tested, full or short; shown as its first 7 characters. */
  sha?: string;
  /** The workflow run's page, `https://…/OWNER/REPO/actions/runs/ID`. */
  runUrl?: string;
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
    ...sourceLine(options.source),
    figuresTable(report),
  ];
  if (report.thresholds.length > 0) {
    const table = thresholdTable(report, t.thresholds);
    if (t.thresholdsCut > 0) table.push(`| … ${formatCount(t.thresholdsCut)} more | | | | |`);
    blocks.push(['### Thresholds'], table);
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
  // Folded: the charts are tall, and the verdict and tables are what a reviewer reads first.
  if (charts.length > 0) {
    blocks.push(
      ['<details><summary><b>Latency and load over time</b></summary>'],
      ...charts.map((c) => [c]),
      ['</details>'],
    );
  }
  blocks.push([breakingPointLine(report)], [serverLine(report)], [footer(report)]);
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function verdict(report: Report): string[] {
  const total = report.thresholds.length;
  const failed = report.thresholds.filter((t) => !t.passed);
  const lines: string[] = [];
  switch (verdictState(report)) {
    case 'failed': {
      const listed = failed
        .slice(0, MAX_FAILURES_IN_VERDICT)
        .map((t) => describeFailure(report, t));
      const rest = failed.length - listed.length;
      if (rest > 0) listed.push(`and ${formatCount(rest)} more`);
      lines.push(
        `❌ **Failed:** ${failed.length} of ${total} thresholds failed: ${listed.join('; ')}`,
      );
      if (!report.completed) lines.push(`⚠️ ${stopText(report)}`);
      break;
    }
    case 'incomplete': {
      const met = total === 0 ? '' : `; ${total} of ${total} thresholds met on the part that ran`;
      lines.push(`⚠️ **Incomplete:** ${stopText(report)}${met}`);
      break;
    }
    case 'not-gated':
      lines.push('➖ **Not gated:** the run completed; no thresholds were set');
      break;
    case 'passed':
      lines.push(`✅ **Passed:** all ${total} thresholds met`);
      break;
  }
  const errors = errorsLine(report);
  if (errors !== undefined) lines.push(errors);
  // Lines of one paragraph: a trailing backslash is a hard line break in GFM.
  return [lines.join('\\\n')];
}

/** "⚠️ **Errors:** 12 of 300 requests failed (4.00%)", whatever the verdict; undefined for none. */
export function errorsLine(report: Report): string | undefined {
  const m = report.metrics;
  if (m.error_count === 0) return undefined;
  return `⚠️ **Errors:** ${formatCount(m.error_count)} of ${formatCount(m.total_requests)} requests failed (${preciseRatio(m.error_rate)})`;
}

/** "Commit `abc1234` · [workflow run](…)"; nothing when neither is known. */
function sourceLine(source: RunSource | undefined): string[][] {
  const parts: string[] = [];
  const sha = source?.sha ?? '';
  if (/^[0-9a-f]{7,64}$/i.test(sha)) parts.push(`Commit \`${sha.slice(0, 7)}\``);
  const url = source?.runUrl ?? '';
  // Only an http(s) URL with no character that could end the link target.
  if (/^https?:\/\/[^\s()<>[\]"'`]+$/.test(url)) parts.push(`[workflow run](${url})`);
  return parts.length === 0 ? [] : [[parts.join(' · ')]];
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
