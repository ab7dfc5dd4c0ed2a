/**
 * Per-tool figures of shard reports, added: counts add, the histograms add and the percentiles
 * are read from the sums (closed model: corrected after adding). Tool names come from servers:
 * they are read only as own properties and kept in null-prototype objects.
 */
import { corrected, merged, type Histogram } from '../metrics/histogram.js';
import { latencyStats } from '../report/latency-stats.js';
import { encodeHistogram } from '../metrics/histogram-codec.js';
import type {
  NotificationStats,
  PerKeyMetrics,
  ReportHistograms,
  TimeSummary,
} from '../report/types.js';
import type { ShardReport } from './merge-checks.js';
import { addErrors, sum } from './merge-counts.js';

/** Decodes one encoded histogram of a shard; `what` names it in the error. */
export type DecodeIn = (shard: ShardReport, what: string, encoded: string) => Histogram;

export interface PerToolMerge {
  perTool: Record<string, PerKeyMetrics>;
  perToolHists: ReportHistograms['per_tool'];
  /** Per tool, the summed histogram behind `latency` (closed model: raw). */
  toolLatency: Map<string, Histogram>;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

/** `obj[key]` only when it is obj's own property (never one inherited from Object.prototype). */
function own<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export function mergePerTool(
  shards: readonly ShardReport[],
  o: { decode: DecodeIn; intervalUs: number | null; durationSecs: number },
): PerToolMerge {
  const { decode, intervalUs, durationSecs } = o;
  const reported = (raw: Histogram): Histogram =>
    intervalUs === null ? raw : corrected(raw, intervalUs);
  const perTool = Object.create(null) as Record<string, PerKeyMetrics>;
  const perToolHists = Object.create(null) as ReportHistograms['per_tool'];
  const toolLatency = new Map<string, Histogram>();
  // In the order of first appearance.
  const names = [...new Set(shards.flatMap((s) => Object.keys(s.report.per_tool)))];
  for (const name of names) {
    const parts = shards.filter((s) => Object.hasOwn(s.report.per_tool, name));
    const rows = parts.map((s) => own(s.report.per_tool, name)!);
    const latency = merged(
      parts.map((s) =>
        decode(s, `per_tool["${name}"].latency`, own(s.histograms.per_tool, name)?.latency ?? ''),
      ),
    );
    const uncorrected =
      intervalUs === null
        ? merged(
            parts.map((s) =>
              decode(
                s,
                `per_tool["${name}"].latency_uncorrected`,
                own(s.histograms.per_tool, name)?.latency_uncorrected ?? '',
              ),
            ),
          )
        : latency;
    toolLatency.set(name, latency);
    const total = sum(rows.map((r) => r.total_requests));
    const errorCount = sum(rows.map((r) => r.error_count));
    perTool[name] = {
      operation: rows[0]!.operation,
      total_requests: total,
      success_count: total - errorCount,
      error_count: errorCount,
      error_rate: ratio(errorCount, total),
      throughput_rps: round3(ratio(total, durationSecs)),
      latency: latencyStats(reported(latency)),
      latency_uncorrected: latencyStats(uncorrected),
      errors: addErrors(rows.map((r) => r.errors)),
    };
    const notes = mergeNotifications(rows.flatMap((r) => r.notifications ?? []));
    if (notes !== undefined) perTool[name]!.notifications = notes;
    perToolHists[name] =
      intervalUs === null
        ? { latency: encodeHistogram(latency), latency_uncorrected: encodeHistogram(uncorrected) }
        : { latency: encodeHistogram(latency) };
  }

  return { perTool, perToolHists, toolLatency };
}

/** Notification counts add; first-byte and first-progress times combine by their counts. */
function mergeNotifications(parts: readonly NotificationStats[]): NotificationStats | undefined {
  if (parts.length === 0) return undefined;
  const out: NotificationStats = {
    progress: sum(parts.map((p) => p.progress)),
    logging: sum(parts.map((p) => p.logging)),
  };
  const firstByte = mergeTimes(parts.flatMap((p) => p.first_byte ?? []));
  const firstProgress = mergeTimes(parts.flatMap((p) => p.first_progress ?? []));
  if (firstByte !== undefined) out.first_byte = firstByte;
  if (firstProgress !== undefined) out.first_progress = firstProgress;
  return out;
}

function mergeTimes(parts: readonly TimeSummary[]): TimeSummary | undefined {
  const count = sum(parts.map((t) => t.count));
  if (count === 0) return undefined;
  return {
    count,
    min_ms: Math.min(...parts.map((t) => t.min_ms)),
    mean_ms: round3(sum(parts.map((t) => t.mean_ms * t.count)) / count),
    max_ms: Math.max(...parts.map((t) => t.max_ms)),
  };
}
