/**
 * The k6-style end-of-run summary, laid out exactly as the `cargo pmcp loadtest` documentation
 * shows it (banner, dotted metric rows, errors by kind, per-tool table), plus our additions:
 * uncorrected latency when it differs, handshakes, the negotiated protocol, error samples, the
 * evaluated thresholds, the breaking point (or that none was seen), and why a run stopped early.
 * Pure: report in, string out; colour only when asked.
 */
import { notificationPhrases } from './notification-lines.js';
import { protocolPhrase } from './protocol-phrase.js';
import { ERROR_KINDS, type ErrorKind } from '../protocol/outcome.js';
import type { LatencyStats, Report } from '../report/types.js';
import { colors, type Colors } from './colors.js';
import {
  formatCount,
  formatElapsed,
  formatMs,
  formatPercent,
  formatRate,
  formatSecs,
  sanitizeForTerminal,
  truncateChars,
} from './format.js';
import { renderComparison } from './comparison-table.js';
import { loadShape } from './load-shape.js';
import { renderPerToolTable } from './per-tool-table.js';
import { renderThresholds } from './threshold-lines.js';

export interface SummaryOptions {
  color: boolean;
  /** Terminal columns; 80 when unknown. Only long names and messages are fitted to it. */
  width?: number;
}

const DEFAULT_WIDTH = 80;
/**
 * `  mcp_req_success_count.......: ` — names are dot-padded to this column, as `cargo pmcp
 * loadtest` does.
 */
const METRIC_NAME_WIDTH = 28;
/** Error kinds sit two deeper, their colons under the metrics' colons. */
const ERROR_NAME_WIDTH = 26;
const MOUNTAIN = [
  '          /\\      |',
  '         /  \\     |',
  '    /\\  /    \\    |',
  '   /  \\/      \\   |',
  '  /    \\       \\  |',
  ' /      \\       \\ |',
];

export function renderSummary(report: Report, options: SummaryOptions): string {
  const c = colors(options.color);
  const width = Math.max(40, options.width ?? DEFAULT_WIDTH);
  const lines = [
    ...banner(report, c, width),
    '',
    ...requestMetrics(report, c),
    '',
    serverLine(report, width),
    ...stdioLines(report, c, width),
    ...protocolLines(report, c, width),
    ...endpointNotes(report, width),
  ];
  const errors = errorSection('errors:', report.errors, report.error_samples, c, width);
  if (errors.length > 0) lines.push('', ...errors);
  const handshakeErrors = errorSection(
    'handshake errors:',
    report.handshake.errors,
    report.handshake.error_samples,
    c,
    width,
  );
  if (handshakeErrors.length > 0) lines.push('', ...handshakeErrors);
  if (Object.keys(report.per_tool).length > 0) {
    lines.push('', '  per-tool metrics:', '', ...renderPerToolTable(report.per_tool, c, width));
  }
  const thresholds = renderThresholds(report.thresholds, c, width);
  if (thresholds.length > 0) lines.push('', ...thresholds);
  if (report.comparison !== undefined) {
    lines.push('', ...renderComparison(report.comparison, c, width));
  }
  const footer = footerLines(report, c);
  if (footer.length > 0) lines.push('', ...footer);
  return `${lines.join('\n')}\n`;
}

function banner(report: Report, c: Colors, width: number): string[] {
  const { config } = report;
  const shape = loadShape(report);
  const duration =
    formatSecs(shape.plannedSecs) +
    (config.iterations === null ? '' : ` (or ${config.iterations} iterations)`);
  const fields = [
    c.bold('mcp-loadtest'),
    '',
    `target:    ${truncateChars(sanitizeForTerminal(report.target_url), width - 32)}`,
    `${shape.label}:${' '.repeat(10 - shape.label.length)}${shape.text}${shardNote(report)}`,
    `duration:  ${duration}`,
    `scenarios: ${plural(config.scenario.length, 'step')}`,
  ];
  return MOUNTAIN.map((art, i) => `${c.cyan(art)}  ${fields[i] ?? ''}`.trimEnd());
}

/** A shard's config is the whole load: say which part this process ran, or how many were merged. */
function shardNote(report: Report): string {
  if (report.shard !== undefined) {
    return ` (whole load; this is shard ${report.shard.index}/${report.shard.count})`;
  }
  return report.merged_shards === undefined ? '' : ` (${report.merged_shards} shards merged)`;
}

