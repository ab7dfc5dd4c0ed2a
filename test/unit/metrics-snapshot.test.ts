import { describe, expect, it } from 'vitest';
import {
  absorbMetrics,
  addInterval,
  emptyInterval,
  intervalOf,
  snapshotInterval,
  snapshotMetrics,
} from '../../src/metrics/metrics-snapshot.js';
import { merged } from '../../src/metrics/histogram.js';
import { RunMetrics, type MetricKey } from '../../src/metrics/run-metrics.js';
import { ERROR_KINDS, OK, TIMEOUT } from '../../src/protocol/outcome.js';

const KEYS: MetricKey[] = [
  { name: 'alpha', operation: 'tools/call' },
  { name: 'beta', operation: 'tools/call' },
];

/** A thread's metrics: `n` requests with latencies from `fromMs`, one in ten timing out. */
function threadMetrics(n: number, fromMs: number): RunMetrics {
  const m = new RunMetrics(KEYS);
  for (let i = 0; i < n; i++) {
    m.record(i % 2, i % 10 === 9 ? TIMEOUT : OK, fromMs + i * 0.37);
  }
  m.recordHandshake(OK, 3 + fromMs, false, true);
  // Progress notifications on step 0: first byte after `fromMs`, first progress 2 ms later.
  m.notifications.record(0, 3, 1, fromMs, fromMs + 2);
  m.countJsonResponse();
  if (fromMs > 1) m.keepSample(TIMEOUT, `timeout after ${fromMs} ms`);
  return m;
}

describe('metrics snapshots', () => {
  const a = threadMetrics(200, 1);
  const b = threadMetrics(130, 40);
  const sum = new RunMetrics(KEYS);
  absorbMetrics(sum, structuredClone(snapshotMetrics(a)));
  absorbMetrics(sum, structuredClone(snapshotMetrics(b)));

  it('threads posted through structured clone add up to their counts', () => {
    expect(sum.totalRequests).toBe(330);
    expect(sum.totalErrors).toBe(a.totalErrors + b.totalErrors);
    expect([...sum.keyTotal]).toEqual([
      a.keyTotal[0]! + b.keyTotal[0]!,
      a.keyTotal[1]! + b.keyTotal[1]!,
    ]);
    expect(sum.errorCount(0, TIMEOUT - 1) + sum.errorCount(1, TIMEOUT - 1)).toBe(sum.totalErrors);
    expect(sum.handshakeOk).toBe(2);
    expect(sum.sessionsCreated).toBe(2);
    expect(sum.jsonResponses).toBe(2);
  });

  it('per-key histograms add exactly: the percentiles are those of the added histograms', () => {
    for (const key of [0, 1]) {
      const expected = merged([a.keySuccess[key]!, b.keySuccess[key]!]);
      expect(sum.keySuccess[key]!.totalCount).toBe(expected.totalCount);
      expect(sum.keySuccess[key]!.getValueAtPercentile(99)).toBe(expected.getValueAtPercentile(99));
    }
    expect(sum.errorLatency.totalCount).toBe(a.errorLatency.totalCount + b.errorLatency.totalCount);
  });

  it('adds notification counts, and keeps the earliest and latest first-progress times', () => {
    expect(sum.notifications.of(0)).toEqual({
      progress: 6,
      logging: 2,
      firstByte: { count: 2, minMs: 1, meanMs: 20.5, maxMs: 40 },
      firstProgress: { count: 2, minMs: 3, meanMs: 22.5, maxMs: 42 },
    });
  });

  it('keeps the first error sample of a kind any thread saw', () => {
    expect(sum.errorSamples.timeout).toBe('timeout after 40 ms');
  });

  it('interval figures travel and add: counts, kinds, the success histogram and each step part', () => {
    const x = threadMetrics(50, 1).takeInterval();
    const y = threadMetrics(20, 9).takeInterval();
    const total = emptyInterval(ERROR_KINDS.length);
    addInterval(total, intervalOf(structuredClone(snapshotInterval(x))));
    addInterval(total, intervalOf(structuredClone(snapshotInterval(y))));
    expect(x.perKey.length).toBeGreaterThan(1);
    expect(total.perKey).toHaveLength(x.perKey.length);
    x.perKey.forEach((k, i) => {
      const other = y.perKey[i]!;
      expect(total.perKey[i]!.requests).toBe(k.requests + other.requests);
      expect(total.perKey[i]!.errors).toBe(k.errors + other.errors);
      expect(total.perKey[i]!.successes.totalCount).toBe(
        k.successes.totalCount + other.successes.totalCount,
      );
    });
    expect(total.perKey.reduce((n, k) => n + k.requests, 0)).toBe(70);
    expect(total.requests).toBe(70);
    expect(total.errors).toBe(x.errors + y.errors);
    expect(total.errorsByKind[TIMEOUT - 1]).toBe(x.errors + y.errors);
    expect(total.successes.totalCount).toBe(x.successes.totalCount + y.successes.totalCount);
  });
});
