import { describe, expect, it } from 'vitest';
import {
  merged as mergedHistograms,
  newHistogram,
  type Histogram,
} from '../../src/metrics/histogram.js';
import { latencyStats } from '../../src/metrics/latency-stats.js';
import { detectBreakingPoint, mergeTimelines } from '../../src/merge/merge-timeline.js';
import { ERROR_KINDS } from '../../src/protocol/outcome.js';
import type { ErrorCounts, TimelineSample } from '../../src/report/types.js';

const T0 = Date.parse('2026-11-30T18:00:00Z');

function sample(i: number, requests: number, timeouts: number, vus: number): TimelineSample {
  const errors = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as ErrorCounts;
  errors.timeout = timeouts;
  return {
    elapsed_secs: 2 * (i + 1),
    interval_secs: 2,
    active_vus: vus,
    target_vus: vus,
    stage: null,
    requests,
    errors,
    error_rate: timeouts / requests,
    throughput_rps: requests / 2,
    p50_ms: 0,
    p95_ms: 0,
    p99_ms: 0,
    target_rate: null,
    achieved_rate: null,
    dropped_iterations: 0,
  };
}

/** `n` successes of `ms` each. */
function hist(n: number, ms: number): Histogram {
  const h = newHistogram();
  h.recordValueWithCount(ms * 1000, n);
  return h;
}

/** Ten samples: `requests` each, and `spike` timeouts in each of the last five. */
function shard(startMs: number, requests: number, spike: number, vus: number) {
  const samples = Array.from({ length: 10 }, (_, i) => sample(i, requests, i < 5 ? 0 : spike, vus));
  return {
    startedAtMs: startMs,
    samples,
    histograms: samples.map((s) => hist(s.requests - s.errors.timeout, 5)),
  };
}

describe('merged timeline', () => {
  it('samples of shards started 0.4 s apart share a slot: counts and VUs add', () => {
    const merged = mergeTimelines([shard(T0, 100, 0, 2), shard(T0 + 400, 50, 0, 3)]);
    expect(merged).toHaveLength(10);
    expect(merged.map((m) => m.sample.requests)).toEqual(Array(10).fill(150));
    expect(merged.map((m) => m.sample.active_vus)).toEqual(Array(10).fill(5));
    expect(merged[0]!.sample.elapsed_secs).toBe(2.4);
    expect(merged[0]!.histogram.totalCount).toBe(150);
  });

  it('percentiles of a merged sample come from the added histograms', () => {
    const a = shard(T0, 100, 0, 1);
    const b = shard(T0, 100, 0, 1);
    b.histograms = b.samples.map(() => hist(100, 50));
    const merged = mergeTimelines([a, b]);
    const expected = latencyStats(mergedHistograms([hist(100, 5), hist(100, 50)]));
    expect(merged[0]!.sample.p50_ms).toBe(expected.p50_ms);
    expect(merged[0]!.sample.p99_ms).toBe(expected.p99_ms);
    // Not an average of the shards' p99 (5 ms and 50 ms).
    expect(expected.p99_ms).toBeGreaterThan(50);
  });

  it('a spike in one small shard drowned by a large healthy one is no breaking point', () => {
    // Alone, shard A's recent error rate is 30%: it would break. Merged it is 30/1000 = 3%.
    const merged = mergeTimelines([shard(T0, 100, 30, 1), shard(T0, 900, 0, 9)]);
    expect(detectBreakingPoint(merged, T0, false)).toEqual({ detected: false });
  });

  it('a spike in every shard is detected on the merged timeline, at the merged figures', () => {
    const merged = mergeTimelines([shard(T0, 100, 30, 1), shard(T0, 100, 30, 2)]);
    expect(detectBreakingPoint(merged, T0, false)).toEqual({
      detected: true,
      vus: 3,
      reason: 'error_rate_spike',
      detail: 'Error rate 30.0% exceeds threshold (>10% and >2.0x baseline 0.0%)',
      timestamp: '2026-11-30T18:00:20.000Z',
      elapsed_secs: 20,
      stage: null,
      target_vus: 3,
      rate: null,
      stopped_run: false,
      generator_saturated: false,
    });
  });
});
