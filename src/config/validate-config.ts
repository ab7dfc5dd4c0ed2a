/**
 * A parsed TOML document → LoadConfig. Checks run in source order of importance (top-level keys,
 * [settings], [[scenario]], [[stage]], then [thresholds], whose scopes must name scenario steps)
 * and stop at the first problem, which is reported as one line by ConfigChecker. The result is
 * deep-frozen: nothing downstream may adjust it.
 */
import type { ConfigChecker } from './config-checker.js';
import {
  DEFAULTS,
  LIMITS,
  RULES,
  SETTINGS_KEYS,
  STAGE_KEYS,
  TOP_LEVEL_KEYS,
} from './config-rules.js';
import { describeType, describeValue, isTable } from './describe-value.js';
import { readHeaders } from './validate-headers.js';
import { readScenario } from './validate-scenario.js';
import { readThresholds } from './validate-thresholds.js';
import { readClient, readProtocol } from './validate-client.js';
import type { LoadConfig, Settings, Stage } from './types.js';

export function validateConfig(
  check: ConfigChecker,
  document: Readonly<Record<string, unknown>>,
  absolutePath: string | undefined,
  env: NodeJS.ProcessEnv,
): LoadConfig {
  check.rejectUnknownKeys(document, [], TOP_LEVEL_KEYS, 'at the top level');
  const settings = readSettings(check, document.settings, env);
  const scenario = readScenario(check, document.scenario);
  const stages = readStages(check, document.stage);
  const thresholds = readThresholds(check, document.thresholds, scenario);
  const client = readClient(check, document.client);
  return deepFreeze({ path: absolutePath, settings, scenario, stages, thresholds, client });
}

function readSettings(check: ConfigChecker, raw: unknown, env: NodeJS.ProcessEnv): Settings {
  if (raw === undefined) {
    check.fail(
      [],
      'the [settings] table is missing',
      'accepted: a [settings] table with virtual_users, duration_secs and timeout_ms',
    );
  }
  if (!isTable(raw)) {
    // Values under settings may include header secrets: name the type only.
    check.fail(
      ['settings'],
      `settings must be a table, got ${describeType(raw)}`,
      'accepted: a [settings] table',
    );
  }
  const at = ['settings'];
  check.rejectUnknownKeys(raw, at, SETTINGS_KEYS, 'in [settings]');
  return {
    virtualUsers: check.number(raw, at, 'virtual_users', RULES.virtualUsers),
    durationSecs: check.number(raw, at, 'duration_secs', RULES.durationSecs),
    timeoutMs: check.number(raw, at, 'timeout_ms', RULES.timeoutMs),
    expectedIntervalMs: check.number(
      raw,
      at,
      'expected_interval_ms',
      RULES.expectedIntervalMs,
      DEFAULTS.expectedIntervalMs,
    ),
    requestIntervalMs: check.number(
      raw,
      at,
      'request_interval_ms',
      RULES.requestIntervalMs,
      DEFAULTS.requestIntervalMs,
    ),
    maxResponseBytes: check.number(
      raw,
      at,
      'max_response_bytes',
      RULES.maxResponseBytes,
      DEFAULTS.maxResponseBytes,
    ),
    headers: readHeaders(check, raw.headers, env),
    stopOnBreakingPoint: check.boolean(raw, at, 'stop_on_breaking_point', false),
    protocol: readProtocol(check, raw),
  };
}

function readStages(check: ConfigChecker, raw: unknown): Stage[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    check.fail(
      ['stage'],
      `stage must be an array of tables, got ${describeValue(raw)}`,
      'accepted: [[stage]] blocks, each with target_vus and duration_secs',
    );
  }
  const stages = raw.map((entry: unknown, index): Stage => {
    const at = ['stage', index];
    if (!isTable(entry)) {
      check.fail(
        at,
        `stage[${index}] must be a table, got ${describeValue(entry)}`,
        'accepted: a [[stage]] block',
      );
    }
    check.rejectUnknownKeys(entry, at, STAGE_KEYS, 'in [[stage]]');
    return {
      targetVus: check.number(entry, at, 'target_vus', RULES.targetVus),
      durationSecs: check.number(entry, at, 'duration_secs', RULES.stageDurationSecs),
    };
  });
  const totalSecs = stages.reduce((sum, stage) => sum + stage.durationSecs, 0);
  if (totalSecs > LIMITS.maxDurationSecs) {
    check.fail(
      ['stage'],
      `the [[stage]] durations add up to ${totalSecs} seconds`,
      `accepted: at most ${LIMITS.maxDurationSecs} seconds (7 days) in total`,
    );
  }
  return stages;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
