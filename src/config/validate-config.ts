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
import type { LoadConfig, RateStage, Settings, Stage } from './types.js';
import { readClient, readProtocol, readTransport } from './validate-client.js';

export function validateConfig(
  check: ConfigChecker,
  document: Readonly<Record<string, unknown>>,
  absolutePath: string | undefined,
  env: NodeJS.ProcessEnv,
): LoadConfig {
  check.rejectUnknownKeys(document, [], TOP_LEVEL_KEYS, 'at the top level');
  const settings = readSettings(check, document.settings, env);
  const scenario = readScenario(check, document.scenario);
  const { stages, rateStages } = readStages(check, document.stage, settings.arrivalRate !== null);
  const thresholds = readThresholds(check, document.thresholds, scenario);
  const client = readClient(check, document.client);
  return deepFreeze({
    path: absolutePath,
    settings,
    scenario,
    stages,
    rateStages,
    thresholds,
    client,
  });
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
  const protocol = readProtocol(check, raw);
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
    arrivalRate:
      raw.arrival_rate === undefined
        ? null
        : check.number(raw, at, 'arrival_rate', RULES.arrivalRate),
    maxVus: raw.max_vus === undefined ? null : check.number(raw, at, 'max_vus', RULES.maxVus),
    protocol,
    transport: readTransport(check, raw, protocol),
  };
}

/**
 * `[[stage]]` blocks: `target_vus` in the closed model, `target_rate` with `arrival_rate` (the
 * open model). A block of the other model's kind is an error at its key, saying which to use.
 */
function readStages(
  check: ConfigChecker,
  raw: unknown,
  open: boolean,
): { stages: Stage[]; rateStages: RateStage[] } {
  if (raw === undefined) return { stages: [], rateStages: [] };
  const target = open ? 'target_rate' : 'target_vus';
  if (!Array.isArray(raw)) {
    check.fail(
      ['stage'],
      `stage must be an array of tables, got ${describeValue(raw)}`,
      `accepted: [[stage]] blocks, each with ${target} and duration_secs`,
    );
  }
  const stages: Stage[] = [];
  const rateStages: RateStage[] = [];
  raw.forEach((entry: unknown, index) => {
    const at = ['stage', index];
    if (!isTable(entry)) {
      check.fail(
        at,
        `stage[${index}] must be a table, got ${describeValue(entry)}`,
        'accepted: a [[stage]] block',
      );
    }
    check.rejectUnknownKeys(entry, at, STAGE_KEYS, 'in [[stage]]');
    if (open && entry.target_vus !== undefined) {
      check.fail(
        [...at, 'target_vus'],
        'target_vus does not apply with [settings] arrival_rate (the open model moves a rate, not VUs)',
        'accepted: target_rate = <steps per second> in each [[stage]]; or remove arrival_rate to stage VUs',
      );
    }
    if (!open && entry.target_rate !== undefined) {
      check.fail(
        [...at, 'target_rate'],
        'target_rate needs [settings] arrival_rate (the open model)',
        'accepted: target_vus in each [[stage]] (closed model), or arrival_rate = <start rate> in [settings] with target_rate stages',
      );
    }
    const durationSecs = check.number(entry, at, 'duration_secs', RULES.stageDurationSecs);
    if (open) {
      rateStages.push({
        targetRate: check.number(entry, at, 'target_rate', RULES.targetRate),
        durationSecs,
      });
    } else {
      stages.push({
        targetVus: check.number(entry, at, 'target_vus', RULES.targetVus),
        durationSecs,
      });
    }
  });
  const totalSecs = [...stages, ...rateStages].reduce((sum, stage) => sum + stage.durationSecs, 0);
  if (totalSecs > LIMITS.maxDurationSecs) {
    check.fail(
      ['stage'],
      `the [[stage]] durations add up to ${totalSecs} seconds`,
      `accepted: at most ${LIMITS.maxDurationSecs} seconds (7 days) in total`,
    );
  }
  return { stages, rateStages };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
