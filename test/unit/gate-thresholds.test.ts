import { describe, expect, it } from 'vitest';
import type { ThresholdLimits, Thresholds } from '../../src/config/types.js';
import { mergeThresholds, withThresholds } from '../../src/gate/thresholds.js';
import type { Report, ThresholdResult } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import {
  sampleErrorReport,
  sampleReport,
  zeroRequestReport,
} from '../fixtures/reports/sample-report.js';

const thresholds = (set: Partial<Thresholds> = {}): Thresholds => ({
  failOnBreakingPoint: false,
  tools: {},
  ...set,
});

/** Gates `report` and keeps the results on it, so a test reads them and thresholds_passed. */
function evaluate(report: Report, set: Partial<Thresholds>): ThresholdResult[] {
  const { thresholds: results, thresholds_passed } = withThresholds(report, thresholds(set));
  Object.assign(report, { thresholds: results, thresholds_passed });
  return results;
}

/** Overall figures of sampleReport(): corrected p50/p95/p99, error rate and throughput. */
const OBSERVED = {
  p50Ms: 0.271,
  p95Ms: 0.752,
  p99Ms: 1.074,
  errorRate: 0.000825,
  minThroughputRps: 80.767,
} as const;

describe('withThresholds', () => {
  it('evaluates nothing and passes when no threshold is set', () => {
    const report = sampleReport();
    expect(evaluate(report, {})).toEqual([]);
    expect(report.thresholds_passed).toBe(true);
  });

  it('reads the fixture figures this file assumes', () => {
    const { metrics } = sampleReport();
    expect([
      metrics.latency.p50_ms,
      metrics.latency.p95_ms,
      metrics.latency.p99_ms,
      metrics.error_rate,
      metrics.throughput_rps,
    ]).toEqual(Object.values(OBSERVED));
  });

  it.each([
    ['p50_ms', 'p50Ms'],
    ['p95_ms', 'p95Ms'],
    ['p99_ms', 'p99Ms'],
    ['error_rate', 'errorRate'],
  ] as const)('%s passes at exactly the limit and fails just below it', (metric, field) => {
    const observed = OBSERVED[field];
    const atLimit = sampleReport();
    expect(evaluate(atLimit, { [field]: observed })).toEqual([
      { metric, scope: null, limit: observed, observed, passed: true },
    ]);
    expect(atLimit.thresholds_passed).toBe(true);

    const below = sampleReport();
    const limit = observed - 0.000001;
    expect(evaluate(below, { [field]: limit })).toEqual([
      { metric, scope: null, limit, observed, passed: false },
    ]);
    expect(below.thresholds_passed).toBe(false);
  });

  it('min_throughput_rps passes at exactly the limit and fails just above it', () => {
    const observed = OBSERVED.minThroughputRps;
    const metric = 'min_throughput_rps';
    expect(evaluate(sampleReport(), { minThroughputRps: observed })).toEqual([
      { metric, scope: null, limit: observed, observed, passed: true },
    ]);
    const report = sampleReport();
    expect(evaluate(report, { minThroughputRps: observed + 0.001 })).toEqual([
      { metric, scope: null, limit: observed + 0.001, observed, passed: false },
    ]);
    expect(report.thresholds_passed).toBe(false);
  });

  it('compares the coordinated-omission corrected latency, not the uncorrected one', () => {
    const report = sampleReport();
    report.metrics.latency_uncorrected.p99_ms = 0.5;
    const [result] = evaluate(report, { p99Ms: 1 });
    expect(result).toMatchObject({ observed: 1.074, passed: false });
  });

  it('fails the breaking_point gate when a breaking point was detected', () => {
    const report = sampleErrorReport();
    expect(evaluate(report, { failOnBreakingPoint: true })).toEqual([
      { metric: 'breaking_point', scope: null, limit: 0, observed: 1, passed: false },
    ]);
    expect(report.thresholds_passed).toBe(false);
  });

  it('passes the breaking_point gate when none was detected', () => {
    expect(evaluate(sampleReport(), { failOnBreakingPoint: true })).toEqual([
      { metric: 'breaking_point', scope: null, limit: 0, observed: 0, passed: true },
    ]);
  });

  it('ignores a detected breaking point unless fail_on_breaking_point is set', () => {
    const report = sampleErrorReport();
    expect(evaluate(report, { p99Ms: 10_000 })).toHaveLength(1);
    expect(report.thresholds_passed).toBe(true);
  });

  it('scopes a per-tool threshold to its tool only', () => {
    const report = sampleReport();
    // divide: 3 errors in 1212 requests (0.2475%); add, constants and explain have fewer.
    const results = evaluate(report, { tools: { divide: { errorRate: 0.001 } } });
    expect(results).toEqual([
      { metric: 'error_rate', scope: 'divide', limit: 0.001, observed: 0.002475, passed: false },
    ]);
    expect(report.thresholds_passed).toBe(false);
  });

  it('reads per-tool latency, error rate and throughput from that tool', () => {
    const limits: ThresholdLimits = {
      p50Ms: 0.287,
      p95Ms: 0.774,
      p99Ms: 1.068,
      errorRate: 0,
      minThroughputRps: 32.3,
    };
    const results = evaluate(sampleReport(), { tools: { add: limits } });
    expect(results.map((r) => [r.metric, r.scope, r.observed, r.passed])).toEqual([
      ['p50_ms', 'add', 0.287, true],
      ['p95_ms', 'add', 0.774, true],
      ['p99_ms', 'add', 1.068, true],
      ['error_rate', 'add', 0, true],
      ['min_throughput_rps', 'add', 32.3, true],
    ]);
  });

  it('lists overall thresholds first, then the breaking point, then tools in per_tool order', () => {
    const results = evaluate(sampleReport(), {
      p99Ms: 5,
      errorRate: 0.5,
      failOnBreakingPoint: true,
      tools: { explain: { p99Ms: 5 }, add: { p50Ms: 5 }, 'calc://constants': { errorRate: 0 } },
    });
    expect(results.map((r) => `${r.metric}@${r.scope ?? 'overall'}`)).toEqual([
      'p99_ms@overall',
      'error_rate@overall',
      'breaking_point@overall',
      'p50_ms@add',
      'error_rate@calc://constants',
      'p99_ms@explain',
    ]);
  });

  it('fails a latency threshold with null observed when nothing succeeded', () => {
    const report = zeroRequestReport();
    expect(evaluate(report, { p50Ms: 1000, p99Ms: 1000 })).toEqual([
      { metric: 'p50_ms', scope: null, limit: 1000, observed: null, passed: false },
      { metric: 'p99_ms', scope: null, limit: 1000, observed: null, passed: false },
    ]);
    expect(report.thresholds_passed).toBe(false);
  });

  it('fails a per-tool latency threshold with null observed when every request of it failed', () => {
    const report = sampleReport();
    const add = report.per_tool.add!;
    report.per_tool.add = {
      ...add,
      success_count: 0,
      error_count: add.total_requests,
      error_rate: 1,
      latency: { ...add.latency, count: 0 },
    };
    expect(evaluate(report, { tools: { add: { p99Ms: 1000, errorRate: 1 } } })).toEqual([
      { metric: 'p99_ms', scope: 'add', limit: 1000, observed: null, passed: false },
      { metric: 'error_rate', scope: 'add', limit: 1, observed: 1, passed: true },
    ]);
  });

  it('fails an error_rate threshold with null observed when no request was made', () => {
    expect(evaluate(zeroRequestReport(), { errorRate: 1 })).toEqual([
      { metric: 'error_rate', scope: null, limit: 1, observed: null, passed: false },
    ]);
  });

  it('fails a throughput floor over a run with no requests at the measured 0', () => {
    expect(evaluate(zeroRequestReport(), { minThroughputRps: 1 })).toEqual([
      { metric: 'min_throughput_rps', scope: null, limit: 1, observed: 0, passed: false },
    ]);
  });

  it('fails every limit of a scope absent from per_tool with null observed, after the others', () => {
    const report = sampleReport();
    const results = evaluate(report, {
      tools: { ghost: { p99Ms: 1000, errorRate: 1, minThroughputRps: 0.1 }, add: { p99Ms: 1000 } },
    });
    expect(results).toEqual([
      { metric: 'p99_ms', scope: 'add', limit: 1000, observed: 1.068, passed: true },
      { metric: 'p99_ms', scope: 'ghost', limit: 1000, observed: null, passed: false },
      { metric: 'error_rate', scope: 'ghost', limit: 1, observed: null, passed: false },
      { metric: 'min_throughput_rps', scope: 'ghost', limit: 0.1, observed: null, passed: false },
    ]);
    expect(report.thresholds_passed).toBe(false);
  });

  it('evaluates an interrupted run on what it measured', () => {
    const report = sampleErrorReport();
    expect(report.completed).toBe(false);
    const [result] = evaluate(report, { p99Ms: 50 });
    expect(result).toMatchObject({ observed: 44.2, passed: true });
    expect(report.thresholds_passed).toBe(true);
  });

  it('replaces the results of an earlier evaluation', () => {
    const report = sampleReport();
    evaluate(report, { p99Ms: 0.001 });
    expect(evaluate(report, { p50Ms: 10 })).toHaveLength(1);
    expect(report.thresholds_passed).toBe(true);
  });

  it('leaves the report valid against the report schema, passed or failed', () => {
    const report = sampleReport();
    evaluate(report, {
      p99Ms: 0.5,
      failOnBreakingPoint: true,
      tools: { add: { errorRate: 0 }, ghost: { p50Ms: 1 } },
    });
    expect(report.thresholds_passed).toBe(false);
    expect(validateReport(report)).toEqual({ valid: true });
  });
});

