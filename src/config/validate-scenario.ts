/**
 * `[[scenario]]` entries → ScenarioStep. The operation `type` is read first because it decides
 * which keys are allowed; tool arguments become plain JSON (TOML dates → ISO strings), prompt
 * arguments must be strings (MCP `prompts/get` takes `{ [name]: string }`).
 */
import type { ConfigChecker } from './config-checker.js';
import { DEFAULTS, RULES, SCENARIO_KEYS } from './config-rules.js';
import { dateText, describeValue, isTable, quoteText } from './describe-value.js';
import { didYouMean } from './did-you-mean.js';
import { formatKeyPath, type KeyPath } from './toml-position.js';
import { OPERATION_TYPES, type OperationType, type ScenarioStep } from './types.js';

const TYPES_ACCEPTED = `accepted: ${OPERATION_TYPES.map((t) => `"${t}"`).join(', ')}`;
const ADD_SCENARIO =
  'accepted: one or more [[scenario]] blocks with type "tools/call", "resources/read" or "prompts/get"';

/** What `tool`, `uri` and `prompt` name, for "is missing" errors. */
const NAME_KEYS = {
  'tools/call': { key: 'tool', accepted: 'a tool name from tools/list, e.g. tool = "add"' },
  'resources/read': {
    key: 'uri',
    accepted: 'a resource URI from resources/list, e.g. uri = "file:///data/config.json"',
  },
  'prompts/get': {
    key: 'prompt',
    accepted: 'a prompt name from prompts/list, e.g. prompt = "summarize"',
  },
} as const;

export function readScenario(check: ConfigChecker, raw: unknown): ScenarioStep[] {
  if (raw === undefined) check.fail([], 'no [[scenario]] is defined', ADD_SCENARIO);
  if (!Array.isArray(raw)) {
    check.fail(
      ['scenario'],
      `scenario must be an array of tables, got ${describeValue(raw)}`,
      'accepted: one [[scenario]] block per step',
    );
  }
  if (raw.length === 0) check.fail(['scenario'], 'scenario is empty', ADD_SCENARIO);
  const steps = raw.map((entry: unknown, index) => readStep(check, entry, ['scenario', index]));
  if (steps.reduce((sum, step) => sum + step.weight, 0) <= 0) {
    check.fail(
      ['scenario', 0, 'weight'],
      'the [[scenario]] weights add up to 0, so no step would ever run',
      'accepted: at least one weight greater than 0',
    );
  }
  return steps;
}

function readStep(check: ConfigChecker, entry: unknown, path: KeyPath): ScenarioStep {
  const name = formatKeyPath(path);
  if (!isTable(entry)) {
    check.fail(
      path,
      `${name} must be a table, got ${describeValue(entry)}`,
      'accepted: a [[scenario]] block with type, weight and the fields of its type',
    );
  }
  const type = readType(check, entry.type, [...path, 'type']);
  rejectKeysOfOtherTypes(check, entry, path, type);
  check.rejectUnknownKeys(entry, path, SCENARIO_KEYS[type], `in a "${type}" [[scenario]]`);
  const weight = check.number(entry, path, 'weight', RULES.weight, DEFAULTS.weight);
  const target = readName(check, entry, path, type);
  switch (type) {
    case 'tools/call': {
      const args = readToolArguments(check, entry.arguments, [...path, 'arguments']);
      const step =
        args === undefined
          ? { type, weight, tool: target }
          : { type, weight, tool: target, arguments: args };
      return check.boolean(entry, path, 'progress', false) ? { ...step, progress: true } : step;
    }
    case 'resources/read':
      return { type, weight, uri: target };
    case 'prompts/get': {
      const args = readPromptArguments(check, entry.arguments, [...path, 'arguments']);
      return args === undefined
        ? { type, weight, prompt: target }
        : { type, weight, prompt: target, arguments: args };
    }
  }
}

function readType(check: ConfigChecker, value: unknown, path: KeyPath): OperationType {
  const name = formatKeyPath(path);
  if (value === undefined) check.fail(path, `${name} is missing`, TYPES_ACCEPTED);
  if (typeof value !== 'string') {
    check.fail(path, `${name} must be a string, got ${describeValue(value)}`, TYPES_ACCEPTED);
  }
  const known = OPERATION_TYPES.find((t) => t === value);
  if (known !== undefined) return known;
  const suggestion = didYouMean(value, OPERATION_TYPES);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return check.fail(
    path,
    `${name} ${quoteText(value)} is not a supported MCP operation${hint}`,
    TYPES_ACCEPTED,
  );
}

