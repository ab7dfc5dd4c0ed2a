/**
 * When each step of an open-model run is due (k6's `constant-arrival-rate` and
 * `ramping-arrival-rate`, wrk2's constant throughput).
 *
 * Method: the rate r(t) is piecewise linear (a constant rate is one flat segment; `[[stage]]
 * target_rate` blocks move it linearly from the previous level, starting at `arrival_rate`). The
 * number of steps due by time t is the integral N(t) = ∫₀ᵗ r(s) ds, and step i (0-based) is due at
 * the t where N(t) = i, so step 0 starts at t = 0 and a constant rate r gives tᵢ = i / r. Within a
 * segment of start rate a and slope b, N grows by a·u + b·u²/2 after u seconds, so the u at which
 * it has grown by Δ is 2Δ / (a + √(a² + 2bΔ)): one formula for flat, rising and falling
 * segments, free of the cancellation in the textbook quadratic root.
 *
 * Invariants: `dueAtSecs(i)` is non-decreasing in i; every step is due before `totalSecs`; the
 * number of steps in [0, totalSecs) is ⌈N(totalSecs)⌉ (the schedule never drifts, since each time
 * is computed from i, not accumulated).
 */

export interface RateSegment {
  /** Steps per second at the start and at the end of the segment. */
  readonly fromRate: number;
  readonly toRate: number;
  readonly durationSecs: number;
}

export class ArrivalSchedule {
  readonly segments: readonly RateSegment[];
  readonly totalSecs: number;
  readonly peakRate: number;
  /** Elapsed seconds and steps due at the start of each segment. */
  private readonly startSecs: Float64Array;
  private readonly startCount: Float64Array;
  /** Segment of the last lookup: steps are asked for in order, so the search rarely moves. */
  private cursor = 0;

  constructor(segments: readonly RateSegment[]) {
    if (segments.length === 0) throw new RangeError('an arrival schedule needs a segment');
    this.segments = segments;
    this.startSecs = new Float64Array(segments.length + 1);
    this.startCount = new Float64Array(segments.length + 1);
    let t = 0;
    let n = 0;
    let peak = 0;
    segments.forEach((s, i) => {
      this.startSecs[i] = t;
      this.startCount[i] = n;
      t += s.durationSecs;
      n += ((s.fromRate + s.toRate) / 2) * s.durationSecs;
      peak = Math.max(peak, s.fromRate, s.toRate);
    });
    this.startSecs[segments.length] = t;
    this.startCount[segments.length] = n;
    this.totalSecs = t;
    this.peakRate = peak;
  }

  /** A constant rate for `durationSecs`. */
  static constant(ratePerSec: number, durationSecs: number): ArrivalSchedule {
    return new ArrivalSchedule([{ fromRate: ratePerSec, toRate: ratePerSec, durationSecs }]);
  }

  /** Stages moving linearly from `startRate` to each `targetRate` in turn. */
  static ramping(
    startRate: number,
    stages: readonly { targetRate: number; durationSecs: number }[],
  ): ArrivalSchedule {
    let from = startRate;
    return new ArrivalSchedule(
      stages.map((s) => {
        const segment = { fromRate: from, toRate: s.targetRate, durationSecs: s.durationSecs };
        from = s.targetRate;
        return segment;
      }),
    );
  }

  /** Steps due in the whole schedule. */
  get totalSteps(): number {
    return Math.ceil(this.startCount[this.segments.length]! - 1e-9);
  }

  /** The rate at `elapsedSecs` (the last segment's end rate after the schedule). */
  rateAt(elapsedSecs: number): number {
    const i = this.segmentAt(elapsedSecs);
    const s = this.segments[i]!;
    const into = Math.min(Math.max(elapsedSecs - this.startSecs[i]!, 0), s.durationSecs);
    return s.fromRate + ((s.toRate - s.fromRate) * into) / s.durationSecs;
  }

  /** Steps due by `elapsedSecs`: N(t), fractional. */
  countAt(elapsedSecs: number): number {
    const i = this.segmentAt(elapsedSecs);
    const s = this.segments[i]!;
    const u = Math.min(Math.max(elapsedSecs - this.startSecs[i]!, 0), s.durationSecs);
    const slope = (s.toRate - s.fromRate) / s.durationSecs;
    return this.startCount[i]! + s.fromRate * u + (slope * u * u) / 2;
  }

  /** Seconds from the schedule's start at which step `index` is due; Infinity past the end. */
  dueAtSecs(index: number): number {
    const n = this.segments.length;
    if (index >= this.startCount[n]! - 1e-9) return Infinity;
    // Move the cursor to the segment whose count range holds `index`.
    let i = this.cursor;
    while (i > 0 && this.startCount[i]! > index) i--;
    while (i < n - 1 && this.startCount[i + 1]! <= index) i++;
    this.cursor = i;
    const s = this.segments[i]!;
    const delta = index - this.startCount[i]!;
    if (delta <= 0) return this.startSecs[i]!;
    const a = s.fromRate;
    const b = (s.toRate - s.fromRate) / s.durationSecs;
    const root = Math.sqrt(Math.max(0, a * a + 2 * b * delta));
    const u = a + root > 0 ? (2 * delta) / (a + root) : s.durationSecs;
    return this.startSecs[i]! + Math.min(u, s.durationSecs);
  }

  /** 0-based segment holding `elapsedSecs` (the last one once the schedule is over). */
  segmentAt(elapsedSecs: number): number {
    const n = this.segments.length;
    for (let i = 0; i < n; i++) if (elapsedSecs < this.startSecs[i + 1]!) return i;
    return n - 1;
  }
}