describe('mergeThresholds', () => {
  const config = Object.freeze(
    thresholds({
      p50Ms: 100,
      p99Ms: 500,
      errorRate: 0.05,
      failOnBreakingPoint: true,
      tools: Object.freeze({ add: Object.freeze({ p99Ms: 50 }) }),
    }),
  );

  it('lets each override replace the overall limit of the config', () => {
    expect(mergeThresholds(config, { p99Ms: 200, errorRate: 0.01 })).toEqual({
      p50Ms: 100,
      p99Ms: 200,
      errorRate: 0.01,
      failOnBreakingPoint: true,
      tools: { add: { p99Ms: 50 } },
    });
  });

  it('adds limits the config does not set', () => {
    expect(mergeThresholds(thresholds(), { p95Ms: 300, minThroughputRps: 10 })).toEqual(
      thresholds({ p95Ms: 300, minThroughputRps: 10 }),
    );
  });

  it('keeps the config when no override is given', () => {
    expect(mergeThresholds(config, {})).toEqual(config);
  });

  it('lets fail_on_breaking_point be turned on and off', () => {
    expect(mergeThresholds(thresholds(), { failOnBreakingPoint: true }).failOnBreakingPoint).toBe(
      true,
    );
    expect(mergeThresholds(config, { failOnBreakingPoint: false }).failOnBreakingPoint).toBe(false);
  });

  it('never changes the per-tool limits or the config itself', () => {
    const merged = mergeThresholds(config, { p99Ms: 1 });
    expect(merged.tools).toEqual({ add: { p99Ms: 50 } });
    expect(config.p99Ms).toBe(500);
  });

  it('gates on the merged limit: an override loosens a config limit that would fail', () => {
    const report = withThresholds(
      sampleReport(),
      mergeThresholds(thresholds({ p99Ms: 0.5 }), { p99Ms: 2 }),
    );
    expect(report.thresholds).toEqual([
      { metric: 'p99_ms', scope: null, limit: 2, observed: 1.074, passed: true },
    ]);
  });
});
