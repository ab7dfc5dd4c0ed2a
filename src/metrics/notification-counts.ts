/**
 * Per-step counts of the notifications that arrive on response streams (MCP "Progress" and
 * "Logging"), and for long-running steps (those that got a progress notification) the time from
 * the send to the response's first byte and to the first progress notification: how soon a
 * client learns the server is working, which the step's latency (to the result) does not say.
 *
 * One preallocated Float64Array, FIELDS slots per step: recording is array writes only. The
 * times are kept as count, sum, min and max, which add up exactly across shards.
 */
const FIELDS = 9;
const PROGRESS = 0;
const LOGGING = 1;
const TIMED = 2;
const FIRST_BYTE = 3; // sum, min, max
const FIRST_PROGRESS = 6; // sum, min, max

export interface TimeFigures {
  count: number;
  minMs: number;
  meanMs: number;
  maxMs: number;
}

export interface StepNotifications {
  progress: number;
  logging: number;
  /** Absent when no request of the step got a progress notification. */
  firstByte?: TimeFigures;
  firstProgress?: TimeFigures;
}

export class NotificationCounts {
  private readonly slots: Float64Array;

  constructor(keys: number) {
    this.slots = new Float64Array(keys * FIELDS);
  }

  /**
   * One finished request of step `key` that got notifications; `firstProgressMs` < 0 when none of
   * them was a progress notification (then no time is kept).
   */
  record(
    key: number,
    progress: number,
    logging: number,
    firstByteMs: number,
    firstProgressMs: number,
  ): void {
    const s = this.slots;
    const at = key * FIELDS;
    s[at + PROGRESS]! += progress;
    s[at + LOGGING]! += logging;
    if (firstProgressMs < 0) return;
    const first = s[at + TIMED]! === 0;
    s[at + TIMED]!++;
    keep(s, at + FIRST_BYTE, firstByteMs, first);
    keep(s, at + FIRST_PROGRESS, firstProgressMs, first);
  }

  /** Step `key`'s figures, or undefined when no notification arrived for it. */
  of(key: number): StepNotifications | undefined {
    const s = this.slots;
    const at = key * FIELDS;
    if (s[at + PROGRESS]! + s[at + LOGGING]! === 0) return undefined;
    const out: StepNotifications = { progress: s[at + PROGRESS]!, logging: s[at + LOGGING]! };
    const count = s[at + TIMED]!;
    if (count > 0) {
      out.firstByte = figures(s, at + FIRST_BYTE, count);
      out.firstProgress = figures(s, at + FIRST_PROGRESS, count);
    }
    return out;
  }
}

function keep(s: Float64Array, at: number, ms: number, first: boolean): void {
  s[at]! += ms;
  if (first || ms < s[at + 1]!) s[at + 1] = ms;
  if (first || ms > s[at + 2]!) s[at + 2] = ms;
}

function figures(s: Float64Array, at: number, count: number): TimeFigures {
  return { count, minMs: s[at + 1]!, meanMs: s[at]! / count, maxMs: s[at + 2]! };
}
