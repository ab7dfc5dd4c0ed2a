import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  runServeDemo,
  startDemoServer,
  type DemoServer,
  type DemoServerOptions,
} from '../../src/demo/demo-server.js';

const ACCEPT = 'application/json, text/event-stream';
const INIT_PARAMS = {
  protocolVersion: '2025-11-25',
  capabilities: {},
  clientInfo: { name: 'demo-server-test', version: '0.0.0' },
};

interface RawReply {
  status: number;
  headers: Headers;
  text: string;
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The one JSON-RPC message in a reply, from an SSE event or a JSON body. */
function message(reply: RawReply): Record<string, unknown> {
  if (reply.headers.get('content-type') === 'text/event-stream') {
    const match = /^event: message\ndata: (.*)\n\n$/.exec(reply.text);
    if (match === null) throw new Error(`not one SSE event: ${JSON.stringify(reply.text)}`);
    return JSON.parse(match[1] as string) as Record<string, unknown>;
  }
  return JSON.parse(reply.text) as Record<string, unknown>;
}

async function initialize(url: string, protocolVersion = '2025-11-25'): Promise<RawReply> {
  return post(url, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { ...INIT_PARAMS, protocolVersion },
  });
}

/** Opens a session by hand and returns the headers later requests need. */
async function session(url: string): Promise<Record<string, string>> {
  const reply = await initialize(url);
  return {
    'mcp-session-id': reply.headers.get('mcp-session-id') as string,
    'mcp-protocol-version': '2025-11-25',
  };
}

