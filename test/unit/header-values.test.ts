import { describe, expect, it } from 'vitest';
import {
  encodeHeaderValue,
  paramHeaderPairs,
  scanParamHeaders,
} from '../../src/protocol/header-values.js';
import { buildModernRequest, retryBody } from '../../src/protocol/modern-request.js';
import { modernProfile } from '../../src/protocol/protocol-profile.js';

describe('encodeHeaderValue (2026-07-28 Streamable HTTP, Value Encoding)', () => {
  // The spec's own table of examples.
  it.each([
    ['us-west1', 'us-west1'],
    ['Hello, 世界', '=?base64?SGVsbG8sIOS4lueVjA==?='],
    [' padded ', '=?base64?IHBhZGRlZCA=?='],
    ['line1\nline2', '=?base64?bGluZTEKbGluZTI=?='],
    ['=?base64?literal?=', '=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?='],
  ])('encodes %j as %s', (value, header) => {
    expect(encodeHeaderValue(value)).toBe(header);
  });
});

describe('scanParamHeaders', () => {
  it('finds an annotated string property reachable through properties', () => {
    const scan = scanParamHeaders({
      type: 'object',
      properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, q: { type: 'string' } },
    });
    expect(scan).toEqual({ ok: true, headers: [{ header: 'mcp-param-region', path: ['region'] }] });
  });

  it('rejects an annotation on a number property', () => {
    const scan = scanParamHeaders({
      properties: { n: { type: 'number', 'x-mcp-header': 'N' } },
    });
    expect(scan.ok).toBe(false);
  });

  it('rejects an annotation under items', () => {
    const scan = scanParamHeaders({
      properties: { list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'L' } } },
    });
    expect(scan).toMatchObject({ ok: false, reason: expect.stringContaining('not reachable') });
  });

  it('rejects a name used twice, case-insensitively', () => {
    const scan = scanParamHeaders({
      properties: {
        a: { type: 'string', 'x-mcp-header': 'Tenant' },
        b: { type: 'string', 'x-mcp-header': 'tenant' },
      },
    });
    expect(scan.ok).toBe(false);
  });
});

describe('paramHeaderPairs', () => {
  const headers = [
    { header: 'mcp-param-region', path: ['region'] },
    { header: 'mcp-param-dry', path: ['opts', 'dry'] },
  ];

  it('writes integers in decimal, booleans lower-case, and omits absent values', () => {
    expect(paramHeaderPairs(headers, { region: 42, opts: { dry: true } })).toEqual([
      'mcp-param-region',
      '42',
      'mcp-param-dry',
      'true',
    ]);
    expect(paramHeaderPairs(headers, { opts: {} })).toEqual([]);
  });

  it('omits a null value', () => {
    expect(paramHeaderPairs(headers, { region: null })).toEqual([]);
  });
});

describe('buildModernRequest', () => {
  const profile = modernProfile({ setting: 'auto', answers: {}, serverInfo: null });

  it('names a resources/read by its URI, Base64-wrapped when not header-safe', () => {
    const r = buildModernRequest('resources/read', { uri: 'file:///é' }, profile, []);
    expect(r.headers).toEqual([
      'mcp-protocol-version',
      '2026-07-28',
      'mcp-method',
      'resources/read',
      'mcp-name',
      `=?base64?${Buffer.from('file:///é').toString('base64')}?=`,
    ]);
  });

  it('puts _meta into the params and keeps the configured ones', () => {
    const r = buildModernRequest('tools/call', { name: 'add', arguments: { a: 1 } }, profile, []);
    const body = JSON.parse(`{"jsonrpc":"2.0","id":3${r.suffix}`) as {
      params: Record<string, unknown>;
    };
    expect(body.params.name).toBe('add');
    expect(body.params.arguments).toEqual({ a: 1 });
    expect(body.params._meta).toMatchObject({
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    });
  });

  it('keeps a progressToken the step carries in _meta beside the envelope', () => {
    const params = { name: 'x', _meta: { progressToken: 'mcp-loadtest' } };
    const r = buildModernRequest('tools/call', params, profile, []);
    const body = JSON.parse(`{"jsonrpc":"2.0","id":3${r.suffix}`) as {
      params: { _meta: Record<string, unknown> };
    };
    expect(body.params._meta).toMatchObject({
      progressToken: 'mcp-loadtest',
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    });
  });

  it('retries with inputResponses and the requestState echoed byte for byte', () => {
    const r = buildModernRequest('tools/call', { name: 'x' }, profile, []);
    const state = 'ab"c\\u00e9';
    const body = JSON.parse(retryBody(r, 9, { k: { action: 'accept' } }, state)) as {
      id: number;
      params: Record<string, unknown>;
    };
    expect(body.id).toBe(9);
    expect(body.params.requestState).toBe(state);
    expect(body.params.inputResponses).toEqual({ k: { action: 'accept' } });
    expect(body.params.name).toBe('x');
  });
});
