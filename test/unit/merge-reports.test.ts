import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/engine/load-run.js';
import { corrected, merged } from '../../src/metrics/histogram.js';
import { latencyStats } from '../../src/report/latency-stats.js';
import { decodeHistogram } from '../../src/metrics/histogram-codec.js';
import { mergeReports } from '../../src/merge/merge-reports.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { allSuccesses, syntheticConfig, syntheticResult } from '../helpers/synthetic-run.js';

const START = Date.parse('2026-11-30T18:00:00Z');
const config = syntheticConfig(4, 6, 30);

interface Shard {
  result: RunResult;
  report: Report;
}

/** Shard i of 3: its own seed, started `offsetMs` after the others. */
function shard(index: number, count = 3, offsetMs = 0, errorRatio = 0): Shard {
  const result = syntheticResult(
    {
      tools: 4,
      durationSecs: 30,
      requestsPerSec: 100 + 20 * index,
      vus: 2,
      seed: index,
      startedAt: new Date(START + offsetMs),
      errorRatio,
    },
    config,
  );
  const report = buildReport({
    result,
    config,
    url: 'http://127.0.0.1:1/mcp',
    iterations: null,
    seed: 0,
    headerNames: [],
    shard: { info: { index, count }, fullPlan: { ...result.plan, vus: 6 } },
  });
  return { result, report };
}

const sources = (shards: Shard[]) =>
  shards.map((s, i) => ({ source: `shard-${i + 1}.json`, report: s.report }));

describe('merge of shard reports', () => {
  const shards = [shard(1), shard(2, 3, 400), shard(3, 3, 150)];
  const report = mergeReports(sources(shards), null);

  it('the merged report validates against the schema', () => {
    expect(validateReport(report)).toEqual({ valid: true });
  });

  it('request counts add up exactly', () => {
    const expected = shards.reduce((n, s) => n + s.report.metrics.total_requests, 0);
    expect(report.metrics.total_requests).toBe(expected);
    expect(report.metrics.success_count + report.metrics.error_count).toBe(expected);
  });

  it('per-tool totals add up to the shards’ and to the total', () => {
    for (const name of Object.keys(report.per_tool)) {
      const expected = shards.reduce((n, s) => n + s.report.per_tool[name]!.total_requests, 0);
      expect(report.per_tool[name]!.total_requests).toBe(expected);
    }
    const perToolSum = Object.values(report.per_tool).reduce((n, t) => n + t.total_requests, 0);
    expect(perToolSum).toBe(report.metrics.total_requests);
  });

  it('merged percentiles equal those of the added histograms (corrected after adding)', () => {
    const sum = merged(shards.map((s) => allSuccesses(s.result)));
    expect(report.metrics.latency_uncorrected.p99_ms).toBe(latencyStats(sum).p99_ms);
    expect(report.metrics.latency_uncorrected.p50_ms).toBe(latencyStats(sum).p50_ms);
    const fixed = latencyStats(corrected(sum, 100_000));
    expect(report.metrics.latency.p50_ms).toBe(fixed.p50_ms);
    expect(report.metrics.latency.p99_ms).toBe(fixed.p99_ms);
    expect(report.metrics.latency.p999_ms).toBe(fixed.p999_ms);
    expect(report.metrics.latency.count).toBe(fixed.count);
  });

  it('per-tool percentiles equal those of the added per-tool histograms', () => {
    const sum = merged(shards.map((s) => s.result.metrics.keySuccess[2]!));
    expect(report.per_tool['tool-3']!.latency_uncorrected.p95_ms).toBe(latencyStats(sum).p95_ms);
  });

  it('the merged histograms re-encode the sums', () => {
    const sum = merged(shards.map((s) => allSuccesses(s.result)));
    expect(decodeHistogram(report.histograms!.latency).totalCount).toBe(sum.totalCount);
  });

  it('timelines align on wall-clock time: one sample per 2 s slot, requests added', () => {
    expect(report.timeline).toHaveLength(15);
    report.timeline.forEach((sample, i) => {
      const expected = shards.reduce((n, s) => n + s.report.timeline[i]!.requests, 0);
      expect(sample.requests).toBe(expected);
      expect(sample.active_vus).toBe(6);
    });
    expect(report.histograms!.timeline).toHaveLength(15);
  });

  it('the merged run spans from the first start to the last end', () => {
    expect(report.started_at).toBe('2026-11-30T18:00:00.000Z');
    expect(report.duration_secs).toBe(30.4);
    expect(report.merged_shards).toBe(3);
    expect(report.shard).toBeUndefined();
  });

  it('a shard’s baseline comparison (of its part only) is not carried into the merge', () => {
    const compared = shards.map((s) => ({
      source: 'x',
      report: { ...s.report, comparison: {} as NonNullable<Report['comparison']> },
    }));
    compared.forEach((c, i) => (c.source = `c${i}`));
    expect(mergeReports(compared, null).comparison).toBeUndefined();
  });

  it('thresholds the shards ran with are evaluated again on the merged figures', () => {
    const gated = shards.map((s) => ({
      ...s.report,
      thresholds: [
        { metric: 'p99_ms' as const, scope: null, limit: 1, observed: 0.5, passed: true },
      ],
    }));
    const out = mergeReports(
      gated.map((r, i) => ({ source: `s${i}`, report: r })),
      null,
    );
    expect(out.thresholds).toEqual([
      {
        metric: 'p99_ms',
        scope: null,
        limit: 1,
        observed: report.metrics.latency.p99_ms,
        passed: false,
      },
    ]);
    expect(out.thresholds_passed).toBe(false);
  });
});