async function connect(
  url: string,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'demo-server-test', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

const MODES: { name: string; options: DemoServerOptions }[] = [
  { name: 'SSE, stateful', options: { responseMode: 'sse' } },
  { name: 'JSON, stateful', options: { responseMode: 'json' } },
  { name: 'SSE, stateless', options: { responseMode: 'sse', stateless: true } },
  { name: 'JSON, stateless', options: { responseMode: 'json', stateless: true } },
];

describe.each(MODES)('demo server with the official SDK client ($name)', ({ options }) => {
  let server: DemoServer;
  let client: Client;
  let transport: StreamableHTTPClientTransport;

  beforeAll(async () => {
    server = await startDemoServer(options);
    ({ client, transport } = await connect(server.url));
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('negotiates the latest protocol and names the demo server', () => {
    expect(client.getServerVersion()?.name).toBe('mcp-loadtest-demo');
    expect(transport.protocolVersion).toBe('2025-11-25');
    expect(transport.sessionId === undefined).toBe(options.stateless === true);
  });

  it('lists the four calculator tools with their required number arguments', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['add', 'subtract', 'multiply', 'divide']);
    expect(tools[3]?.inputSchema.required).toEqual(['dividend', 'divisor']);
  });

  it('adds 42 and 17 into the text "59"', async () => {
    const result = await client.callTool({ name: 'add', arguments: { a: 42, b: 17 } });
    expect(result).toEqual({ content: [{ type: 'text', text: '59' }] });
  });

  it('answers a division by zero with an in-band tool error', async () => {
    const result = await client.callTool({
      name: 'divide',
      arguments: { dividend: 1, divisor: 0 },
    });
    expect(result).toEqual({
      content: [{ type: 'text', text: 'Division by zero' }],
      isError: true,
    });
  });

  it('reads the constants resource as JSON text', async () => {
    const { contents } = await client.readResource({ uri: 'calculator://constants' });
    expect(contents[0]).toMatchObject({
      uri: 'calculator://constants',
      mimeType: 'application/json',
    });
    expect(JSON.parse((contents[0] as { text: string }).text)).toMatchObject({ pi: Math.PI });
  });

  it('rejects a missing resource with JSON-RPC error -32602', async () => {
    const read = client.readResource({ uri: 'calculator://nope' });
    await expect(read).rejects.toBeInstanceOf(McpError);
    await expect(read).rejects.toMatchObject({ code: -32602 });
  });

  it('fills the explain-calculation prompt with the expression', async () => {
    const prompt = await client.getPrompt({
      name: 'explain-calculation',
      arguments: { expression: '42 + 17' },
    });
    expect(prompt.messages).toEqual([
      {
        role: 'user',
        content: { type: 'text', text: 'Explain step by step how to compute 42 + 17.' },
      },
    ]);
  });

  it('ends the session on terminateSession (DELETE)', async () => {
    const before = server.stats();
    await transport.terminateSession();
    expect(transport.sessionId).toBeUndefined();
    const after = server.stats();
    if (options.stateless === true) {
      expect(after.sessionsCreated).toBe(0);
      expect(after.sessionsDeleted).toBe(0);
    } else {
      expect(after.sessionsDeleted).toBe(before.sessionsDeleted + 1);
      expect(after.activeSessions).toBe(0);
    }
  });
});

describe('demo server transport rules (stateful, SSE)', () => {
  let server: DemoServer;
  let headers: Record<string, string>;

  beforeAll(async () => {
    server = await startDemoServer();
    headers = await session(server.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1 at /mcp', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/mcp`);
  });

  it('frames an answer as exactly one SSE event with Content-Length', async () => {
    const reply = await post(server.url, { jsonrpc: '2.0', id: 'p-1', method: 'ping' }, headers);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-cache');
    expect(reply.headers.get('content-length')).toBe(String(Buffer.byteLength(reply.text)));
    expect(reply.text).toBe('event: message\ndata: {"jsonrpc":"2.0","id":"p-1","result":{}}\n\n');
  });

  it('echoes a supported requested protocol version and sets a session id', async () => {
    const reply = await initialize(server.url, '2025-06-18');
    expect(reply.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(message(reply)).toMatchObject({ id: 0, result: { protocolVersion: '2025-06-18' } });
  });

  it('offers the latest protocol version for an unsupported request', async () => {
    const reply = await initialize(server.url, '1999-01-01');
    expect(message(reply)).toMatchObject({ result: { protocolVersion: '2025-11-25' } });
  });

  it('answers 404 -32001 for an unknown session id', async () => {
    const reply = await post(
      server.url,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { ...headers, 'mcp-session-id': 'no-such-session' },
    );
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.text)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32001, message: 'Session not found' },
      id: null,
    });
  });

  it('answers 400 -32000 when the session id is missing', async () => {
    const reply = await post(server.url, { jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({
      error: { code: -32000, message: 'Bad Request: Mcp-Session-Id header is required' },
    });
  });

  it('answers 400 for an unknown MCP-Protocol-Version header', async () => {
    const reply = await post(
      server.url,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { ...headers, 'mcp-protocol-version': '1999-01-01' },
    );
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('Unsupported protocol version: 1999-01-01');
  });

  it('accepts a request without an MCP-Protocol-Version header', async () => {
    const reply = await post(
      server.url,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { 'mcp-session-id': headers['mcp-session-id'] as string },
    );
    expect(reply.status).toBe(200);
  });

  it('answers a notification with 202 and an empty body', async () => {
    const notification = { jsonrpc: '2.0', method: 'notifications/initialized' };
    const reply = await post(server.url, notification, headers);
    expect(reply).toMatchObject({ status: 202, text: '' });
  });

  it('answers a JSON-RPC response from the client with 202', async () => {
    const reply = await post(server.url, { jsonrpc: '2.0', id: 7, result: {} }, headers);
    expect(reply).toMatchObject({ status: 202, text: '' });
  });

  it('answers 406 when Accept lacks text/event-stream', async () => {
    const body = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const reply = await post(server.url, body, { ...headers, accept: 'application/json' });
    expect(reply.status).toBe(406);
  });

  it('answers 415 when Content-Type is not application/json', async () => {
    const body = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const reply = await post(server.url, body, { ...headers, 'content-type': 'text/plain' });
    expect(reply.status).toBe(415);
  });

  it('answers 400 -32700 for a body that is not JSON', async () => {
    const reply = await post(server.url, '{"jsonrpc":', headers);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: -32700 } });
  });

  it('answers 400 -32600 for a batch', async () => {
    const reply = await post(server.url, [{ jsonrpc: '2.0', id: 1, method: 'ping' }], headers);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: -32600 } });
  });

  it('answers 413 for a body over 1 MiB', async () => {
    const reply = await post(server.url, 'x'.repeat(1024 * 1024 + 1), headers);
    expect(reply.status).toBe(413);
  });

  it('answers -32601 for an unknown method', async () => {
    const reply = await post(server.url, { jsonrpc: '2.0', id: 3, method: 'nope' }, headers);
    expect(message(reply)).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32601, message: 'Method not found' },
    });
  });

  it('answers missing tool arguments and unknown tools in band with isError', async () => {
    const call = (params: unknown): Promise<RawReply> =>
      post(server.url, { jsonrpc: '2.0', id: 4, method: 'tools/call', params }, headers);
    const missing = message(await call({ name: 'add', arguments: { a: 1 } }));
    expect(missing).toMatchObject({ result: { isError: true } });
    expect(JSON.stringify(missing)).toContain('Invalid arguments for tool add');
    const unknown = message(await call({ name: 'sqrt', arguments: { a: 1 } }));
    expect(unknown).toMatchObject({
      result: { content: [{ type: 'text', text: 'Tool sqrt not found' }], isError: true },
    });
  });

  it('rejects a prompt without its required argument with -32602', async () => {
    const body = {
      jsonrpc: '2.0',
      id: 5,
      method: 'prompts/get',
      params: { name: 'explain-calculation', arguments: {} },
    };
    expect(message(await post(server.url, body, headers))).toMatchObject({
      error: { code: -32602 },
    });
  });

  it('answers GET with 405 and Allow: POST, DELETE', async () => {
    const res = await fetch(server.url, { headers: { accept: 'text/event-stream', ...headers } });
    await res.arrayBuffer();
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, DELETE');
  });

  it('answers 404 for any other path', async () => {
    const res = await fetch(server.url.replace('/mcp', '/other'));
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not Found\n');
  });

  it('refuses a non-loopback Origin with 403', async () => {
    const body = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const reply = await post(server.url, body, { ...headers, origin: 'https://evil.example' });
    expect(reply.status).toBe(403);
  });

  it('ends a session on DELETE and then answers 404 for it', async () => {
    const own = await session(server.url);
    const deleted = await fetch(server.url, { method: 'DELETE', headers: own });
    expect(deleted.status).toBe(200);
    const again = await fetch(server.url, { method: 'DELETE', headers: own });
    expect(again.status).toBe(404);
    const ping = await post(server.url, { jsonrpc: '2.0', id: 1, method: 'ping' }, own);
    expect(ping.status).toBe(404);
  });
});

