import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  RULES,
  SCENARIO_KEYS,
  SETTINGS_KEYS,
  STAGE_KEYS,
  THRESHOLD_KEYS,
  THRESHOLD_LIMIT_KEYS,
  TOP_LEVEL_KEYS,
  type NumberRule,
} from '../../src/config/config-rules.js';
import { parseConfig } from '../../src/config/load-config.js';
import { LoadtestError } from '../../src/errors.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/configs');

interface JsonSchema {
  readonly type?: string;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema & { readonly oneOf?: readonly { $ref: string }[] };
  readonly definitions?: Record<string, JsonSchema>;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly description?: string;
  readonly $ref?: string;
  readonly const?: string;
  readonly additionalProperties?: JsonSchema | boolean;
}

const schema = JSON.parse(
  readFileSync(join(ROOT, 'schema/config.schema.json'), 'utf8'),
) as JsonSchema;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** What an editor validates: the TOML document as JSON (dates become ISO strings). */
function tomlAsJson(text: string): unknown {
  return JSON.parse(JSON.stringify(parse(text)));
}

const S = '[settings]\nvirtual_users = 10\nduration_secs = 60\ntimeout_ms = 5000\n';
const STEP = '\n[[scenario]]\ntype = "tools/call"\ntool = "add"\n';

const VALID = [
  ...readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.toml'))
    .map((name) => ({ name, text: readFileSync(join(FIXTURES, name), 'utf8') })),
  { name: 'minimal with an omitted weight', text: S + STEP },
  {
    name: 'every optional setting',
    text: `${S}expected_interval_ms = 50\nrequest_interval_ms = 0\nmax_response_bytes = 1024\n[settings.headers]\nAuthorization = "Bearer \${TOKEN}"\n${STEP}`,
  },
  {
    name: 'dates and nested tool arguments',
    text: `${S}${STEP}arguments = { at = 1979-05-27T07:32:00Z, list = [1, { a = "b" }] }\n`,
  },
  {
    name: 'a zero weight beside a positive one',
    text: `${S}${STEP}weight = 0\n${STEP}weight = 0.5\n`,
  },
  {
    name: 'a fractional stage',
    text: `${S}${STEP}\n[[stage]]\ntarget_vus = 0\nduration_secs = 0.5\n`,
  },
  {
    name: 'every threshold, a per-tool scope and stop_on_breaking_point',
    text: `${S}stop_on_breaking_point = true\n${STEP}\n[thresholds]\np50_ms = 100\np95_ms = 250.5\np99_ms = 500\nerror_rate = 0\nmin_throughput_rps = 0.5\nfail_on_breaking_point = true\n\n[thresholds.tools."add"]\np99_ms = 50\nerror_rate = 1\n`,
  },
  {
    name: 'an empty [thresholds] table and an empty per-tool table',
    text: `${S}${STEP}\n[thresholds]\n[thresholds.tools.add]\n`,
  },
];

const INVALID = [
  { name: 'an unknown top-level table', text: `${S}${STEP}\n[threshold]\np99_ms = 5\n` },
  { name: 'thresholds that are not a table', text: `thresholds = 5\n${S}${STEP}` },
  { name: 'an error_rate of 1.5', text: `${S}${STEP}\n[thresholds]\nerror_rate = 1.5\n` },
  { name: 'a negative p99_ms', text: `${S}${STEP}\n[thresholds]\np99_ms = -1\n` },
  {
    name: 'a zero min_throughput_rps',
    text: `${S}${STEP}\n[thresholds]\nmin_throughput_rps = 0\n`,
  },
  { name: 'an unknown threshold key', text: `${S}${STEP}\n[thresholds]\np99 = 5\n` },
  {
    name: 'fail_on_breaking_point as a string',
    text: `${S}${STEP}\n[thresholds]\nfail_on_breaking_point = "yes"\n`,
  },
  { name: 'stop_on_breaking_point as a number', text: `${S}stop_on_breaking_point = 1\n${STEP}` },
  {
    name: 'fail_on_breaking_point in a per-tool table',
    text: `${S}${STEP}\n[thresholds.tools.add]\nfail_on_breaking_point = true\n`,
  },
  {
    name: 'a per-tool entry that is a number',
    text: `${S}${STEP}\n[thresholds]\ntools = { add = 5 }\n`,
  },
  { name: 'a misspelt setting', text: `${S}virtual_user = 3\n${STEP}` },
  {
    name: 'a missing timeout_ms',
    text: `[settings]\nvirtual_users = 1\nduration_secs = 1\n${STEP}`,
  },
  { name: 'zero virtual users', text: S.replace('= 10', '= 0') + STEP },
  { name: 'too many virtual users', text: S.replace('= 10', '= 100001') + STEP },
  { name: 'virtual users as a string', text: S.replace('= 10', '= "10"') + STEP },
  { name: 'a small max_response_bytes', text: `${S}max_response_bytes = 1023\n${STEP}` },
  { name: 'no scenario', text: S },
  { name: 'an empty scenario list', text: `scenario = []\n${S}` },
  { name: 'an unknown operation', text: `${S}\n[[scenario]]\ntype = "tools/cal"\ntool = "a"\n` },
  { name: 'tools/call without tool', text: `${S}\n[[scenario]]\ntype = "tools/call"\n` },
  { name: 'an empty tool name', text: `${S}\n[[scenario]]\ntype = "tools/call"\ntool = ""\n` },
  {
    name: 'resources/read with arguments',
    text: `${S}\n[[scenario]]\ntype = "resources/read"\nuri = "a"\narguments = {}\n`,
  },
  {
    name: 'a numeric prompt argument',
    text: `${S}\n[[scenario]]\ntype = "prompts/get"\nprompt = "p"\narguments = { n = 1 }\n`,
  },
  { name: 'a negative weight', text: `${S}${STEP}weight = -1\n` },
  {
    name: 'a zero stage duration',
    text: `${S}${STEP}\n[[stage]]\ntarget_vus = 1\nduration_secs = 0\n`,
  },
  { name: 'a stage without target', text: `${S}${STEP}\n[[stage]]\nduration_secs = 1\n` },
  { name: 'a numeric header value', text: `${S}[settings.headers]\nX-N = 1\n${STEP}` },
  { name: 'a header name with a space', text: `${S}[settings.headers]\n"X N" = "1"\n${STEP}` },
];

