/**
 * The rules of `.pmcp/loadtest.toml` in one place: accepted keys, defaults and bounds. Extending
 * the format starts by adding the key here; schema/config.schema.json must follow, and
 * test/unit/config-schema.test.ts checks that the two agree.
 */
import { PROTOCOL_SETTINGS, TRANSPORTS } from '../protocol/mcp-vocabulary.js';
import type { OperationType } from './types.js';

/** `[settings] protocol`: era detection or a pinned revision (the protocol's own list). */
export const PROTOCOL_VALUES: readonly string[] = PROTOCOL_SETTINGS;

/** `[settings] transport`: how requests travel (the protocol's own list). */
export const TRANSPORT_VALUES: readonly string[] = TRANSPORTS;

export const DEFAULTS = {
  /** `cargo pmcp loadtest` documents "expected_interval_ms (default: 100ms)". */
  expectedIntervalMs: 100,
  requestIntervalMs: 0,
  maxResponseBytes: 10 * 1024 * 1024,
  /**
   * Not in the Rust tool's documentation (it always sets weight): an omitted weight counts as 1.
   */
  weight: 1,
} as const;

const SECONDS_PER_WEEK = 7 * 24 * 60 * 60;

/**
 * Upper bounds keep absurd values from reaching the engine, where they would mean a run that
 * never ends, a timer overflow (setTimeout caps at 2^31-1 ms) or an allocation that fails.
 */
export const LIMITS = {
  maxVirtualUsers: 100_000,
  maxDurationSecs: SECONDS_PER_WEEK,
  maxTimeoutMs: 3_600_000,
  maxIntervalMs: 3_600_000,
  minResponseBytes: 1024,
  maxResponseBytes: 1024 * 1024 * 1024,
  maxWeight: 1_000_000,
  /** A throughput floor above this is a typo: no single load generator gets near it. */
  maxThroughputRps: 10_000_000,
  /** A p99 allowed to grow more than 100-fold over the baseline gates nothing. */
  maxRegressionRatio: 100,
  /** An arrival rate above this is a typo for the same reason. */
  maxArrivalRate: 1_000_000,
} as const;

export const TOP_LEVEL_KEYS = ['settings', 'scenario', 'stage', 'thresholds', 'client'] as const;

export const SETTINGS_KEYS = [
  'virtual_users',
  'duration_secs',
  'timeout_ms',
  'expected_interval_ms',
  'request_interval_ms',
  'max_response_bytes',
  'headers',
  'stop_on_breaking_point',
  'arrival_rate',
  'max_vus',
  'protocol',
  'transport',
] as const;

/** `[client]`: canned answers to server requests (sampling, elicitation, roots). */
export const CLIENT_KEYS = ['sampling', 'elicitation', 'roots'] as const;
export const SAMPLING_KEYS = ['text'] as const;
export const ELICITATION_KEYS = ['action', 'content'] as const;
export const ELICITATION_ACTIONS = ['accept', 'decline', 'cancel'] as const;

export const SCENARIO_KEYS: Readonly<Record<OperationType, readonly string[]>> = {
  'tools/call': ['type', 'weight', 'tool', 'arguments', 'progress'],
  'resources/read': ['type', 'weight', 'uri'],
  'prompts/get': ['type', 'weight', 'prompt', 'arguments'],
};

export const STAGE_KEYS = ['target_vus', 'target_rate', 'duration_secs'] as const;

/**
 * The limits of one scope: `[thresholds]` itself and each `[thresholds.tools."<name>"]`. The first
 * five are absolute; the last three are relative to a baseline report (`compare`, `run
 * --baseline`) and apply only when there is one.
 */
export const THRESHOLD_LIMIT_KEYS = [
  'p50_ms',
  'p95_ms',
  'p99_ms',
  'error_rate',
  'min_throughput_rps',
  'max_p99_regression',
  'max_error_rate_increase',
  'min_throughput_ratio',
] as const;

/** `[thresholds]`: the overall limits, the breaking-point gate and the per-tool tables. */
export const THRESHOLD_KEYS = [...THRESHOLD_LIMIT_KEYS, 'fail_on_breaking_point', 'tools'] as const;

/** A numeric field: its bounds and how errors describe it. */
export interface NumberRule {
  readonly integer: boolean;
  readonly min: number;
  /** True when `min` itself is not allowed (`duration_secs > 0`). */
  readonly minExclusive: boolean;
  readonly max: number;
  /** `must be <noun>`. */
  readonly noun: string;
  /** `accepted: <accepted>`. */
  readonly accepted: string;
  /** The value shown in "add `key = <example>`". */
  readonly example: number;
}

/** `unit` follows the range: `an integer from 1 to 3600000 milliseconds (1 hour)`. */
function integerRule(min: number, max: number, unit: string, example: number): NumberRule {
  return {
    integer: true,
    min,
    minExclusive: false,
    max,
    noun:
      min === 0
        ? 'a non-negative integer'
        : min === 1
          ? 'a positive integer'
          : `an integer of at least ${min}`,
    accepted: `an integer from ${min} to ${max}${unit}`,
    example,
  };
}

