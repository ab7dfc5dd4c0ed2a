import { describe, expect, it } from 'vitest';
import { LoadtestError } from '../../src/errors.js';
import { parseConfig } from '../../src/config/load-config.js';

/** Joins lines, so each case's line numbers can be read off its array index + 1. */
const toml = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** Lines 1-4: a valid [settings] table. */
const SETTINGS = ['[settings]', 'virtual_users = 10', 'duration_secs = 60', 'timeout_ms = 5000'];
/** Four lines: a valid tools/call step (line 5 is blank, 6 the header, 7 type, 8 tool). */
const STEP = ['', '[[scenario]]', 'type = "tools/call"', 'tool = "add"'];

const SECRET = 's3cr3t-t0ken-value';

interface BadConfig {
  readonly name: string;
  readonly toml: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly message: string;
}

const INT_1_100000 = 'accepted: an integer from 1 to 100000';
const SECONDS = 'accepted: a number of seconds greater than 0, at most 604800 (7 days)';
const MS_FROM_1 = 'accepted: an integer from 1 to 3600000 milliseconds (1 hour)';
const SETTINGS_KEYS =
  'accepted keys: virtual_users, duration_secs, timeout_ms, expected_interval_ms, request_interval_ms, max_response_bytes, headers, stop_on_breaking_point, arrival_rate, max_vus, protocol, transport';
const TYPES = 'accepted: "tools/call", "resources/read", "prompts/get"';
const TOML_1 = 'accepted: TOML 1.0 (https://toml.io/en/v1.0.0)';
const TOP_KEYS = 'accepted keys: settings, scenario, stage, thresholds, client';
const LATENCY_MS = 'accepted: a number of milliseconds greater than 0, at most 3600000 (1 hour)';
const RATIO = 'accepted: a ratio from 0 to 1 (0.05 = 5% of requests may fail)';
const LIMIT_KEYS =
  'accepted keys: p50_ms, p95_ms, p99_ms, error_rate, min_throughput_rps, max_p99_regression, max_error_rate_increase, min_throughput_ratio';
const BOOLEAN = 'accepted: true or false (without quotes), e.g.';
/** Lines 1-10: settings, the "add" step, a blank line and `[thresholds]` on line 10. */
const THRESHOLDS = [...SETTINGS, ...STEP, '', '[thresholds]'];
/** A step named "a b", so per-tool tables need a quoted key (lines 5-8). */
const SPACED_STEP = ['', '[[scenario]]', 'type = "tools/call"', 'tool = "a b"'];

