/**
 * What the HTML report's charts draw, computed from the report (pure): the series of the timeline
 * charts, the latency percentile distribution and the breaking-point marker. Values the run did
 * not measure are null (a gap in the line), never 0, which would read as "instant" or "idle".
 */
import { ERROR_KINDS, type ErrorKind } from '../../protocol/outcome.js';
import type { LatencyStats, Report } from '../../report/types.js';
import { isDrainSample } from '../timeline-drain.js';

export interface ChartData {
  /** Seconds from the start of the run to the end of each sample interval. */
  elapsedSecs: number[];
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  p99Ms: (number | null)[];
  activeVus: (number | null)[];
  targetVus: (number | null)[];
  throughputRps: number[];
  /** Open model (arrival rate): the scheduled and achieved steps/s; null for a closed run. */
  targetRate: (number | null)[] | null;
  achievedRate: (number | null)[] | null;
  /** Errors per interval, only for the kinds that occurred. */
  errorsByKind: { kind: ErrorKind; counts: number[] }[];
  breakingPoint: { elapsedSecs: number; label: string } | null;
  distribution: Distribution | null;
}

/**
 * Percentiles on a "nines" axis: x = −log10(1 − p), so p50, p90, p99 and p99.9 are evenly
 * apart and the tail, where load tests find their trouble, gets the room. min sits at 0 and
 * max one step past p99.9.
 */
export interface Distribution {
  x: number[];
  labels: string[];
  correctedMs: number[];
  uncorrectedMs: number[];
}

const PERCENTILES: readonly { label: string; x: number; pick: (s: LatencyStats) => number }[] = [
  { label: 'min', x: 0, pick: (s) => s.min_ms },
  { label: 'p50', x: Math.log10(2), pick: (s) => s.p50_ms },
  { label: 'p90', x: 1, pick: (s) => s.p90_ms },
  { label: 'p95', x: Math.log10(20), pick: (s) => s.p95_ms },
  { label: 'p99', x: 2, pick: (s) => s.p99_ms },
  { label: 'p99.9', x: 3, pick: (s) => s.p999_ms },
  { label: 'max', x: 4, pick: (s) => s.max_ms },
];

export function chartData(report: Report): ChartData {
  const timeline = report.timeline;
  const open = report.config.model === 'open';
  // An interval with no success has latency 0 in the report: not measured, so a gap.
  const latency = (pick: (i: number) => number) =>
    timeline.map((s, i) => (s.requests - errorTotal(s.errors) > 0 ? pick(i) : null));
  const vus = (pick: (i: number) => number) =>
    timeline.map((_, i) => (isDrainSample(timeline, i) ? null : pick(i)));
  const errorsByKind = ERROR_KINDS.filter((kind) => timeline.some((s) => s.errors[kind] > 0)).map(
    (kind) => ({ kind, counts: timeline.map((s) => s.errors[kind]) }),
  );
  return {
    elapsedSecs: timeline.map((s) => s.elapsed_secs),
    p50Ms: latency((i) => timeline[i]?.p50_ms ?? 0),
    p95Ms: latency((i) => timeline[i]?.p95_ms ?? 0),
    p99Ms: latency((i) => timeline[i]?.p99_ms ?? 0),
    activeVus: vus((i) => timeline[i]?.active_vus ?? 0),
    targetVus: vus((i) => timeline[i]?.target_vus ?? 0),
    throughputRps: timeline.map((s) => s.throughput_rps),
    targetRate: open ? timeline.map((s) => s.target_rate) : null,
    achievedRate: open ? timeline.map((s) => s.achieved_rate) : null,
    errorsByKind,
    breakingPoint: breakingPointMarker(report),
    distribution: distribution(report),
  };
}

function errorTotal(errors: Record<ErrorKind, number>): number {
  let total = 0;
  for (const kind of ERROR_KINDS) total += errors[kind];
  return total;
}

function breakingPointMarker(report: Report): ChartData['breakingPoint'] {
  const bp = report.breaking_point;
  if (!bp.detected || bp.elapsed_secs === undefined) return null;
  const at =
    bp.rate !== undefined && bp.rate !== null
      ? ` at ${bp.rate} steps/s`
      : bp.vus === undefined
        ? ''
        : ` at ${bp.vus} VUs`;
  return { elapsedSecs: bp.elapsed_secs, label: `breaking point${at}` };
}

function distribution(report: Report): Distribution | null {
  const corrected = report.metrics.latency;
  if (corrected.count === 0) return null;
  const uncorrected = report.metrics.latency_uncorrected;
  return {
    x: PERCENTILES.map((p) => p.x),
    labels: PERCENTILES.map((p) => p.label),
    correctedMs: PERCENTILES.map((p) => p.pick(corrected)),
    uncorrectedMs: PERCENTILES.map((p) => p.pick(uncorrected)),
  };
}
