import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { parse, stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import {
  SCENARIO_KEYS,
  SETTINGS_KEYS,
  STAGE_KEYS,
  THRESHOLD_KEYS,
} from '../../src/config/config-rules.js';
import { parseConfig } from '../../src/config/load-config.js';
import { TomlPositions } from '../../src/config/toml-position.js';
import { OPERATION_TYPES } from '../../src/config/types.js';
import { LoadtestError } from '../../src/errors.js';

const schemaPath = resolve(import.meta.dirname, '../../schema/config.schema.json');
const validateSchema = new Ajv({ strict: true }).compile(
  JSON.parse(readFileSync(schemaPath, 'utf8')) as object,
);

const ENV = { TOKEN: 'secret' };

/** Runs parseConfig and states what any outcome must look like. */
function checkOutcome(text: string): void {
  let config;
  try {
    config = parseConfig(text, 'f.toml', ENV);
  } catch (error) {
    expect(error).toBeInstanceOf(LoadtestError);
    const { message, exitCode, code } = error as LoadtestError;
    expect(exitCode).toBe(2);
    expect(['CONFIG_SYNTAX', 'CONFIG_INVALID']).toContain(code);
    expect(message.startsWith('f.toml')).toBe(true);
    expect(message).not.toMatch(/[\n\r\u2028\u2029]/);
    return;
  }
  expect(Object.isFrozen(config.settings)).toBe(true);
  // The loader is at least as strict as the published schema.
  expect(validateSchema(JSON.parse(JSON.stringify(parse(text))))).toBe(true);
}

const ALL_KEYS = [
  'settings',
  'scenario',
  'stage',
  'thresholds',
  ...SETTINGS_KEYS,
  ...STAGE_KEYS,
  ...THRESHOLD_KEYS,
  ...new Set(Object.values(SCENARIO_KEYS).flat()),
];

const key = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ALL_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...OPERATION_TYPES, 'tools/cal', '${TOKEN}', '${MISSING}', '', 'Bearer ${TOKEN}'),
  fc.integer({ min: -5, max: 200_000 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.bigInt(),
  fc.date({ noInvalidDate: true }),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}));

