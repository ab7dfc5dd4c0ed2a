/**
 * The comparison verdict on constructed timelines: a row regresses only when its change is beyond
 * the limit AND the one-sided Mann–Whitney U test on the 2 s samples is significant. (The end-to-end
 * A/A and 3× slower cases, on real runs, are in test/integration/cli-compare.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { LoadtestError } from '../../src/errors.js';
import { compareRuns, type ComparedRun } from '../../src/gate/compare-reports.js';
import { comparisonGate } from '../../src/gate/comparison-limits.js';
import type {
  Comparison,
  ComparisonRow,
  Report,
  TimelineSample,
  ToolIntervalSample,
} from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { sampleReport, zeroRequestReport } from '../fixtures/reports/sample-report.js';

interface Shape {
  /** Per-interval p99 (ms); p50 and p95 follow at 1/3 and 2/3 of it. */
  p99: readonly number[];
  /** Per-interval throughput (req/s); default 100 each. */
  rps?: readonly number[];
  /** Per-interval error rate; default 0. */
  errorRate?: readonly number[];
  /**
   * Each step's per-interval p99 (timeline[].per_tool, the step's own samples); a step not named
   * follows the whole run's. Absent: the timeline has no per-tool figures (an older report).
   */
  toolP99?: Readonly<Record<string, readonly number[]>>;
}

/** A sample report whose overall and per-tool figures are the medians of the intervals given. */
function run(shape: Shape): Report {
  const report = sampleReport();
  const n = shape.p99.length;
  const rps = shape.rps ?? Array<number>(n).fill(100);
  const errorRate = shape.errorRate ?? Array<number>(n).fill(0);
  report.timeline = shape.p99.map((p99, i): TimelineSample => {
    const requests = Math.round(rps[i]! * 2);
    const errors = Math.round(requests * errorRate[i]!);
    return {
      elapsed_secs: 2 * (i + 1),
      interval_secs: 2,
      active_vus: 10,
      target_vus: 10,
      stage: null,
      target_rate: null,
      achieved_rate: null,
      dropped_iterations: 0,
      requests,
      errors: { ...sampleReport().errors, timeout: errors, jsonrpc: 0, http: 0, tool: 0 },
      error_rate: errors / requests,
      throughput_rps: rps[i]!,
      p50_ms: p99 / 3,
      p95_ms: (2 * p99) / 3,
      p99_ms: p99,
      ...(shape.toolP99 === undefined ? {} : { per_tool: toolSamples(report, shape, i) }),
    };
  });
  const p99 = median(shape.p99);
  const scopes = [report.metrics, ...Object.values(report.per_tool)];
  for (const scope of scopes) {
    scope.latency = { ...scope.latency, p50_ms: p99 / 3, p95_ms: (2 * p99) / 3, p99_ms: p99 };
    scope.error_rate = median(errorRate);
  }
  for (const [tool, series] of Object.entries(shape.toolP99 ?? {})) {
    const scope = report.per_tool[tool]!;
    scope.latency = { ...scope.latency, p99_ms: median(series) };
  }
  report.metrics.gate_error_rate = median(errorRate);
  report.metrics.throughput_rps = median(rps);
  for (const scope of Object.values(report.per_tool)) scope.throughput_rps = median(rps) / 4;
  return report;
}

