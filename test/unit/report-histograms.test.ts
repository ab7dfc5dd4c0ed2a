import { describe, expect, it } from 'vitest';
import { corrected } from '../../src/metrics/histogram.js';
import { latencyStats } from '../../src/metrics/latency-stats.js';
import { decodeHistogram } from '../../src/metrics/histogram-codec.js';
import { buildReport } from '../../src/report/build-report.js';
import { validateReport } from '../../src/report/validate-report.js';
import { syntheticConfig, syntheticResult } from '../helpers/synthetic-run.js';

function report() {
  const config = syntheticConfig(3, 4, 20);
  const result = syntheticResult(
    { tools: 3, durationSecs: 20, requestsPerSec: 200, vus: 4, seed: 3, startedAt: new Date(0) },
    config,
  );
  return buildReport({
    result,
    config,
    url: 'http://127.0.0.1:1/mcp',
    iterations: null,
    seed: 3,
    headerNames: [],
  });
}

describe('report histograms', () => {
  it('a report carrying its histograms validates against the schema', () => {
    expect(validateReport(report()).valid).toBe(true);
  });

  it('the uncorrected histogram decodes to metrics.latency_uncorrected (min/max to 3 figures)', () => {
    const r = report();
    const decoded = latencyStats(decodeHistogram(r.histograms!.latency_uncorrected));
    const { min_ms, max_ms, ...rest } = r.metrics.latency_uncorrected;
    // The encoding keeps buckets, not the exact extremes: min and max come back as their bucket's
    // bounds, within the histogram's 3 significant figures.
    expect({ ...decoded, min_ms, max_ms }).toEqual({ ...rest, min_ms, max_ms });
    expect(Math.abs(decoded.max_ms - max_ms)).toBeLessThanOrEqual(max_ms / 1000);
    expect(Math.abs(decoded.min_ms - min_ms)).toBeLessThanOrEqual(min_ms / 1000);
  });

  it('closed model: the raw histogram corrected at correction_interval_us gives metrics.latency', () => {
    const r = report();
    const h = r.histograms!;
    expect(h.correction_interval_us).toBe(100_000);
    const stats = latencyStats(corrected(decodeHistogram(h.latency), h.correction_interval_us!));
    expect(stats.count).toBe(r.metrics.latency.count);
    expect(stats.p50_ms).toBe(r.metrics.latency.p50_ms);
    expect(stats.p99_ms).toBe(r.metrics.latency.p99_ms);
    expect(stats.p999_ms).toBe(r.metrics.latency.p999_ms);
  });

  it('per-tool histograms are keyed like per_tool, in a null-prototype object', () => {
    const h = report().histograms!;
    expect(Object.getPrototypeOf(h.per_tool)).toBeNull();
    expect(Object.keys(h.per_tool)).toEqual(['tool-1', 'tool-2', 'tool-3']);
  });

  it('one histogram per timeline sample, decoding to its p99', () => {
    const r = report();
    expect(r.histograms!.timeline).toHaveLength(r.timeline.length);
    r.timeline.forEach((sample, i) => {
      const stats = latencyStats(decodeHistogram(r.histograms!.timeline[i]!));
      expect(stats.p99_ms).toBe(sample.p99_ms);
      expect(stats.count).toBe(sample.requests);
    });
  });
});
