/**
 * `[thresholds]` → Thresholds: the limits for the whole run, `fail_on_breaking_point`, and one
 * `[thresholds.tools."<name>"]` table per scoped step. A scope must name a [[scenario]] step (its
 * tool name, resource URI or prompt name, the keys of the report's `per_tool`): a misspelt scope
 * would otherwise never be checked, and a gate that silently never gates is worse than none.
 * Absent limits stay absent: only what the user set is evaluated.
 */
import type { ConfigChecker } from './config-checker.js';
import { RULES, THRESHOLD_KEYS, THRESHOLD_LIMIT_KEYS, type NumberRule } from './config-rules.js';
import { describeValue, isTable, quoteText } from './describe-value.js';
import { didYouMean } from './did-you-mean.js';
import { formatKeyPath, type KeyPath } from './toml-position.js';
import { stepKey, type ScenarioStep, type ThresholdLimits, type Thresholds } from './types.js';

/** TOML key → field and rule, in THRESHOLD_LIMIT_KEYS order. */
const LIMIT_FIELDS: readonly (readonly [
  (typeof THRESHOLD_LIMIT_KEYS)[number],
  keyof ThresholdLimits,
  NumberRule,
])[] = [
  ['p50_ms', 'p50Ms', RULES.latencyThresholdMs],
  ['p95_ms', 'p95Ms', RULES.latencyThresholdMs],
  ['p99_ms', 'p99Ms', RULES.latencyThresholdMs],
  ['error_rate', 'errorRate', RULES.errorRateThreshold],
  ['min_throughput_rps', 'minThroughputRps', RULES.minThroughputRps],
  ['max_p99_regression', 'maxP99Regression', RULES.maxP99Regression],
  ['max_error_rate_increase', 'maxErrorRateIncrease', RULES.maxErrorRateIncrease],
  ['min_throughput_ratio', 'minThroughputRatio', RULES.minThroughputRatio],
];

/** How many step names an "unknown scope" error lists before it says how many more. */
const MAX_LISTED_NAMES = 10;

export function readThresholds(
  check: ConfigChecker,
  raw: unknown,
  scenario: readonly ScenarioStep[],
): Thresholds {
  if (raw === undefined) return { failOnBreakingPoint: false, tools: {} };
  const at = ['thresholds'];
  if (!isTable(raw)) {
    check.fail(
      at,
      `thresholds must be a table, got ${describeValue(raw)}`,
      `accepted: a [thresholds] table with ${THRESHOLD_KEYS.join(', ')}`,
    );
  }
  check.rejectUnknownKeys(raw, at, THRESHOLD_KEYS, 'in [thresholds]');
  return {
    ...readLimits(check, raw, at),
    failOnBreakingPoint: check.boolean(raw, at, 'fail_on_breaking_point', false),
    tools: readToolThresholds(check, raw.tools, scenario),
  };
}

function readLimits(
  check: ConfigChecker,
  table: Readonly<Record<string, unknown>>,
  at: KeyPath,
): ThresholdLimits {
  const limits: Partial<Record<keyof ThresholdLimits, number>> = {};
  for (const [key, field, rule] of LIMIT_FIELDS) {
    if (table[key] !== undefined) limits[field] = check.number(table, at, key, rule);
  }
  return limits;
}

function readToolThresholds(
  check: ConfigChecker,
  raw: unknown,
  scenario: readonly ScenarioStep[],
): Record<string, ThresholdLimits> {
  if (raw === undefined) return {};
  const at = ['thresholds', 'tools'];
  if (!isTable(raw)) {
    check.fail(
      at,
      `thresholds.tools must be a table, got ${describeValue(raw)}`,
      'accepted: [thresholds.tools."<tool name, resource URI or prompt name>"] tables, e.g. [thresholds.tools."add"] with p99_ms = 500',
    );
  }
  const known = [...new Set(scenario.map(stepKey))];
  const out: [string, ThresholdLimits][] = [];
  for (const [name, entry] of Object.entries(raw)) {
    const path = [...at, name];
    const shown = formatKeyPath(path);
    if (!known.includes(name)) {
      const suggestion = didYouMean(name, known);
      const hint = suggestion === undefined ? '' : ` (did you mean ${quoteText(suggestion)}?)`;
      check.fail(
        path,
        `${shown} names no [[scenario]] step, so it would never be checked${hint}`,
        `accepted: the tool name, resource URI or prompt name of a step: ${listNames(known)}`,
      );
    }
    if (!isTable(entry)) {
      check.fail(
        path,
        `${shown} must be a table, got ${describeValue(entry)}`,
        `accepted: a [${shown}] table with ${THRESHOLD_LIMIT_KEYS.join(', ')}`,
      );
    }
    if (entry.fail_on_breaking_point !== undefined) {
      // A mix-up, not a typo: say where the key belongs.
      check.fail(
        [...path, 'fail_on_breaking_point'],
        `\`fail_on_breaking_point\` is not allowed in [${shown}] (the breaking point belongs to the whole run: set it in [thresholds])`,
        `accepted keys: ${THRESHOLD_LIMIT_KEYS.join(', ')}`,
      );
    }
    check.rejectUnknownKeys(entry, path, THRESHOLD_LIMIT_KEYS, `in [${shown}]`);
    out.push([name, readLimits(check, entry, path)]);
  }
  // Object.fromEntries defines own properties, so a `__proto__` scope stays data.
  return Object.fromEntries(out);
}

function listNames(names: readonly string[]): string {
  const listed = names.slice(0, MAX_LISTED_NAMES).map(quoteText).join(', ');
  const more = names.length - MAX_LISTED_NAMES;
  return more > 0 ? `${listed} and ${more} more` : listed;
}