describe('schema/config.schema.json', () => {
  it.each(VALID)('accepts what the loader accepts: $name', ({ text }) => {
    expect(() => parseConfig(text, 'x.toml', { TOKEN: 't' })).not.toThrow();
    expect(validate(tomlAsJson(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(INVALID)('rejects what the loader rejects: $name', ({ text }) => {
    expect(() => parseConfig(text, 'x.toml', {})).toThrow(LoadtestError);
    expect(validate(tomlAsJson(text))).toBe(false);
  });

  const properties = schema.properties ?? {};
  const settings = properties.settings?.properties ?? {};
  const definitions = schema.definitions ?? {};
  const thresholds = properties.thresholds?.properties ?? {};
  const toolThresholds = definitions.toolThresholds?.properties ?? {};

  it('lists exactly the keys the loader accepts', () => {
    expect(Object.keys(properties)).toEqual([...TOP_LEVEL_KEYS]);
    expect(Object.keys(settings)).toEqual([...SETTINGS_KEYS]);
    expect(Object.keys(properties.stage?.items?.properties ?? {})).toEqual([...STAGE_KEYS]);
    expect(Object.keys(thresholds)).toEqual([...THRESHOLD_KEYS]);
    expect(Object.keys(toolThresholds)).toEqual([...THRESHOLD_LIMIT_KEYS]);
    expect(thresholds.tools?.additionalProperties).toEqual({
      $ref: '#/definitions/toolThresholds',
    });
    for (const ref of properties.scenario?.items?.oneOf ?? []) {
      const step = definitions[ref.$ref.replace('#/definitions/', '')];
      const type = step?.properties?.type?.const as keyof typeof SCENARIO_KEYS;
      expect(Object.keys(step?.properties ?? {})).toEqual(SCENARIO_KEYS[type]);
    }
  });

  it.each([
    ['virtual_users', settings.virtual_users, RULES.virtualUsers],
    ['duration_secs', settings.duration_secs, RULES.durationSecs],
    ['timeout_ms', settings.timeout_ms, RULES.timeoutMs],
    ['expected_interval_ms', settings.expected_interval_ms, RULES.expectedIntervalMs],
    ['request_interval_ms', settings.request_interval_ms, RULES.requestIntervalMs],
    ['max_response_bytes', settings.max_response_bytes, RULES.maxResponseBytes],
    ['weight', definitions.weight, RULES.weight],
    ['target_vus', properties.stage?.items?.properties?.target_vus, RULES.targetVus],
    [
      'stage duration_secs',
      properties.stage?.items?.properties?.duration_secs,
      RULES.stageDurationSecs,
    ],
    ...(['p50_ms', 'p95_ms', 'p99_ms'] as const).flatMap((key) => [
      [`thresholds.${key}`, thresholds[key], RULES.latencyThresholdMs],
      [`per-tool ${key}`, toolThresholds[key], RULES.latencyThresholdMs],
    ]),
    ['thresholds.error_rate', thresholds.error_rate, RULES.errorRateThreshold],
    ['per-tool error_rate', toolThresholds.error_rate, RULES.errorRateThreshold],
    ['thresholds.min_throughput_rps', thresholds.min_throughput_rps, RULES.minThroughputRps],
    ['per-tool min_throughput_rps', toolThresholds.min_throughput_rps, RULES.minThroughputRps],
    ...(
      [
        ['max_p99_regression', RULES.maxP99Regression],
        ['max_error_rate_increase', RULES.maxErrorRateIncrease],
        ['min_throughput_ratio', RULES.minThroughputRatio],
      ] as const
    ).flatMap(([key, rule]) => [
      [`thresholds.${key}`, thresholds[key], rule],
      [`per-tool ${key}`, toolThresholds[key], rule],
    ]),
  ] as [string, JsonSchema | undefined, NumberRule][])(
    'has the loader bounds for %s',
    (_name, field, rule) => {
      expect(field?.type).toBe(rule.integer ? 'integer' : 'number');
      expect(rule.minExclusive ? field?.exclusiveMinimum : field?.minimum).toBe(rule.min);
      expect(field?.maximum).toBe(rule.max);
    },
  );

  it('documents the loader defaults', () => {
    expect(settings.expected_interval_ms?.default).toBe(DEFAULTS.expectedIntervalMs);
    expect(settings.request_interval_ms?.default).toBe(DEFAULTS.requestIntervalMs);
    expect(settings.max_response_bytes?.default).toBe(DEFAULTS.maxResponseBytes);
    expect(definitions.weight?.default).toBe(DEFAULTS.weight);
    expect(settings.stop_on_breaking_point?.default).toBe(false);
    expect(thresholds.fail_on_breaking_point?.default).toBe(false);
  });

  it('describes every field for editors', () => {
    const fields = [
      ...Object.values(properties),
      ...Object.values(settings),
      ...Object.values(properties.stage?.items?.properties ?? {}),
      ...Object.values(thresholds),
      ...Object.values(definitions),
      ...Object.values(definitions).flatMap((d) => Object.values(d.properties ?? {})),
    ];
    for (const field of fields) {
      expect(field.description ?? field.$ref).toBeTruthy();
    }
  });
});
