/**
 * N shard reports of one load → one report, exactly: counts add, histograms add (decode, add,
 * re-encode) and every percentile is read from the sums, the timeline is realigned on wall-clock
 * time (merge-timeline.ts), the breaking point is detected again on it, and the thresholds are
 * evaluated on the merged figures. Pure: the reports in, the merged report out.
 *
 * What cannot be exact is said here: min/max come back to the histograms' 3 significant figures;
 * peak VUs add the shards' peaks (an upper bound, as shards peak at about the same time);
 * the active duration is the longest shard's.
 */
import type { OperationType, Thresholds } from '../config/types.js';
import { withThresholds } from '../gate/thresholds.js';
import { corrected, merged, type Histogram } from '../metrics/histogram.js';
import { latencyStats } from '../metrics/latency-stats.js';
import {
  decodeHistogram,
  encodeHistogram,
  HistogramDecodeError,
} from '../metrics/histogram-codec.js';
import { LoadtestError } from '../errors.js';
import type { Report, ReportHistograms } from '../report/types.js';
import { checkShards, type SourcedReport } from './merge-checks.js';
import { detectBreakingPoint, mergeTimelines } from './merge-timeline.js';
import { addErrors, addPartial, firstSamples, stopReason, sum } from './merge-counts.js';
import { mergePerTool, type DecodeIn } from './merge-per-tool.js';
import { mergeStages } from './merge-stages.js';
import { thresholdsOfReport } from './thresholds-of-report.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