function requestMetrics(report: Report, c: Colors): string[] {
  const m = report.metrics;
  const bad = (n: number, text: string): string => (n > 0 ? c.red(text) : c.green(text));
  const rows: [string, string][] = [
    ['mcp_req_duration', percentiles(m.latency)],
    ['mcp_req_success_count', String(m.success_count)],
    ['mcp_req_error_count', bad(m.error_count, String(m.error_count))],
    ['mcp_req_error_rate', errorRateCell(report, c)],
    ['mcp_req_throughput', `${formatRate(m.throughput_rps)} req/s`],
    ['mcp_req_total', String(m.total_requests)],
    ['mcp_req_elapsed', formatElapsed(report.duration_secs)],
  ];
  if (report.config.model === 'open') {
    rows.push([
      'mcp_req_dropped',
      m.dropped_iterations > 0
        ? c.yellow(`${m.dropped_iterations}  (no free session at max_vus ${report.config.max_vus})`)
        : '0',
    ]);
  }
  const uncorrected = m.latency_uncorrected;
  if (
    uncorrected.count > 0 &&
    m.latency.count > 0 &&
    formatMs(uncorrected.p99_ms) !== formatMs(m.latency.p99_ms)
  ) {
    rows.push(['mcp_req_duration_uncorrected', percentiles(uncorrected)]);
  }
  rows.push(
    report.protocol.era === 'modern'
      ? // 2026-07-28 has no initialize and no session: there is no handshake to time.
        ['mcp_session', 'stateless (MCP 2026-07-28: no handshake, no session)']
      : [
          'mcp_handshake_duration',
          `${percentiles(report.handshake.latency)}  ${handshakeNote(report, c)}`,
        ],
  );
  return rows.map(([name, value]) => `  ${dotted(name, METRIC_NAME_WIDTH, c)}: ${value}`);
}

/**
 * The Rust tool's error rate of scenario requests, and beside it, when handshakes failed, the rate
 * the gate checks: failed initializes count as failed requests (VUs that never got a session).
 */
function errorRateCell(report: Report, c: Colors): string {
  const m = report.metrics;
  const h = report.handshake;
  const bad = (n: number, text: string): string => (n > 0 ? c.red(text) : c.green(text));
  const own = m.total_requests === 0 ? '-' : bad(m.error_count, formatPercent(m.error_rate));
  if (h.error_count === 0) return own;
  const parts = [plural(h.error_count, 'failed handshake')];
  if (h.vus_without_session > 0) {
    parts.push(`${h.vus_without_session} of ${plural(h.vus_started, 'VU')} without a session`);
  }
  return `${own}  ${c.red(`(gate: ${formatPercent(m.gate_error_rate)} counting ${parts.join(', ')})`)}`;
}

function percentiles(latency: LatencyStats): string {
  const show = (ms: number): string => (latency.count > 0 ? formatMs(ms) : '-');
  return `p50=${show(latency.p50_ms)}  p95=${show(latency.p95_ms)}  p99=${show(latency.p99_ms)}`;
}

function handshakeNote(report: Report, c: Colors): string {
  const h = report.handshake;
  // A server without session ids (stdio, a stateless 2025 server) still answered initialize:
  // "0 sessions" would read as a failure.
  const parts =
    h.sessions_created === 0 && h.success_count > 0
      ? [`${plural(h.success_count, 'handshake')}, no session id`]
      : [plural(h.sessions_created, 'session')];
  if (h.reinitializations > 0) parts.push(`${h.reinitializations} re-initialized`);
  if (h.error_count > 0) parts.push(c.red(`${h.error_count} failed`));
  return `(${parts.join(', ')})`;
}

/**
 * What the endpoint costs beyond latency: a redirect followed on every new connection, and SSE
 * streams held open after their response (each VU waits for the stream to end).
 */
function endpointNotes(report: Report, width: number): string[] {
  const notes: string[] = [];
  const { redirect, sse_linger: linger } = report.protocol;
  if (redirect !== undefined && redirect !== null) {
    const from = truncateChars(sanitizeForTerminal(redirect.from), 40);
    const to = truncateChars(sanitizeForTerminal(redirect.to), 40);
    notes.push(
      `  redirect: ${redirect.status} ${from} → ${to} followed; run against ${to} to skip it`,
    );
  }
  // Shown when it costs something: a stream cut at 250 ms, or a mean of a millisecond or more
  // (every SSE stream ends a few microseconds after its last event, which is no news).
  if (linger !== undefined && linger.streams > 0 && (linger.cut > 0 || linger.mean_ms >= 1)) {
    const cut = `${formatCount(linger.cut)} of ${formatCount(linger.streams)} cut at 250ms`;
    notes.push(
      `  sse linger: mean ${formatMs(linger.mean_ms)}, max ${formatMs(linger.max_ms)} after the response; ${cut}`,
    );
  }
  return notes.map((line) => truncateChars(line, width));
}

