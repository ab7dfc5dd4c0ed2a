/**
 * The gate judges a run on figures computed from its metrics (gate/run-figures.ts), before a
 * report exists; `merge` judges reports (reportFigures). Both must give the same verdict on the
 * same run, and a threshold's `observed` must be the figure the report states.
 */
import { describe, expect, it } from 'vitest';
import type { Thresholds } from '../../src/config/types.js';
import { perToolNames, runFigures } from '../../src/gate/run-figures.js';
import { evaluateThresholds, reportFigures } from '../../src/gate/thresholds.js';
import { buildReport, type ReportInput } from '../../src/report/build-report.js';
import type { Report } from '../../src/report/types.js';
import { syntheticConfig, syntheticResult } from '../helpers/synthetic-run.js';

/** Every metric overall and on every step, limits chosen so some pass and some fail. */
const EVERY_LIMIT: Thresholds = {
  p50Ms: 8,
  p95Ms: 20,
  p99Ms: 500,
  errorRate: 0.05,
  minThroughputRps: 150,
  failOnBreakingPoint: true,
  tools: {
    'tool-1': { p50Ms: 8, p95Ms: 20, p99Ms: 500, errorRate: 0.05, minThroughputRps: 60 },
    'tool-2': { p99Ms: 1, errorRate: 0.2, minThroughputRps: 80 },
    ghost: { p99Ms: 100 },
  },
};

function run(errorRatio: number) {
  const config = syntheticConfig(3, 4, 20);
  const spec = { tools: 3, durationSecs: 20, requestsPerSec: 200, vus: 4, seed: 7, errorRatio };
  const result = syntheticResult({ ...spec, startedAt: new Date(0) }, config);
  const report = (gate: Pick<ReportInput, 'figures' | 'thresholds'> = {}): Report =>
    buildReport({
      result,
      config,
      url: 'http://127.0.0.1:1/mcp',
      iterations: null,
      seed: 7,
      headerNames: [],
      ...gate,
    });
  return { config, result, report };
}

describe('gate figures from a run', () => {
  it.each([0, 0.1])(
    'give the same threshold results as the figures of its report (error ratio %s)',
    (errorRatio) => {
      const { config, result, report } = run(errorRatio);
      const figures = runFigures(result, config.settings.expectedIntervalMs);
      const fromRun = evaluateThresholds(figures, EVERY_LIMIT);
      const fromReport = evaluateThresholds(reportFigures(report()), EVERY_LIMIT);
      expect(fromRun).toEqual(fromReport);
      expect(fromRun.some((r) => r.passed)).toBe(true);
      expect(fromRun.some((r) => !r.passed)).toBe(true);
    },
  );

  it('observe the p99 and the gate error rate the report states', () => {
    const { config, result, report: reportOf } = run(0.1);
    const figures = runFigures(result, config.settings.expectedIntervalMs);
    const report = reportOf({
      figures,
      thresholds: evaluateThresholds(figures, {
        p99Ms: 1,
        errorRate: 0,
        failOnBreakingPoint: false,
        tools: {},
      }),
    });
    expect(report.thresholds.map((t) => t.observed)).toEqual([
      report.metrics.latency.p99_ms,
      report.metrics.gate_error_rate,
    ]);
    expect(report.thresholds_passed).toBe(false);
  });

  it('key a step by its name, and by operation and name when an earlier step took the name', () => {
    expect(
      perToolNames([
        { name: 'x', operation: 'tools/call' },
        { name: 'x', operation: 'prompts/get' },
        { name: 'y', operation: 'resources/read' },
      ]),
    ).toEqual(['x', 'prompts/get x', 'y']);
  });
});
