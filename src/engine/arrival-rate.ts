/**
 * The open model's run loop, shared by `constant-arrival-rate` and `ramping-arrival-rate`: steps
 * start on the ArrivalSchedule's clock, whatever the server does, each on a pooled session
 * (SessionPool), and each step's latency runs from when it was due. That is wrk2's and k6's
 * answer to coordinated omission: a server that stalls keeps being sent its users' requests, and
 * their wait is measured, so no correction is needed.
 *
 * Warm-up: the pool first initializes its `virtual_users` sessions; the schedule's clock starts
 * when each of them has answered its first initialize (or failed it) and at least one has a
 * session, so the first steps are not charged for handshakes and a dead server is not sent a
 * schedule's worth of handshakes (the run ends as no_session instead). The run's elapsed time
 * includes the warm-up; the schedule's does not.
 *
 * --iterations: once the budget is spent the schedule stops, and the run ends when the steps it
 * started (those still waiting for a session included) have run, so the report counts them all.
 *
 * Timer: one timeout at a time, set for the next due step; on waking, every step now due is
 * started (a late wake starts several at once, and each keeps its own due time). How late the
 * wake was against the due time is the generator's own lag, kept by GeneratorCheck.
 */
import type { Executor, ExecutorHost, ExecutorName, ExecutorVu } from './executor.js';
import type { ArrivalSchedule } from './arrival-schedule.js';
import { SessionPool } from './session-pool.js';

export interface ArrivalRatePlan {
  readonly schedule: ArrivalSchedule;
  /** Sessions initialized before the schedule starts (`virtual_users`). */
  readonly preAllocatedVus: number;
  readonly maxVus: number;
}

export class ArrivalRate implements Executor {
  readonly model = 'open';
  readonly totalSecs: number;
  readonly plannedVus: number;
  readonly peakRate: number;
  readonly stageCount: number;
  readonly pool: SessionPool;
  private readonly preAllocated: number;
  private readonly schedule: ArrivalSchedule;
  private readonly warming = new Set<ExecutorVu>();
  /** Clock time the schedule started at; -1 while warming up. */
  private startMs = -1;
  /** Seconds of run time at the schedule's start. */
  private startElapsedSecs = 0;
  private nextIndex = 0;
  private nextDueSecs = 0;
  private timer: unknown = undefined;
  private stopped = false;
  /** The --iterations budget is spent: no new step; the run ends once the started ones ran. */
  private exhausted = false;
  private readonly wakeBound = (): void => this.wake();

  constructor(
    readonly name: ExecutorName,
    private readonly host: ExecutorHost,
    plan: ArrivalRatePlan,
    staged: boolean,
  ) {
    this.schedule = plan.schedule;
    this.totalSecs = plan.schedule.totalSecs;
    this.plannedVus = plan.maxVus;
    this.peakRate = plan.schedule.peakRate;
    this.stageCount = staged ? plan.schedule.segments.length : 0;
    this.pool = new SessionPool(plan.maxVus, {
      spawn: () => {
        const vu = host.spawn();
        // Sessions started before the schedule runs are the warm-up's.
        if (!this.scheduling) this.warming.add(vu);
        return vu;
      },
      dropped: () => host.metrics.recordDropped(),
      now: () => host.clock.now(),
      setTimeout: (fn, ms) => host.clock.setTimeout(fn, ms),
    });
    this.preAllocated = Math.min(plan.preAllocatedVus, plan.maxVus);
  }

  /** True once the schedule's clock runs. */
  get scheduling(): boolean {
    return this.startMs >= 0;
  }

  start(): void {
    this.pool.warm(this.preAllocated);
    if (this.warming.size === 0) this.begin();
  }

  control(elapsedSecs: number): void {
    if (this.scheduling && elapsedSecs - this.startElapsedSecs >= this.totalSecs) {
      this.host.stop('duration');
    }
  }

  targetVusAt(): number {
    return this.plannedVus;
  }

  targetRateAt(elapsedSecs: number): number {
    if (!this.scheduling) return 0;
    return this.schedule.rateAt(Math.max(0, elapsedSecs - this.startElapsedSecs));
  }

  stageAt(elapsedSecs: number): number | null {
    if (this.stageCount === 0) return null;
    return this.schedule.segmentAt(Math.max(0, elapsedSecs - this.startElapsedSecs));
  }

  onVuIdle(vu: ExecutorVu): void {
    this.warming.delete(vu);
    this.pool.onIdle(vu);
    if (!this.scheduling && this.warming.size === 0) this.begin();
    this.endIfDrained();
  }

  onHandshakeFailed(vu: ExecutorVu): void {
    this.warmedUp(vu);
  }

  onVuFinished(vu: ExecutorVu): void {
    this.warmedUp(vu);
    this.pool.onFinished(vu);
    this.endIfDrained();
  }

  private endIfDrained(): void {
    if (!this.exhausted || this.stopped) return;
    if (this.pool.waitingCount === 0 && this.pool.busyCount === 0) this.host.stop('iterations');
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pool.close();
  }

  /** A warm-up VU's first handshake concluded; the schedule starts once a session exists. */
  private warmedUp(vu: ExecutorVu): void {
    if (this.scheduling || !this.warming.delete(vu)) return;
    if (this.warming.size === 0 && this.pool.idleCount > 0) this.begin();
  }

  private begin(): void {
    if (this.stopped || this.scheduling) return;
    this.startMs = this.host.clock.now();
    this.startElapsedSecs = this.host.elapsedSecs();
    this.nextIndex = 0;
    this.nextDueSecs = this.schedule.dueAtSecs(0);
    this.wake();
  }

  /** Starts every step due by now, then sleeps until the next one. */
  private wake(): void {
    this.timer = undefined;
    const host = this.host;
    const clock = host.clock;
    const now = clock.now();
    // A microsecond of slack: a timer set for a due time must find that step due when it fires,
    // whatever the floating-point rounding of (start + due) − start.
    const elapsedSecs = (now - this.startMs) / 1000 + 1e-9;
    while (!this.stopped && this.nextDueSecs <= elapsedSecs) {
      const dueMs = this.startMs + this.nextDueSecs * 1000;
      host.generator.recordLag(now - dueMs);
      if (!this.pool.hasRoom()) {
        host.metrics.recordDropped();
      } else if (host.takeIteration()) {
        host.metrics.recordStarted();
        this.pool.offer(host.nextStep(), dueMs);
      }
      this.nextIndex++;
      this.nextDueSecs = this.schedule.dueAtSecs(this.nextIndex);
      if (host.iterationsLeft <= 0) {
        this.exhausted = true;
        return this.endIfDrained();
      }
    }
    if (this.stopped) return;
    // After the last step, wake once more at the schedule's end so the run ends on time.
    const nextSecs = Math.min(this.nextDueSecs, this.totalSecs);
    if (nextSecs <= elapsedSecs) {
      if (this.nextDueSecs === Infinity) host.stop('duration');
      return;
    }
    const delayMs = Math.max(0, this.startMs + nextSecs * 1000 - clock.now());
    this.timer = clock.setTimeout(this.wakeBound, delayMs);
  }
}
