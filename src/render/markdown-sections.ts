/**
 * The blocks of the markdown summary other than the verdict and the thresholds: the `mcp_req_*`
 * figures, the per-tool table, error categories, breaking point and server lines. Each returns
 * lines; every server-provided string goes through markdown-escape.ts.
 */
import { loadShape } from './load-shape.js';
import { notificationPhrases } from './notification-lines.js';
import { protocolPhrase } from './protocol-phrase.js';
import { ERROR_KINDS } from '../protocol/outcome.js';
import type { LatencyStats, PerKeyMetrics, Report } from '../report/types.js';
import {
  formatCount,
  formatElapsed,
  formatMs,
  formatPercent,
  formatRate,
  formatSecs,
} from './format.js';
import { escapeText, MAX_MESSAGE_CHARS, MAX_NAME_CHARS, untrustedCode } from './markdown-escape.js';

/** The metric rows of the Rust tool's summary, same names and order as the terminal summary. */
export function figuresTable(report: Report): string[] {
  const m = report.metrics;
  const none = m.total_requests === 0;
  const rows: [string, string][] = [
    ['mcp_req_duration', percentiles(m.latency)],
    ['mcp_req_success_count', formatCount(m.success_count)],
    ['mcp_req_error_count', formatCount(m.error_count)],
    ['mcp_req_error_rate', none ? '-' : formatPercent(m.error_rate)],
    ['mcp_req_throughput', `${formatRate(m.throughput_rps)} req/s`],
    ['mcp_req_total', formatCount(m.total_requests)],
    ['mcp_req_elapsed', formatElapsed(report.duration_secs)],
    ['mcp_handshake_duration', percentiles(report.handshake.latency)],
  ];
  return ['| metric | value |', '|:--|:--|', ...rows.map(([k, v]) => `| \`${k}\` | ${v} |`)];
}

function percentiles(latency: LatencyStats): string {
  const show = (ms: number): string => (latency.count > 0 ? formatMs(ms) : '-');
  return `p50 ${show(latency.p50_ms)} · p95 ${show(latency.p95_ms)} · p99 ${show(latency.p99_ms)}`;
}

export const PER_TOOL_HEADER = [
  '| tool | reqs | rate | err% | p50 | p95 | p99 |',
  '|:--|--:|--:|--:|--:|--:|--:|',
];

/** One row per `per_tool` key, busiest first (ties by name), as in the terminal table. */
export function perToolRows(perTool: Report['per_tool']): string[] {
  return Object.entries(perTool)
    .sort(
      ([a, ma], [b, mb]) => mb.total_requests - ma.total_requests || (a < b ? -1 : a > b ? 1 : 0),
    )
    .map(
      ([name, m]) =>
        `| ${untrustedCode(name, MAX_NAME_CHARS)} | ${perToolNumbers(m).join(' | ')} |`,
    );
}

/** The row that stands for the rows cut to keep the body under GitHub's size limit. */
export function moreRowsRow(count: number): string {
  return `| … ${formatCount(count)} more (see the JSON report) | | | | | | |`;
}

function perToolNumbers(m: PerKeyMetrics): string[] {
  const measured = m.latency.count > 0;
  const ms = (v: number): string => (measured ? formatMs(v) : '-');
  return [
    formatCount(m.total_requests),
    `${formatRate(m.throughput_rps)}/s`,
    m.total_requests === 0 ? '-' : formatPercent(m.error_rate),
    ms(m.latency.p50_ms),
    ms(m.latency.p95_ms),
    ms(m.latency.p99_ms),
  ];
}

/** Non-zero request error kinds, most frequent first, with the first message seen for each. */
export function errorTable(report: Report): string[] {
  const kinds = ERROR_KINDS.filter((k) => report.errors[k] > 0).sort(
    (a, b) => report.errors[b] - report.errors[a],
  );
  if (kinds.length === 0) return [];
  const lines = ['| category | count | first message |', '|:--|--:|:--|'];
  for (const kind of kinds) {
    const sample = report.error_samples[kind];
    const message = sample === undefined ? '' : untrustedCode(sample, MAX_MESSAGE_CHARS, '');
    lines.push(`| \`${kind}\` | ${formatCount(report.errors[kind])} | ${message} |`);
  }
  return lines;
}