const MILLISECONDS_UNIT = ' milliseconds (1 hour)';

const SECONDS: NumberRule = {
  integer: false,
  min: 0,
  minExclusive: true,
  max: LIMITS.maxDurationSecs,
  noun: 'a positive number',
  accepted: `a number of seconds greater than 0, at most ${LIMITS.maxDurationSecs} (7 days)`,
  example: 60,
};

export const RULES = {
  virtualUsers: integerRule(1, LIMITS.maxVirtualUsers, '', 10),
  durationSecs: SECONDS,
  timeoutMs: integerRule(1, LIMITS.maxTimeoutMs, MILLISECONDS_UNIT, 5000),
  expectedIntervalMs: integerRule(
    1,
    LIMITS.maxIntervalMs,
    MILLISECONDS_UNIT,
    DEFAULTS.expectedIntervalMs,
  ),
  requestIntervalMs: integerRule(
    0,
    LIMITS.maxIntervalMs,
    MILLISECONDS_UNIT,
    DEFAULTS.requestIntervalMs,
  ),
  maxResponseBytes: integerRule(
    LIMITS.minResponseBytes,
    LIMITS.maxResponseBytes,
    ' bytes (1 GiB)',
    DEFAULTS.maxResponseBytes,
  ),
  weight: {
    integer: false,
    min: 0,
    minExclusive: false,
    max: LIMITS.maxWeight,
    noun: 'a non-negative number',
    accepted: `a number from 0 to ${LIMITS.maxWeight} (weights are relative)`,
    example: 1,
  },
  targetVus: integerRule(0, LIMITS.maxVirtualUsers, '', 20),
  maxVus: integerRule(1, LIMITS.maxVirtualUsers, '', 200),
  arrivalRate: {
    integer: false,
    min: 0,
    minExclusive: true,
    max: LIMITS.maxArrivalRate,
    noun: 'a positive number',
    accepted: `a number of steps per second greater than 0, at most ${LIMITS.maxArrivalRate} (fractions allowed: 0.5 = one step every 2 s)`,
    example: 100,
  },
  targetRate: {
    integer: false,
    min: 0,
    minExclusive: false,
    max: LIMITS.maxArrivalRate,
    noun: 'a non-negative number',
    accepted: `a number of steps per second from 0 to ${LIMITS.maxArrivalRate}`,
    example: 100,
  },
  stageDurationSecs: { ...SECONDS, example: 30 },
  /** p50_ms, p95_ms, p99_ms: a latency no slower than a timeout can be. */
  latencyThresholdMs: {
    integer: false,
    min: 0,
    minExclusive: true,
    max: LIMITS.maxTimeoutMs,
    noun: 'a positive number',
    accepted: `a number of milliseconds greater than 0, at most ${LIMITS.maxTimeoutMs} (1 hour)`,
    example: 500,
  },
  errorRateThreshold: {
    integer: false,
    min: 0,
    minExclusive: false,
    max: 1,
    noun: 'a number from 0 to 1',
    accepted: 'a ratio from 0 to 1 (0.05 = 5% of requests may fail)',
    example: 0.05,
  },
  minThroughputRps: {
    integer: false,
    min: 0,
    minExclusive: true,
    max: LIMITS.maxThroughputRps,
    noun: 'a positive number',
    accepted: `a number of requests per second greater than 0, at most ${LIMITS.maxThroughputRps}`,
    example: 100,
  },
  /** Relative: 0.15 lets the p99 grow by 15% over the baseline's. */
  maxP99Regression: {
    integer: false,
    min: 0,
    minExclusive: false,
    max: LIMITS.maxRegressionRatio,
    noun: 'a non-negative number',
    accepted: `a ratio from 0 to ${LIMITS.maxRegressionRatio} (0.15 = the p99 may grow by 15% over the baseline's)`,
    example: 0.15,
  },
  /** Absolute, in error-rate points: 0.01 lets the error rate rise by 1 point (2% → 3%). */
  maxErrorRateIncrease: {
    integer: false,
    min: 0,
    minExclusive: false,
    max: 1,
    noun: 'a number from 0 to 1',
    accepted: "a ratio from 0 to 1 (0.01 = the error rate may rise by 1 point over the baseline's)",
    example: 0.01,
  },
  /** Relative: 0.9 lets the throughput fall to 90% of the baseline's. */
  minThroughputRatio: {
    integer: false,
    min: 0,
    minExclusive: true,
    max: 1,
    noun: 'a number greater than 0 and at most 1',
    accepted:
      "a ratio greater than 0, at most 1 (0.9 = the throughput may fall to 90% of the baseline's)",
    example: 0.9,
  },
} as const satisfies Record<string, NumberRule>;
