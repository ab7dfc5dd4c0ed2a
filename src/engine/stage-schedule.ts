/**
 * Staged load profile (`[[stage]]`; the `cargo pmcp loadtest` documentation, "Staged Load
 * Profiles"): the VU count moves linearly from the previous stage's level (0 before the first
 * stage) to each stage's target over its duration; a stage whose target equals the current level
 * holds it.
 *
 * `targetAt(t)` is the ideal, fractional level at elapsed time t; the engine keeps the active
 * count at `ceil(targetAt(t) - 1e-9)`, re-evaluated on every control tick, which spaces ramp-up
 * spawns and ramp-down retirements evenly over the stage. Rounding up means a ramp from 0 starts
 * its first VU at once (a 0→1 ramp over 12 s is not 12 s of silence) and a stage reaches its
 * target inside itself, so its peak is the target; a ramp down keeps a VU until its share of the
 * ramp has passed.
 */
import type { Stage } from '../config/types.js';

export interface StagePosition {
  /** 0-based index of the stage holding elapsedSecs (the last one once the profile is over). */
  index: number;
  count: number;
  /** The stage's target_vus. */
  stageTarget: number;
}

export class StageSchedule {
  readonly stages: readonly Stage[];
  readonly totalSecs: number;
  readonly peakVus: number;
  /** Level at the start of each stage. */
  private readonly startLevels: number[];
  private readonly startSecs: number[];

  constructor(stages: readonly Stage[]) {
    if (stages.length === 0) throw new RangeError('a stage schedule needs at least one stage');
    this.stages = stages;
    this.startLevels = [];
    this.startSecs = [];
    let level = 0;
    let t = 0;
    let peak = 0;
    for (const stage of stages) {
      this.startLevels.push(level);
      this.startSecs.push(t);
      level = stage.targetVus;
      t += stage.durationSecs;
      if (level > peak) peak = level;
    }
    this.totalSecs = t;
    this.peakVus = peak;
  }

  /** Fractional VU level at `elapsedSecs` (clamped to the profile). */
  targetAt(elapsedSecs: number): number {
    const { index } = this.positionAt(elapsedSecs);
    const stage = this.stages[index]!;
    const from = this.startLevels[index]!;
    const into = Math.min(Math.max(elapsedSecs - this.startSecs[index]!, 0), stage.durationSecs);
    return from + ((stage.targetVus - from) * into) / stage.durationSecs;
  }

  /** Whole VUs that should be active at `elapsedSecs`. */
  activeAt(elapsedSecs: number): number {
    return Math.max(0, Math.ceil(this.targetAt(elapsedSecs) - 1e-9));
  }

  positionAt(elapsedSecs: number): StagePosition {
    const n = this.stages.length;
    let index = n - 1;
    for (let i = 0; i < n; i++) {
      if (elapsedSecs < this.startSecs[i]! + this.stages[i]!.durationSecs) {
        index = i;
        break;
      }
    }
    return { index, count: n, stageTarget: this.stages[index]!.targetVus };
  }
}