/**
 * Handshake failures, when there were any: "`connection` 2 · `session_expired` 1", with the first
 * message of a kind the error table does not already show (all of them when nothing was measured).
 */
export function handshakeErrorsLine(report: Report): string | undefined {
  const errors = report.handshake.errors;
  const kinds = ERROR_KINDS.filter((k) => errors[k] > 0).sort((a, b) => errors[b] - errors[a]);
  if (kinds.length === 0) return undefined;
  const parts = kinds.map((k) => {
    const sample = report.handshake.error_samples[k];
    const message = sample === undefined ? '' : untrustedCode(sample, MAX_MESSAGE_CHARS, '');
    return `\`${k}\` ${formatCount(errors[k])}${message === '' ? '' : ` (${message})`}`;
  });
  return `**Handshake errors:** ${parts.join(' · ')} of ${formatCount(report.handshake.attempts)} attempts`;
}

export function breakingPointLine(report: Report): string {
  const bp = report.breaking_point;
  if (!bp.detected) {
    return `**Breaking point:** none detected at ${formatCount(report.handshake.peak_vus)} VUs peak`;
  }
  const at = bp.vus === undefined ? '' : ` at ${formatCount(bp.vus)} VUs`;
  const after = bp.elapsed_secs === undefined ? '' : ` after ${formatElapsed(bp.elapsed_secs)}`;
  const why = [
    bp.reason ?? '',
    bp.detail === undefined ? '' : escapeText(bp.detail, MAX_MESSAGE_CHARS),
  ]
    .filter((s) => s !== '')
    .join(': ');
  const stopped = bp.stopped_run === true ? '; the run stopped there' : '';
  return `**Breaking point:** ⚠️ detected${at}${after}${why === '' ? '' : ` (${why})`}${stopped}`;
}

export function serverLine(report: Report): string {
  const { server_info: info, version, response_types: types } = report.protocol;
  // Whether a session was established is the handshake's count: serverInfo may be missing.
  if (info === null && report.handshake.success_count === 0) {
    return '**Server:** no session established';
  }
  const parts =
    info === null
      ? ['no serverInfo in its initialize result']
      : [
          untrustedCode(
            [info.name, info.version].filter((s) => s !== '').join(' '),
            MAX_NAME_CHARS,
          ),
        ];
  const phrase = protocolPhrase(report, version === null ? null : untrustedCode(version, 20));
  if (phrase !== '') parts.push(phrase);
  const total = types.json + types.sse;
  // Over HTTP+SSE every response is a `message` event on the session's stream: no mix to show.
  if (total > 0 && report.config.transport !== 'sse') {
    const mix =
      types.sse === 0
        ? 'json'
        : types.json === 0
          ? 'sse'
          : `json ${formatPercent(types.json / total)}, sse ${formatPercent(types.sse / total)}`;
    parts.push(`responses: ${mix}`);
  }
  const notes = notificationPhrases(report, (name) => untrustedCode(name, MAX_NAME_CHARS));
  const notifications = notes.length === 0 ? '' : `<br>**Notifications:** ${notes.join(' · ')}`;
  return `**Server:** ${parts.join(' · ')}${notifications}`;
}

/** "10 VUs · 60s · 4 steps", or "up to 50 VUs (3 stages) · 120s …" for a staged run. */
export function runShape(report: Report): string {
  const { config } = report;
  const shape = loadShape(report);
  const vus =
    shape.label === 'rate'
      ? shape.text
      : config.stages.length > 0
        ? `up to ${shape.peakVus} VUs (${plural(config.stages.length, 'stage')})`
        : plural(config.virtual_users, 'VU');
  const secs = shape.plannedSecs;
  const iterations =
    config.iterations === null ? '' : ` or ${formatCount(config.iterations)} iterations`;
  return `${vus} · ${formatSecs(secs)}${iterations} · ${plural(config.scenario.length, 'step')}`;
}

export function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}