/** `uri` in a tools/call step is a mix-up, not a typo: say which type the key belongs to. */
function rejectKeysOfOtherTypes(
  check: ConfigChecker,
  entry: Readonly<Record<string, unknown>>,
  path: KeyPath,
  type: OperationType,
): void {
  const accepted = SCENARIO_KEYS[type];
  for (const key of Object.keys(entry)) {
    if (accepted.includes(key)) continue;
    const owners = OPERATION_TYPES.filter((t) => SCENARIO_KEYS[t].includes(key));
    if (owners.length === 0) continue;
    const why =
      type === 'resources/read' && key === 'arguments'
        ? 'a resource is read by its uri alone'
        : `it belongs to ${owners.map((t) => `"${t}"`).join(' and ')}`;
    check.fail(
      [...path, key],
      `\`${key}\` is not allowed in a "${type}" [[scenario]] (${why})`,
      `accepted keys: ${accepted.join(', ')}`,
    );
  }
}

function readName(
  check: ConfigChecker,
  entry: Readonly<Record<string, unknown>>,
  path: KeyPath,
  type: OperationType,
): string {
  const { key, accepted } = NAME_KEYS[type];
  const value = entry[key];
  const at = [...path, key];
  const name = formatKeyPath(at);
  if (value === undefined)
    check.fail(at, `${name} is missing (a "${type}" step needs ${key})`, `accepted: ${accepted}`);
  if (typeof value !== 'string' || value.trim() === '') {
    check.fail(
      at,
      `${name} must be a non-empty string, got ${describeValue(value)}`,
      `accepted: ${accepted}`,
    );
  }
  return value;
}

function readToolArguments(
  check: ConfigChecker,
  value: unknown,
  path: KeyPath,
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isTable(value)) {
    check.fail(
      path,
      `${formatKeyPath(path)} must be a table, got ${describeValue(value)}`,
      'accepted: an inline table such as arguments = { a = 42, b = 17 }',
    );
  }
  return toJsonTable(check, value, path);
}

function toJsonTable(
  check: ConfigChecker,
  table: Readonly<Record<string, unknown>>,
  path: KeyPath,
): Record<string, unknown> {
  // Object.fromEntries defines own properties, so a `__proto__` key stays data, not a prototype.
  return Object.fromEntries(
    Object.entries(table).map(([key, v]) => [key, toJson(check, v, [...path, key])]),
  );
}

/** A TOML value as the JSON the request will carry; rejects what JSON cannot represent exactly. */
function toJson(check: ConfigChecker, value: unknown, path: KeyPath): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    check.fail(
      path,
      `${formatKeyPath(path)} is ${describeValue(value)}, which JSON cannot represent`,
      'accepted: finite numbers, strings, booleans, dates, arrays and tables',
    );
  }
  if (typeof value === 'bigint') {
    check.fail(
      path,
      `${formatKeyPath(path)} is ${describeValue(value)}, too large to send exactly in JSON`,
      `accepted: integers from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, or the number as a string`,
    );
  }
  if (value instanceof Date) return dateText(value);
  if (Array.isArray(value))
    return value.map((item: unknown, index) => toJson(check, item, [...path, index]));
  if (isTable(value)) return toJsonTable(check, value, path);
  return value;
}

function readPromptArguments(
  check: ConfigChecker,
  value: unknown,
  path: KeyPath,
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isTable(value)) {
    check.fail(
      path,
      `${formatKeyPath(path)} must be a table, got ${describeValue(value)}`,
      'accepted: an inline table of strings such as arguments = { text = "Hello world" }',
    );
  }
  const out: [string, string][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      const at = [...path, key];
      const example =
        typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'
          ? `"${String(v)}"`
          : '"…"';
      check.fail(
        at,
        `${formatKeyPath(at)} must be a string (MCP prompt arguments are strings), got ${describeValue(v)}`,
        `accepted: a string, e.g. ${formatKeyPath([key])} = ${example}`,
      );
    }
    out.push([key, v]);
  }
  return Object.fromEntries(out);
}
