/**
 * Example arguments for a tool, built from its JSON Schema `inputSchema`, so that `init` writes
 * tool calls that succeed instead of the Rust tool's argument-less calls that fail at once.
 *
 * Method: only REQUIRED properties get a value (optional ones keep the server's defaults). For each
 * schema the value comes from, in order: `default`, the first `enum` member, `const`, the first
 * `examples` member, and otherwise a value synthesised from `type` (and `format`, bounds, length).
 * Unions (`type: [...]`, `anyOf`, `oneOf`) take the first branch that yields a value, preferring
 * non-null ones; `allOf` branches are merged shallowly. Local `$ref`s (`#/definitions/...`,
 * `#/$defs/...`, any `#/...` pointer) are resolved against the root schema.
 *
 * Invariants: never throws on any input; never loops (a `$ref` already on the current path is a
 * cycle, at most MAX_REF_DEPTH refs deep and MAX_NESTING schema levels); `complete` is false
 * whenever a required value could not be produced or may not satisfy the schema, and the caller
 * then tells the user to check the arguments.
 */

export interface ExampleArguments {
  readonly args: Record<string, unknown>;
  /** False when some required value is missing or only a guess: the user must check the step. */
  readonly complete: boolean;
}

const MAX_REF_DEPTH = 5;
const MAX_NESTING = 32;
const MAX_ARRAY_ITEMS = 10;

type Schema = Record<string, unknown>;

interface Walk {
  readonly root: unknown;
  complete: boolean;
}

/** No value could be produced: the property is left out and the result marked incomplete. */
const NONE: unique symbol = Symbol('none');
type Produced = unknown;

export function exampleArguments(inputSchema: unknown): ExampleArguments {
  // No schema, or `{}`: the tool takes no arguments that we could know of.
  if (inputSchema === undefined || inputSchema === null) return { args: {}, complete: true };
  if (isObject(inputSchema) && Object.keys(inputSchema).length === 0) {
    return { args: {}, complete: true };
  }
  const walk: Walk = { root: inputSchema, complete: true };
  const value = valueOf(inputSchema, walk, [], 0);
  if (isObject(value) && !Array.isArray(value)) return { args: value, complete: walk.complete };
  return { args: {}, complete: false };
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null;
}

