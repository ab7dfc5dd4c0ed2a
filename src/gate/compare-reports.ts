/**
 * A run against a baseline run: base, head and change for throughput, error rate and p50/p95/p99,
 * overall and per step, and a noise-aware verdict (README "Comparing runs").
 *
 * A row regresses only when both hold:
 *   1. the change goes beyond its limit in the worse direction (p99 grew by more than
 *      max_p99_regression, the error rate rose by more than max_error_rate_increase, the
 *      throughput fell below min_throughput_ratio of the baseline's), and
 *   2. it is statistically significant: a one-sided Mann–Whitney U test (mann-whitney.ts) on the
 *      two runs' timeline samples (one figure per 2 s interval) gives p <= ALPHA. Runner noise
 *      moves single figures; it rarely moves every interval of one run past the other's.
 * A step's rows are tested on the step's own samples (its part of each interval,
 * timeline[].per_tool), so a regression of one tool among many is not drowned by the others; a
 * report without them (older, or merged from shards) falls back to the whole run's samples, and
 * the comparison warns.
 *
 * Pure: two reports in, a Comparison out. Throws (exit 2) only for input that cannot be compared.
 */
import { LoadtestError } from '../errors.js';
import type {
  ComparedMetric,
  Comparison,
  ComparisonRow,
  LatencyStats,
  PairedComparison,
  Report,
  TimelineSample,
} from '../report/types.js';
import type { ComparisonGate, ComparisonLimits } from './comparison-limits.js';
import { smallestPValue } from './mann-whitney.js';
import {
  fullSamples,
  overallSamples,
  stepSamples,
  worseThanBase,
  type ScopeSample,
} from './timeline-samples.js';

/** One-sided significance level: a 1-in-20 chance that pure noise is called a regression. */
export const ALPHA = 0.05;

const METRICS: readonly ComparedMetric[] = [
  'throughput_rps',
  'error_rate',
  'p50_ms',
  'p95_ms',
  'p99_ms',
];

/** What a comparison reads of a report. */
export type ComparedRun = Pick<
  Report,
  | 'timestamp'
  | 'target_url'
  | 'tool'
  | 'metrics'
  | 'per_tool'
  | 'timeline'
  | 'config'
  | 'stop_reason'
>;

/** What one scope measured, as compared. */
interface ScopeFigures {
  readonly total_requests: number;
  readonly error_rate: number;
  readonly throughput_rps: number;
  readonly latency: LatencyStats;
}

export interface CompareInput {
  readonly base: ComparedRun;
  readonly head: ComparedRun;
  /** How each report is named in messages ("base.json", "the baseline"). */
  readonly baseName: string;
  readonly headName: string;
  /** The baseline file as given, recorded in the comparison; null when not from a file. */
  readonly baseSource: string | null;
  readonly gate: ComparisonGate;
  /**
   * The samples to test, already full-length (paired mode: each round's own full samples, so no
   * round's start or partial end counts); default: the full samples of each run's timeline.
   */
  readonly samples?: { readonly base: TimelineSample[]; readonly head: TimelineSample[] };
  /** Paired A/B mode: how the two targets were measured (recorded in the comparison). */
  readonly paired?: PairedComparison;
}

export function compareRuns(input: CompareInput): Comparison {
  const { base, head, gate } = input;
  assertMeasured(base, input.baseName);
  assertMeasured(head, input.headName);
  const baseSamples = input.samples?.base ?? fullSamples(base.timeline);
  const headSamples = input.samples?.head ?? fullSamples(head.timeline);
  const pValues = pValuesOf(overallSamples(baseSamples), overallSamples(headSamples));

  const headKeys = new Set(Object.keys(head.per_tool));
  const baseKeys = Object.keys(base.per_tool);
  const common = baseKeys.filter((key) => headKeys.has(key));
  const onlyInBase = baseKeys.filter((key) => !headKeys.has(key));
  const onlyInHead = [...headKeys].filter((key) => !Object.hasOwn(base.per_tool, key));

  const rows = scopeRows(null, overall(base), overall(head), gate.overall, pValues);
  let wholeRunForSteps = false;
  for (const key of common) {
    const b = stepSamples(baseSamples, key);
    const h = stepSamples(headSamples, key);
    if (b === null || h === null) wholeRunForSteps = true;
    const stepPValues = b === null || h === null ? pValues : pValuesOf(b, h);
    rows.push(
      ...scopeRows(key, base.per_tool[key]!, head.per_tool[key]!, gate.forStep(key), stepPValues),
    );
  }
  return {
    baseline: {
      source: input.baseSource,
      timestamp: base.timestamp,
      target_url: base.target_url,
      tool_version: base.tool.version,
    },
    ...(input.paired === undefined ? {} : { paired: input.paired }),
    method: 'mann_whitney_u',
    alpha: ALPHA,
    samples: { base: baseSamples.length, head: headSamples.length },
    only_in_base: onlyInBase,
    only_in_head: onlyInHead,
    warnings: [
      ...warnings(input, baseSamples.length, headSamples.length, onlyInBase, onlyInHead),
      ...(wholeRunForSteps
        ? [
            `each step was tested on the whole run's samples: ${input.baseName} or ${input.headName} has no per-tool timeline (written by an older version, or merged from shards)`,
          ]
        : []),
    ],
    rows,
    regressed: rows.some((row) => row.regressed),
  };
}

