/**
 * `constant-vus` (closed model): a fixed number of VUs loop over the scenario for the duration,
 * each sending its next request when the previous one ends. The flat `virtual_users` +
 * `duration_secs` run of `cargo pmcp loadtest`.
 */
import type { Executor, ExecutorHost, ExecutorVu } from './executor.js';
import { reconcileVus } from './vu-pool.js';

export interface ConstantVusPlan {
  readonly vus: number;
  readonly durationSecs: number;
}

export class ConstantVus implements Executor {
  readonly name = 'constant-vus';
  readonly model = 'closed';
  readonly totalSecs: number;
  readonly plannedVus: number;
  readonly peakRate = null;
  readonly stageCount = 0;

  constructor(
    private readonly host: ExecutorHost,
    plan: ConstantVusPlan,
  ) {
    this.totalSecs = plan.durationSecs;
    this.plannedVus = plan.vus;
  }

  start(): void {
    reconcileVus(this.host, this.plannedVus);
  }

  control(elapsedSecs: number): void {
    if (elapsedSecs >= this.totalSecs) return this.host.stop('duration');
    // Lost VUs (no session back after retries) are replaced.
    reconcileVus(this.host, this.plannedVus);
  }

  targetVusAt(): number {
    return this.plannedVus;
  }

  targetRateAt(): null {
    return null;
  }

  stageAt(): null {
    return null;
  }

  onVuIdle(): void {}
  onHandshakeFailed(): void {}
  onVuFinished(_vu: ExecutorVu): void {}
  stop(): void {}
}
