import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleArguments } from '../../src/init/example-arguments.js';

/** The value generated for one required property `x` with this schema. */
function valueFor(schema: unknown, extra: Record<string, unknown> = {}) {
  const { args, complete } = exampleArguments({
    type: 'object',
    properties: { x: schema },
    required: ['x'],
    ...extra,
  });
  return { value: args.x, present: Object.hasOwn(args, 'x'), complete };
}

describe('exampleArguments: where the value comes from', () => {
  it.each([
    ['default first', { type: 'string', default: 'd', enum: ['e'], examples: ['x'] }, 'd'],
    ['then the first enum member', { type: 'string', enum: ['e1', 'e2'], const: 'c' }, 'e1'],
    ['a non-null enum member before null', { enum: [null, 'b'] }, 'b'],
    ['then const', { const: 42, examples: [1] }, 42],
    ['then the first example', { type: 'integer', examples: [7, 8] }, 7],
    ['then OpenAPI example', { type: 'string', example: 'oa' }, 'oa'],
    ['string', { type: 'string' }, 'example'],
    ['string format uri', { type: 'string', format: 'uri' }, 'https://example.com'],
    ['string format email', { type: 'string', format: 'email' }, 'user@example.com'],
    ['string format date-time', { type: 'string', format: 'date-time' }, '2026-01-01T00:00:00Z'],
    ['string format date', { type: 'string', format: 'date' }, '2026-01-01'],
    [
      'string format uuid',
      { type: 'string', format: 'uuid' },
      '00000000-0000-4000-8000-000000000000',
    ],
    ['string padded to minLength', { type: 'string', minLength: 12 }, 'example-exam'],
    ['string cut to maxLength', { type: 'string', maxLength: 3 }, 'exa'],
    ['string matching its pattern', { type: 'string', pattern: '^[a-z]+$' }, 'example'],
    ['number without bounds', { type: 'number' }, 1],
    ['number midpoint of its bounds', { type: 'number', minimum: 1, maximum: 10 }, 5.5],
    ['integer midpoint of its bounds', { type: 'integer', minimum: 1, maximum: 10 }, 5],
    ['number raised to its minimum', { type: 'number', minimum: 5 }, 5],
    ['integer above an exclusive minimum', { type: 'integer', exclusiveMinimum: 5 }, 6],
    ['number below an exclusive maximum', { type: 'number', exclusiveMaximum: 0 }, -1],
    [
      'draft-4 boolean exclusive minimum',
      { type: 'integer', minimum: 3, exclusiveMinimum: true },
      4,
    ],
    ['number rounded to multipleOf', { type: 'integer', multipleOf: 5 }, 5],
    ['boolean', { type: 'boolean' }, true],
    ['null', { type: 'null' }, null],
    ['array without minItems', { type: 'array', items: { type: 'string' } }, []],
    [
      'array filled to minItems',
      { type: 'array', minItems: 2, items: { type: 'integer' } },
      [1, 1],
    ],
    [
      'tuple (prefixItems)',
      { type: 'array', minItems: 2, prefixItems: [{ type: 'boolean' }, { const: 'z' }] },
      [true, 'z'],
    ],
    ['union type, non-null branch first', { type: ['null', 'integer'] }, 1],
    [
      'anyOf, first usable branch',
      { anyOf: [{ type: 'null' }, { type: 'string', format: 'email' }] },
      'user@example.com',
    ],
    ['oneOf skips an impossible branch', { oneOf: [false, { type: 'boolean' }] }, true],
    [
      'type inferred from properties',
      { properties: { y: { type: 'number' } }, required: ['y'] },
      { y: 1 },
    ],
  ])('%s', (_name, schema, expected) => {
    expect(valueFor(schema)).toEqual({ value: expected, present: true, complete: true });
  });
});

describe('exampleArguments: objects', () => {
  it('fills only required properties, recursing into nested objects', () => {
    const { args, complete } = exampleArguments({
      type: 'object',
      properties: {
        query: { type: 'string' },
        limit: { type: 'integer', default: 10 },
        filter: {
          type: 'object',
          properties: {
            field: { enum: ['name', 'date'] },
            value: { type: 'string' },
            neg: { type: 'boolean' },
          },
          required: ['field', 'value'],
        },
      },
      required: ['query', 'filter'],
    });
    expect(args).toEqual({ query: 'example', filter: { field: 'name', value: 'example' } });
    expect(complete).toBe(true);
  });

  it('gives no arguments for a schema without required properties', () => {
    expect(exampleArguments({ type: 'object', properties: { a: { type: 'string' } } })).toEqual({
      args: {},
      complete: true,
    });
  });

  it.each([[undefined], [null], [{}]])('gives no arguments, complete, for schema %j', (schema) => {
    expect(exampleArguments(schema)).toEqual({ args: {}, complete: true });
  });

  it.each([['a string'], [42], [[1, 2]], [{ type: 'string' }], [false]])(
    'gives no arguments, incomplete, for the non-object schema %j',
    (schema) => {
      expect(exampleArguments(schema)).toEqual({ args: {}, complete: false });
    },
  );

  it('keeps a property named __proto__ as data without touching Object.prototype', () => {
    const schema = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__","constructor"]}',
    ) as unknown;
    const { args, complete } = exampleArguments(schema);
    expect(Object.keys(args)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(args, '__proto__')?.value).toBe('example');
    // `constructor` has no property schema: any value passes, so it is only a guess.
    expect(complete).toBe(false);
    expect(({} as Record<string, unknown>).example).toBeUndefined();
  });
});

