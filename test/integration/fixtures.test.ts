import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer } from '../fixtures/fault-server.js';
import type { FaultServer } from '../fixtures/fault-server.js';
import { startSdkServer } from '../fixtures/sdk-server.js';
import type { FixtureServer, SdkServerMode } from '../fixtures/sdk-server.js';
import { startServerEverything } from '../fixtures/server-everything.js';
import type { ServerEverything } from '../fixtures/server-everything.js';

const MODES: SdkServerMode[] = ['stateful-sse', 'stateful-json', 'stateless'];

function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
    signal,
  });
}

function initializeBody(protocolVersion = '2025-11-25') {
  const clientInfo = { name: 'fixtures-test', version: '0.0.0' };
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo },
  };
}

function toolCallBody(name: string, args: Record<string, unknown> = {}, id = 2) {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}

/** Opens a session with raw HTTP; returns the headers every later request needs. */
async function openRawSession(url: string): Promise<Record<string, string>> {
  const response = await post(url, initializeBody());
  await response.text();
  const sessionId = response.headers.get('mcp-session-id');
  const headers: Record<string, string> = { 'mcp-protocol-version': '2025-11-25' };
  if (sessionId !== null) headers['mcp-session-id'] = sessionId;
  return headers;
}

async function connectClient(
  url: string,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'fixtures-test', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

function firstText(result: unknown): string | undefined {
  return (result as { content?: { text?: string }[] }).content?.[0]?.text;
}

describe.each(MODES)('SDK fixture server (%s)', (mode) => {
  let server: FixtureServer;
  let client: Client;

  beforeAll(async () => {
    server = await startSdkServer(mode);
    ({ client } = await connectClient(server.url));
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('lists the fixture tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'add',
      'echo',
      'fail',
      'progress',
      'slow',
    ]);
  });

  it('echoes a message through tools/call', async () => {
    expect(firstText(await client.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe(
      'Echo: hi',
    );
  });

  it('adds two numbers', async () => {
    expect(firstText(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } }))).toBe('5');
  });

  it('reports the fail tool in band with isError', async () => {
    const result = await client.callTool({ name: 'fail', arguments: {} });
    expect(result.isError).toBe(true);
  });

  it('sends progress notifications on SSE streams only', async () => {
    const seen: number[] = [];
    const onprogress = ({ progress }: { progress: number }) => void seen.push(progress);
    const result = await client.callTool({ name: 'progress', arguments: { steps: 3 } }, undefined, {
      onprogress,
    });
    expect(firstText(result)).toBe('done');
    // A JSON answer has no room for notifications: the SDK drops them.
    expect(seen).toEqual(mode === 'stateful-json' ? [] : [1, 2, 3]);
  });

  it('reads the static resource and a templated one', async () => {
    const hello = await client.readResource({ uri: 'fixture://static/hello' });
    expect(hello.contents).toEqual([
      { uri: 'fixture://static/hello', mimeType: 'text/plain', text: 'hello' },
    ]);
    const item = await client.readResource({ uri: 'fixture://items/42' });
    expect(item.contents[0]).toMatchObject({ text: 'item 42' });
  });

  it('renders the greet prompt with its argument and the plain prompt without', async () => {
    const greet = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
    expect(greet.messages[0]?.content).toEqual({ type: 'text', text: 'Hello, Ada!' });
    const plain = await client.getPrompt({ name: 'plain' });
    expect(plain.messages).toHaveLength(1);
  });

  it('counts every message by method and by tool, resource and prompt name', async () => {
    const before = server.stats();
    await client.callTool({ name: 'echo', arguments: { message: 'count me' } });
    await client.readResource({ uri: 'fixture://static/hello' });
    await client.getPrompt({ name: 'plain' });
    const after = server.stats();
    expect(after.posts - before.posts).toBe(3);
    expect((after.byMethod['tools/call'] ?? 0) - (before.byMethod['tools/call'] ?? 0)).toBe(1);
    expect((after.toolCalls.echo ?? 0) - (before.toolCalls.echo ?? 0)).toBe(1);
    expect(after.resourceReads['fixture://static/hello']).toBe(2);
    expect(after.promptGets.plain).toBe(2);
    expect(after.byMethod.initialize).toBe(1);
    expect(after.sessionsCreated).toBe(mode === 'stateless' ? 0 : 1);
  });

  it(`answers a request on a dropped session with ${mode === 'stateless' ? '200' : '404 -32001'}`, async () => {
    const headers = await openRawSession(server.url);
    server.dropSessions();
    const response = await post(server.url, toolCallBody('echo', { message: 'late' }), headers);
    const body = await response.text();
    if (mode === 'stateless') {
      expect(response.status).toBe(200);
    } else {
      expect(response.status).toBe(404);
      expect(JSON.parse(body)).toMatchObject({ error: { code: -32001 } });
    }
  });
});