function serverLine(report: Report, width: number): string {
  const { server_info: info, version, response_types: types } = report.protocol;
  // A server may answer initialize without serverInfo and still serve thousands of requests:
  // whether a session was established is the handshake's count, not the name's presence.
  if (info === null && report.handshake.success_count === 0) {
    return '  server: no session established';
  }
  const parts = [
    info === null
      ? 'no serverInfo in its initialize result'
      : [
          truncateChars(sanitizeForTerminal(info.name), 40),
          truncateChars(sanitizeForTerminal(info.version), 20),
        ]
          .filter((s) => s !== '')
          .join(' '),
  ];
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
  const line = truncateChars(`  server: ${parts.join(' · ')}`, width);
  // On its own line: with the transport it no longer fits beside the server's name in 80 columns.
  const phrase = protocolPhrase(
    report,
    version === null ? null : truncateChars(sanitizeForTerminal(version), 20),
  );
  return phrase === '' ? line : `${line}\n${truncateChars(`  connection: ${phrase}`, width)}`;
}

/**
 * stdio runs: the server processes, how often one had to be restarted (each restart cost the
 * requests it had in flight), and where their stderr is, whole: it is a path to open.
 */
function stdioLines(report: Report, c: Colors, width: number): string[] {
  const s = report.protocol.stdio;
  if (s === undefined) return [];
  const head = truncateChars(
    `  stdio: ${s.processes} server process${s.processes === 1 ? '' : 'es'} · ${s.restarts === 0 ? 'no restarts' : plural(s.restarts, 'restart')}`,
    width,
  );
  return [
    s.restarts === 0 ? head : c.yellow(head),
    `  server stderr: ${sanitizeForTerminal(s.stderr_log)}`,
  ];
}

/**
 * What the protocol layer did beyond plain requests, when it did anything: input_required rounds
 * and tasks (2026-07-28), server requests answered or refused (2025, `[client]`). A refused one is
 * named, with how to answer it, since it is why the tool calls failed.
 */
function protocolLines(report: Report, c: Colors, width: number): string[] {
  const p = report.protocol;
  const parts: string[] = [];
  if ((p.input_rounds ?? 0) > 0) parts.push(plural(p.input_rounds ?? 0, 'input_required round'));
  if ((p.tasks ?? 0) > 0) {
    parts.push(`${plural(p.tasks ?? 0, 'task')} (${plural(p.task_polls ?? 0, 'poll')})`);
  }
  if ((p.version_retries ?? 0) > 0) {
    const n = p.version_retries ?? 0;
    parts.push(`${n} ${n === 1 ? 'request' : 'requests'} retried after -32022`);
  }
  const answered = Object.entries(p.server_requests?.answered ?? {});
  if (answered.length > 0) {
    parts.push(`answered ${answered.map(([m, n]) => `${m} ×${n}`).join(', ')}`);
  }
  const lines =
    parts.length === 0 ? [] : [truncateChars(`  protocol: ${parts.join(' · ')}`, width)];
  const notes = notificationPhrases(report, (name) => truncateChars(sanitizeForTerminal(name), 30));
  if (notes.length > 0) lines.push(truncateChars(`  notifications: ${notes.join(' · ')}`, width));
  const refused = Object.entries(p.server_requests?.unanswered ?? {});
  if (refused.length > 0) {
    const text = `  server requests refused (no [client] answer): ${refused.map(([m, n]) => `${m} ×${n}`).join(', ')}`;
    lines.push(c.yellow(truncateChars(text, width)));
  }
  return lines;
}

/**
 * Non-zero kinds, most frequent first (ties in ERROR_KINDS order), each followed by the first
 * message seen for it, dimmed: request samples under request errors, initialize samples under
 * handshake errors.
 */
function errorSection(
  title: string,
  counts: Record<ErrorKind, number>,
  samples: Partial<Record<ErrorKind, string>>,
  c: Colors,
  width: number,
): string[] {
  const kinds = ERROR_KINDS.filter((kind) => counts[kind] > 0).sort(
    (a, b) => counts[b] - counts[a],
  );
  if (kinds.length === 0) return [];
  const lines = [`  ${title}`];
  for (const kind of kinds) {
    lines.push(`    ${dotted(kind, ERROR_NAME_WIDTH, c)}: ${c.red(String(counts[kind]))}`);
    const sample = samples[kind];
    if (sample !== undefined) {
      const text = truncateChars(sanitizeForTerminal(sample).trim(), width - 6);
      if (text !== '') lines.push(`      ${c.dim(text)}`);
    }
  }
  return lines;
}