const BAD_CONFIGS: readonly BadConfig[] = [
  // --- TOML syntax ---
  {
    name: 'a key without a value is a syntax error at the value',
    toml: toml('[settings]', 'virtual_users = '),
    message: `loadtest.toml:2:17: invalid TOML: invalid value; ${TOML_1}`,
  },
  {
    name: 'an unclosed table header is a syntax error',
    toml: toml('[settings', 'virtual_users = 10'),
    message: `loadtest.toml:1:10: invalid TOML: illegal character in key; ${TOML_1}`,
  },
  {
    name: 'a key defined twice is a syntax error at the second definition',
    toml: toml(...SETTINGS, 'timeout_ms = 6000'),
    message: `loadtest.toml:5:1: invalid TOML: trying to redefine an already defined table or value; ${TOML_1}`,
  },
  // --- [settings] ---
  {
    name: 'a missing [settings] table is reported at line 1',
    toml: toml(...STEP),
    message:
      'loadtest.toml:1:1: the [settings] table is missing; accepted: a [settings] table with virtual_users, duration_secs and timeout_ms',
  },
  {
    name: 'settings that is not a table names its type only',
    toml: toml('settings = 5', ...STEP),
    message:
      'loadtest.toml:1:1: settings must be a table, got an integer; accepted: a [settings] table',
  },
  {
    name: 'a missing virtual_users points at the [settings] header',
    toml: toml('[settings]', 'duration_secs = 60', 'timeout_ms = 5000', ...STEP),
    message: `loadtest.toml:1:1: settings.virtual_users is missing; ${INT_1_100000}, e.g. virtual_users = 10 in [settings]`,
  },
  {
    name: 'a missing duration_secs points at the [settings] header',
    toml: toml('[settings]', 'virtual_users = 10', 'timeout_ms = 5000', ...STEP),
    message: `loadtest.toml:1:1: settings.duration_secs is missing; ${SECONDS}, e.g. duration_secs = 60 in [settings]`,
  },
  {
    name: 'a missing timeout_ms points at the [settings] header',
    toml: toml('[settings]', 'virtual_users = 10', 'duration_secs = 60', ...STEP),
    message: `loadtest.toml:1:1: settings.timeout_ms is missing; ${MS_FROM_1}, e.g. timeout_ms = 5000 in [settings]`,
  },
  {
    name: 'virtual_users given as a string is a type error',
    toml: toml('[settings]', 'virtual_users = "10"', 'duration_secs = 60', 'timeout_ms = 5000'),
    message: `loadtest.toml:2:1: settings.virtual_users must be a positive integer, got "10" (a string); ${INT_1_100000}`,
  },
  {
    name: 'zero virtual users are rejected',
    toml: toml('[settings]', 'virtual_users = 0', 'duration_secs = 60', 'timeout_ms = 5000'),
    message: `loadtest.toml:2:1: settings.virtual_users must be a positive integer, got 0 (an integer); ${INT_1_100000}`,
  },
  {
    name: 'fractional virtual users are rejected',
    toml: toml('[settings]', 'virtual_users = 2.5', 'duration_secs = 60', 'timeout_ms = 5000'),
    message: `loadtest.toml:2:1: settings.virtual_users must be a positive integer, got 2.5 (a float); ${INT_1_100000}`,
  },
  {
    name: 'a million virtual users is too large',
    toml: toml(
      '[settings]',
      'virtual_users = 1_000_000',
      'duration_secs = 60',
      'timeout_ms = 5000',
    ),
    message: `loadtest.toml:2:1: settings.virtual_users is too large, got 1000000 (an integer); ${INT_1_100000}`,
  },
  {
    name: 'an integer beyond 2^53 is too large rather than a crash',
    toml: toml('[settings]', 'virtual_users = 99999999999999999999'),
    message: `loadtest.toml:2:1: settings.virtual_users is too large, got 99999999999999999999 (an integer); ${INT_1_100000}`,
  },
  {
    name: 'a negative duration is rejected',
    toml: toml('[settings]', 'virtual_users = 10', 'duration_secs = -5', 'timeout_ms = 5000'),
    message: `loadtest.toml:3:1: settings.duration_secs must be a positive number, got -5 (an integer); ${SECONDS}`,
  },
  {
    name: 'a nan duration is rejected',
    toml: toml('[settings]', 'virtual_users = 10', 'duration_secs = nan', 'timeout_ms = 5000'),
    message: `loadtest.toml:3:1: settings.duration_secs must be a positive number, got nan (a float); ${SECONDS}`,
  },
  {
    name: 'an infinite duration is too large',
    toml: toml('[settings]', 'virtual_users = 10', 'duration_secs = inf', 'timeout_ms = 5000'),
    message: `loadtest.toml:3:1: settings.duration_secs is too large, got inf (a float); ${SECONDS}`,
  },
  {
    name: 'a duration over 7 days is too large',
    toml: toml('[settings]', 'virtual_users = 10', 'duration_secs = 700000', 'timeout_ms = 5000'),
    message: `loadtest.toml:3:1: settings.duration_secs is too large, got 700000 (an integer); ${SECONDS}`,
  },
  {
    name: 'a zero timeout is rejected',
    toml: toml('[settings]', 'virtual_users = 10', 'duration_secs = 60', 'timeout_ms = 0'),
    message: `loadtest.toml:4:1: settings.timeout_ms must be a positive integer, got 0 (an integer); ${MS_FROM_1}`,
  },
  {
    name: 'a timeout over an hour is too large',
    toml: toml('[settings]', 'virtual_users = 10', 'duration_secs = 60', 'timeout_ms = 3600001'),
    message: `loadtest.toml:4:1: settings.timeout_ms is too large, got 3600001 (an integer); ${MS_FROM_1}`,
  },
  {
    name: 'a zero expected_interval_ms is rejected',
    toml: toml(...SETTINGS, 'expected_interval_ms = 0', ...STEP),
    message: `loadtest.toml:5:1: settings.expected_interval_ms must be a positive integer, got 0 (an integer); ${MS_FROM_1}`,
  },
  {
    name: 'a negative request_interval_ms is rejected',
    toml: toml(...SETTINGS, 'request_interval_ms = -1', ...STEP),
    message:
      'loadtest.toml:5:1: settings.request_interval_ms must be a non-negative integer, got -1 (an integer); accepted: an integer from 0 to 3600000 milliseconds (1 hour)',
  },
  {
    name: 'max_response_bytes below 1 KiB is rejected',
    toml: toml(...SETTINGS, 'max_response_bytes = 100', ...STEP),
    message:
      'loadtest.toml:5:1: settings.max_response_bytes must be an integer of at least 1024, got 100 (an integer); accepted: an integer from 1024 to 1073741824 bytes (1 GiB)',
  },
  {
    name: 'an inline settings table locates the bad key inside it',
    toml: toml('settings = { virtual_users = 0, duration_secs = 60, timeout_ms = 5000 }', ...STEP),
    message: `loadtest.toml:1:14: settings.virtual_users must be a positive integer, got 0 (an integer); ${INT_1_100000}`,
  },
  // --- unknown keys ---
  {
    name: 'a misspelt settings key suggests the right one',
    toml: toml(
      '[settings]',
      'virtual_user = 10',
      'duration_secs = 60',
      'timeout_ms = 5000',
      ...STEP,
    ),
    message: `loadtest.toml:2:1: unknown key \`virtual_user\` in [settings] (did you mean \`virtual_users\`?); ${SETTINGS_KEYS}`,
  },
  {
    name: 'a transposed settings key suggests the right one',
    toml: toml(...SETTINGS, 'tiemout_ms = 5000', ...STEP),
    message: `loadtest.toml:5:1: unknown key \`tiemout_ms\` in [settings] (did you mean \`timeout_ms\`?); ${SETTINGS_KEYS}`,
  },
  {
    name: 'a plural [[scenarios]] suggests [[scenario]]',
    toml: toml(...SETTINGS, '', '[[scenarios]]', 'type = "tools/call"', 'tool = "add"'),
    message:
      'loadtest.toml:6:1: unknown key `scenarios` at the top level (did you mean `scenario`?); accepted keys: settings, scenario, stage, thresholds, client',
  },
  {
    name: 'a misspelt scenario key suggests the right one',
    toml: toml(...SETTINGS, ...STEP, 'wieght = 5'),
    message:
      'loadtest.toml:9:1: unknown key `wieght` in a "tools/call" [[scenario]] (did you mean `weight`?); accepted keys: type, weight, tool, arguments, progress',
  },
  {
    name: 'a quoted unknown key is shown quoted',
    toml: toml(...SETTINGS, ...STEP, '"tool name" = "x"'),
    message:
      'loadtest.toml:9:1: unknown key `"tool name"` in a "tools/call" [[scenario]] (did you mean `tool`?); accepted keys: type, weight, tool, arguments, progress',
  },
  // --- [[scenario]] ---
  {
    name: 'a config without [[scenario]] is rejected at line 1',
    toml: toml(...SETTINGS),
    message:
      'loadtest.toml:1:1: no [[scenario]] is defined; accepted: one or more [[scenario]] blocks with type "tools/call", "resources/read" or "prompts/get"',
  },
  {
    name: 'an empty scenario array is rejected',
    toml: toml('scenario = []', ...SETTINGS),
    message:
      'loadtest.toml:1:1: scenario is empty; accepted: one or more [[scenario]] blocks with type "tools/call", "resources/read" or "prompts/get"',
  },
  {
    name: 'a scenario that is a string is rejected',
    toml: toml('scenario = "add"', ...SETTINGS),
    message:
      'loadtest.toml:1:1: scenario must be an array of tables, got "add" (a string); accepted: one [[scenario]] block per step',
  },
  {
    name: 'a scenario entry that is not a table is rejected',
    toml: toml('scenario = [1]', ...SETTINGS),
    message:
      'loadtest.toml:1:1: scenario[0] must be a table, got 1 (an integer); accepted: a [[scenario]] block with type, weight and the fields of its type',
  },
  {
    name: 'a scenario without type is rejected at its header',
    toml: toml(...SETTINGS, '', '[[scenario]]', 'tool = "add"'),
    message: `loadtest.toml:6:1: scenario[0].type is missing; ${TYPES}`,
  },
  {
    name: 'a misspelt operation type suggests tools/call',
    toml: toml(...SETTINGS, '', '[[scenario]]', 'type = "tools/cal"', 'tool = "add"'),
    message: `loadtest.toml:7:1: scenario[0].type "tools/cal" is not a supported MCP operation (did you mean "tools/call"?); ${TYPES}`,
  },
  {
    name: 'a non-string operation type is rejected',
    toml: toml(...SETTINGS, '', '[[scenario]]', 'type = 5'),
    message: `loadtest.toml:7:1: scenario[0].type must be a string, got 5 (an integer); ${TYPES}`,
  },
  {
    name: 'the second scenario is counted as scenario[1]',
    toml: toml(...SETTINGS, ...STEP, '', '[[scenario]]', 'type = "resource/read"'),
    message: `loadtest.toml:11:1: scenario[1].type "resource/read" is not a supported MCP operation (did you mean "resources/read"?); ${TYPES}`,
  },
  {
    name: 'a tools/call step without tool is rejected',
    toml: toml(...SETTINGS, '', '[[scenario]]', 'type = "tools/call"', 'weight = 3'),
    message:
      'loadtest.toml:6:1: scenario[0].tool is missing (a "tools/call" step needs tool); accepted: a tool name from tools/list, e.g. tool = "add"',
  },
  {
    name: 'an empty tool name is rejected',
    toml: toml(...SETTINGS, '', '[[scenario]]', 'type = "tools/call"', 'tool = ""'),
    message:
      'loadtest.toml:8:1: scenario[0].tool must be a non-empty string, got "" (a string); accepted: a tool name from tools/list, e.g. tool = "add"',
  },
  {
    name: 'a numeric tool name is rejected',
    toml: toml(...SETTINGS, '', '[[scenario]]', 'type = "tools/call"', 'tool = 42'),
    message:
      'loadtest.toml:8:1: scenario[0].tool must be a non-empty string, got 42 (an integer); accepted: a tool name from tools/list, e.g. tool = "add"',
  },
  {
    name: 'an empty resource uri is rejected',
    toml: toml(...SETTINGS, '', '[[scenario]]', 'type = "resources/read"', 'uri = ""'),
    message:
      'loadtest.toml:8:1: scenario[0].uri must be a non-empty string, got "" (a string); accepted: a resource URI from resources/list, e.g. uri = "file:///data/config.json"',
  },
  {
    name: 'a blank prompt name is rejected',
    toml: toml(...SETTINGS, '', '[[scenario]]', 'type = "prompts/get"', 'prompt = "  "'),
    message:
      'loadtest.toml:8:1: scenario[0].prompt must be a non-empty string, got "  " (a string); accepted: a prompt name from prompts/list, e.g. prompt = "summarize"',
  },
  {
    name: 'a resources/read step may not carry arguments',
    toml: toml(
      ...SETTINGS,
      '',
      '[[scenario]]',
      'type = "resources/read"',
      'uri = "file:///a"',
      'arguments = { a = 1 }',
    ),
    message:
      'loadtest.toml:9:1: `arguments` is not allowed in a "resources/read" [[scenario]] (a resource is read by its uri alone); accepted keys: type, weight, uri',
  },
  {
    name: 'a uri in a tools/call step names the type it belongs to',
    toml: toml(...SETTINGS, ...STEP, 'uri = "file:///a"'),
    message:
      'loadtest.toml:9:1: `uri` is not allowed in a "tools/call" [[scenario]] (it belongs to "resources/read"); accepted keys: type, weight, tool, arguments, progress',
  },
  {
    name: 'a negative weight is rejected',
    toml: toml(...SETTINGS, ...STEP, 'weight = -1'),
    message:
      'loadtest.toml:9:1: scenario[0].weight must be a non-negative number, got -1 (an integer); accepted: a number from 0 to 1000000 (weights are relative)',
  },
  {
    name: 'a string weight is rejected',
    toml: toml(...SETTINGS, ...STEP, 'weight = "high"'),
    message:
      'loadtest.toml:9:1: scenario[0].weight must be a non-negative number, got "high" (a string); accepted: a number from 0 to 1000000 (weights are relative)',
  },
  {
    name: 'weights adding up to 0 are rejected at the first weight',
    toml: toml(
      ...SETTINGS,
      ...STEP,
      'weight = 0',
      '',
      '[[scenario]]',
      'type = "resources/read"',
      'uri = "file:///a"',
      'weight = 0',
    ),
    message:
      'loadtest.toml:9:1: the [[scenario]] weights add up to 0, so no step would ever run; accepted: at least one weight greater than 0',
  },
  {
    name: 'tool arguments that are not a table are rejected',
    toml: toml(...SETTINGS, ...STEP, 'arguments = "a=1"'),
    message:
      'loadtest.toml:9:1: scenario[0].arguments must be a table, got "a=1" (a string); accepted: an inline table such as arguments = { a = 42, b = 17 }',
  },
  {
    name: 'a nan tool argument is rejected at its key',
    toml: toml(...SETTINGS, ...STEP, 'arguments = { a = 1, b = nan }'),
    message:
      'loadtest.toml:9:22: scenario[0].arguments.b is nan (a float), which JSON cannot represent; accepted: finite numbers, strings, booleans, dates, arrays and tables',
  },
  {
    name: 'a tool argument too large for JSON numbers is rejected',
    toml: toml(...SETTINGS, ...STEP, 'arguments = { ids = [1, 12345678901234567890] }'),
    message:
      'loadtest.toml:9:15: scenario[0].arguments.ids[1] is 12345678901234567890 (an integer), too large to send exactly in JSON; accepted: integers from -9007199254740991 to 9007199254740991, or the number as a string',
  },
  {
    name: 'a numeric prompt argument is rejected because prompt arguments are strings',
    toml: toml(
      ...SETTINGS,
      '',
      '[[scenario]]',
      'type = "prompts/get"',
      'prompt = "summarize"',
      'arguments = { text = "hi", count = 5 }',
    ),
    message:
      'loadtest.toml:9:28: scenario[0].arguments.count must be a string (MCP prompt arguments are strings), got 5 (an integer); accepted: a string, e.g. count = "5"',
  },
  {
    name: 'a table-valued prompt argument is rejected',
    toml: toml(
      ...SETTINGS,
      '',
      '[[scenario]]',
      'type = "prompts/get"',
      'prompt = "p"',
      '[scenario.arguments]',
      'nested = { a = "b" }',
    ),
    message:
      'loadtest.toml:10:1: scenario[0].arguments.nested must be a string (MCP prompt arguments are strings), got a table; accepted: a string, e.g. nested = "…"',
  },
  {
    name: 'an inline scenario array locates the bad key inside it',
    toml: toml(
      'scenario = [',
      '  { type = "tools/call", tool = "a" },',
      '  { type = "tools/call", tool = "" },',
      ']',
      ...SETTINGS,
    ),
    message:
      'loadtest.toml:3:26: scenario[1].tool must be a non-empty string, got "" (a string); accepted: a tool name from tools/list, e.g. tool = "add"',
  },
  // --- [[stage]] ---
  {
    name: 'a stage with a zero duration is rejected',
    toml: toml(...SETTINGS, ...STEP, '', '[[stage]]', 'target_vus = 10', 'duration_secs = 0'),
    message: `loadtest.toml:12:1: stage[0].duration_secs must be a positive number, got 0 (an integer); ${SECONDS}`,
  },
  {
    name: 'a stage without target_vus is rejected at its header',
    toml: toml(
      ...SETTINGS,
      ...STEP,
      '',
      '[[stage]]',
      'target_vus = 10',
      'duration_secs = 5',
      '',
      '[[stage]]',
      'duration_secs = 5',
    ),
    message:
      'loadtest.toml:14:1: stage[1].target_vus is missing; accepted: an integer from 0 to 100000, e.g. target_vus = 20 in this [[stage]]',
  },
  {
    name: 'a negative stage target is rejected',
    toml: toml(...SETTINGS, ...STEP, '', '[[stage]]', 'target_vus = -1', 'duration_secs = 5'),
    message:
      'loadtest.toml:11:1: stage[0].target_vus must be a non-negative integer, got -1 (an integer); accepted: an integer from 0 to 100000',
  },
  {
    name: 'a misspelt stage key suggests the right one',
    toml: toml(...SETTINGS, ...STEP, '', '[[stage]]', 'target_vu = 1', 'duration_secs = 5'),
    message:
      'loadtest.toml:11:1: unknown key `target_vu` in [[stage]] (did you mean `target_vus`?); accepted keys: target_vus, target_rate, duration_secs',
  },
  {
    name: 'a stage that is not an array of tables is rejected',
    toml: toml('stage = 5', ...SETTINGS, ...STEP),
    message:
      'loadtest.toml:1:1: stage must be an array of tables, got 5 (an integer); accepted: [[stage]] blocks, each with target_vus and duration_secs',
  },
  {
    name: 'stages adding up to more than 7 days are rejected',
    toml: toml(
      ...SETTINGS,
      ...STEP,
      '',
      '[[stage]]',
      'target_vus = 1',
      'duration_secs = 604800',
      '',
      '[[stage]]',
      'target_vus = 0',
      'duration_secs = 1',
    ),
    message:
      'loadtest.toml:10:1: the [[stage]] durations add up to 604801 seconds; accepted: at most 604800 seconds (7 days) in total',
  },
  // --- [thresholds] and stop_on_breaking_point ---
  {
    name: 'stop_on_breaking_point given as a number is a type error',
    toml: toml(...SETTINGS, 'stop_on_breaking_point = 1', ...STEP),
    message: `loadtest.toml:5:1: settings.stop_on_breaking_point must be a boolean, got 1 (an integer); ${BOOLEAN} stop_on_breaking_point = true`,
  },
  {
    name: 'progress given as a string is a type error',
    toml: toml(...SETTINGS, ...STEP, 'progress = "yes"'),
    message: `loadtest.toml:9:1: scenario[0].progress must be a boolean, got "yes" (a string); ${BOOLEAN} progress = true`,
  },
  {
    name: 'progress in a resources/read step belongs to tools/call',
    toml: toml(
      ...SETTINGS,
      '',
      '[[scenario]]',
      'type = "resources/read"',
      'uri = "a://b"',
      'progress = true',
    ),
    message:
      'loadtest.toml:9:1: `progress` is not allowed in a "resources/read" [[scenario]] (it belongs to "tools/call"); accepted keys: type, weight, uri',
  },
  {
    name: 'thresholds that are not a table are rejected',
    toml: toml('thresholds = 500', ...SETTINGS, ...STEP),
    message:
      'loadtest.toml:1:1: thresholds must be a table, got 500 (an integer); accepted: a [thresholds] table with p50_ms, p95_ms, p99_ms, error_rate, min_throughput_rps, max_p99_regression, max_error_rate_increase, min_throughput_ratio, fail_on_breaking_point, tools',
  },
  {
    name: 'a singular [threshold] table suggests [thresholds]',
    toml: toml(...SETTINGS, ...STEP, '', '[threshold]', 'p99_ms = 500'),
    message: `loadtest.toml:10:1: unknown key \`threshold\` at the top level (did you mean \`thresholds\`?); ${TOP_KEYS}`,
  },
  {
    name: 'a p99_ms given as a string is a type error',
    toml: toml(...THRESHOLDS, 'p99_ms = "500"'),
    message: `loadtest.toml:11:1: thresholds.p99_ms must be a positive number, got "500" (a string); ${LATENCY_MS}`,
  },
  {
    name: 'a negative p99_ms is rejected',
    toml: toml(...THRESHOLDS, 'p99_ms = -5'),
    message: `loadtest.toml:11:1: thresholds.p99_ms must be a positive number, got -5 (an integer); ${LATENCY_MS}`,
  },
  {
    name: 'a zero p50_ms is rejected (no request is that fast)',
    toml: toml(...THRESHOLDS, 'p50_ms = 0'),
    message: `loadtest.toml:11:1: thresholds.p50_ms must be a positive number, got 0 (an integer); ${LATENCY_MS}`,
  },
  {
    name: 'a p95_ms over an hour is too large',
    toml: toml(...THRESHOLDS, 'p95_ms = inf'),
    message: `loadtest.toml:11:1: thresholds.p95_ms is too large, got inf (a float); ${LATENCY_MS}`,
  },
  {
    name: 'an error_rate of 1.5 is too large: it is a ratio, not a percentage',
    toml: toml(...THRESHOLDS, 'error_rate = 1.5'),
    message: `loadtest.toml:11:1: thresholds.error_rate is too large, got 1.5 (a float); ${RATIO}`,
  },
  {
    name: 'a negative error_rate is rejected',
    toml: toml(...THRESHOLDS, 'error_rate = -0.1'),
    message: `loadtest.toml:11:1: thresholds.error_rate must be a number from 0 to 1, got -0.1 (a float); ${RATIO}`,
  },
  {
    name: 'an error_rate written as a percentage string is a type error',
    toml: toml(...THRESHOLDS, 'error_rate = "5%"'),
    message: `loadtest.toml:11:1: thresholds.error_rate must be a number from 0 to 1, got "5%" (a string); ${RATIO}`,
  },
  {
    name: 'a zero min_throughput_rps is rejected',
    toml: toml(...THRESHOLDS, 'min_throughput_rps = 0'),
    message:
      'loadtest.toml:11:1: thresholds.min_throughput_rps must be a positive number, got 0 (an integer); accepted: a number of requests per second greater than 0, at most 10000000',
  },
  {
    name: 'a negative max_p99_regression is out of range',
    toml: toml(...THRESHOLDS, 'max_p99_regression = -0.1'),
    message:
      "loadtest.toml:11:1: thresholds.max_p99_regression must be a non-negative number, got -0.1 (a float); accepted: a ratio from 0 to 100 (0.15 = the p99 may grow by 15% over the baseline's)",
  },
  {
    name: 'a max_error_rate_increase above 1 is out of range',
    toml: toml(...THRESHOLDS, 'max_error_rate_increase = 5'),
    message:
      "loadtest.toml:11:1: thresholds.max_error_rate_increase is too large, got 5 (an integer); accepted: a ratio from 0 to 1 (0.01 = the error rate may rise by 1 point over the baseline's)",
  },
  {
    name: 'a min_throughput_ratio of 0 gates nothing and is refused',
    toml: toml(...THRESHOLDS, 'min_throughput_ratio = 0'),
    message:
      "loadtest.toml:11:1: thresholds.min_throughput_ratio must be a number greater than 0 and at most 1, got 0 (an integer); accepted: a ratio greater than 0, at most 1 (0.9 = the throughput may fall to 90% of the baseline's)",
  },
  {
    name: 'fail_on_breaking_point given as a string is a type error',
    toml: toml(...THRESHOLDS, 'fail_on_breaking_point = "true"'),
    message: `loadtest.toml:11:1: thresholds.fail_on_breaking_point must be a boolean, got "true" (a string); ${BOOLEAN} fail_on_breaking_point = true`,
  },
  {
    name: 'an unknown threshold key suggests the right one',
    toml: toml(...THRESHOLDS, 'p99 = 500'),
    message:
      'loadtest.toml:11:1: unknown key `p99` in [thresholds] (did you mean `p99_ms`?); accepted keys: p50_ms, p95_ms, p99_ms, error_rate, min_throughput_rps, max_p99_regression, max_error_rate_increase, min_throughput_ratio, fail_on_breaking_point, tools',
  },
  {
    name: 'a per-tool scope naming no scenario step suggests the closest step',
    toml: toml(...SETTINGS, ...STEP, '', '[thresholds.tools.ad]', 'p99_ms = 500'),
    message:
      'loadtest.toml:10:1: thresholds.tools.ad names no [[scenario]] step, so it would never be checked (did you mean "add"?); accepted: the tool name, resource URI or prompt name of a step: "add"',
  },
  {
    name: 'a per-tool scope matching nothing lists the step names',
    toml: toml(
      ...SETTINGS,
      ...STEP,
      '',
      '[[scenario]]',
      'type = "resources/read"',
      'uri = "calc://constants"',
      '',
      '[thresholds.tools."search"]',
      'p99_ms = 500',
    ),
    message:
      'loadtest.toml:14:1: thresholds.tools.search names no [[scenario]] step, so it would never be checked; accepted: the tool name, resource URI or prompt name of a step: "add", "calc://constants"',
  },
  {
    name: 'a per-tool scope may not set fail_on_breaking_point',
    toml: toml(...SETTINGS, ...STEP, '', '[thresholds.tools.add]', 'fail_on_breaking_point = true'),
    message: `loadtest.toml:11:1: \`fail_on_breaking_point\` is not allowed in [thresholds.tools.add] (the breaking point belongs to the whole run: set it in [thresholds]); ${LIMIT_KEYS}`,
  },
  {
    name: 'an unknown per-tool key under a quoted scope suggests the right one',
    toml: toml(...SETTINGS, ...SPACED_STEP, '', '[thresholds.tools."a b"]', 'p99ms = 5'),
    message: `loadtest.toml:11:1: unknown key \`p99ms\` in [thresholds.tools."a b"] (did you mean \`p99_ms\`?); ${LIMIT_KEYS}`,
  },
  {
    name: 'a bad per-tool value under a quoted scope is located at its line',
    toml: toml(
      ...SETTINGS,
      ...SPACED_STEP,
      '',
      '[thresholds.tools."a b"]',
      'p50_ms = 100',
      'p99_ms = -1',
    ),
    message: `loadtest.toml:12:1: thresholds.tools."a b".p99_ms must be a positive number, got -1 (an integer); ${LATENCY_MS}`,
  },
  {
    name: 'thresholds.tools that is not a table is rejected',
    toml: toml(...THRESHOLDS, 'tools = "add"'),
    message:
      'loadtest.toml:11:1: thresholds.tools must be a table, got "add" (a string); accepted: [thresholds.tools."<tool name, resource URI or prompt name>"] tables, e.g. [thresholds.tools."add"] with p99_ms = 500',
  },
  {
    name: 'a per-tool entry that is not a table is located inside the inline table',
    toml: toml(...THRESHOLDS, 'tools = { add = 5 }'),
    message:
      'loadtest.toml:11:11: thresholds.tools.add must be a table, got 5 (an integer); accepted: a [thresholds.tools.add] table with p50_ms, p95_ms, p99_ms, error_rate, min_throughput_rps, max_p99_regression, max_error_rate_increase, min_throughput_ratio',
  },
  // --- [settings.headers] ---
  {
    name: 'a header referring to an unset variable names the variable and the header',
    toml: toml(
      ...SETTINGS,
      '',
      '[settings.headers]',
      'Authorization = "Bearer ${MCP_TOKEN}"',
      ...STEP,
    ),
    env: {},
    message:
      'loadtest.toml:7:1: settings.headers.Authorization refers to environment variable MCP_TOKEN, which is not set; set MCP_TOKEN in the environment (in a workflow: env:) or remove the reference',
  },
  {
    name: 'a non-string header value is described by type only',
    toml: toml(...SETTINGS, '', '[settings.headers]', 'X-Retries = 3', ...STEP),
    message:
      'loadtest.toml:7:1: settings.headers.X-Retries must be a string, got an integer; accepted: a string, which may use ${ENV_VAR} references',
  },
  {
    name: 'headers that are not a table are described by type only',
    toml: toml(...SETTINGS, `headers = "Bearer ${SECRET}"`, ...STEP),
    message:
      'loadtest.toml:5:1: settings.headers must be a table, got a string; accepted: a [settings.headers] table of Header-Name = "value" strings',
  },
  {
    name: 'an invalid header name is rejected',
    toml: toml(...SETTINGS, '', '[settings.headers]', `"X Token" = "${SECRET}"`, ...STEP),
    message:
      'loadtest.toml:7:1: settings.headers has an invalid header name "X Token"; accepted: letters, digits and !#$%&\'*+-.^_`|~',
  },
  {
    name: 'a header the HTTP client manages is rejected',
    toml: toml(...SETTINGS, '', '[settings.headers]', 'Content-Length = "10"', ...STEP),
    message:
      'loadtest.toml:7:1: settings.headers.Content-Length cannot be set in the config: it is managed by the HTTP client; accepted: any header except accept, connection, content-length, content-type, expect, host, keep-alive, mcp-protocol-version, mcp-session-id, transfer-encoding, upgrade (auth and routing headers such as Authorization)',
  },
  {
    name: 'Accept in the config is rejected by validate, not first by run',
    toml: toml(...SETTINGS, '', '[settings.headers]', 'Accept = "text/html"', ...STEP),
    message:
      'loadtest.toml:7:1: settings.headers.Accept cannot be set in the config: it is set by mcp-loadtest itself; accepted: any header except accept, connection, content-length, content-type, expect, host, keep-alive, mcp-protocol-version, mcp-session-id, transfer-encoding, upgrade (auth and routing headers such as Authorization)',
  },
  {
    name: 'the same header in two spellings is rejected',
    toml: toml(
      ...SETTINGS,
      '',
      '[settings.headers]',
      `Authorization = "${SECRET}"`,
      `authorization = "${SECRET}"`,
      ...STEP,
    ),
    message:
      'loadtest.toml:8:1: settings.headers.authorization sets the same header twice (header names are case-insensitive); accepted: one entry per header name',
  },
  {
    name: 'an unterminated ${ reference is rejected without quoting the value',
    toml: toml(
      ...SETTINGS,
      '',
      '[settings.headers]',
      `Authorization = "${SECRET} \${TOKEN"`,
      ...STEP,
    ),
    message:
      'loadtest.toml:7:1: settings.headers.Authorization has a malformed ${...} reference; accepted: ${NAME} with NAME made of letters, digits and _, or $${ for a literal ${',
  },
  {
    name: 'a header whose variable holds a line break is rejected without quoting it',
    toml: toml(
      ...SETTINGS,
      '',
      '[settings.headers]',
      'Authorization = "Bearer ${MCP_TOKEN}"',
      ...STEP,
    ),
    env: { MCP_TOKEN: `${SECRET}\r\nX-Injected: 1` },
    message:
      'loadtest.toml:7:1: settings.headers.Authorization contains a line break, control character or character above U+00FF; accepted: tab, visible ASCII and Latin-1 characters (check the variables it references)',
  },
];

