/**
 * The open-model executor on a fake clock and a fake transport: sessions that answer after a
 * set service time, so schedule accuracy, pool growth, drops and ramp shape are checked exactly.
 */
import { describe, expect, it } from 'vitest';
import { ArrivalRate } from '../../src/engine/arrival-rate.js';
import { constantArrivalRate } from '../../src/engine/constant-arrival-rate.js';
import type { ExecutorHost, ExecutorVu, StopReason } from '../../src/engine/executor.js';
import { GeneratorCheck } from '../../src/engine/generator-check.js';
import { rampingArrivalRate } from '../../src/engine/ramping-arrival-rate.js';
import { planSteps } from '../../src/engine/step-plan.js';
import { RunMetrics } from '../../src/metrics/run-metrics.js';
import { GROW_AFTER_MS } from '../../src/engine/session-pool.js';
import { FakeClock } from '../helpers/fake-clock.js';

interface Start {
  vu: number;
  dueMs: number;
  atMs: number;
  endMs: number;
}

/** A run around the executor: fake VUs whose handshake and steps take fixed clock times. */
class FakeRun implements ExecutorHost {
  readonly clock = new FakeClock();
  readonly plan = planSteps([{ type: 'tools/call', weight: 1, tool: 'echo' }]);
  readonly metrics = new RunMetrics(this.plan.keys, true);
  readonly generator = new GeneratorCheck();
  readonly seed = 7;
  stopping = false;
  stopReason: StopReason | null = null;
  executor!: ArrivalRate;
  spawned = 0;
  ended = 0;
  readonly starts: Start[] = [];
  iterationsLeft: number;

  constructor(
    readonly handshakeMs: number,
    /** Service time of each step; may depend on when it starts (a stall). */
    readonly serviceMs: (atMs: number) => number,
    iterations = Infinity,
  ) {
    this.iterationsLeft = iterations;
  }

  get liveCount(): number {
    return this.spawned - this.ended;
  }

  elapsedSecs(): number {
    return this.clock.now() / 1000;
  }

  spawn(): ExecutorVu {
    const id = this.spawned++;
    const vu: ExecutorVu = {
      runStep: (_step, dueMs) => {
        const atMs = this.clock.now();
        const start = { vu: id, dueMs, atMs, endMs: NaN };
        this.starts.push(start);
        this.clock.setTimeout(() => {
          start.endMs = this.clock.now();
          this.executor.onVuIdle(vu);
        }, this.serviceMs(atMs));
      },
      endIdle: () => {
        this.ended++;
        this.executor.onVuFinished(vu);
      },
    };
    this.clock.setTimeout(() => this.executor.onVuIdle(vu), this.handshakeMs);
    return vu;
  }

  retireNewest(): void {}

  takeIteration(): boolean {
    if (this.iterationsLeft <= 0) return false;
    this.iterationsLeft--;
    return true;
  }

  /** One step in the plan: the stream's choice is always it. */
  nextStep(): number {
    return 0;
  }

  stop(reason: StopReason): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopReason = reason;
    this.executor.stop();
  }

  /** Runs the executor for `secs` of fake time with the engine's 100 ms control tick. */
  runFor(secs: number): void {
    this.executor.start();
    for (let t = 0; t < secs * 10 + 5 && !this.stopping; t++) {
      this.clock.advance(100);
      this.executor.control(this.elapsedSecs());
    }
  }
}

function constant(
  run: FakeRun,
  ratePerSec: number,
  durationSecs: number,
  vus: number,
  maxVus: number,
): FakeRun {
  run.executor = constantArrivalRate(run, {
    ratePerSec,
    durationSecs,
    preAllocatedVus: vus,
    maxVus,
  });
  return run;
}