/** Interval i's part of each step: a quarter of the requests, its own p99 (or the run's). */
function toolSamples(report: Report, shape: Shape, i: number): Record<string, ToolIntervalSample> {
  const requests = Math.round((shape.rps?.[i] ?? 100) / 2);
  return Object.fromEntries(
    Object.keys(report.per_tool).map((tool) => {
      const p99 = shape.toolP99?.[tool]?.[i] ?? shape.p99[i]!;
      return [tool, { requests, errors: 0, p99_ms: p99 }];
    }),
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function compare(base: ComparedRun, head: ComparedRun, maxRegression?: number): Comparison {
  return compareRuns({
    base,
    head,
    baseName: 'base.json',
    headName: 'head.json',
    baseSource: 'base.json',
    gate: comparisonGate(undefined, maxRegression),
  });
}

function row(c: Comparison, metric: ComparisonRow['metric'], scope: string | null = null) {
  const found = c.rows.find((r) => r.metric === metric && r.scope === scope);
  if (found === undefined) throw new Error(`no row ${metric} ${String(scope)}`);
  return found;
}

const BASE_P99 = [10.2, 9.8, 10.5, 10.1, 9.9, 10.3];

describe('compareRuns', () => {
  it('calls a p99 3× higher in every interval a regression, overall and for each tool', () => {
    const c = compare(run({ p99: BASE_P99 }), run({ p99: BASE_P99.map((v) => v * 3) }));
    expect(c.regressed).toBe(true);
    const p99Rows = c.rows.filter((r) => r.metric === 'p99_ms');
    expect(p99Rows.map((r) => [r.scope, r.regressed])).toEqual([
      [null, true],
      ['add', true],
      ['divide', true],
      ['calc://constants', true],
      ['explain', true],
    ]);
    // 5 against 5 (the first, warm-up interval left out), all head values above all base values:
    // p = 1 / C(10, 5).
    expect(row(c, 'p99_ms').p_value).toBeCloseTo(1 / 252, 6);
    expect(row(c, 'p99_ms').change_ratio).toBeCloseTo(2, 6);
  });

  it('does not call a p99 beyond the limit a regression when the intervals overlap (noise)', () => {
    const head = [9.5, 14, 10, 30, 9.7, 10.4]; // one slow interval lifts the median p99 by 3%
    const c = compare(run({ p99: BASE_P99 }), run({ p99: head }), 0.01);
    const p99 = row(c, 'p99_ms');
    expect(p99.beyond_limit).toBe(true);
    expect(p99.significant).toBe(false);
    expect(p99.regressed).toBe(false);
    expect(c.regressed).toBe(false);
  });

  it('does not call a significant change within the limit a regression', () => {
    const c = compare(run({ p99: BASE_P99 }), run({ p99: BASE_P99.map((v) => v * 1.05) }));
    const p99 = row(c, 'p99_ms');
    expect(p99.significant).toBe(true);
    expect(p99.beyond_limit).toBe(false);
    expect(c.regressed).toBe(false);
  });

  it('calls a throughput that fell below min_throughput_ratio in every interval a regression', () => {
    const c = compare(
      run({ p99: BASE_P99, rps: [100, 102, 98, 101, 99, 100] }),
      run({ p99: BASE_P99, rps: [70, 72, 69, 71, 70, 68] }),
    );
    const rps = row(c, 'throughput_rps');
    expect(rps).toMatchObject({
      limit: 0.9,
      beyond_limit: true,
      significant: true,
      regressed: true,
    });
    expect(rps.change_ratio).toBeCloseTo(-0.3, 6);
  });

  it('calls an error rate up by 5 points in every interval a regression, in points not percent', () => {
    const c = compare(
      run({ p99: BASE_P99 }),
      run({ p99: BASE_P99, errorRate: [0.05, 0.06, 0.05, 0.04, 0.05, 0.06] }),
    );
    const errors = row(c, 'error_rate');
    expect(errors).toMatchObject({ base: 0, limit: 0.01, change_ratio: null, regressed: true });
    expect(errors.delta).toBeCloseTo(0.05, 6);
  });

  it('finds two runs with the same samples in another order no regression (p = 1 at equality)', () => {
    const c = compare(run({ p99: BASE_P99 }), run({ p99: [...BASE_P99].reverse() }));
    expect(c.regressed).toBe(false);
    expect(c.rows.every((r) => !r.regressed)).toBe(true);
    expect(row(c, 'error_rate').p_value).toBe(1);
  });

  it('lists the steps only one run measured, warns, and compares only the shared ones', () => {
    const base = run({ p99: BASE_P99 });
    const head = run({ p99: BASE_P99 });
    head.per_tool = { add: head.per_tool.add!, multiply: head.per_tool.divide! };
    const c = compare(base, head);
    expect(c.only_in_base).toEqual(['divide', 'calc://constants', 'explain']);
    expect(c.only_in_head).toEqual(['multiply']);
    expect([...new Set(c.rows.map((r) => r.scope))]).toEqual([null, 'add']);
    expect(c.warnings).toContain(
      'the runs measured different steps, compared only the shared ones (only in base.json: divide, calc://constants, explain; only in head.json: multiply)',
    );
  });

  it('warns when the runs have too few samples for any change to be significant', () => {
    const c = compare(run({ p99: [10, 11] }), run({ p99: [30, 33] }));
    expect(c.samples).toEqual({ base: 2, head: 2 });
    expect(c.regressed).toBe(false);
    expect(
      c.warnings.some((w) => w.startsWith('too few timeline samples (base.json 2, head.json 2)')),
    ).toBe(true);
  });

  it('drops the last, partial interval from the samples', () => {
    const head = run({ p99: BASE_P99.map((v) => v * 3) });
    head.timeline.push({ ...head.timeline[0]!, interval_secs: 0.3, p99_ms: 1 });
    expect(compare(run({ p99: BASE_P99 }), head).samples.head).toBe(5);
  });

  it('keeps the other intervals when one was stretched by a stall', () => {
    const head = run({ p99: BASE_P99 });
    head.timeline[2] = { ...head.timeline[2]!, interval_secs: 6.5 };
    expect(compare(run({ p99: BASE_P99 }), head).samples.head).toBe(5);
  });

  it('leaves the first (warm-up) interval out when at least 3 others remain', () => {
    const stalledStart = [400, ...BASE_P99.slice(1)];
    const c = compare(run({ p99: stalledStart }), run({ p99: BASE_P99.map((v) => v * 3) }));
    expect(c.samples).toEqual({ base: 5, head: 5 });
    expect(row(c, 'p99_ms').p_value).toBeCloseTo(1 / 252, 6);
    const short = compare(run({ p99: [10, 11, 12] }), run({ p99: [30, 33, 36] }));
    expect(short.samples).toEqual({ base: 3, head: 3 });
  });

  it('warns when the runs used a different number of VUs', () => {
    const head = run({ p99: BASE_P99 });
    head.config.virtual_users = 20;
    expect(compare(run({ p99: BASE_P99 }), head).warnings).toContain(
      'the runs used different load (base.json: 10 VUs; head.json: 20 VUs), so their figures differ for that reason too',
    );
  });

  it('refuses a baseline that measured nothing, naming it (exit 2)', () => {
    const empty = zeroRequestReport({ stop_reason: 'no_session' });
    let error: unknown;
    try {
      compare(empty, run({ p99: BASE_P99 }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LoadtestError);
    expect((error as LoadtestError).exitCode).toBe(2);
    expect((error as LoadtestError).message).toBe(
      'base.json measured no request (stop_reason no_session), so there is nothing to compare; accepted: a report of a run that sent requests',
    );
  });

  it('produces a comparison the report schema accepts', () => {
    const head = run({ p99: BASE_P99.map((v) => v * 3) });
    head.comparison = compare(run({ p99: BASE_P99 }), head);
    expect(validateReport(head)).toEqual({ valid: true });
  });
});

describe('comparisonGate', () => {
  const thresholds = {
    failOnBreakingPoint: false,
    maxP99Regression: 0.3,
    minThroughputRatio: 0.7,
    tools: { add: { maxP99Regression: 0.5 } },
  };

  it('uses the defaults when nothing is set', () => {
    expect(comparisonGate(undefined, undefined).overall).toEqual({
      maxP99Regression: 0.15,
      maxErrorRateIncrease: 0.01,
      minThroughputRatio: 0.9,
    });
  });

  it('takes [thresholds] over the defaults, and a step inherits the overall limits', () => {
    const gate = comparisonGate(thresholds, undefined);
    expect(gate.overall).toEqual({
      maxP99Regression: 0.3,
      maxErrorRateIncrease: 0.01,
      minThroughputRatio: 0.7,
    });
    expect(gate.forStep('divide')).toEqual(gate.overall);
  });

  it('lets --max-regression R replace the overall p99 limit and set the throughput floor to 1/(1+R)', () => {
    const gate = comparisonGate(thresholds, 0.25);
    expect(gate.overall.maxP99Regression).toBe(0.25);
    expect(gate.overall.minThroughputRatio).toBe(0.8);
    expect(gate.overall.maxErrorRateIncrease).toBe(0.01);
  });

  it("keeps a step's own limit over --max-regression", () => {
    const gate = comparisonGate(thresholds, 0.25);
    expect(gate.forStep('add').maxP99Regression).toBe(0.5);
    expect(gate.forStep('add').minThroughputRatio).toBe(0.8);
  });

  it('treats a step named __proto__ as data', () => {
    expect(comparisonGate(thresholds, undefined).forStep('__proto__')).toEqual(
      comparisonGate(thresholds, undefined).overall,
    );
  });
});

describe('compareRuns per step', () => {
  const NOISY = [10.4, 9.6, 10.9, 9.7, 10.2, 10.0];

  it("tests each step on its own samples: one tool 3× slower regresses alone, the run's unchanged p99 does not", () => {
    const base = run({ p99: BASE_P99, toolP99: { add: NOISY } });
    const head = run({ p99: BASE_P99, toolP99: { add: NOISY.map((v) => v * 3) } });
    const c = compare(base, head);
    expect(row(c, 'p99_ms', 'add')).toMatchObject({ regressed: true, significant: true });
    expect(row(c, 'p99_ms', 'add').p_value).toBeCloseTo(1 / 252, 6);
    expect(row(c, 'p99_ms').regressed).toBe(false);
    expect(row(c, 'p99_ms', 'divide').regressed).toBe(false);
    expect(c.warnings.filter((w) => w.includes('per-tool timeline'))).toEqual([]);
  });

  it("does not call a step's change significant from the whole run's samples when its own do not move", () => {
    // The run as a whole is 3× slower in every interval, but `add` is the same in both runs: its
    // figure is set beyond the limit, and only its own samples can say that is noise.
    const base = run({ p99: BASE_P99, toolP99: { add: NOISY } });
    const head = run({ p99: BASE_P99.map((v) => v * 3), toolP99: { add: [...NOISY].reverse() } });
    head.per_tool.add!.latency = { ...head.per_tool.add!.latency, p99_ms: 20 };
    const c = compare(base, head);
    expect(row(c, 'p99_ms').regressed).toBe(true);
    expect(row(c, 'p99_ms', 'add')).toMatchObject({ beyond_limit: true, significant: false });
    expect(row(c, 'p99_ms', 'add').regressed).toBe(false);
  });

  it("falls back to the whole run's samples for each step, with a warning, when a report has no per-tool timeline", () => {
    const base = run({ p99: BASE_P99 });
    const head = run({ p99: BASE_P99.map((v) => v * 3), toolP99: {} });
    const c = compare(base, head);
    expect(row(c, 'p99_ms', 'add').p_value).toBe(row(c, 'p99_ms').p_value);
    expect(c.warnings).toContain(
      "each step was tested on the whole run's samples: base.json or head.json has no per-tool timeline (written by an older version, or merged from shards)",
    );
  });

  it('validates a report whose timeline carries per-tool samples', () => {
    const report = run({ p99: BASE_P99, toolP99: { add: NOISY } });
    expect(report.timeline[0]!.per_tool!.add).toMatchObject({ requests: 50, errors: 0 });
    expect(validateReport(report)).toEqual({ valid: true });
  });
});