/** Documents shaped like configs: mostly plausible values, so validation often gets to the end. */
const number = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 2000 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -2, max: 200_000 }), fc.double(), value) },
);
const name = fc.oneof({ weight: 9, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) }, leaf);
const safeLeaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.date({ noInvalidDate: true }),
);
const args = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), safeLeaf, { maxKeys: 3 }) },
  { weight: 1, arbitrary: value },
);
const step = fc.oneof(
  fc.record(
    { type: fc.constant('tools/call'), weight: number, tool: name, arguments: args },
    { requiredKeys: ['type', 'tool'] },
  ),
  fc.record(
    { type: fc.constant('resources/read'), weight: number, uri: name },
    { requiredKeys: ['type', 'uri'] },
  ),
  fc.record(
    {
      type: fc.oneof(
        { weight: 9, arbitrary: fc.constant('prompts/get') },
        fc.constant('prompt/get'),
      ),
      weight: number,
      prompt: name,
      arguments: fc.dictionary(
        fc.string({ maxLength: 6 }),
        fc.oneof({ weight: 9, arbitrary: fc.string() }, leaf),
        { maxKeys: 3 },
      ),
    },
    { requiredKeys: ['type', 'prompt'] },
  ),
);
const configLike = fc.record(
  {
    settings: fc.record(
      {
        virtual_users: number,
        duration_secs: number,
        timeout_ms: number,
        expected_interval_ms: number,
        request_interval_ms: number,
        max_response_bytes: fc.oneof(fc.integer({ min: 1024, max: 1e9 }), number),
        headers: fc.dictionary(
          fc.stringMatching(/^[A-Za-z][A-Za-z-]{0,8}$/),
          fc.oneof({ weight: 9, arbitrary: fc.stringMatching(/^[ -~]{0,12}$/) }, leaf),
          { maxKeys: 2 },
        ),
        stop_on_breaking_point: fc.oneof({ weight: 9, arbitrary: fc.boolean() }, leaf),
      },
      { requiredKeys: ['virtual_users', 'duration_secs', 'timeout_ms'] },
    ),
    scenario: fc.array(step, { minLength: 1, maxLength: 4 }),
    stage: fc.array(
      fc.record({ target_vus: number, duration_secs: number }, { requiredKeys: [] }),
      {
        maxLength: 3,
      },
    ),
    thresholds: fc.record(
      {
        p50_ms: number,
        p99_ms: number,
        error_rate: fc.oneof({ weight: 9, arbitrary: fc.double({ min: 0, max: 1 }) }, number),
        min_throughput_rps: number,
        fail_on_breaking_point: fc.oneof({ weight: 9, arbitrary: fc.boolean() }, leaf),
        // Random scopes rarely name a step (an error): mostly none, so some configs pass.
        tools: fc.oneof(
          { weight: 4, arbitrary: fc.constant({}) },
          fc.dictionary(
            name.filter((n): n is string => typeof n === 'string'),
            fc.record({ p95_ms: number, error_rate: number }, { requiredKeys: [] }),
            { maxKeys: 2 },
          ),
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['settings', 'scenario'] },
);

function toToml(document: unknown): string | undefined {
  try {
    return stringify(document);
  } catch {
    return undefined; // not every JS value has a TOML spelling
  }
}

describe('parseConfig on arbitrary input', () => {
  it('throws only LoadtestError on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkOutcome), {
      numRuns: 300,
    });
  });

  it('throws only LoadtestError on strings made of TOML punctuation', () => {
    const tomlish = fc.string({
      unit: fc.constantFrom(
        '[',
        ']',
        '{',
        '}',
        '=',
        '"',
        "'",
        '.',
        ',',
        '#',
        '\n',
        ' ',
        'a',
        '1',
        '\\',
      ),
      maxLength: 80,
    });
    fc.assert(fc.property(tomlish, checkOutcome), { numRuns: 500 });
  });

  it('throws only LoadtestError on arbitrary TOML documents', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (document) => {
        const text = toToml(document);
        fc.pre(text !== undefined);
        checkOutcome(text as string);
      }),
      { numRuns: 300 },
    );
  });

  it('throws only LoadtestError on config-shaped TOML documents, and accepts some', () => {
    let accepted = 0;
    fc.assert(
      fc.property(configLike, (document) => {
        const text = toToml(document);
        fc.pre(text !== undefined);
        checkOutcome(text as string);
        try {
          parseConfig(text as string, 'f.toml', ENV);
          accepted++;
        } catch {
          // counted above
        }
      }),
      { numRuns: 500 },
    );
    console.log('ACCEPTED', accepted);
    expect(accepted).toBeGreaterThan(25);
  });
});

describe('TomlPositions on arbitrary input', () => {
  it('never throws and stays inside the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.array(key, { maxLength: 3 }),
        (text, path) => {
          const at = TomlPositions.of(text).locate(path);
          if (at !== undefined) {
            expect(at.line).toBeGreaterThanOrEqual(1);
            expect(at.line).toBeLessThanOrEqual(text.split('\n').length);
            expect(at.column).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds every key of a serialised document at its key or header', () => {
    const bareKey = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean()),
        fc.array(tie('tree'), { maxLength: 3 }),
        fc.dictionary(bareKey, tie('tree'), { maxKeys: 3 }),
      ),
    }));
    fc.assert(
      fc.property(fc.dictionary(bareKey, tree, { maxKeys: 4 }), (document) => {
        const text = toToml(document);
        fc.pre(text !== undefined);
        const positions = TomlPositions.of(text as string);
        const lines = (text as string).split('\n');
        const visit = (node: unknown, path: (string | number)[]): void => {
          if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...path, i]));
          else if (typeof node === 'object' && node !== null) {
            for (const [k, child] of Object.entries(node)) {
              const at = positions.locate([...path, k]);
              expect(at, `${JSON.stringify([...path, k])} in\n${text}`).toBeDefined();
              const rest = lines[(at?.line ?? 1) - 1]?.slice((at?.column ?? 1) - 1) ?? '';
              const isContainer = typeof child === 'object' && child !== null;
              expect(rest.startsWith(k) || (isContainer && rest.startsWith('['))).toBe(true);
              visit(child, [...path, k]);
            }
          }
        };
        visit(parse(text as string), []);
      }),
      { numRuns: 300 },
    );
  });
});