describe('SDK fixture server options', () => {
  it('starts every stateful-sse stream with an empty priming event for 2025-11-25 clients', async () => {
    const server = await startSdkServer('stateful-sse');
    try {
      const headers = await openRawSession(server.url);
      const response = await post(server.url, toolCallBody('progress', { steps: 1 }), headers);
      const body = await response.text();
      expect(body).toMatch(/^id: \S+\ndata: \n\n/);
      // Without a progress token the logging notification still precedes the response.
      expect(body.indexOf('notifications/message')).toBeLessThan(body.indexOf('"result"'));
    } finally {
      await server.close();
    }
  });

  it('sends no priming event to a 2025-06-18 client', async () => {
    const server = await startSdkServer('stateful-sse');
    try {
      const body = await (await post(server.url, initializeBody('2025-06-18'))).text();
      expect(body.startsWith('event: message\n')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('sends no priming event when the event store is off', async () => {
    const server = await startSdkServer('stateful-sse', { eventStore: false });
    try {
      const body = await (await post(server.url, initializeBody())).text();
      expect(body.startsWith('event: message\n')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('delays every tool answer by toolDelayMs', async () => {
    const server = await startSdkServer('stateful-json', { toolDelayMs: 50 });
    try {
      const headers = await openRawSession(server.url);
      const startedMs = performance.now();
      await (await post(server.url, toolCallBody('echo', { message: 'x' }), headers)).text();
      expect(performance.now() - startedMs).toBeGreaterThanOrEqual(45);
    } finally {
      await server.close();
    }
  });
});

describe('fault server', () => {
  let server: FaultServer;
  let headers: Record<string, string>;
  const call = (name: string, args: Record<string, unknown> = {}, signal?: AbortSignal) =>
    post(server.url, toolCallBody(name, args), headers, signal);

  beforeAll(async () => {
    server = await startFaultServer();
    headers = await openRawSession(server.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it('initializes with a session id and a JSON answer', async () => {
    const response = await post(server.url, initializeBody());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toMatchObject({
      id: 1,
      result: { protocolVersion: '2025-11-25' },
    });
  });

  it('serves its counters on GET /stats', async () => {
    const before = server.stats();
    await (await call('ok')).text();
    const stats = (await (
      await fetch(server.url.replace(/\/mcp$/, '/stats'))
    ).json()) as typeof before;
    expect(stats).toEqual(server.stats());
    expect(stats.posts).toBe(before.posts + 1);
    expect(stats.toolCalls.ok).toBe((before.toolCalls.ok ?? 0) + 1);
    expect(stats.sessionsCreated).toBeGreaterThanOrEqual(1);
  });

  it('answers ok, tool_error, jsonrpc_error and unknown methods as JSON-RPC', async () => {
    expect(await (await call('ok')).json()).toMatchObject({
      result: { content: [{ text: 'ok' }] },
    });
    expect(await (await call('tool_error')).json()).toMatchObject({ result: { isError: true } });
    expect(await (await call('jsonrpc_error')).json()).toMatchObject({
      id: 2,
      error: { code: -32603 },
    });
    const unknown = await post(server.url, { jsonrpc: '2.0', id: 3, method: 'nope' }, headers);
    expect(await unknown.json()).toMatchObject({ id: 3, error: { code: -32601 } });
  });

  it('answers resources/read and prompts/get normally', async () => {
    const read = { jsonrpc: '2.0', id: 4, method: 'resources/read', params: { uri: 'fault://x' } };
    expect(await (await post(server.url, read, headers)).json()).toMatchObject({
      result: { contents: [{ uri: 'fault://x' }] },
    });
    const get = { jsonrpc: '2.0', id: 5, method: 'prompts/get', params: { name: 'p' } };
    expect(await (await post(server.url, get, headers)).json()).toMatchObject({
      result: { messages: [{ role: 'user' }] },
    });
  });

  it('answers http500 with a text body and bad_json with broken JSON', async () => {
    const failed = await call('http500');
    expect([failed.status, await failed.text()]).toEqual([500, 'Internal Server Error']);
    const broken = await call('bad_json');
    expect([broken.status, broken.headers.get('content-type'), await broken.text()]).toEqual([
      200,
      'application/json',
      '{not json',
    ]);
  });

  it('answers huge with exactly the requested number of bytes of valid JSON', async () => {
    const body = await (await call('huge', { bytes: 100_000 })).text();
    expect(Buffer.byteLength(body)).toBe(100_000);
    expect(JSON.parse(body)).toMatchObject({ id: 2, result: { content: [{ type: 'text' }] } });
  });

  it('answers slow after the requested delay', async () => {
    expect(await (await call('slow', { ms: 20 })).json()).toMatchObject({
      result: { content: [{ text: 'slow done' }] },
    });
  });

  it('resets the connection mid-response on reset', async () => {
    await expect(call('reset').then((response) => response.text())).rejects.toThrow();
  });

  it('ends an SSE stream without the response on sse_no_response', async () => {
    const response = await call('sse_no_response');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const body = await response.text();
    expect(body).toContain('notifications/message');
    expect(body).not.toContain('"result"');
  });

  it('keeps an SSE stream open after the response on sse_never_ends', async () => {
    const abort = new AbortController();
    const response = await call('sse_never_ends', {}, abort.signal);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"result"');
    const next = await Promise.race([reader.read(), sleep(100, 'still open')]);
    expect(next).toBe('still open');
    abort.abort();
  });

  it('forgets the session on expire (404 -32001) and on expire400 (400 -32000)', async () => {
    const expired = await call('expire');
    expect(expired.status).toBe(404);
    expect(await expired.json()).toMatchObject({ error: { code: -32001 } });
    expect((await call('ok')).status).toBe(404);

    headers = await openRawSession(server.url);
    const expired400 = await call('expire400');
    expect([expired400.status, await expired400.text()]).toEqual([
      400,
      '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null}',
    ]);
    expect((await call('ok')).status).toBe(404);
    headers = await openRawSession(server.url);
  });

  it('counts a DELETE and ends the session', async () => {
    const own = await openRawSession(server.url);
    const before = server.stats().deletes;
    expect((await fetch(server.url, { method: 'DELETE', headers: own })).status).toBe(200);
    expect(server.stats().deletes).toBe(before + 1);
    expect((await post(server.url, toolCallBody('ok'), own)).status).toBe(404);
  });

  it('closes even while a stream hangs open', async () => {
    const other = await startFaultServer();
    const response = await post(
      other.url,
      toolCallBody('sse_never_ends'),
      await openRawSession(other.url),
    );
    expect(response.status).toBe(200);
    await other.close();
    await expect(response.text()).rejects.toThrow();
  });
});

/**
 * Local addresses listening on `port`, as `ss -ltn` prints them, or decoded from
 * /proc/net/tcp{,6} (127.0.0.1 is `0100007F` there); every available source is read.
 */
function listeningAddresses(port: number): Record<string, string[]> {
  const sources: Record<string, string[]> = {};
  try {
    const lines = execFileSync('ss', ['-ltn'], { encoding: 'utf8' }).split('\n').slice(1);
    sources.ss = lines
      .map((line) => line.trim().split(/\s+/)[3] ?? '')
      .filter((local) => local.endsWith(`:${port}`));
  } catch {
    // No `ss` here: /proc alone decides.
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    sources[file] = text
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
      .map((fields) => {
        const hexAddress = fields[1]!.split(':')[0];
        return `${hexAddress === '0100007F' ? '127.0.0.1' : hexAddress}:${port}`;
      });
  }
  return sources;
}

describe('server-everything', () => {
  let server: ServerEverything;

  beforeAll(async () => {
    server = await startServerEverything();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers echo through the SDK client', async () => {
    const { client } = await connectClient(server.url);
    try {
      expect(firstText(await client.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe(
        'Echo: hi',
      );
    } finally {
      await client.close();
    }
  });

  it('listens on 127.0.0.1 only', () => {
    const port = Number(new URL(server.url).port);
    const sources = listeningAddresses(port);
    expect(Object.keys(sources).length).toBeGreaterThan(0);
    const all = Object.values(sources).flat();
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all)).toEqual(new Set([`127.0.0.1:${port}`]));
  });
});
