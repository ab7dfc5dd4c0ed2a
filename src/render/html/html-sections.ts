/**
 * The HTML report's static parts: verdict, figures, thresholds, per-tool table, errors, breaking
 * point and server. Each returns an HTML fragment; every server-chosen string goes through
 * html-escape.ts, every number through the terminal summary's formats.
 */
import { protocolPhrase } from '../protocol-phrase.js';
import { ERROR_KINDS } from '../../protocol/outcome.js';
import type { LatencyStats, PerKeyMetrics, Report } from '../../report/types.js';
import { formatCount, formatElapsed, formatMs, formatPercent, formatRate } from '../format.js';
import { formatLimit, formatObserved, preciseRatio } from '../markdown-thresholds.js';
import { verdictState } from '../verdict.js';
import { escapeHtml, untrustedHtml } from './html-escape.js';

const VERDICT_TEXT = {
  failed: 'Failed',
  incomplete: 'Incomplete',
  'not-gated': 'Not gated: no thresholds were set',
  passed: 'Passed',
} as const;

export function verdictSection(report: Report): string {
  const state = verdictState(report);
  const failed = report.thresholds.filter((t) => !t.passed).length;
  const total = report.thresholds.length;
  const parts = [`<strong>${VERDICT_TEXT[state]}</strong>`];
  if (state === 'failed' && failed > 0) parts.push(`${failed} of ${total} thresholds failed`);
  if (state === 'passed' && total > 0) parts.push(`all ${total} thresholds met`);
  if (report.comparison !== undefined) {
    const regressed = report.comparison.regressed;
    parts.push(
      regressed ? 'regression against the baseline' : 'no regression against the baseline',
    );
  }
  if (!report.completed) parts.push(`the run stopped early (${escapeHtml(report.stop_reason)})`);
  const m = report.metrics;
  if (m.error_count > 0) {
    parts.push(
      `${formatCount(m.error_count)} of ${formatCount(m.total_requests)} requests failed (${preciseRatio(m.error_rate)})`,
    );
  }
  return `<p class="verdict ${state}" id="verdict">${parts.join(' · ')}</p>`;
}

export function figuresSection(report: Report): string {
  const m = report.metrics;
  const none = m.total_requests === 0;
  const rows: [string, string][] = [
    ['requests', formatCount(m.total_requests)],
    ['errors', `${formatCount(m.error_count)}${none ? '' : ` (${formatPercent(m.error_rate)})`}`],
    ['throughput', `${formatRate(m.throughput_rps)} req/s`],
    ['latency (success)', percentiles(m.latency)],
    ['latency, uncorrected', percentiles(m.latency_uncorrected)],
    ['handshake', percentiles(report.handshake.latency)],
    ['peak VUs', formatCount(report.handshake.peak_vus)],
    ['run time', formatElapsed(report.duration_secs)],
  ];
  const body = rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('');
  return `<table class="figures">${body}</table>`;
}

function percentiles(latency: LatencyStats): string {
  if (latency.count === 0) return 'not measured';
  return `p50 ${formatMs(latency.p50_ms)} · p95 ${formatMs(latency.p95_ms)} · p99 ${formatMs(latency.p99_ms)} · max ${formatMs(latency.max_ms)}`;
}