function own(o: Schema, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function valueOf(schema: unknown, walk: Walk, refs: readonly string[], depth: number): Produced {
  if (depth > MAX_NESTING) return fail(walk);
  // Boolean schemas: `true` accepts anything (so any value is a guess), `false` accepts nothing.
  if (schema === true) return guess(walk);
  if (!isObject(schema) || Array.isArray(schema)) return fail(walk);

  const given = givenValue(schema);
  if (given !== NONE) return given;

  const ref = own(schema, '$ref');
  if (typeof ref === 'string') {
    if (refs.includes(ref) || refs.length >= MAX_REF_DEPTH) return fail(walk);
    const target = resolveRef(walk.root, ref);
    if (target === undefined) return fail(walk);
    return valueOf(target, walk, [...refs, ref], depth + 1);
  }

  const allOf = own(schema, 'allOf');
  if (Array.isArray(allOf) && allOf.length > 0) {
    return valueOf(mergeAllOf(schema, allOf, walk.root), walk, refs, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf']) {
    const branches = own(schema, key);
    if (Array.isArray(branches) && branches.length > 0) {
      return firstBranch(branches, walk, refs, depth);
    }
  }

  const type = own(schema, 'type');
  if (Array.isArray(type)) {
    const branches = type.filter((t) => typeof t === 'string').map((t) => ({ ...schema, type: t }));
    if (branches.length === 0) return fail(walk);
    return firstBranch(branches, walk, refs, depth);
  }
  return valueOfType(schema, inferType(schema, type), walk, refs, depth);
}

/** The schema's own suggestion: default, enum (non-null first), const, examples, `example`. */
function givenValue(schema: Schema): Produced {
  const fallback = own(schema, 'default');
  if (fallback !== undefined) return fallback;
  const enumValues = own(schema, 'enum');
  if (Array.isArray(enumValues) && enumValues.length > 0) {
    return enumValues.find((v) => v !== null) ?? null;
  }
  if (Object.hasOwn(schema, 'const') && schema.const !== undefined) return schema.const;
  const examples = own(schema, 'examples');
  if (Array.isArray(examples) && examples.length > 0 && examples[0] !== undefined) {
    return examples[0];
  }
  // OpenAPI's singular `example`, which some servers emit.
  const example = own(schema, 'example');
  return example === undefined ? NONE : example;
}

function inferType(schema: Schema, type: unknown): unknown {
  if (type !== undefined) return type;
  if (isObject(own(schema, 'properties')) || Array.isArray(own(schema, 'required')))
    return 'object';
  if (own(schema, 'items') !== undefined || own(schema, 'prefixItems') !== undefined)
    return 'array';
  if (typeof own(schema, 'format') === 'string' || own(schema, 'minLength') !== undefined) {
    return 'string';
  }
  if (own(schema, 'minimum') !== undefined || own(schema, 'maximum') !== undefined) return 'number';
  return undefined;
}

function valueOfType(
  schema: Schema,
  type: unknown,
  walk: Walk,
  refs: readonly string[],
  depth: number,
): Produced {
  switch (type) {
    case 'string':
      return exampleString(schema, walk);
    case 'number':
    case 'integer':
      return exampleNumber(schema, type === 'integer', walk);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return exampleArray(schema, walk, refs, depth);
    case 'object':
      return exampleObject(schema, walk, refs, depth);
    default:
      // No type and nothing else to go by: the schema accepts anything, so a string will do.
      return guess(walk);
  }
}

/** A value the schema accepts but that is unlikely to be what the tool wants. */
function guess(walk: Walk): Produced {
  walk.complete = false;
  return 'example';
}

/** Tries branches in order, non-null first; keeps the first complete value, else the first value. */
function firstBranch(
  branches: readonly unknown[],
  walk: Walk,
  refs: readonly string[],
  depth: number,
): Produced {
  const ordered = [
    ...branches.filter((b) => !isNullSchema(b)),
    ...branches.filter((b) => isNullSchema(b)),
  ];
  let fallback: { value: Produced } | undefined;
  for (const branch of ordered) {
    const trial: Walk = { root: walk.root, complete: true };
    const value = valueOf(branch, trial, refs, depth + 1);
    if (value === NONE) continue;
    if (trial.complete) return value;
    fallback ??= { value };
  }
  walk.complete = false;
  return fallback === undefined ? NONE : fallback.value;
}

function isNullSchema(s: unknown): boolean {
  return isObject(s) && own(s, 'type') === 'null';
}

function fail(walk: Walk): typeof NONE {
  walk.complete = false;
  return NONE;
}

function exampleObject(schema: Schema, walk: Walk, refs: readonly string[], depth: number) {
  const properties = own(schema, 'properties');
  const props = isObject(properties) ? properties : {};
  const required = own(schema, 'required');
  const names = Array.isArray(required)
    ? [...new Set(required.filter((n): n is string => typeof n === 'string'))]
    : [];
  const entries: [string, unknown][] = [];
  for (const name of names) {
    // A required name without a property schema is still required: any value passes.
    const sub = Object.hasOwn(props, name) ? props[name] : {};
    const value = valueOf(sub, walk, refs, depth + 1);
    if (value !== NONE) entries.push([name, value]);
  }
  const minProperties = own(schema, 'minProperties');
  if (typeof minProperties === 'number' && entries.length < minProperties) walk.complete = false;
  // fromEntries defines own properties, so a property named `__proto__` stays data.
  return Object.fromEntries(entries);
}

function exampleArray(schema: Schema, walk: Walk, refs: readonly string[], depth: number) {
  const minItems = own(schema, 'minItems');
  const count = typeof minItems === 'number' && minItems > 0 ? Math.ceil(minItems) : 0;
  if (count === 0) return [];
  if (count > MAX_ARRAY_ITEMS) return fail(walk);
  const prefix = own(schema, 'prefixItems') ?? own(schema, 'items');
  const tuple = Array.isArray(prefix) ? prefix : [];
  const items = Array.isArray(own(schema, 'items'))
    ? own(schema, 'additionalItems')
    : own(schema, 'items');
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const value = valueOf(i < tuple.length ? tuple[i] : (items ?? {}), walk, refs, depth + 1);
    if (value === NONE) return NONE;
    out.push(value);
  }
  if (own(schema, 'uniqueItems') === true && count > 1) walk.complete = false;
  return out;
}

const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  uri: 'https://example.com',
  url: 'https://example.com',
  iri: 'https://example.com',
  'uri-reference': 'https://example.com',
  'iri-reference': 'https://example.com',
  'uri-template': 'https://example.com',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  duration: 'PT1S',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  regex: '.*',
  'json-pointer': '/',
};

