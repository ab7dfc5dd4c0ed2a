import { describe, expect, it } from 'vitest';
import { ArrivalSchedule } from '../../src/engine/arrival-schedule.js';

function dueTimes(s: ArrivalSchedule): number[] {
  const out: number[] = [];
  for (let i = 0; ; i++) {
    const t = s.dueAtSecs(i);
    if (t === Infinity) return out;
    out.push(t);
  }
}

describe('ArrivalSchedule', () => {
  it('spaces a constant rate evenly from t = 0: step i is due at i / rate', () => {
    const s = ArrivalSchedule.constant(4, 2);
    expect(dueTimes(s)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]);
    expect(s.totalSteps).toBe(8);
  });

  it('gives exactly rate × duration steps for 2,000/s over 10 s, none after the end', () => {
    const s = ArrivalSchedule.constant(2000, 10);
    const times = dueTimes(s);
    expect(times).toHaveLength(20_000);
    expect(times[times.length - 1]).toBeLessThan(10);
    expect(times[19_999]).toBeCloseTo(19_999 / 2000, 9);
  });

  it('allows a fractional rate: 0.5/s over 5 s is steps at 0, 2 and 4 s', () => {
    expect(dueTimes(ArrivalSchedule.constant(0.5, 5))).toEqual([0, 2, 4]);
  });

  it('follows a linear ramp: the count due by t is the integral of the rate', () => {
    // 0 → 100/s over 10 s: N(t) = 5 t², so 500 steps in all and 125 in the first 5 s.
    const s = ArrivalSchedule.ramping(0, [{ targetRate: 100, durationSecs: 10 }]);
    const times = dueTimes(s);
    expect(times).toHaveLength(500);
    expect(times.filter((t) => t < 5)).toHaveLength(125);
    expect(s.rateAt(5)).toBe(50);
    expect(s.countAt(5)).toBeCloseTo(125, 9);
    // Step i is due where 5 t² = i.
    for (const i of [1, 10, 200, 499]) expect(times[i]).toBeCloseTo(Math.sqrt(i / 5), 9);
  });

  it('ramps down and holds across stages, never moving backwards', () => {
    const s = ArrivalSchedule.ramping(10, [
      { targetRate: 50, durationSecs: 4 },
      { targetRate: 50, durationSecs: 2 },
      { targetRate: 0, durationSecs: 4 },
    ]);
    const times = dueTimes(s);
    // 4 s at 10→50 (120) + 2 s at 50 (100) + 4 s at 50→0 (100).
    expect(times).toHaveLength(320);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times.filter((t) => t >= 4 && t < 6)).toHaveLength(100);
    expect(s.peakRate).toBe(50);
    expect(s.segmentAt(5)).toBe(1);
  });

  it('skips a stage held at rate 0 without stalling the steps after it', () => {
    const s = ArrivalSchedule.ramping(0, [
      { targetRate: 0, durationSecs: 3 },
      { targetRate: 10, durationSecs: 2 },
    ]);
    const times = dueTimes(s);
    expect(times[0]).toBe(3);
    expect(times).toHaveLength(10);
  });
});
