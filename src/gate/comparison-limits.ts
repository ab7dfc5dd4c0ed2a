/**
 * The limits a comparison with a baseline gates on, from the most specific source that sets them:
 * a step's `[thresholds.tools."<name>"]`, then `--max-regression` (or its action input), then
 * `[thresholds]`, then the defaults below. Unlike the absolute thresholds, the relative ones apply
 * to every step by default: "did this change make any tool slower?" is the question a PR gate
 * asks, and a step nobody named is exactly where a regression hides.
 */
import type { ThresholdLimits, Thresholds } from '../config/types.js';

export interface ComparisonLimits {
  /** The p99 may grow by at most this ratio of the baseline's (0.15 = 15%). */
  readonly maxP99Regression: number;
  /** The error rate may rise by at most this many points (0.01 = 1 point). */
  readonly maxErrorRateIncrease: number;
  /** The throughput may fall to no less than this share of the baseline's. */
  readonly minThroughputRatio: number;
}

/** The example values: what a PR gate on a shared CI runner can hold without noise. */
export const DEFAULT_COMPARISON_LIMITS: ComparisonLimits = {
  maxP99Regression: 0.15,
  maxErrorRateIncrease: 0.01,
  minThroughputRatio: 0.9,
};

export interface ComparisonGate {
  readonly overall: ComparisonLimits;
  /** The limits of one step (tool name, resource URI or prompt name). */
  forStep(key: string): ComparisonLimits;
}

/**
 * `maxRegression` (--max-regression R) sets the overall p99 limit to R and the throughput floor to
 * 1 / (1 + R): a server R slower in latency serves 1 / (1 + R) of the requests per VU, so one
 * number bounds both sides of "slower". It leaves the error-rate limit alone (points, not a ratio).
 */
export function comparisonGate(
  thresholds: Thresholds | undefined,
  maxRegression: number | undefined,
): ComparisonGate {
  const flag: Partial<ComparisonLimits> =
    maxRegression === undefined
      ? {}
      : { maxP99Regression: maxRegression, minThroughputRatio: 1 / (1 + maxRegression) };
  const overall = merge(DEFAULT_COMPARISON_LIMITS, thresholds ?? {}, flag);
  const tools = thresholds?.tools ?? {};
  return {
    overall,
    forStep: (key) => (Object.hasOwn(tools, key) ? merge(overall, tools[key]!, {}) : overall),
  };
}

function merge(
  base: ComparisonLimits,
  config: ThresholdLimits,
  flag: Partial<ComparisonLimits>,
): ComparisonLimits {
  return {
    maxP99Regression: flag.maxP99Regression ?? config.maxP99Regression ?? base.maxP99Regression,
    maxErrorRateIncrease:
      flag.maxErrorRateIncrease ?? config.maxErrorRateIncrease ?? base.maxErrorRateIncrease,
    minThroughputRatio:
      flag.minThroughputRatio ?? config.minThroughputRatio ?? base.minThroughputRatio,
  };
}