describe('exampleArguments: $ref', () => {
  it.each([
    ['#/$defs/City', '$defs'],
    ['#/definitions/City', 'definitions'],
  ])('resolves %s locally', (ref, key) => {
    const { args, complete } = exampleArguments({
      type: 'object',
      [key]: { City: { type: 'string', enum: ['Paris'] } },
      properties: { city: { $ref: ref } },
      required: ['city'],
    });
    expect(args).toEqual({ city: 'Paris' });
    expect(complete).toBe(true);
  });

  it('stops at a cycle of required properties and reports it incomplete', () => {
    const { args, complete } = exampleArguments({
      type: 'object',
      $defs: {
        node: {
          type: 'object',
          properties: { label: { type: 'string' }, next: { $ref: '#/$defs/node' } },
          required: ['label', 'next'],
        },
      },
      properties: { head: { $ref: '#/$defs/node' } },
      required: ['head'],
    });
    expect(args).toEqual({ head: { label: 'example' } });
    expect(complete).toBe(false);
  });

  it('follows at most 5 references on one path', () => {
    const defs = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [
        `d${i}`,
        i === 6 ? { type: 'boolean' } : { $ref: `#/$defs/d${i + 1}` },
      ]),
    );
    const chain = (start: number) => valueFor({ $ref: `#/$defs/d${start}` }, { $defs: defs });
    expect(chain(2)).toEqual({ value: true, present: true, complete: true }); // d2..d6: 5 refs
    expect(chain(1)).toEqual({ value: undefined, present: false, complete: false }); // 6 refs
  });

  it('terminates on a schema object that contains itself', () => {
    const schema: Record<string, unknown> = { type: 'object', required: ['self'] };
    schema.properties = { self: schema };
    expect(exampleArguments(schema).complete).toBe(false);
  });

  it.each([['#/$defs/missing'], ['other.json#/x'], ['#/$defs/%E0%A4%A']])(
    'leaves out a property whose $ref %s cannot be resolved',
    (ref) => {
      expect(valueFor({ $ref: ref }, { $defs: {} })).toEqual({
        value: undefined,
        present: false,
        complete: false,
      });
    },
  );

  it('merges allOf branches, following their references', () => {
    const { args, complete } = exampleArguments({
      type: 'object',
      $defs: { Named: { properties: { name: { type: 'string' } }, required: ['name'] } },
      properties: {
        who: {
          allOf: [
            { $ref: '#/$defs/Named' },
            { properties: { age: { type: 'integer' } }, required: ['age'] },
          ],
        },
      },
      required: ['who'],
    });
    expect(args).toEqual({ who: { name: 'example', age: 1 } });
    expect(complete).toBe(true);
  });
});

describe('exampleArguments: marks guesses incomplete', () => {
  it.each([
    ['an untyped property', { description: 'anything' }, 'example'],
    ['the `true` schema', true, 'example'],
    ['an unknown format', { type: 'string', format: 'phone' }, 'example'],
    ['a pattern "example" does not match', { type: 'string', pattern: '^[0-9]+$' }, 'example'],
    ['an invalid pattern', { type: 'string', pattern: '(' }, 'example'],
    [
      'a format longer than maxLength',
      { type: 'string', format: 'uri', maxLength: 5 },
      'https://example.com',
    ],
    [
      'bounds with no integer between',
      { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      0,
    ],
    [
      'unique items that repeat',
      { type: 'array', minItems: 2, uniqueItems: true, items: { type: 'string' } },
      ['example', 'example'],
    ],
  ])('%s', (_name, schema, expected) => {
    expect(valueFor(schema)).toEqual({ value: expected, present: true, complete: false });
  });

  it.each([
    ['the `false` schema', false],
    [
      'an array needing too many items',
      { type: 'array', minItems: 1000, items: { type: 'string' } },
    ],
    ['a union with no usable branch', { anyOf: [false, 'x'] }],
    ['a union type with no type names', { type: [1, 2] }],
  ])('leaves out %s', (_name, schema) => {
    expect(valueFor(schema)).toEqual({ value: undefined, present: false, complete: false });
  });
});

describe('exampleArguments: server-everything tools', () => {
  const tools = (
    JSON.parse(
      readFileSync(
        new URL('../fixtures/discovery/server-everything.json', import.meta.url),
        'utf8',
      ),
    ) as { 'tools/list': { tools: { name: string; inputSchema: unknown }[] } }
  )['tools/list'].tools;
  const argsOf = (name: string) =>
    exampleArguments(tools.find((t) => t.name === name)!.inputSchema);

  it.each([
    ['echo', { message: 'example' }],
    ['get-sum', { a: 1, b: 1 }],
    ['get-annotated-message', { messageType: 'error' }],
    ['get-structured-content', { location: 'New York' }],
    ['simulate-research-query', { topic: 'example' }],
    ['get-resource-links', {}],
    ['get-tiny-image', {}],
  ])('%s gets %j', (name, expected) => {
    expect(argsOf(name)).toEqual({ args: expected, complete: true });
  });
});