/** Each metric's one-sided p-value that head is worse, on one scope's samples. */
function pValuesOf(
  base: readonly ScopeSample[],
  head: readonly ScopeSample[],
): Map<ComparedMetric, number | null> {
  return new Map(METRICS.map((metric) => [metric, worseThanBase(metric, base, head)]));
}

/**
 * The whole run's figures; its error rate counts the VUs that never got a session, as the
 * error_rate threshold does (metrics.gate_error_rate).
 */
function overall(run: ComparedRun): ScopeFigures {
  return { ...run.metrics, error_rate: run.metrics.gate_error_rate };
}

/** Throws COMPARE_UNUSABLE (exit 2) when `run` measured nothing: there is nothing to compare. */
export function assertMeasured(
  run: Pick<ComparedRun, 'metrics' | 'stop_reason'>,
  name: string,
): void {
  if (run.metrics.total_requests > 0) return;
  throw new LoadtestError(
    'COMPARE_UNUSABLE',
    `${name} measured no request (stop_reason ${run.stop_reason}), so there is nothing to compare; accepted: a report of a run that sent requests`,
  );
}

function scopeRows(
  scope: string | null,
  base: ScopeFigures,
  head: ScopeFigures,
  limits: ComparisonLimits,
  pValues: ReadonlyMap<ComparedMetric, number | null>,
): ComparisonRow[] {
  return METRICS.map((metric) => {
    const b = figure(metric, base);
    const h = figure(metric, head);
    const limit = limitOf(metric, limits);
    const beyond = limit !== null && beyondLimit(metric, b, h, limit);
    const p = pValues.get(metric) ?? null;
    const significant = p !== null && p <= ALPHA;
    return {
      metric,
      scope,
      base: b,
      head: h,
      delta: b === null || h === null ? null : round(h - b),
      change_ratio: b === null || h === null || b === 0 ? null : round(h / b - 1),
      limit,
      beyond_limit: beyond,
      p_value: p === null ? null : round(p),
      significant,
      regressed: beyond && significant,
    };
  });
}

/** The scope's figure; null when it has none (a latency with no success, a rate with no request). */
function figure(metric: ComparedMetric, f: ScopeFigures): number | null {
  switch (metric) {
    case 'throughput_rps':
      return f.throughput_rps;
    case 'error_rate':
      return f.total_requests > 0 ? f.error_rate : null;
    default:
      return f.latency.count > 0 ? f.latency[metric] : null;
  }
}

function limitOf(metric: ComparedMetric, limits: ComparisonLimits): number | null {
  switch (metric) {
    case 'p99_ms':
      return limits.maxP99Regression;
    case 'error_rate':
      return limits.maxErrorRateIncrease;
    case 'throughput_rps':
      return limits.minThroughputRatio;
    default:
      return null;
  }
}

/** Whether head is worse than base by more than the limit; an unmeasured side never is. */
function beyondLimit(
  metric: ComparedMetric,
  base: number | null,
  head: number | null,
  limit: number,
): boolean {
  if (base === null || head === null) return false;
  switch (metric) {
    case 'error_rate':
      return head - base > limit;
    case 'throughput_rps':
      return base > 0 && head / base < limit;
    default:
      return base > 0 && head / base - 1 > limit;
  }
}

function warnings(
  input: CompareInput,
  baseSamples: number,
  headSamples: number,
  onlyInBase: readonly string[],
  onlyInHead: readonly string[],
): string[] {
  const out: string[] = [];
  if (onlyInBase.length > 0 || onlyInHead.length > 0) {
    const parts = [
      onlyInBase.length > 0 ? `only in ${input.baseName}: ${onlyInBase.join(', ')}` : '',
      onlyInHead.length > 0 ? `only in ${input.headName}: ${onlyInHead.join(', ')}` : '',
    ].filter((part) => part !== '');
    out.push(
      `the runs measured different steps, compared only the shared ones (${parts.join('; ')})`,
    );
  }
  if (smallestPValue(baseSamples, headSamples) > ALPHA) {
    out.push(
      `too few timeline samples (${input.baseName} ${baseSamples}, ${input.headName} ${headSamples}) for any change to be significant at alpha ${ALPHA}: each run needs at least 3 full 2 s intervals (a run of 7 s or more)`,
    );
  }
  const baseVus = loadShape(input.base);
  const headVus = loadShape(input.head);
  if (baseVus !== headVus) {
    out.push(
      `the runs used different load (${input.baseName}: ${baseVus}; ${input.headName}: ${headVus}), so their figures differ for that reason too`,
    );
  }
  return out;
}

function loadShape(run: ComparedRun): string {
  const { config } = run;
  if (config.stages.length > 0) {
    const stages = config.stages.map((s) =>
      'target_vus' in s
        ? `${s.target_vus} VUs/${s.duration_secs}s`
        : `${s.target_rate} steps/s/${s.duration_secs}s`,
    );
    return `stages ${stages.join(', ')}`;
  }
  return config.model === 'open'
    ? `${config.arrival_rate ?? 0} steps/s`
    : `${config.virtual_users} VUs`;
}

/** Six significant decimals: enough for any figure, short in JSON. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
