/**
 * The worker threads' intervals → the run's ticks (worker-fleet.ts).
 *
 * Each thread ticks once a second from its own start, and the threads start within milliseconds
 * of each other, so tick k of the run is the sum of every thread's tick k: counts, VUs and rates
 * add, the histograms add, the interval is the longest of theirs. A tick is released, in order,
 * once every thread has posted it or has ended before reaching it (a thread that ran out of
 * --iterations early counts as empty there). The threads' last, partial intervals add into the
 * run's last one. Every interval a thread posts lands in exactly one tick or in the last one, so
 * the timeline's counts add up to the threads' totals (run-timeline.ts's invariant).
 */
import { ERROR_KINDS } from '../protocol/outcome.js';
import { addInterval, emptyInterval, intervalOf } from '../metrics/metrics-snapshot.js';
import type { IntervalFigures } from '../metrics/run-metrics.js';
import type { TickContext } from './run-timeline.js';
import type { IntervalMessage } from './worker-messages.js';

export interface MergedTick {
  figures: IntervalFigures;
  ctx: TickContext;
  /** Some thread's load generator was saturated in the interval. */
  generatorSaturated: boolean;
}

interface Pending {
  figures: IntervalFigures;
  ctx: TickContext | null;
  posted: number;
  generatorSaturated: boolean;
}

export class TickMerge {
  /** Per thread: the ticks it posted, and whether it posted its last interval. */
  private readonly ticks: number[];
  private readonly ended: boolean[];
  private readonly pending = new Map<number, Pending>();
  private readonly last = emptyInterval(ERROR_KINDS.length);
  private lastCtx: TickContext | null = null;
  private nextSeq = 0;

  constructor(
    threads: number,
    private readonly onTick: (tick: MergedTick) => void,
  ) {
    this.ticks = new Array<number>(threads).fill(0);
    this.ended = new Array<boolean>(threads).fill(false);
  }

  /** One thread's interval, in the order it posted them. */
  add(thread: number, message: IntervalMessage): void {
    const figures = intervalOf(message.figures);
    if (message.final) {
      this.ended[thread] = true;
      addInterval(this.last, figures);
      this.lastCtx = addCtx(this.lastCtx, message.ctx);
    } else {
      this.ticks[thread] = message.seq + 1;
      let p = this.pending.get(message.seq);
      if (p === undefined) {
        p = {
          figures: emptyInterval(ERROR_KINDS.length),
          ctx: null,
          posted: 0,
          generatorSaturated: false,
        };
        this.pending.set(message.seq, p);
      }
      addInterval(p.figures, figures);
      p.ctx = addCtx(p.ctx, message.ctx);
      p.posted++;
      p.generatorSaturated ||= message.generatorSaturated;
    }
    this.release();
  }

  /** The threads' last, partial intervals, added; `ctx` null when no thread posted one. */
  lastInterval(): { figures: IntervalFigures; ctx: TickContext | null } {
    return { figures: this.last, ctx: this.lastCtx };
  }

  /** Releases every tick that all threads have posted or ended before, in order. */
  private release(): void {
    for (;;) {
      const seq = this.nextSeq;
      const p = this.pending.get(seq);
      if (p === undefined) return;
      let ended = 0;
      for (let t = 0; t < this.ticks.length; t++)
        if (this.ended[t] && this.ticks[t]! <= seq) ended++;
      if (p.posted + ended < this.ticks.length) return;
      this.pending.delete(seq);
      this.nextSeq++;
      this.onTick({ figures: p.figures, ctx: p.ctx!, generatorSaturated: p.generatorSaturated });
    }
  }
}

/** Adds the contexts of the threads' intervals of one tick: counts and rates add. */
function addCtx(a: TickContext | null, b: TickContext): TickContext {
  if (a === null) return { ...b };
  return {
    elapsedSecs: Math.max(a.elapsedSecs, b.elapsedSecs),
    intervalSecs: Math.max(a.intervalSecs, b.intervalSecs),
    activeVus: a.activeVus + b.activeVus,
    targetVus: a.targetVus + b.targetVus,
    targetRate:
      a.targetRate === null && b.targetRate === null
        ? null
        : (a.targetRate ?? 0) + (b.targetRate ?? 0),
    stageIndex: a.stageIndex ?? b.stageIndex,
  };
}