describe('constant-arrival-rate on a fake clock', () => {
  it('starts every step on its due time, after the warm-up, whatever the service time', () => {
    const run = constant(new FakeRun(30, () => 5), 100, 2, 2, 50);
    run.runFor(3);
    expect(run.starts).toHaveLength(200);
    // The schedule's clock starts when the 2 pre-allocated sessions have answered (30 ms).
    expect(run.starts[0]!.dueMs).toBe(30);
    for (const [i, s] of run.starts.entries()) {
      expect(s.dueMs).toBeCloseTo(30 + i * 10, 6);
      expect(s.atMs).toBeGreaterThanOrEqual(s.dueMs);
      expect(s.atMs - s.dueMs).toBeLessThan(1);
    }
    expect(run.metrics.droppedIterations).toBe(0);
    expect(run.metrics.startedIterations).toBe(200);
    expect(run.stopReason).toBe('duration');
  });

  it('grows the pool on demand when steps outlast their spacing, up to the need', () => {
    // 100/s with 95 ms service: about 10 sessions busy at once.
    const run = constant(new FakeRun(20, () => 95), 100, 2, 1, 50);
    run.runFor(3);
    expect(run.starts).toHaveLength(200);
    expect(run.spawned).toBeGreaterThanOrEqual(10);
    expect(run.spawned).toBeLessThanOrEqual(12);
    expect(run.metrics.droppedIterations).toBe(0);
  });

  it('keeps the schedule through a stall: each step is charged the stall it met', () => {
    // The server answers nothing in [500, 1000) ms: a step started then ends at 1000 ms.
    const stall = (at: number): number => (at >= 500 && at < 1000 ? 1000 - at : 2);
    const run = constant(new FakeRun(1, stall), 200, 2, 5, 400);
    run.runFor(3);
    expect(run.starts).toHaveLength(400);
    expect(run.metrics.droppedIterations).toBe(0);
    // A step due during the stall ends when it does: its latency from the schedule is the rest
    // of the stall, whether it waited at the server or in the pool's line.
    const during = run.starts.filter((s) => s.dueMs >= 501 && s.dueMs < 1000);
    expect(during.length).toBeGreaterThan(95);
    for (const s of during) {
      expect(s.endMs).toBeGreaterThanOrEqual(1000);
      expect(s.endMs - s.dueMs).toBeGreaterThanOrEqual(1000 - s.dueMs);
      expect(s.endMs).toBeLessThan(1010);
    }
  });

  it('grows a few handshakes at a time: a burst does not start a session per step', () => {
    // 2,000/s on sessions that take 50 ms to initialize and 1 ms to answer.
    const run = constant(new FakeRun(50, () => 1), 2000, 1, 2, 4000);
    run.runFor(2);
    expect(run.starts).toHaveLength(2000);
    expect(run.metrics.droppedIterations).toBe(0);
    expect(run.spawned).toBeLessThanOrEqual(2 + 8);
  });

  it('drops and counts steps when every session is busy and the pool is at max_vus', () => {
    // 100/s, 1 s service time, 20 sessions at most: 20 run, the rest of each second drops.
    const run = constant(new FakeRun(1, () => 1000), 100, 2, 20, 20);
    run.runFor(3);
    expect(run.spawned).toBe(20);
    expect(run.starts.length + run.metrics.droppedIterations).toBe(200);
    expect(run.metrics.droppedIterations).toBeGreaterThan(150);
    expect(run.starts.length).toBeLessThanOrEqual(41);
  });

  it('waits for a session being initialized rather than dropping, the wait counted', () => {
    // One pre-allocated session, handshakes of 50 ms, steps of 200 ms at 10/s.
    const run = constant(new FakeRun(50, () => 200), 10, 1, 1, 10);
    run.runFor(2);
    expect(run.metrics.droppedIterations).toBe(0);
    expect(run.starts).toHaveLength(10);
    // The second step (due 100 ms after the first) waited GROW_AFTER_MS for the busy session,
    // then for a new session's handshake.
    const second = run.starts[1]!;
    expect(second.atMs - second.dueMs).toBeCloseTo(GROW_AFTER_MS + 50, 6);
  });

  it('serves a momentary line with the busy sessions, not with new ones, at a high rate', () => {
    // 3,000/s on sessions busy 0.9 ms: 3 sessions carry it; lines last well under GROW_AFTER_MS.
    const run = constant(new FakeRun(10, () => 0.9), 3000, 1, 3, 100);
    run.runFor(2);
    expect(run.starts).toHaveLength(3000);
    expect(run.spawned).toBe(3);
    for (const s of run.starts) expect(s.atMs - s.dueMs).toBeLessThan(GROW_AFTER_MS);
  });

  it('ends at --iterations: exactly that many steps start', () => {
    const run = new FakeRun(1, () => 1, 37);
    constant(run, 100, 5, 2, 10);
    run.runFor(6);
    expect(run.starts).toHaveLength(37);
    expect(run.stopReason).toBe('iterations');
  });

  it('at --iterations, runs the steps still waiting for a session before it ends the run', () => {
    // Sessions busy 300 ms at 100/s on a pool of 2 that grows (50 ms handshakes): steps queue.
    const run = new FakeRun(50, () => 300, 25);
    constant(run, 100, 5, 2, 40);
    run.runFor(6);
    expect(run.starts).toHaveLength(25);
    expect(run.metrics.droppedIterations).toBe(0);
    expect(run.starts.every((s) => Number.isFinite(s.endMs))).toBe(true);
    expect(run.stopReason).toBe('iterations');
  });

  it('records how late steps started against their schedule', () => {
    const run = constant(new FakeRun(1, () => 1), 50, 1, 1, 5);
    run.runFor(2);
    const figures = run.generator.figures();
    expect(figures.scheduleLagP99Ms).not.toBeNull();
    expect(figures.scheduleLagP99Ms!).toBeLessThan(1);
    expect(figures.saturated).toBe(false);
  });
});

describe('ramping-arrival-rate on a fake clock', () => {
  it('moves the rate linearly: starts per second follow the ramp 0 → 100 → 100', () => {
    const run = new FakeRun(1, () => 1);
    run.executor = rampingArrivalRate(run, {
      startRate: 0,
      stages: [
        { targetRate: 100, durationSecs: 4 },
        { targetRate: 100, durationSecs: 2 },
      ],
      preAllocatedVus: 1,
      maxVus: 10,
    });
    run.runFor(7);
    const perSecond = [0, 0, 0, 0, 0, 0];
    for (const s of run.starts) perSecond[Math.floor((s.dueMs - 1) / 1000)]!++;
    // ∫ of a 25/s² ramp over each second: 12.5, 37.5, 62.5, 87.5; then 100, 100.
    const expected = [12.5, 37.5, 62.5, 87.5, 100, 100];
    perSecond.forEach((n, i) =>
      expect(Math.abs(n - expected[i]!), `second ${i}`).toBeLessThanOrEqual(1),
    );
    expect(run.starts).toHaveLength(400);
    expect(run.executor.targetRateAt(2 + 0.001)).toBeCloseTo(50, 0);
    expect(run.executor.stageAt(5)).toBe(1);
  });
});