describe('demo server options', () => {
  it.each(['0.0.0.0', '192.168.1.10', '::', 'example.com'])('refuses host %s', async (host) => {
    await expect(startDemoServer({ host })).rejects.toThrow(/loopback only/);
  });

  it('rejects an error rate above 1', async () => {
    await expect(startDemoServer({ errorRate: 1.5 })).rejects.toThrow(/from 0 to 1/);
  });

  it('listens on localhost', async () => {
    const server = await startDemoServer({ host: 'localhost' });
    const headers = await session(server.url);
    expect(headers['mcp-session-id']).toBeTruthy();
    await server.close();
  });

  it('delays tools/call by delayMs but answers ping at once', async () => {
    const server = await startDemoServer({ delayMs: 300 });
    const headers = await session(server.url);
    const order: string[] = [];
    const started = performance.now();
    const call = post(
      server.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'add', arguments: { a: 1, b: 2 } },
      },
      headers,
    ).then((reply) => {
      order.push('tools/call');
      return { reply, elapsedMs: performance.now() - started };
    });
    await post(server.url, { jsonrpc: '2.0', id: 2, method: 'ping' }, headers);
    order.push('ping');
    const { reply, elapsedMs } = await call;
    expect(order).toEqual(['ping', 'tools/call']);
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(message(reply)).toMatchObject({ result: { content: [{ text: '3' }] } });
    await server.close();
  });

  it('serves at most capacity delayed answers at once, the rest waiting their turn', async () => {
    const server = await startDemoServer({ delayMs: 100, capacity: 1 });
    const headers = await session(server.url);
    const started = performance.now();
    const done: { id: number; elapsedMs: number }[] = [];
    await Promise.all(
      [1, 2, 3].map((id) =>
        post(
          server.url,
          {
            jsonrpc: '2.0',
            id,
            method: 'tools/call',
            params: { name: 'add', arguments: { a: id, b: 0 } },
          },
          headers,
        ).then(() => done.push({ id, elapsedMs: performance.now() - started })),
      ),
    );
    expect(done).toHaveLength(3);
    expect(done[2]!.elapsedMs).toBeGreaterThanOrEqual(290);
    await server.close();
  });

  it('closes while a delayed answer is pending', async () => {
    const server = await startDemoServer({ delayMs: 10_000 });
    const headers = await session(server.url);
    const body = { jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'x' } };
    const pending = post(server.url, body, headers).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('answers every tools/call with -32603 at errorRate 1 and counts each call', async () => {
    const server = await startDemoServer({ errorRate: 1, responseMode: 'json' });
    const headers = await session(server.url);
    const calls = 25;
    for (let i = 0; i < calls; i++) {
      const params = { name: i % 2 === 0 ? 'add' : 'multiply', arguments: { a: i, b: 2 } };
      const reply = await post(
        server.url,
        { jsonrpc: '2.0', id: i, method: 'tools/call', params },
        headers,
      );
      expect(message(reply)).toEqual({
        jsonrpc: '2.0',
        id: i,
        error: { code: -32603, message: 'Simulated failure (--error-rate)' },
      });
    }
    const read = {
      jsonrpc: '2.0',
      id: 99,
      method: 'resources/read',
      params: { uri: 'calculator://constants' },
    };
    expect(message(await post(server.url, read, headers))).toHaveProperty('result');
    expect(server.stats()).toEqual({
      requests: calls + 2,
      byMethod: { initialize: 1, 'tools/call': calls, 'resources/read': 1 },
      toolCalls: { add: 13, multiply: 12 },
      sessionsCreated: 1,
      sessionsDeleted: 0,
      activeSessions: 1,
    });
    await server.close();
  });

  it('counts what the SDK client sent, session by session', async () => {
    const server = await startDemoServer();
    const { client } = await connect(server.url);
    await client.callTool({ name: 'subtract', arguments: { a: 100, b: 37 } });
    await client.callTool({ name: 'subtract', arguments: { a: 1, b: 1 } });
    await client.close();
    const stats = server.stats();
    expect(stats.byMethod).toEqual({
      initialize: 1,
      'notifications/initialized': 1,
      'tools/call': 2,
    });
    expect(stats.toolCalls).toEqual({ subtract: 2 });
    expect(stats.requests).toBe(4);
    expect(stats.sessionsCreated).toBe(1);
    await server.close();
  });

  it('runServeDemo writes one line naming the URL and the response mode', async () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const server = await runServeDemo(
      { port: 0, responseMode: 'json', delayMs: 0, errorRate: 0, stateless: true },
      out,
    );
    await server.close();
    expect(written).toBe(
      `mcp-loadtest demo server listening on ${server.url} (JSON responses, stateless)\n`,
    );
  });
});
