import { describe, expect, it } from 'vitest';
import {
  BreakingPointDetector,
  WINDOW_SIZE,
  type DetectorSample,
} from '../../src/metrics/breaking-point.js';
import { newHistogram } from '../../src/metrics/histogram.js';

/** One 2 s interval: `requests` requests, `errors` of them failed, successes all at `latencyMs`. */
function sample(requests: number, errors: number, latencyMs: number): DetectorSample {
  const successes = newHistogram();
  successes.recordValueWithCount(Math.round(latencyMs * 1000), requests - errors);
  return { requests, errors, successes };
}

/** Feeds the series; returns the index of the sample that fired and what fired, or null. */
function feed(series: DetectorSample[]): { at: number; reason: string; detail: string } | null {
  const detector = new BreakingPointDetector();
  let found: { at: number; reason: string; detail: string } | null = null;
  series.forEach((s, i) => {
    const d = detector.push(s);
    if (d !== null) {
      expect(found, 'fired twice').toBeNull();
      found = { at: i, reason: d.reason, detail: d.detail };
    }
  });
  return found;
}

const steady = (n: number): DetectorSample[] =>
  Array.from({ length: n }, () => sample(1000, 5, 10));

describe('breaking-point detector (the Rust tool constants: window 10, >10% and 2x, p99 3x)', () => {
  it('fires on an error spike with the Rust tool detail format', () => {
    const series = [...steady(5), ...Array.from({ length: 5 }, () => sample(1000, 150, 10))];
    const found = feed(series);
    expect(found).toMatchObject({ at: 9, reason: 'error_rate_spike' });
    expect(found!.detail).toBe('Error rate 15.0% exceeds threshold (>10% and >2.0x baseline 0.5%)');
  });

  it('fires when p99 triples', () => {
    const series = [...steady(5), ...Array.from({ length: 5 }, () => sample(1000, 5, 45))];
    const found = feed(series);
    expect(found).toMatchObject({ reason: 'latency_degradation' });
    expect(found!.detail).toBe('P99 45ms exceeds 3.0x baseline 10ms');
  });

  it('sees a late collapse after a long healthy run (fed per interval, not cumulative)', () => {
    // 10 minutes healthy, then errors: cumulative totals would hardly move; intervals do.
    const series = [...steady(300), ...Array.from({ length: 5 }, () => sample(1000, 400, 10))];
    const found = feed(series);
    expect(found).toMatchObject({ reason: 'error_rate_spike' });
    // Within the collapse's first samples: two bad intervals already make the recent half fail.
    expect(found!.at).toBeGreaterThanOrEqual(300);
    expect(found!.at).toBeLessThanOrEqual(304);
  });

  it('does not fire on a steady server', () => {
    expect(feed(steady(200))).toBeNull();
  });

  it('does not fire on a server failing from the start (no healthy baseline to compare)', () => {
    expect(feed(Array.from({ length: 50 }, () => sample(1000, 600, 10)))).toBeNull();
  });

  it('does not fire on errors below the 10% floor, even many times the baseline', () => {
    const series = [
      ...Array.from({ length: 5 }, () => sample(1000, 1, 10)),
      ...Array.from({ length: 5 }, () => sample(1000, 90, 10)),
    ];
    expect(feed(series)).toBeNull();
  });

  it('fires once only, however long the collapse lasts', () => {
    const series = [...steady(5), ...Array.from({ length: 40 }, () => sample(1000, 500, 100))];
    expect(feed(series)).not.toBeNull(); // feed() fails the test if it fires twice
  });

  it('waits for a full window before judging', () => {
    const series = [
      ...steady(4),
      ...Array.from({ length: WINDOW_SIZE - 5 }, () => sample(1000, 900, 10)),
    ];
    expect(feed(series)).toBeNull();
  });

  it('does not judge a half with too few requests (an idle baseline is no baseline)', () => {
    const series = [
      ...Array.from({ length: 5 }, () => sample(1, 0, 1)),
      ...Array.from({ length: 5 }, () => sample(1000, 500, 100)),
    ];
    expect(feed(series)).toBeNull();
  });
});