function configError(toml: string, env: NodeJS.ProcessEnv = {}): LoadtestError {
  try {
    parseConfig(toml, 'loadtest.toml', env);
  } catch (error) {
    if (error instanceof LoadtestError) return error;
    throw error;
  }
  throw new Error('expected parseConfig to throw');
}

describe('parseConfig rejects bad configs with one located line', () => {
  it('covers at least 25 cases', () => {
    expect(BAD_CONFIGS.length).toBeGreaterThanOrEqual(25);
  });

  it.each(BAD_CONFIGS)('$name', ({ toml, env, message }) => {
    const error = configError(toml, env);
    expect(error.message).toBe(message);
    expect(error.message).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe(message.includes('invalid TOML') ? 'CONFIG_SYNTAX' : 'CONFIG_INVALID');
  });

  it.each(BAD_CONFIGS)(
    'sets file, line and column to match the message: $name',
    ({ toml, env, message }) => {
      const error = configError(toml, env);
      const located = /^loadtest\.toml:(\d+):(\d+): /.exec(message);
      expect(error.file).toBe('loadtest.toml');
      expect(error.line).toBe(located === null ? undefined : Number(located[1]));
      expect(error.column).toBe(located === null ? undefined : Number(located[2]));
    },
  );

  it('never prints a header value, whatever is wrong with the header', () => {
    const cases = BAD_CONFIGS.filter(
      (c) => c.toml.includes(SECRET) || JSON.stringify(c.env ?? {}).includes(SECRET),
    );
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const { toml, env } of cases) {
      const error = configError(toml, env);
      expect(error.message).not.toContain(SECRET);
      expect(String(error.cause ?? '')).not.toContain(SECRET);
    }
  });

  it('never prints a header value from a syntax error on the header line', () => {
    const error = configError(
      toml(...SETTINGS, '', '[settings.headers]', `Authorization = "Bearer ${SECRET}`),
    );
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message).not.toContain(SECRET);
    expect(error.cause).toBeUndefined();
  });
});