function exampleString(schema: Schema, walk: Walk): Produced {
  const format = own(schema, 'format');
  const known = typeof format === 'string' ? FORMAT_EXAMPLES[format] : undefined;
  if (typeof format === 'string' && known === undefined) walk.complete = false;
  let value = known ?? 'example';
  const minLength = own(schema, 'minLength');
  const maxLength = own(schema, 'maxLength');
  if (known === undefined) {
    // Only the free-form placeholder may be stretched or cut; a formatted value must stay whole.
    if (typeof minLength === 'number')
      value = value.padEnd(Math.min(minLength, 10_000), '-example');
    if (typeof maxLength === 'number' && maxLength >= 0) value = value.slice(0, maxLength);
  }
  if (
    (typeof minLength === 'number' && value.length < minLength) ||
    (typeof maxLength === 'number' && value.length > maxLength)
  ) {
    walk.complete = false;
  }
  const pattern = own(schema, 'pattern');
  if (typeof pattern === 'string' && !matches(pattern, value)) walk.complete = false;
  return value;
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

function exampleNumber(schema: Schema, integer: boolean, walk: Walk): Produced {
  const num = (k: string): number | undefined => {
    const v = own(schema, k);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  // Draft 4 spells exclusive bounds as booleans next to minimum/maximum; draft 6+ as numbers.
  const exMin =
    num('exclusiveMinimum') ??
    (own(schema, 'exclusiveMinimum') === true ? num('minimum') : undefined);
  const exMax =
    num('exclusiveMaximum') ??
    (own(schema, 'exclusiveMaximum') === true ? num('maximum') : undefined);
  const min = exMin === undefined ? num('minimum') : undefined;
  const max = exMax === undefined ? num('maximum') : undefined;
  const lo = min ?? exMin;
  const hi = max ?? exMax;
  let value = lo !== undefined && hi !== undefined ? (lo + hi) / 2 : 1;
  if (lo !== undefined && hi === undefined && value <= lo)
    value = exMin === undefined ? lo : lo + 1;
  if (hi !== undefined && lo === undefined && value >= hi)
    value = exMax === undefined ? hi : hi - 1;
  const multipleOf = num('multipleOf');
  if (multipleOf !== undefined && multipleOf > 0)
    value = Math.ceil(value / multipleOf) * multipleOf;
  if (integer) value = Math.floor(value);
  const ok =
    (min === undefined || value >= min) &&
    (max === undefined || value <= max) &&
    (exMin === undefined || value > exMin) &&
    (exMax === undefined || value < exMax) &&
    (multipleOf === undefined || multipleOf <= 0 || Number.isInteger(value / multipleOf));
  if (!ok) walk.complete = false;
  return value;
}

/** Resolves a same-document JSON Pointer (`#/$defs/x`, `#/definitions/x`, `#`); else undefined. */
function resolveRef(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      return undefined;
    }
    if (!isObject(node) || !Object.hasOwn(node, token)) return undefined;
    node = (node as Schema)[token];
  }
  return node;
}

/** Shallow merge of `allOf` branches (and the schema's own keywords) into one object schema. */
function mergeAllOf(schema: Schema, allOf: readonly unknown[], root: unknown): Schema {
  const { allOf: _drop, ...rest } = schema;
  const merged: Schema = { ...rest };
  const properties: Schema = { ...(isObject(rest.properties) ? rest.properties : {}) };
  const required = new Set(Array.isArray(rest.required) ? rest.required : []);
  for (let part of allOf) {
    const ref = isObject(part) ? own(part, '$ref') : undefined;
    if (typeof ref === 'string') part = resolveRef(root, ref);
    if (!isObject(part)) continue;
    for (const [k, v] of Object.entries(part)) {
      if (k === 'properties' && isObject(v)) Object.assign(properties, v);
      else if (k === 'required' && Array.isArray(v)) v.forEach((n) => required.add(n));
      else if (!Object.hasOwn(merged, k)) merged[k] = v;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}