export function thresholdsSection(report: Report): string {
  if (report.thresholds.length === 0) {
    return '<p class="muted">No thresholds were set: this run was not gated.</p>';
  }
  const rows = report.thresholds.map((t) => {
    const scope = t.scope === null ? 'all requests' : `<code>${untrustedHtml(t.scope)}</code>`;
    const mark = t.passed ? '<span class="ok">passed</span>' : '<span class="bad">failed</span>';
    return `<tr><td><code>${t.metric}</code></td><td>${scope}</td><td class="num">${escapeHtml(formatLimit(t))}</td><td class="num">${escapeHtml(formatObserved(report, t))}</td><td>${mark}</td></tr>`;
  });
  return `<table><thead><tr><th>metric</th><th>scope</th><th>limit</th><th>observed</th><th>result</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

interface Column {
  title: string;
  numeric: boolean;
  cell: (name: string, m: PerKeyMetrics) => { text: string; sort: string | number };
}

const ms = (pick: (l: LatencyStats) => number) => (_: string, m: PerKeyMetrics) =>
  m.latency.count > 0
    ? { text: formatMs(pick(m.latency)), sort: pick(m.latency) }
    : { text: '-', sort: -1 };

const COLUMNS: readonly Column[] = [
  { title: 'name', numeric: false, cell: (name) => ({ text: name, sort: name }) },
  { title: 'type', numeric: false, cell: (_, m) => ({ text: m.operation, sort: m.operation }) },
  {
    title: 'requests',
    numeric: true,
    cell: (_, m) => ({ text: formatCount(m.total_requests), sort: m.total_requests }),
  },
  {
    title: 'req/s',
    numeric: true,
    cell: (_, m) => ({ text: formatRate(m.throughput_rps), sort: m.throughput_rps }),
  },
  {
    title: 'errors',
    numeric: true,
    cell: (_, m) => ({ text: formatCount(m.error_count), sort: m.error_count }),
  },
  {
    title: 'error rate',
    numeric: true,
    cell: (_, m) =>
      m.total_requests === 0
        ? { text: '-', sort: -1 }
        : { text: formatPercent(m.error_rate), sort: m.error_rate },
  },
  { title: 'p50', numeric: true, cell: ms((l) => l.p50_ms) },
  { title: 'p95', numeric: true, cell: ms((l) => l.p95_ms) },
  { title: 'p99', numeric: true, cell: ms((l) => l.p99_ms) },
  { title: 'max', numeric: true, cell: ms((l) => l.max_ms) },
];

/** Sortable by clicking a header (html-client.ts); busiest first to start with. */
export function perToolSection(report: Report): string {
  const entries = Object.entries(report.per_tool).sort(
    ([a, ma], [b, mb]) => mb.total_requests - ma.total_requests || (a < b ? -1 : a > b ? 1 : 0),
  );
  if (entries.length === 0) return '<p class="muted">No request was sent.</p>';
  const head = COLUMNS.map(
    (c, i) =>
      `<th data-column="${i}" data-numeric="${c.numeric}" tabindex="0" aria-sort="none">${c.title}</th>`,
  ).join('');
  const rows = entries.map(([name, m]) => {
    const cells = COLUMNS.map((c, i) => {
      const { text, sort } = c.cell(name, m);
      const shown = i === 0 ? `<code>${untrustedHtml(text)}</code>` : escapeHtml(text);
      return `<td${c.numeric ? ' class="num"' : ''} data-sort="${escapeHtml(String(sort))}">${shown}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table class="sortable" id="per-tool"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function errorsSection(report: Report): string {
  const kinds = ERROR_KINDS.filter((k) => report.errors[k] > 0).sort(
    (a, b) => report.errors[b] - report.errors[a],
  );
  const handshake = ERROR_KINDS.filter((k) => report.handshake.errors[k] > 0);
  if (kinds.length === 0 && handshake.length === 0) return '<p class="muted">No errors.</p>';
  const rows = [...new Set([...kinds, ...handshake])].map((kind) => {
    const sample = report.error_samples[kind];
    const message = sample === undefined ? '' : `<code>${untrustedHtml(sample)}</code>`;
    return `<tr><td><code>${kind}</code></td><td class="num">${formatCount(report.errors[kind])}</td><td class="num">${formatCount(report.handshake.errors[kind])}</td><td>${message}</td></tr>`;
  });
  return `<table><thead><tr><th>kind</th><th>requests</th><th>handshakes</th><th>first message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function breakingPointSection(report: Report): string {
  const bp = report.breaking_point;
  if (!bp.detected) {
    return `<p>Breaking point: none detected (peak ${formatCount(report.handshake.peak_vus)} VUs).</p>`;
  }
  const vus = bp.vus === undefined ? '' : ` at ${formatCount(bp.vus)} VUs`;
  const at =
    bp.rate !== undefined && bp.rate !== null
      ? ` at ${formatRate(bp.rate)} steps/s${bp.vus === undefined ? '' : ` (${formatCount(bp.vus)} sessions)`}`
      : vus;
  const after = bp.elapsed_secs === undefined ? '' : ` after ${formatElapsed(bp.elapsed_secs)}`;
  const why = [bp.reason ?? '', bp.detail === undefined ? '' : untrustedHtml(bp.detail)]
    .filter((s) => s !== '')
    .join(': ');
  const stopped = bp.stopped_run === true ? '; the run stopped there' : '';
  return `<p class="bad" id="breaking-point">Breaking point detected${at}${after}${why === '' ? '' : ` (${why})`}${stopped}. The dashed line marks it on the charts.</p>`;
}

export function serverLine(report: Report): string {
  const info = report.protocol.server_info;
  if (info === null) return 'no session established';
  const name = untrustedHtml([info.name, info.version].filter((s) => s !== '').join(' '));
  const version = report.protocol.version;
  const phrase = protocolPhrase(
    report,
    version === null ? null : `<code>${untrustedHtml(version)}</code>`,
  );
  return `<code>${name}</code>${phrase === '' ? '' : ` · ${phrase}`}`;
}
