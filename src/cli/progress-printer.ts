/**
 * Live progress on stderr: an in-place line on a terminal (redrawn every second), a plain line
 * every PLAIN_EVERY_SECS otherwise, so CI logs show the run is alive.
 */
import type { RunTick } from '../engine/load-run.js';
import { renderProgressLine, type ProgressSnapshot } from '../render/progress.js';
import type { RunMetrics } from '../metrics/run-metrics.js';
import type { Output } from './output.js';

const PLAIN_EVERY_SECS = 5;

export interface ProgressPlan {
  totalSecs: number | null;
  iterationsTotal: number | null;
  targetVus: number;
}

export class ProgressPrinter {
  private lastPlainSecs = 0;
  private drawn = false;
  private readonly tty: boolean;

  constructor(
    private readonly out: Output,
    private readonly plan: ProgressPlan,
    private readonly color: boolean,
  ) {
    this.tty = out.stderr.isTTY === true;
  }

  onTick(tick: RunTick, metrics: RunMetrics): void {
    const snapshot: ProgressSnapshot = {
      elapsedSecs: tick.elapsedSecs,
      totalSecs: this.plan.totalSecs,
      iterationsDone: metrics.totalRequests,
      iterationsTotal: this.plan.iterationsTotal,
      activeVus: tick.activeVus,
      targetVus: this.plan.targetVus,
      stage: null,
      intervalRps: tick.intervalSecs > 0 ? tick.intervalRequests / tick.intervalSecs : 0,
      intervalP99Ms: tick.intervalP99Ms,
      totalRequests: metrics.totalRequests,
      totalErrors: metrics.totalErrors,
      errorRate: metrics.totalRequests > 0 ? metrics.totalErrors / metrics.totalRequests : 0,
    };
    if (this.tty) {
      this.out.stderr.write(
        '\r\x1b[K' + renderProgressLine(snapshot, { color: this.color, tty: true }),
      );
      this.drawn = true;
    } else if (tick.elapsedSecs - this.lastPlainSecs >= PLAIN_EVERY_SECS - 0.5) {
      this.lastPlainSecs = tick.elapsedSecs;
      this.out.stderr.write(renderProgressLine(snapshot, { color: false, tty: false }) + '\n');
    }
  }

  /** Clears the in-place line before anything else is printed. */
  clear(): void {
    if (this.drawn) this.out.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
