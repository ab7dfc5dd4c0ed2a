import { describe, expect, it } from 'vitest';
import { snapshotInterval } from '../../src/metrics/metrics-snapshot.js';
import { newHistogram } from '../../src/metrics/histogram.js';
import type { TickContext } from '../../src/engine/run-timeline.js';
import { TickMerge, type MergedTick } from '../../src/engine/tick-merge.js';
import type { IntervalMessage } from '../../src/engine/worker-messages.js';
import { ERROR_KINDS } from '../../src/protocol/outcome.js';

/** A thread's interval: `requests` successes of `latencyUs` each, on `vus` VUs. */
function interval(seq: number, requests: number, vus: number, final = false): IntervalMessage {
  const successes = newHistogram();
  for (let i = 0; i < requests; i++) successes.recordValue(1000 + i);
  const ctx: TickContext = {
    elapsedSecs: seq + (final ? 0.4 : 1),
    intervalSecs: final ? 0.4 : 1,
    activeVus: vus,
    targetVus: vus,
    targetRate: null,
    stageIndex: null,
  };
  return {
    type: 'interval',
    seq,
    final,
    figures: snapshotInterval({
      requests,
      errors: 0,
      errorsByKind: new Float64Array(ERROR_KINDS.length),
      successes,
      started: 0,
      dropped: 0,
      perKey: [{ requests, errors: 0, successes }],
    }),
    ctx,
    generatorSaturated: false,
  };
}

function merge(threads: number): { merge: TickMerge; ticks: MergedTick[] } {
  const ticks: MergedTick[] = [];
  return { merge: new TickMerge(threads, (t) => ticks.push(t)), ticks };
}

describe('tick merge', () => {
  it('releases tick k only once every thread has posted its tick k, with the figures added', () => {
    const { merge: m, ticks } = merge(2);
    m.add(0, interval(0, 10, 2));
    m.add(0, interval(1, 11, 2));
    expect(ticks).toHaveLength(0);
    m.add(1, interval(0, 5, 3));
    expect(ticks).toHaveLength(1);
    expect(ticks[0]!.figures.requests).toBe(15);
    expect(ticks[0]!.figures.successes.totalCount).toBe(15);
    expect(ticks[0]!.ctx.activeVus).toBe(5);
  });

  it('counts a thread that ended early as empty in the ticks it did not reach', () => {
    const { merge: m, ticks } = merge(2);
    m.add(1, interval(0, 5, 1));
    m.add(1, interval(1, 0, 1, true));
    m.add(0, interval(0, 10, 1));
    m.add(0, interval(1, 12, 1));
    expect(ticks.map((t) => t.figures.requests)).toEqual([15, 12]);
    expect(ticks[1]!.ctx.activeVus).toBe(1);
  });

  it('adds the threads’ last, partial intervals into one, so every request lands once', () => {
    const { merge: m, ticks } = merge(2);
    m.add(0, interval(0, 10, 1));
    m.add(1, interval(0, 7, 1));
    m.add(0, interval(1, 3, 0, true));
    m.add(1, interval(1, 4, 0, true));
    const last = m.lastInterval();
    expect(last.figures.requests).toBe(7);
    expect(last.ctx?.intervalSecs).toBe(0.4);
    const all = ticks.reduce((n, t) => n + t.figures.requests, 0) + last.figures.requests;
    expect(all).toBe(24);
  });
});
