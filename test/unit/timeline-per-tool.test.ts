/**
 * Each step's part of every timeline sample (what a comparison tests a step on): counts that add
 * up to the step's totals, the step's own p99, and no figure carried from one sample into the
 * next although RunMetrics reuses its per-step parts from tick to tick.
 */
import { describe, expect, it } from 'vitest';
import { RunTimeline, type TickContext } from '../../src/engine/run-timeline.js';
import { RunMetrics } from '../../src/metrics/run-metrics.js';
import { OK, type Outcome } from '../../src/protocol/outcome.js';

const TIMEOUT = 1 as Outcome;
const keys = [
  { name: 'fast', operation: 'tools/call' as const },
  { name: 'slow', operation: 'tools/call' as const },
];
const ctx = (secs: number): TickContext => ({
  elapsedSecs: secs,
  intervalSecs: 1,
  activeVus: 2,
  targetVus: 2,
  targetRate: null,
  stageIndex: null,
});

describe('per-step timeline figures', () => {
  it("keeps each step's requests, errors and p99 per sample, with nothing carried over", () => {
    const metrics = new RunMetrics(keys);
    const timeline = new RunTimeline();
    // Sample 1 (two ticks): fast 10 ms ×3, slow 100 ms ×2 and one timeout.
    for (let i = 0; i < 3; i++) metrics.record(0, OK, 10);
    metrics.record(1, OK, 100);
    timeline.addTick(metrics.takeInterval(), ctx(1));
    metrics.record(1, OK, 100);
    metrics.record(1, TIMEOUT, 5000);
    timeline.addTick(metrics.takeInterval(), ctx(2));
    // Sample 2: only fast, at 20 ms.
    metrics.record(0, OK, 20);
    timeline.addTick(metrics.takeInterval(), ctx(3));
    timeline.addTick(metrics.takeInterval(), ctx(4));

    // The histogram holds 3 significant figures: p99 to the millisecond here.
    const shown = (i: number) =>
      timeline.points[i]!.keySamples!.map((s) => ({ ...s, p99Ms: Math.round(s.p99Us / 1000) }));
    expect(shown(0)).toMatchObject([
      { requests: 3, errors: 0, p99Ms: 10 },
      { requests: 3, errors: 1, p99Ms: 100 },
    ]);
    expect(shown(1)).toMatchObject([
      { requests: 1, errors: 0, p99Ms: 20 },
      { requests: 0, errors: 0, p99Us: 0 },
    ]);
  });

  it("adds up to each step's totals once the last, partial sample is flushed", () => {
    const metrics = new RunMetrics(keys);
    const timeline = new RunTimeline();
    for (let tick = 1; tick <= 5; tick++) {
      for (let i = 0; i < tick; i++) metrics.record(i % 2, i === 3 ? TIMEOUT : OK, 5 + i);
      timeline.addTick(metrics.takeInterval(), ctx(tick));
    }
    metrics.record(1, OK, 7);
    timeline.flush(metrics.takeInterval(), { ...ctx(5.5), intervalSecs: 0.5 });
    keys.forEach((_, k) => {
      const sum = (pick: (s: { requests: number; errors: number }) => number): number =>
        timeline.points.reduce((n, p) => n + pick(p.keySamples![k]!), 0);
      expect(sum((s) => s.requests)).toBe(metrics.keyTotal[k]);
      expect(sum((s) => s.errors)).toBe(metrics.errorCount(k, 0));
    });
  });
});