/** `thresholds` null: re-evaluate the gates the shards were run with. */
export function mergeReports(
  reports: readonly SourcedReport[],
  thresholds: Thresholds | null,
): Report {
  const shards = checkShards(reports);
  const decode: DecodeIn = (s, what, encoded) => {
    try {
      return decodeHistogram(encoded);
    } catch (err) {
      if (!(err instanceof HistogramDecodeError)) throw err;
      throw new LoadtestError(
        'MERGE_REFUSED',
        `merge: ${s.source}: histograms.${what} is not an encoded histogram (${err.message})`,
      );
    }
  };
  const addAll = (what: string, pick: (h: ReportHistograms) => string): Histogram =>
    merged(shards.map((s) => decode(s, what, pick(s.histograms))));
  const first = shards[0]!.report;
  const intervalUs = shards[0]!.histograms.correction_interval_us;
  const reported = (raw: Histogram): Histogram =>
    intervalUs === null ? raw : corrected(raw, intervalUs);

  const startedMs = Math.min(...shards.map((s) => Date.parse(s.report.started_at)));
  const endedMs = Math.max(
    ...shards.map((s) => Date.parse(s.report.started_at) + s.report.duration_secs * 1000),
  );
  const durationSecs = (endedMs - startedMs) / 1000;
  const activeSecs = Math.max(...shards.map((s) => s.report.metrics.active_duration_secs));

  const { perTool, perToolHists, toolLatency } = mergePerTool(shards, {
    decode,
    intervalUs,
    durationSecs,
  });
  const names = Object.keys(perTool);
  const operationLatency: Report['metrics']['operation_latency'] = {};
  const byOperation = new Map<OperationType, Histogram[]>();
  for (const name of names) {
    const op = perTool[name]!.operation;
    byOperation.set(op, [...(byOperation.get(op) ?? []), toolLatency.get(name)!]);
  }
  for (const [op, hists] of byOperation)
    operationLatency[op] = latencyStats(reported(merged(hists)));

  const latency = addAll('latency', (h) => h.latency);
  const uncorrected = addAll('latency_uncorrected', (h) => h.latency_uncorrected);
  const errorHistogram = addAll('error_latency', (h) => h.error_latency);
  const errorLatency = latencyStats(errorHistogram);
  const handshakeLatency = addAll('handshake_latency', (h) => h.handshake_latency);

  const timeline = mergeTimelines(
    shards.map((s) => ({
      startedAtMs: Date.parse(s.report.started_at),
      samples: s.report.timeline,
      histograms: s.report.timeline.map((_, i) =>
        decode(s, `timeline[${i}]`, s.histograms.timeline[i] ?? ''),
      ),
    })),
  );

  const m = shards.map((s) => s.report.metrics);
  const hs = shards.map((s) => s.report.handshake);
  const total = sum(m.map((x) => x.total_requests));
  const errorTotal = sum(m.map((x) => x.error_count));
  const failedHandshakes = sum(hs.map((h) => h.attempts - h.success_count));
  const vusStarted = sum(hs.map((h) => h.vus_started));
  const vusWithoutSession = sum(hs.map((h) => h.vus_without_session));
  const lags = m.map((x) => x.generator.schedule_lag_p99_ms).filter((x) => x !== null);
  const lagMaxes = m.map((x) => x.generator.schedule_lag_max_ms).filter((x) => x !== null);
  // A shard's baseline comparison is of its part only: compare the merged report instead
  // (`mcp-loadtest compare BASE merged.json`).
  const { shard: _shard, comparison: _comparison, ...base } = first;

  const report: Report = {
    ...base,
    timestamp: new Date(
      Math.max(...shards.map((s) => Date.parse(s.report.timestamp))),
    ).toISOString(),
    duration_secs: round3(durationSecs),
    config: { ...first.config },
    merged_shards: shards.length,
    metrics: {
      total_requests: total,
      success_count: total - errorTotal,
      error_count: errorTotal,
      error_rate: ratio(errorTotal, total),
      gate_error_rate: Math.max(
        ratio(errorTotal + failedHandshakes, total + failedHandshakes),
        ratio(vusWithoutSession, vusStarted),
      ),
      throughput_rps: round3(ratio(total, durationSecs)),
      active_throughput_rps: round3(ratio(total, activeSecs)),
      active_duration_secs: round3(activeSecs),
      dropped_iterations: sum(m.map((x) => x.dropped_iterations)),
      generator: {
        event_loop_delay_p99_ms: Math.max(...m.map((x) => x.generator.event_loop_delay_p99_ms)),
        event_loop_delay_max_ms: Math.max(...m.map((x) => x.generator.event_loop_delay_max_ms)),
        schedule_lag_p99_ms: lags.length === 0 ? null : Math.max(...lags),
        schedule_lag_max_ms: lagMaxes.length === 0 ? null : Math.max(...lagMaxes),
        saturated: m.some((x) => x.generator.saturated),
        local_limit_errors: sum(m.map((x) => x.generator.local_limit_errors)),
      },
      in_flight_at_stop: sum(m.map((x) => x.in_flight_at_stop)),
      latency: {
        ...latencyStats(reported(latency)),
        error_p50_ms: errorLatency.p50_ms,
        error_p95_ms: errorLatency.p95_ms,
        error_p99_ms: errorLatency.p99_ms,
      },
      latency_uncorrected: latencyStats(uncorrected),
      operation_counts: addPartial(m.map((x) => x.operation_counts)),
      operation_errors: addPartial(m.map((x) => x.operation_errors)),
      operation_latency: operationLatency,
    },
    errors: addErrors(shards.map((s) => s.report.errors)),
    error_samples: firstSamples(shards.map((s) => s.report.error_samples)),
    per_tool: perTool,
    breaking_point: detectBreakingPoint(
      timeline,
      startedMs,
      shards.some((s) => s.report.breaking_point.stopped_run === true),
      shards.some(
        (s) =>
          s.report.breaking_point.generator_saturated === true ||
          s.report.metrics.generator.saturated,
      ),
    ),
    timeline: timeline.map((t) => t.sample),
    stages: mergeStages(
      shards.map((s) => s.report.stages),
      timeline,
    ),
    thresholds: [],
    thresholds_passed: true,
    started_at: new Date(startedMs).toISOString(),
    completed: shards.every((s) => s.report.completed),
    stop_reason: stopReason(shards.map((s) => s.report.stop_reason)),
    protocol: {
      version:
        shards.find((s) => s.report.protocol.version !== null)?.report.protocol.version ?? null,
      server_info:
        shards.find((s) => s.report.protocol.server_info !== null)?.report.protocol.server_info ??
        null,
      response_types: {
        json: sum(shards.map((s) => s.report.protocol.response_types.json)),
        sse: sum(shards.map((s) => s.report.protocol.response_types.sse)),
      },
    },
    handshake: {
      attempts: sum(hs.map((h) => h.attempts)),
      success_count: sum(hs.map((h) => h.success_count)),
      error_count: sum(hs.map((h) => h.error_count)),
      sessions_created: sum(hs.map((h) => h.sessions_created)),
      reinitializations: sum(hs.map((h) => h.reinitializations)),
      sessions_closed: sum(hs.map((h) => h.sessions_closed)),
      vus_replaced: sum(hs.map((h) => h.vus_replaced)),
      peak_vus: sum(hs.map((h) => h.peak_vus)),
      vus_started: vusStarted,
      vus_without_session: vusWithoutSession,
      latency: latencyStats(handshakeLatency),
      errors: addErrors(hs.map((h) => h.errors)),
      error_samples: firstSamples(hs.map((h) => h.error_samples)),
    },
    histograms: {
      encoding: shards[0]!.histograms.encoding,
      correction_interval_us: intervalUs,
      latency: encodeHistogram(latency),
      latency_uncorrected: encodeHistogram(uncorrected),
      error_latency: encodeHistogram(errorHistogram),
      handshake_latency: encodeHistogram(handshakeLatency),
      per_tool: perToolHists,
      timeline: timeline.map((t) => encodeHistogram(t.histogram)),
    },
  };
  return withThresholds(report, thresholds ?? thresholdsOfReport(first));
}