describe('merge with hostile tool names', () => {
  it('notification counts add and their times combine by count', () => {
    const parts = [shard(1), shard(2)];
    const tool = Object.keys(parts[0]!.report.per_tool)[0]!;
    parts[0]!.report.per_tool[tool]!.notifications = {
      progress: 6,
      logging: 1,
      first_byte: { count: 2, min_ms: 1, mean_ms: 2, max_ms: 3 },
      first_progress: { count: 2, min_ms: 10, mean_ms: 20, max_ms: 30 },
    };
    parts[1]!.report.per_tool[tool]!.notifications = {
      progress: 3,
      logging: 0,
      first_byte: { count: 1, min_ms: 5, mean_ms: 5, max_ms: 5 },
      first_progress: { count: 1, min_ms: 8, mean_ms: 8, max_ms: 8 },
    };
    const m = mergeReports(sources([...parts, shard(3)]), null);
    expect(validateReport(m)).toEqual({ valid: true });
    expect(m.per_tool[tool]!.notifications).toEqual({
      progress: 9,
      logging: 1,
      first_byte: { count: 3, min_ms: 1, mean_ms: 3, max_ms: 5 },
      first_progress: { count: 3, min_ms: 8, mean_ms: 16, max_ms: 30 },
    });
    const other = Object.keys(m.per_tool).find((k) => k !== tool)!;
    expect(m.per_tool[other]!.notifications).toBeUndefined();
  });

  it('per-tool names such as __proto__ and constructor merge as plain keys', () => {
    const renamed = [shard(1), shard(2), shard(3)].map((s, i) => ({
      source: `s${i}`,
      report: JSON.parse(
        JSON.stringify(s.report)
          .replaceAll('"tool-1"', '"__proto__"')
          .replaceAll('"tool-2"', '"constructor"'),
      ) as Report,
    }));
    const out = mergeReports(renamed, null);
    const expected = renamed.reduce(
      (n, r) =>
        n +
        (
          Object.getOwnPropertyDescriptor(r.report.per_tool, '__proto__')!.value as {
            total_requests: number;
          }
        ).total_requests,
      0,
    );
    expect(Object.getOwnPropertyDescriptor(out.per_tool, '__proto__')!.value.total_requests).toBe(
      expected,
    );
    expect(Object.keys(out.per_tool)).toEqual(['__proto__', 'constructor', 'tool-3', 'tool-4']);
    const reparsed = JSON.parse(JSON.stringify(out)) as Report;
    expect(validateReport(reparsed)).toEqual({ valid: true });
  });
});

describe('merge refuses what is not one load', () => {
  const [a, b, c] = [shard(1), shard(2), shard(3)];

  it('a missing shard', () => {
    expect(() => mergeReports(sources([a!, b!]), null)).toThrow(
      "merge: shard 3 of 3 missing: a merge needs every shard's report (got 2)",
    );
  });

  it('the same shard twice', () => {
    expect(() => mergeReports(sources([a!, b!, b!]), null)).toThrow(
      'merge: shard-2.json and shard-3.json are both shard 2/3',
    );
  });

  it('shards of different configs', () => {
    const other = { ...c!.report, config: { ...c!.report.config, timeout_ms: 1234 } };
    expect(() =>
      mergeReports([...sources([a!, b!]), { source: 'other.json', report: other }], null),
    ).toThrow(
      'merge: other.json and shard-1.json differ in config.timeout_ms: they are not shards of one load',
    );
  });

  it('shards of different versions', () => {
    const other = { ...c!.report, tool: { name: 'mcp-loadtest' as const, version: '9.9.9' } };
    expect(() =>
      mergeReports([...sources([a!, b!]), { source: 'other.json', report: other }], null),
    ).toThrow(
      `merge: other.json was written by mcp-loadtest 9.9.9, shard-1.json by ${a!.report.tool.version}; merge shards of one version`,
    );
  });

  it('a report that is not a shard', () => {
    const { shard: _s, ...plain } = c!.report;
    expect(() =>
      mergeReports([...sources([a!, b!]), { source: 'plain.json', report: plain }], null),
    ).toThrow(
      'merge: plain.json is not a shard report (no "shard" field); run each part with --shard I/N',
    );
  });

  it('a histogram that does not decode', () => {
    const bad = {
      ...c!.report,
      histograms: { ...c!.report.histograms!, latency: 'AAAA' },
    };
    expect(() =>
      mergeReports([...sources([a!, b!]), { source: 'bad.json', report: bad }], null),
    ).toThrow(/^merge: bad\.json: histograms\.latency is not an encoded histogram/);
  });
});
