import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { discover, MAX_PAGES, type DiscoveryRequest } from '../../src/init/discover.js';
import { LoadtestError } from '../../src/errors.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/discovery/server-everything.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

type Call = { method: string; params: Record<string, unknown> | undefined };

/** A fake transport answering from a table; records every call. */
function fake(answer: (method: string, cursor: unknown) => unknown): {
  request: DiscoveryRequest;
  calls: Call[];
} {
  const calls: Call[] = [];
  const request: DiscoveryRequest = async (method, params) => {
    calls.push({ method, params });
    const result = answer(method, params?.cursor);
    if (result instanceof Error) throw result;
    return result;
  };
  return { request, calls };
}

function rpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const empty = (method: string) =>
  ({
    'tools/list': { tools: [] },
    'resources/list': { resources: [] },
    'resources/templates/list': { resourceTemplates: [] },
    'prompts/list': { prompts: [] },
  })[method];

describe('discover', () => {
  it('reads the real server-everything lists', async () => {
    const { request } = fake((method) => fixture[method]);
    const d = await discover(request, fixture.initialize);
    expect(d.serverInfo).toEqual({ name: 'mcp-servers/everything', version: '2.0.0' });
    expect(d.tools).toHaveLength(13);
    expect(d.tools[0]).toMatchObject({ name: 'echo', description: 'Echoes back the input string' });
    expect(d.tools[0]!.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(d.resources.map((r) => r.uri)).toContain(
      'demo://resource/static/document/architecture.md',
    );
    expect(d.resourceTemplates).toHaveLength(2);
    expect(d.prompts.find((p) => p.name === 'args-prompt')?.arguments).toEqual([
      { name: 'city', description: 'Name of the city', required: true },
      { name: 'state', required: false },
    ]);
  });

  it('follows nextCursor, sending it back as params.cursor', async () => {
    const pages: Record<string, { tools: unknown[]; nextCursor?: string }> = {
      start: { tools: [{ name: 'a' }], nextCursor: 'p2' },
      p2: { tools: [{ name: 'b' }], nextCursor: 'p3' },
      p3: { tools: [{ name: 'c' }] },
    };
    const { request, calls } = fake((method, cursor) =>
      method === 'tools/list' ? pages[(cursor as string | undefined) ?? 'start'] : empty(method),
    );
    const d = await discover(request);
    expect(d.tools.map((t) => t.name)).toEqual(['a', 'b', 'c']);
    expect(calls.filter((c) => c.method === 'tools/list').map((c) => c.params)).toEqual([
      undefined,
      { cursor: 'p2' },
      { cursor: 'p3' },
    ]);
  });

  it('stops when a cursor repeats instead of looping forever', async () => {
    const { request, calls } = fake((method, cursor) =>
      method === 'prompts/list'
        ? { prompts: [{ name: `p-${String(cursor)}` }], nextCursor: cursor === 'x' ? 'y' : 'x' }
        : empty(method),
    );
    const d = await discover(request);
    // undefined → x → y → x (repeat: stop after reading the page that sent it)
    expect(d.prompts.map((p) => p.name)).toEqual(['p-undefined', 'p-x', 'p-y']);
    expect(calls.filter((c) => c.method === 'prompts/list')).toHaveLength(3);
  });

  it(`reads at most ${MAX_PAGES} pages of a list whose cursors never repeat`, async () => {
    let n = 0;
    const { request, calls } = fake((method) =>
      method === 'resources/list'
        ? { resources: [{ uri: `r://${n}` }], nextCursor: `c${++n}` }
        : empty(method),
    );
    const d = await discover(request);
    expect(calls.filter((c) => c.method === 'resources/list')).toHaveLength(MAX_PAGES);
    expect(d.resources).toHaveLength(MAX_PAGES);
  });

  it('turns -32601 Method not found into an empty list', async () => {
    const { request } = fake((method) =>
      method === 'tools/list' ? { tools: [{ name: 't' }] } : rpcError(-32601, 'Method not found'),
    );
    const d = await discover(request);
    expect(d).toEqual({
      tools: [{ name: 't' }],
      resources: [],
      resourceTemplates: [],
      prompts: [],
    });
  });

  it('does not ask for a feature missing from the server capabilities', async () => {
    const { request, calls } = fake((method) => (method === 'tools/list' ? { tools: [] } : 'boom'));
    await discover(request, { capabilities: { tools: {} } });
    expect(calls.map((c) => c.method)).toEqual(['tools/list']);
  });

  it('fails with DISCOVERY_FAILED naming the method on any other error', async () => {
    const { request } = fake((method) =>
      method === 'resources/list' ? rpcError(-32603, 'Internal error') : empty(method),
    );
    const failure = discover(request);
    await expect(failure).rejects.toBeInstanceOf(LoadtestError);
    await expect(failure).rejects.toMatchObject({
      code: 'DISCOVERY_FAILED',
      message: 'resources/list failed: Internal error',
    });
  });

  it('passes a LoadtestError from the transport through unchanged', async () => {
    const lost = new LoadtestError('NO_SESSION', 'session lost', { exitCode: 3 });
    const { request } = fake(() => lost);
    await expect(discover(request)).rejects.toBe(lost);
  });

  it('skips malformed entries and survives garbage results', async () => {
    const { request } = fake(
      (method) =>
        ({
          'tools/list': {
            tools: [
              null,
              7,
              { name: 42 },
              { name: '' },
              { description: 'no name' },
              {
                name: 'ok',
                description: 5,
                inputSchema: 'nope',
                annotations: { readOnlyHint: 'y' },
              },
            ],
            nextCursor: 17,
          },
          'resources/list': { resources: 'not a list' },
          'resources/templates/list': null,
          'prompts/list': {
            prompts: [{ name: 'p', arguments: [{ name: 'a', required: 'yes' }, { nope: 1 }, 'x'] }],
          },
        })[method],
    );
    const d = await discover(request, 'not an initialize result');
    expect(d).toEqual({
      tools: [{ name: 'ok' }],
      resources: [],
      resourceTemplates: [],
      prompts: [{ name: 'p', arguments: [{ name: 'a' }] }],
    });
  });
});