function footerLines(report: Report, c: Colors): string[] {
  const lines = [breakingPointLine(report, c)];
  const gen = report.metrics.generator;
  if (gen.saturated) {
    const lag =
      gen.schedule_lag_p99_ms === null
        ? ''
        : `, steps started ${formatMs(gen.schedule_lag_p99_ms)} late at p99`;
    lines.push(
      `  ${c.yellow(`warning: the load generator was saturated (event-loop delay p99 ${formatMs(gen.event_loop_delay_p99_ms)}${lag}): latencies include its own delays and overstate the server's; lower the load, or spread it over worker threads (--workers) or processes (--shard)`)}`,
    );
  }
  const hint = closedModelHint(report);
  if (hint !== null) lines.push(`  ${c.yellow(hint)}`);
  if (gen.local_limit_errors > 0) {
    lines.push(
      `  ${c.yellow(`warning: ${plural(gen.local_limit_errors, 'request')} failed on this machine's own limits (EMFILE, EADDRNOTAVAIL …), not on the server: see the error samples for the fix`)}`,
    );
  }
  if (!report.completed) lines.push(`  ${c.yellow(stopText(report))}`);
  const inFlight = report.metrics.in_flight_at_stop;
  if (inFlight > 0) {
    lines.push(`  ${plural(inFlight, 'request')} still in flight at the stop (not counted).`);
  }
  return lines;
}

/**
 * The closed model's blind spot: a VU waits for its answer, so a server that stalls is sent
 * almost nothing while it stalls and the percentiles hide the stall. A maximum far beyond the
 * p99 is its mark; the open model measures what users see.
 */
const HIDDEN_STALL_RATIO = 10;

function closedModelHint(report: Report): string | null {
  const l = report.metrics.latency;
  if (report.config.model !== 'closed' || l.count === 0 || l.p99_ms <= 0) return null;
  if (l.max_ms <= HIDDEN_STALL_RATIO * l.p99_ms) return null;
  return `note: the slowest request took ${formatMs(l.max_ms)}, over ${HIDDEN_STALL_RATIO}× the p99 (${formatMs(l.p99_ms)}): the closed model hides stalls (VUs wait instead of sending); run with --rate N (open model) to measure what users see`;
}

/**
 * `breaking point: none detected (peak 10 VUs)`, or where the server broke: VUs (the rate in the
 * open model), time into the run, stage, and the detector's reason and detail.
 */
function breakingPointLine(report: Report, c: Colors): string {
  const bp = report.breaking_point;
  if (!bp.detected) {
    return `  breaking point: none detected (peak ${plural(report.handshake.peak_vus, 'VU')})`;
  }
  const where = [
    'detected',
    bp.rate !== undefined && bp.rate !== null
      ? `at ${formatRate(bp.rate)} steps/s${bp.vus === undefined ? '' : ` (${plural(bp.vus, 'session')})`}`
      : bp.vus === undefined
        ? ''
        : `at ${plural(bp.vus, 'VU')}`,
    bp.elapsed_secs === undefined ? '' : `after ${formatElapsed(bp.elapsed_secs)}`,
    bp.stage === undefined || bp.stage === null ? '' : `in stage ${bp.stage}`,
  ]
    .filter((s) => s !== '')
    .join(' ');
  const why = [bp.reason, bp.detail === undefined ? undefined : sanitizeForTerminal(bp.detail)]
    .filter((s) => s !== undefined && s !== '')
    .join(': ');
  const stopped = bp.stopped_run === true ? '; the run stopped there (stop_on_breaking_point)' : '';
  const ours =
    bp.generator_saturated === true
      ? '; the load generator was saturated then: this may be its limit, not the server’s'
      : '';
  return `  ${c.yellow(`breaking point: ${where}${why === '' ? '' : ` (${why})`}${stopped}${ours}`)}`;
}

function stopText(report: Report): string {
  switch (report.stop_reason) {
    case 'interrupted':
      return `Run interrupted (SIGINT/SIGTERM) after ${formatElapsed(report.duration_secs)}: the results cover only the part that ran.`;
    case 'no_session':
      return 'No virtual user could initialize a session: nothing was measured.';
    default:
      return `Run stopped early (stop reason: ${report.stop_reason}).`;
  }
}

/** `name.......` to `width` columns (no dots when the name fills it), dots dimmed. */
function dotted(name: string, width: number, c: Colors): string {
  return name + c.dim('.'.repeat(Math.max(0, width - name.length)));
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
