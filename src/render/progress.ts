/**
 * The live progress line, drawn about once a second from an engine snapshot:
 *
 *   12.0s/60s  [stage 2/3]  iter 1,200/5,000  vus 10/10  412 req/s  p99 3.21ms  reqs 4,944  errors 3 (0.1%)
 *
 * Returned without a line ending. On a terminal the caller redraws it in place (`\r\x1b[K` + line);
 * a wrapped line cannot be redrawn that way, so with `tty` and a known `width` the least useful
 * fields are dropped until it fits. Elsewhere (CI logs) the caller appends "\n" and nothing is
 * dropped.
 */
import { colors } from './colors.js';
import { displayWidth, formatCount, formatMs, formatPercent, formatSecs } from './format.js';

export interface ProgressSnapshot {
  elapsedSecs: number;
  /** null when the run is bounded by iterations only. */
  totalSecs: number | null;
  iterationsDone: number;
  iterationsTotal: number | null;
  activeVus: number;
  targetVus: number;
  /** Open model: the scheduled rate now (steps/s); null for the closed model. */
  targetRate: number | null;
  /** Open model: steps dropped so far. */
  dropped: number;
  stage: { index: number; count: number } | null;
  /** Requests per second over the last interval. */
  intervalRps: number;
  /** p99 of the last interval's successes; null when none finished. */
  intervalP99Ms: number | null;
  totalRequests: number;
  totalErrors: number;
  /** 0–1, over the whole run so far. */
  errorRate: number;
}

/**
 * The figures of one interval as the engine reports them about once a second, with the run's
 * totals so far. Declared here, not imported from the engine, so rendering depends on plain data
 * only (the engine's tick type has these fields and may have more).
 */
export interface ProgressTick {
  readonly elapsedSecs: number;
  readonly totalSecs: number;
  readonly intervalSecs: number;
  readonly activeVus: number;
  readonly targetVus: number;
  /** Open model: the scheduled rate now; null for the closed model. */
  readonly targetRate: number | null;
  /** 1-based stage and stage count; null for a flat run. */
  readonly stage: { readonly index: number; readonly count: number } | null;
  readonly intervalRequests: number;
  readonly intervalP99Ms: number | null;
  readonly totalRequests: number;
  readonly totalErrors: number;
  readonly totalDropped: number;
}

/** The snapshot of one engine tick (which carries the run's totals so far). */
export function snapshotFromTick(
  tick: ProgressTick,
  iterationsTotal: number | null,
): ProgressSnapshot {
  const { totalRequests, totalErrors } = tick;
  return {
    elapsedSecs: tick.elapsedSecs,
    totalSecs: tick.totalSecs,
    iterationsDone: totalRequests,
    iterationsTotal,
    activeVus: tick.activeVus,
    targetVus: tick.targetVus,
    targetRate: tick.targetRate,
    dropped: tick.totalDropped,
    stage: tick.stage,
    intervalRps: tick.intervalSecs > 0 ? tick.intervalRequests / tick.intervalSecs : 0,
    intervalP99Ms: tick.intervalP99Ms,
    totalRequests,
    totalErrors,
    errorRate: totalRequests > 0 ? totalErrors / totalRequests : 0,
  };
}

export interface ProgressOptions {
  color: boolean;
  tty: boolean;
  /** Terminal columns, used only with `tty`. */
  width?: number;
}

interface Segment {
  text: string;
  /** Dropped in decreasing order when the line is too wide; 0 is never dropped. */
  dropOrder: number;
  paint?: (s: string) => string;
}

export function renderProgressLine(p: ProgressSnapshot, options: ProgressOptions): string {
  const c = colors(options.color);
  const elapsed = Number.isFinite(p.elapsedSecs)
    ? `${Math.max(0, p.elapsedSecs).toFixed(1)}s`
    : '-';
  const segments: Segment[] = [
    {
      text: p.totalSecs === null ? elapsed : `${elapsed}/${formatSecs(p.totalSecs)}`,
      dropOrder: 0,
    },
  ];
  if (p.stage !== null) {
    segments.push({ text: `[stage ${p.stage.index}/${p.stage.count}]`, dropOrder: 5 });
  }
  if (p.iterationsTotal !== null) {
    segments.push({
      text: `iter ${formatCount(p.iterationsDone)}/${formatCount(p.iterationsTotal)}`,
      dropOrder: 6,
    });
  }
  segments.push({ text: `vus ${p.activeVus}/${p.targetVus}`, dropOrder: 4 });
  if (p.targetRate !== null) {
    segments.push({ text: `rate ${rate(p.targetRate)}/s`, dropOrder: 8 });
  }
  segments.push(
    { text: `${rate(p.intervalRps)} req/s`, dropOrder: 2 },
    { text: `p99 ${p.intervalP99Ms === null ? '-' : formatMs(p.intervalP99Ms)}`, dropOrder: 3 },
    { text: `reqs ${formatCount(p.totalRequests)}`, dropOrder: 7 },
    {
      text:
        p.totalErrors > 0
          ? `errors ${formatCount(p.totalErrors)} (${formatPercent(p.errorRate)})`
          : 'errors 0',
      dropOrder: 1,
      paint: p.totalErrors > 0 ? c.red : undefined,
    },
  );
  if (p.dropped > 0) {
    segments.push({ text: `dropped ${formatCount(p.dropped)}`, dropOrder: 1, paint: c.yellow });
  }

  let shown = segments;
  if (options.tty && options.width !== undefined) {
    const limit = options.width - 1;
    while (shown.length > 1 && lineWidth(shown) > limit) {
      const drop = Math.max(...shown.map((s) => s.dropOrder));
      shown = shown.filter((s) => s.dropOrder !== drop);
    }
  }
  return `  ${shown.map((s) => (s.paint === undefined ? s.text : s.paint(s.text))).join('  ')}`;
}

function lineWidth(segments: readonly Segment[]): number {
  return 2 + segments.reduce((sum, s) => sum + displayWidth(s.text), 0) + 2 * (segments.length - 1);
}

/** Whole requests per second with separators; one decimal below 100 where it carries meaning. */
function rate(ratePerSec: number): string {
  if (!Number.isFinite(ratePerSec) || ratePerSec < 0) return '-';
  const text = ratePerSec.toFixed(1);
  return Number(text) < 100 ? text : formatCount(ratePerSec);
}
