/**
 * Live progress on stderr: an in-place line on a terminal (redrawn every tick), a plain line
 * otherwise (the pipeline decides how often), so CI logs show the run is alive.
 */
import type { RunTick } from '../engine/load-run.js';
import type { ProgressSink } from '../pipeline/run-test.js';
import { displayWidth } from '../render/format.js';
import { renderProgressLine, snapshotFromTick } from '../render/progress.js';
import type { Output } from './output.js';

export interface ProgressPlan {
  iterationsTotal: number | null;
}

export class ProgressPrinter implements ProgressSink {
  private drawn = false;
  /** Terminal cells of the line on screen (colourless mode, which erases with spaces). */
  private drawnWidth = 0;
  private readonly tty: boolean;

  constructor(
    private readonly out: Output,
    private readonly plan: ProgressPlan,
    private readonly color: boolean,
  ) {
    this.tty = out.stderr.isTTY === true;
  }

  get live(): boolean {
    return this.tty;
  }

  update(tick: RunTick): void {
    const snapshot = snapshotFromTick(tick, this.plan.iterationsTotal);
    if (this.tty) {
      // A pty with no window size reports 0 columns: unknown, not zero.
      const width = this.out.stderr.columns || undefined;
      const line = renderProgressLine(snapshot, { color: this.color, tty: true, width });
      if (this.color) {
        this.out.stderr.write('\r\x1b[K' + line);
      } else {
        // No escape sequence at all without colour (NO_COLOR, --no-color): return to the line
        // start and blank what is left of a longer previous line with spaces.
        const cells = displayWidth(line);
        this.out.stderr.write('\r' + line + ' '.repeat(Math.max(0, this.drawnWidth - cells)));
        this.drawnWidth = cells;
      }
      this.drawn = true;
    } else {
      this.out.stderr.write(renderProgressLine(snapshot, { color: false, tty: false }) + '\n');
    }
  }

  /** A line that must stay in the log (the breaking-point warning), printed above the progress. */
  note(line: string): void {
    this.clear();
    this.out.stderr.write(line + '\n');
  }

  /** Clears the in-place line before anything else is printed. */
  clear(): void {
    if (this.drawn)
      this.out.stderr.write(this.color ? '\r\x1b[K' : `\r${' '.repeat(this.drawnWidth)}\r`);
    this.drawn = false;
    this.drawnWidth = 0;
  }
}
