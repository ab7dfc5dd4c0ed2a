import { describe, expect, it } from 'vitest';
import { StageSchedule } from '../../src/engine/stage-schedule.js';
import { reconcileVus, type VuPool } from '../../src/engine/vu-pool.js';

/** A pool on a fake clock: records who was spawned and retired, and when. */
class FakePool implements VuPool {
  live: number[] = [];
  nextId = 0;
  now = 0;
  spawned: { id: number; at: number }[] = [];
  retired: { id: number; at: number }[] = [];
  get liveCount(): number {
    return this.live.length;
  }
  spawn(): void {
    const id = this.nextId++;
    this.live.push(id);
    this.spawned.push({ id, at: this.now });
  }
  retireNewest(): void {
    const id = this.live.pop()!;
    this.retired.push({ id, at: this.now });
  }
}

/** Drives the pool through the schedule with the engine's 100 ms control tick. */
function simulate(schedule: StageSchedule): { pool: FakePool; countAt: Map<number, number> } {
  const pool = new FakePool();
  const countAt = new Map<number, number>();
  // Through the end of the schedule: the run's last control tick (which then stops the run).
  for (let tick = 0; tick / 10 <= schedule.totalSecs; tick++) {
    pool.now = tick / 10;
    reconcileVus(pool, schedule.activeAt(pool.now));
    if (tick % 10 === 0) countAt.set(tick / 10, pool.liveCount);
  }
  return { pool, countAt };
}

const RAMP_HOLD_DOWN = [
  { targetVus: 50, durationSecs: 10 },
  { targetVus: 50, durationSecs: 10 },
  { targetVus: 0, durationSecs: 10 },
];

/** The documented linear profile of `cargo pmcp loadtest`: 5 VUs/s up, hold at 50, 5 VUs/s down. */
function linearTarget(t: number): number {
  if (t <= 10) return 5 * t;
  if (t <= 20) return 50;
  return 50 - 5 * (t - 20);
}

describe('stage schedule on a fake clock', () => {
  it('keeps the active VU count within one VU of the linear target at each second', () => {
    const { countAt } = simulate(new StageSchedule(RAMP_HOLD_DOWN));
    expect(countAt.size).toBe(31);
    for (const [t, count] of countAt) {
      expect(Math.abs(count - linearTarget(t)), `at ${t}s`).toBeLessThanOrEqual(1);
    }
  });

  it('spawns the ramp-up evenly over the stage, not all at its start', () => {
    const { pool } = simulate(new StageSchedule(RAMP_HOLD_DOWN));
    const perSecond = new Array(10).fill(0);
    for (const s of pool.spawned) perSecond[Math.min(9, Math.floor(s.at))]++;
    // 50 VUs over 10 s: 5 a second, give or take the one at a boundary.
    for (const n of perSecond) expect(n).toBeGreaterThanOrEqual(4);
    for (const n of perSecond) expect(n).toBeLessThanOrEqual(6);
    expect(pool.spawned).toHaveLength(50);
  });

  it('holds: no VU is spawned or retired during a stage whose target equals the level', () => {
    const { pool } = simulate(new StageSchedule(RAMP_HOLD_DOWN));
    const during = (e: { at: number }): boolean => e.at > 10 && e.at < 20;
    expect(pool.spawned.filter(during)).toEqual([]);
    expect(pool.retired.filter(during)).toEqual([]);
  });

  it('retires over the whole ramp-down stage, newest first', () => {
    const { pool } = simulate(new StageSchedule(RAMP_HOLD_DOWN));
    expect(pool.retired).toHaveLength(50);
    const ids = pool.retired.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(ids[0]).toBe(49);
    const times = pool.retired.map((r) => r.at);
    expect(Math.min(...times)).toBeLessThan(20.5);
    expect(Math.max(...times)).toBeGreaterThan(29);
    // Not the Rust tool's behaviour of killing every retiring VU at the stage start.
    expect(times.filter((t) => t < 21).length).toBeLessThanOrEqual(6);
  });

  it('starts the first VU of a ramp from 0 at once, not after duration / target', () => {
    const s = new StageSchedule([{ targetVus: 1, durationSecs: 12 }]);
    expect(s.activeAt(0)).toBe(0);
    expect(s.activeAt(0.1)).toBe(1);
    const { pool } = simulate(s);
    expect(pool.spawned).toEqual([{ id: 0, at: 0.1 }]);
  });

  it('reaches a stage target inside the stage, so its peak is the target (0 → 6)', () => {
    const s = new StageSchedule([
      { targetVus: 6, durationSecs: 6 },
      { targetVus: 0, durationSecs: 6 },
    ]);
    const { pool } = simulate(s);
    const inFirst = pool.spawned.filter((e) => e.at < 6);
    expect(inFirst).toHaveLength(6);
    // The ramp down keeps all 6 at its start and retires one per second.
    expect(s.activeAt(6.05)).toBe(6);
    expect(s.activeAt(11.9)).toBe(1);
    expect(s.activeAt(12)).toBe(0);
  });

  it('ramps from the previous stage level, not from zero (10 → 50 → 100 → 0)', () => {
    const s = new StageSchedule([
      { targetVus: 10, durationSecs: 30 },
      { targetVus: 50, durationSecs: 60 },
      { targetVus: 100, durationSecs: 60 },
      { targetVus: 0, durationSecs: 30 },
    ]);
    expect(s.totalSecs).toBe(180);
    expect(s.peakVus).toBe(100);
    expect(s.activeAt(30)).toBe(10);
    expect(s.activeAt(60)).toBe(30);
    expect(s.activeAt(120)).toBe(75);
    expect(s.activeAt(165)).toBe(50);
    expect(s.positionAt(29.9)).toEqual({ index: 0, count: 4, stageTarget: 10 });
    expect(s.positionAt(30)).toEqual({ index: 1, count: 4, stageTarget: 50 });
    expect(s.positionAt(500).index).toBe(3);
  });
});
