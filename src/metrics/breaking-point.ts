/**
 * Breaking-point detection, the self-calibrating rolling window of the `cargo pmcp loadtest`
 * documentation ("Finding Your Server's Breaking Point"), fed with what happened in each sample
 * interval (2 s), never with cumulative totals, so a collapse late in a long run is seen as
 * sharply as an early one.
 *
 * Window: the last WINDOW_SIZE samples; the older half is the baseline, the newer half recent.
 * Rules, evaluated once the window is full:
 *   error_rate_spike     recent error rate > 10 % and > 2.0 × baseline error rate
 *   latency_degradation  recent p99 > 3.0 × baseline p99 (success latency of each half, merged)
 * A half with fewer than MIN_REQUESTS requests (or successes, for p99) is no basis for either
 * rule: an idle baseline is no baseline. The detector fires once per run.
 */
import { merged, type Histogram } from './histogram.js';

export const WINDOW_SIZE = 10;
export const ERROR_RATE_ABSOLUTE_THRESHOLD = 0.1;
export const ERROR_RATE_RELATIVE_MULTIPLIER = 2.0;
export const P99_RELATIVE_MULTIPLIER = 3.0;
export const MIN_REQUESTS = 10;

export interface DetectorSample {
  requests: number;
  errors: number;
  /** Success latency of the interval, in microseconds. */
  successes: Histogram;
}

export interface Detection {
  reason: 'error_rate_spike' | 'latency_degradation';
  detail: string;
}

interface Half {
  requests: number;
  errors: number;
  p99Ms: number | null;
}

export class BreakingPointDetector {
  private readonly window: DetectorSample[] = [];
  fired = false;

  /** Adds one interval; returns the detection the first time a rule holds, else null. */
  push(sample: DetectorSample): Detection | null {
    this.window.push(sample);
    if (this.window.length > WINDOW_SIZE) this.window.shift();
    if (this.fired || this.window.length < WINDOW_SIZE) return null;
    const mid = WINDOW_SIZE / 2;
    const baseline = summarize(this.window.slice(0, mid));
    const recent = summarize(this.window.slice(mid));
    const detection = evaluate(baseline, recent);
    if (detection !== null) this.fired = true;
    return detection;
  }
}

function summarize(samples: DetectorSample[]): Half {
  let requests = 0;
  let errors = 0;
  for (const s of samples) {
    requests += s.requests;
    errors += s.errors;
  }
  const h = merged(samples.map((s) => s.successes));
  const p99Ms = h.totalCount >= MIN_REQUESTS ? h.getValueAtPercentile(99) / 1000 : null;
  return { requests, errors, p99Ms };
}

function evaluate(baseline: Half, recent: Half): Detection | null {
  if (baseline.requests < MIN_REQUESTS || recent.requests < MIN_REQUESTS) return null;
  const baseRate = baseline.errors / baseline.requests;
  const recentRate = recent.errors / recent.requests;
  if (
    recentRate > ERROR_RATE_ABSOLUTE_THRESHOLD &&
    recentRate > ERROR_RATE_RELATIVE_MULTIPLIER * baseRate
  ) {
    return {
      reason: 'error_rate_spike',
      detail: `Error rate ${pct(recentRate)} exceeds threshold (>10% and >${ERROR_RATE_RELATIVE_MULTIPLIER.toFixed(1)}x baseline ${pct(baseRate)})`,
    };
  }
  if (
    baseline.p99Ms !== null &&
    recent.p99Ms !== null &&
    recent.p99Ms > P99_RELATIVE_MULTIPLIER * baseline.p99Ms
  ) {
    return {
      reason: 'latency_degradation',
      detail: `P99 ${ms(recent.p99Ms)} exceeds ${P99_RELATIVE_MULTIPLIER.toFixed(1)}x baseline ${ms(baseline.p99Ms)}`,
    };
  }
  return null;
}

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;
const ms = (x: number): string => (x >= 10 ? `${Math.round(x)}ms` : `${x.toFixed(2)}ms`);
