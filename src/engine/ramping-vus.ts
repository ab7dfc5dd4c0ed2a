/**
 * `ramping-vus` (closed model): `[[stage]] target_vus` blocks move the VU count linearly (see
 * StageSchedule); surplus VUs retire newest first, each after its request in flight.
 */
import type { Stage } from '../config/types.js';
import type { Executor, ExecutorHost } from './executor.js';
import { StageSchedule } from './stage-schedule.js';
import { reconcileVus } from './vu-pool.js';

export class RampingVus implements Executor {
  readonly name = 'ramping-vus';
  readonly model = 'closed';
  readonly totalSecs: number;
  readonly plannedVus: number;
  readonly peakRate = null;
  readonly stageCount: number;
  readonly schedule: StageSchedule;

  constructor(
    private readonly host: ExecutorHost,
    stages: readonly Stage[],
  ) {
    this.schedule = new StageSchedule(stages);
    this.totalSecs = this.schedule.totalSecs;
    this.plannedVus = this.schedule.peakVus;
    this.stageCount = stages.length;
  }

  start(): void {
    this.control(0);
  }

  control(elapsedSecs: number): void {
    if (elapsedSecs >= this.totalSecs) return this.host.stop('duration');
    reconcileVus(this.host, this.schedule.activeAt(elapsedSecs));
  }

  targetVusAt(elapsedSecs: number): number {
    return this.schedule.activeAt(Math.min(elapsedSecs, this.totalSecs));
  }

  targetRateAt(): null {
    return null;
  }

  stageAt(elapsedSecs: number): number {
    return this.schedule.positionAt(elapsedSecs).index;
  }

  onVuIdle(): void {}
  onHandshakeFailed(): void {}
  onVuFinished(): void {}
  stop(): void {}
}
