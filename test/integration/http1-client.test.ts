/**
 * The lean HTTP/1.1 client (src/protocol/http1-client.ts) over real TCP, against a raw `node:net`
 * server on 127.0.0.1 that writes exactly the bytes a test chose and records what it received:
 * the connections it accepted and, per connection, the raw request bytes and the requests parsed
 * from them. No HTTP library stands between the test's bytes and the client.
 *
 * What is checked is what the client's contract says: the request bytes (RFC 9112 §3), message
 * framing (RFC 9112 §6), interim responses (RFC 9110 §15.2), connection reuse (RFC 9112 §9.3),
 * the refusal of malformed responses with llhttp's error codes, and the handler calls undici's
 * legacy dispatch API makes (onConnect, onHeaders once, onData, then onComplete or onError).
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Client, MAX_HEAD_BYTES } from '../../src/protocol/http1-client.js';

// ---- the scripted server ----

interface SeenRequest {
  method: string;
  path: string;
  /** Field lines in the order sent. */
  fields: [string, string][];
  body: Buffer;
  /** The connection it came on: 0 is the first one accepted. */
  connection: number;
  /** Bytes the server had written on that connection when this request arrived. */
  writtenBefore: number;
}

interface ServerConnection {
  index: number;
  socket: Socket;
  /** Every byte received on this connection. */
  raw: Buffer;
  requests: SeenRequest[];
  closed: boolean;
}

type Respond = (request: SeenRequest, conn: ServerConnection) => void | Promise<void>;

interface ScriptedServer {
  port: number;
  origin: URL;
  connections: ServerConnection[];
  requests: SeenRequest[];
  /** Answers each request; a test may swap it. */
  respond: Respond;
  close(): Promise<void>;
}

const servers: ScriptedServer[] = [];
const clients: Http1Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function okBytes(body: string | Buffer, fields = ''): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([
    Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${bytes.length}\r\n${fields}\r\n`),
    bytes,
  ]);
}

/** The default answer: 200 with `METHOD path` as the body, framed by Content-Length. */
function answerOk(request: SeenRequest, conn: ServerConnection): void {
  conn.socket.write(okBytes(`${request.method} ${request.path}`));
}

async function startServer(respond: Respond = answerOk): Promise<ScriptedServer> {
  const connections: ServerConnection[] = [];
  const requests: SeenRequest[] = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const conn: ServerConnection = {
      index: connections.length,
      socket,
      raw: Buffer.alloc(0),
      requests: [],
      closed: false,
    };
    connections.push(conn);
    let buffered = Buffer.alloc(0);
    // The client drops connections it no longer trusts: writes may then fail, as they may.
    socket.on('error', () => undefined);
    socket.on('close', () => (conn.closed = true));
    socket.on('data', (chunk: Buffer) => {
      conn.raw = Buffer.concat([conn.raw, chunk]);
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        const head = buffered.toString('utf8', 0, headEnd);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) return;
        const body = Buffer.from(buffered.subarray(headEnd + 4, headEnd + 4 + length));
        buffered = buffered.subarray(headEnd + 4 + length);
        const lines = head.split('\r\n');
        const [method = '', path = ''] = lines[0]!.split(' ');
        const fields = lines.slice(1).map((line): [string, string] => {
          const colon = line.indexOf(': ');
          return [line.slice(0, colon), line.slice(colon + 2)];
        });
        const request: SeenRequest = {
          method,
          path,
          fields,
          body,
          connection: conn.index,
          writtenBefore: socket.bytesWritten,
        };
        conn.requests.push(request);
        requests.push(request);
        void scripted.respond(request, conn);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const scripted: ScriptedServer = {
    port,
    origin: new URL(`http://127.0.0.1:${port}`),
    connections,
    requests,
    respond,
    close: () => {
      for (const conn of connections) conn.socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(scripted);
  return scripted;
}

/** Writes `bytes` split at `cuts`, one write per piece, each on a later turn of the event loop. */
async function writePieces(socket: Socket, bytes: Buffer, cuts: readonly number[]): Promise<void> {
  const at = [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
  let from = 0;
  for (const cut of [...at, bytes.length]) {
    if (socket.destroyed) return;
    socket.write(bytes.subarray(from, cut));
    from = cut;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Waits until `condition` holds; fails after a bound that only a broken client reaches. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const giveUpAt = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

// ---- the client side ----

type Abort = (err?: Error) => void;
type CodedError = Error & { code?: string };

interface Outcome {
  status: number;
  statusText: string;
  headers: string[];
  chunks: Buffer[];
  /** Handler calls in order: connect, headers NNN, data, complete, error. */
  events: string[];
  error: CodedError | null;
  abort: Abort | null;
}

interface Hooks {
  onConnect?(abort: Abort): void;
  /** Its result is onData's (undefined: true). */
  onData?(chunk: Buffer, abort: Abort): boolean | undefined;
  /** After onComplete or onError, synchronously inside the client's call. */
  onEnd?(): void;
}

function newOutcome(): Outcome {
  return {
    status: 0,
    statusText: '',
    headers: [],
    chunks: [],
    events: [],
    error: null,
    abort: null,
  };
}

const bodyOf = (outcome: Outcome): Buffer => Buffer.concat(outcome.chunks);
const count = (outcome: Outcome, event: string): number =>
  outcome.events.filter((e) => e === event).length;

function handlerFor(outcome: Outcome, hooks: Hooks = {}): Dispatcher.DispatchHandler {
  const handler = {
    onConnect(abort: Abort): void {
      outcome.events.push('connect');
      outcome.abort = abort;
      hooks.onConnect?.(abort);
    },
    onHeaders(status: number, headers: string[], _resume: () => void, statusText: string): boolean {
      outcome.events.push(`headers ${status}`);
      outcome.status = status;
      outcome.headers = [...headers];
      outcome.statusText = statusText;
      return true;
    },
    onData(chunk: Buffer): boolean {
      outcome.events.push('data');
      outcome.chunks.push(Buffer.from(chunk));
      return hooks.onData?.(chunk, outcome.abort!) ?? true;
    },
    onComplete(): void {
      outcome.events.push('complete');
      hooks.onEnd?.();
    },
    onError(err: Error): void {
      outcome.events.push('error');
      outcome.error = err;
      hooks.onEnd?.();
    },
  };
  return handler as unknown as Dispatcher.DispatchHandler;
}

function newClient(server: { origin: URL }): Http1Client {
  const client = new Http1Client(server.origin, { connectTimeoutMs: 10_000 });
  clients.push(client);
  return client;
}

/** Dispatches one request; resolves when the client calls onComplete or onError. */
function send(
  client: Http1Client,
  options: Partial<Dispatcher.DispatchOptions> = {},
  hooks: Hooks = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome = newOutcome();
    const request = { method: 'GET', path: '/', ...options } as Dispatcher.DispatchOptions;
    client.dispatch(
      request,
      handlerFor(outcome, {
        ...hooks,
        onEnd: () => {
          hooks.onEnd?.();
          resolve(outcome);
        },
      }),
    );
  });
}

/** A request that must succeed with the default answer. */
async function expectOk(client: Http1Client, path: string): Promise<void> {
  const outcome = await send(client, { path });
  expect(outcome.error).toBeNull();
  expect(outcome.status).toBe(200);
  expect(bodyOf(outcome).toString()).toBe(`GET ${path}`);
}

/** Ended once, by onError, never by onComplete. */
function expectFailedOnce(outcome: Outcome): void {
  expect(count(outcome, 'error')).toBe(1);
  expect(count(outcome, 'complete')).toBe(0);
  expect(outcome.events.at(-1)).toBe('error');
}

// ---- request bytes ----

describe('the request bytes (RFC 9112 §3)', () => {
  it('are the method, path, host, connection, the given fields in order and the UTF-8 content-length', async () => {
    const server = await startServer();
    const client = newClient(server);
    const body = '{"text":"héllo ✓ 😀 ünïcode"}';
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    const headers = ['content-type', 'application/json', 'Mcp-Session-Id', 's-1', 'x-b', 'two'];
    const outcome = await send(client, { method: 'POST', path: '/mcp?x=1&y=%20', headers, body });
    expect(outcome.error).toBeNull();
    const expected =
      `POST /mcp?x=1&y=%20 HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\n` +
      'connection: keep-alive\r\ncontent-type: application/json\r\nMcp-Session-Id: s-1\r\n' +
      `x-b: two\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    expect(server.connections[0]!.raw.toString('utf8')).toBe(expected);
    expect(server.connections[0]!.raw.length).toBe(Buffer.byteLength(expected));
    expect(server.requests[0]!.body.toString('utf8')).toBe(body);
  });

  it('take the fields of a header object in its order, leaving out undefined values', async () => {
    const server = await startServer();
    const client = newClient(server);
    const headers = { accept: 'application/json, text/event-stream', skipped: undefined, 'x-n': 7 };
    await send(client, {
      method: 'GET',
      path: '/a',
      headers: headers as unknown as Record<string, string>,
    });
    expect(server.requests[0]!.fields).toEqual([
      ['host', `127.0.0.1:${server.port}`],
      ['connection', 'keep-alive'],
      ['accept', 'application/json, text/event-stream'],
      ['x-n', '7'],
    ]);
  });

  it.each([
    ['DELETE', undefined, 'none'],
    ['GET', undefined, 'none'],
    ['POST', undefined, '0'],
    ['POST', '', '0'],
    ['PUT', undefined, '0'],
  ])('a %s with body %j has content-length %s', async (method, body, length) => {
    const server = await startServer();
    const client = newClient(server);
    const outcome = await send(client, { method: method as 'GET', path: '/x', body });
    expect(outcome.error).toBeNull();
    const request = server.requests[0]!;
    expect(request.method).toBe(method);
    const lengths = request.fields.filter(([name]) => name.toLowerCase() === 'content-length');
    expect(lengths).toEqual(length === 'none' ? [] : [['content-length', length]]);
    // Nothing follows the head: the bytes received are exactly one request.
    expect(server.connections[0]!.raw.toString().endsWith('\r\n\r\n')).toBe(true);
    expect(request.body.length).toBe(0);
  });

  it('send a byte body as given, with its length', async () => {
    const server = await startServer();
    const client = newClient(server);
    const body = Uint8Array.from([0, 1, 0xff, 0xc3, 0x28, 13, 10, 13, 10]);
    await send(client, { method: 'POST', path: '/bin', body });
    expect(server.requests[0]!.fields.at(-1)).toEqual(['content-length', String(body.length)]);
    expect(server.requests[0]!.body.equals(Buffer.from(body))).toBe(true);
  });
});

// ---- keep-alive ----

describe('keep-alive (RFC 9112 §9.3)', () => {
  it('50 requests, each dispatched from the previous onComplete, share one connection', async () => {
    // Echoes the request body, framed by Content-Length or chunked in turn.
    const server = await startServer((request, conn) => {
      const n = Number(request.path.slice('/echo/'.length));
      if (n % 2 === 0) {
        conn.socket.write(okBytes(request.body));
        return;
      }
      const parts: Buffer[] = [
        Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n'),
      ];
      for (let at = 0; at < request.body.length; at += 7) {
        const piece = request.body.subarray(at, at + 7);
        parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
      }
      parts.push(Buffer.from('0\r\n\r\n'));
      conn.socket.write(Buffer.concat(parts));
    });
    const client = newClient(server);
    const total = 50;
    const bodies = Array.from({ length: total }, (_, i) => `{"n":${i},"pad":"${'é✓'.repeat(i)}"}`);
    const outcomes: Outcome[] = [];
    await new Promise<void>((resolve) => {
      const start = (i: number): void => {
        const outcome = newOutcome();
        outcomes.push(outcome);
        const onEnd = (): void => {
          if (outcome.error !== null || i === total - 1) resolve();
          else start(i + 1);
        };
        const options = { method: 'POST', path: `/echo/${i}`, body: bodies[i] } as const;
        client.dispatch(options, handlerFor(outcome, { onEnd }));
      };
      start(0);
    });
    expect(outcomes.map((o) => o.error)).toEqual(Array(total).fill(null));
    expect(outcomes.map((o) => bodyOf(o).toString('utf8'))).toEqual(bodies);
    expect(outcomes.every((o) => count(o, 'complete') === 1)).toBe(true);
    expect(server.connections.length).toBe(1);
    expect(server.connections[0]!.requests.length).toBe(total);
  });

  it('a second dispatch waits for the first response: both complete in order on one connection', async () => {
    const server = await startServer(async (request, conn) => {
      // Answer the first late: a client that pipelined would have sent the second by then.
      if (request.path === '/first') await new Promise((resolve) => setTimeout(resolve, 30));
      conn.socket.write(okBytes(`GET ${request.path}`));
    });
    const client = newClient(server);
    const order: string[] = [];
    const first = send(client, { path: '/first' }, { onEnd: () => order.push('first ended') });
    const second = send(
      client,
      { path: '/second' },
      { onConnect: () => order.push('second connect') },
    );
    const [a, b] = await Promise.all([first, second]);
    expect(bodyOf(a).toString()).toBe('GET /first');
    expect(bodyOf(b).toString()).toBe('GET /second');
    expect(order).toEqual(['first ended', 'second connect']);
    expect(server.connections.length).toBe(1);
    const [r1, r2] = server.connections[0]!.requests;
    expect(r1!.path).toBe('/first');
    expect(r2!.path).toBe('/second');
    // The second request arrived only after the whole first response had been written.
    expect(r2!.writtenBefore).toBe(okBytes('GET /first').length);
  });

  it.each([
    ['HTTP/1.1 with no Connection field', 0, 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'],
    [
      'HTTP/1.1 with Connection: keep-alive',
      0,
      'HTTP/1.1 200 OK\r\nConnection: Keep-Alive\r\ncontent-length: 2\r\n\r\nok',
    ],
    [
      'HTTP/1.0 with Connection: keep-alive',
      0,
      'HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 2\r\n\r\nok',
    ],
    [
      'HTTP/1.0 with Connection: foo, Keep-Alive',
      0,
      'HTTP/1.0 200 OK\r\nconnection: foo, Keep-Alive\r\ncontent-length: 2\r\n\r\nok',
    ],
    ['Connection: close', 1, 'HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 2\r\n\r\nok'],
    ['Connection: CLOSE', 1, 'HTTP/1.1 200 OK\r\nconnection: CLOSE\r\ncontent-length: 2\r\n\r\nok'],
    [
      'Connection: keep-alive, close',
      1,
      'HTTP/1.1 200 OK\r\nconnection: keep-alive, close\r\ncontent-length: 2\r\n\r\nok',
    ],
    [
      'a second Connection line saying close',
      1,
      'HTTP/1.1 200 OK\r\nconnection: upgrade\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok',
    ],
    [
      'HTTP/1.0 without Connection: keep-alive',
      1,
      'HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok',
    ],
    [
      'HTTP/1.0 with Connection: keep-alive, close',
      1,
      'HTTP/1.0 200 OK\r\nconnection: keep-alive, close\r\ncontent-length: 2\r\n\r\nok',
    ],
  ])('after %s the next request goes on connection %i', async (_name, nextConnection, first) => {
    // The server never closes a connection itself: a new one is the client's decision.
    const server = await startServer((request, conn) => {
      conn.socket.write(
        request.path === '/1' ? Buffer.from(first) : okBytes(`GET ${request.path}`),
      );
    });
    const client = newClient(server);
    const a = await send(client, { path: '/1' });
    expect(a.error).toBeNull();
    expect(bodyOf(a).toString()).toBe('ok');
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.connection)).toEqual([0, nextConnection]);
    expect(server.connections.length).toBe(nextConnection + 1);
    if (nextConnection === 1) await waitFor(() => server.connections[0]!.closed, 'the close');
  });

  it.each([
    ['timeout=2', 1],
    ['max=100, timeout=2', 1],
    ['Timeout = 1', 1],
    ['timeout=60', 0],
    ['timeout=60, max=5', 0],
    ['max=5', 0],
  ])('a Keep-Alive: %s hint puts the next request on connection %i', async (hint, next) => {
    // The hint less a 2 s margin bounds the idle time: timeout=2 leaves none (undici's rule).
    const server = await startServer((request, conn) => {
      const fields = request.path === '/1' ? `keep-alive: ${hint}\r\n` : '';
      conn.socket.write(okBytes(`GET ${request.path}`, fields));
    });
    const client = newClient(server);
    await expectOk(client, '/1');
    await new Promise((resolve) => setImmediate(resolve));
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.connection)).toEqual([0, next]);
  });

  it('an idle connection the server closed is not reused: the next request opens another', async () => {
    const server = await startServer();
    const client = newClient(server);
    await expectOk(client, '/1');
    server.connections[0]!.socket.end();
    await waitFor(() => server.connections[0]!.closed, 'the close');
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
  });
});

// ---- framing ----

describe('message framing (RFC 9112 §6, §7)', () => {
  async function firstThenOk(first: Buffer | string, method = 'GET') {
    const server = await startServer((request, conn) => {
      conn.socket.write(request.path === '/1' ? first : okBytes(`GET ${request.path}`));
    });
    const client = newClient(server);
    const outcome = await send(client, { path: '/1', method: method as 'GET' });
    await expectOk(client, '/2');
    return { server, outcome };
  }

  it('reads exactly Content-Length bytes, then reuses the connection', async () => {
    const body = Buffer.from('{"jsonrpc":"2.0","result":"ünï ✓"}');
    const { server, outcome } = await firstThenOk(
      okBytes(body, 'content-type: application/json\r\n'),
    );
    expect(outcome.status).toBe(200);
    expect(bodyOf(outcome).equals(body)).toBe(true);
    expect(outcome.headers).toEqual([
      'content-length',
      String(body.length),
      'content-type',
      'application/json',
    ]);
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
  });

  it('reads chunked data with chunk extensions and trailers, then reuses the connection', async () => {
    const response =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5;name=value\r\nhello\r\nC ; quoted="a;b"\r\n, world! ✓\r\n1;a;b\r\n.\r\n' +
      '0;last\r\nexpires: never\r\nx-trailer: 1\r\n\r\n';
    const { server, outcome } = await firstThenOk(response);
    expect(outcome.error).toBeNull();
    expect(bodyOf(outcome).toString('utf8')).toBe('hello, world! ✓.');
    expect(count(outcome, 'complete')).toBe(1);
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
  });

  it.each([
    ['a 204', 'HTTP/1.1 204 No Content\r\n\r\n', 'GET'],
    [
      'a 304 carrying the length of a body it does not send',
      'HTTP/1.1 304 Not Modified\r\ncontent-length: 100\r\n\r\n',
      'GET',
    ],
    ['a Content-Length answering HEAD', 'HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n', 'HEAD'],
    ['a chunked answer to HEAD', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n', 'HEAD'],
    ['a Content-Length: 0', 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n', 'GET'],
  ])('%s response has no body and the connection is reused', async (_n, response, method) => {
    const { server, outcome } = await firstThenOk(response, method);
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe(Number(response.slice(9, 12)));
    expect(outcome.chunks).toEqual([]);
    expect(count(outcome, 'complete')).toBe(1);
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
  });

  it('a body with neither length nor chunked ends at the close; the next request opens another connection', async () => {
    const server = await startServer(async (request, conn) => {
      if (request.path !== '/1') return answerOk(request, conn);
      await writePieces(conn.socket, Buffer.from('HTTP/1.1 200 OK\r\n\r\nfirst part, '), []);
      await writePieces(conn.socket, Buffer.from('second part ✓'), []);
      conn.socket.end();
    });
    const client = newClient(server);
    const outcome = await send(client, { path: '/1' });
    expect(outcome.error).toBeNull();
    expect(count(outcome, 'complete')).toBe(1);
    expect(bodyOf(outcome).toString('utf8')).toBe('first part, second part ✓');
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
  });

  it('Transfer-Encoding: gzip, chunked is chunked (the last coding decides); the coded bytes are delivered', async () => {
    const gz = gzipSync('{"result":"compressed ✓"}');
    const half = gz.length >> 1;
    const response = Buffer.concat([
      Buffer.from(
        `HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${half.toString(16)}\r\n`,
      ),
      gz.subarray(0, half),
      Buffer.from(`\r\n${(gz.length - half).toString(16)}\r\n`),
      gz.subarray(half),
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    const { server, outcome } = await firstThenOk(response);
    expect(outcome.error).toBeNull();
    expect(gunzipSync(bodyOf(outcome)).toString('utf8')).toBe('{"result":"compressed ✓"}');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
  });

  it('Transfer-Encoding over two field lines ending in chunked is chunked', async () => {
    const response =
      'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\ntransfer-encoding: chunked\r\n\r\n' +
      '3\r\nabc\r\n0\r\n\r\n';
    const { server, outcome } = await firstThenOk(response);
    expect(bodyOf(outcome).toString()).toBe('abc');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
  });

  it('Transfer-Encoding not ending in chunked is read until the close (§6.3 item 4)', async () => {
    const server = await startServer((request, conn) => {
      if (request.path !== '/1') return answerOk(request, conn);
      conn.socket.end('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n');
    });
    const client = newClient(server);
    const outcome = await send(client, { path: '/1' });
    expect(outcome.error).toBeNull();
    expect(bodyOf(outcome).toString()).toBe('3\r\nabc\r\n');
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
  });

  // RFC 9112 §7.1 (chunk-size = 1*HEXDIG) and RFC 9110 §8.6 (Content-Length = 1*DIGIT) put no
  // bound on leading zeros, and undici reads both: only the significant digits are limited.
  it('a chunk size with leading zeros is read (RFC 9112 §7.1)', async () => {
    const { outcome } = await firstThenOk(
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0000000000000005\r\nhello\r\n0\r\n\r\n',
    );
    expect(outcome.error).toBeNull();
    expect(bodyOf(outcome).toString()).toBe('hello');
  });

  it('a Content-Length with leading zeros is read (RFC 9110 §8.6)', async () => {
    const { outcome } = await firstThenOk(
      'HTTP/1.1 200 OK\r\ncontent-length: 0000000000000005\r\n\r\nhello',
    );
    expect(outcome.error).toBeNull();
    expect(bodyOf(outcome).toString()).toBe('hello');
  });

  it('two equal Content-Length values (two lines, or a list) are accepted (RFC 9110 §8.6)', async () => {
    for (const fields of [
      'content-length: 5\r\nContent-Length: 5\r\n',
      'content-length: 5, 5\r\n',
    ]) {
      const { server, outcome } = await firstThenOk(`HTTP/1.1 200 OK\r\n${fields}\r\nhello`);
      expect(outcome.error).toBeNull();
      expect(bodyOf(outcome).toString()).toBe('hello');
      expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
    }
  });
});

// ---- interim responses ----

describe('interim responses (RFC 9110 §15.2)', () => {
  const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
  const HINTS =
    'HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\ncontent-length: 9\r\n\r\n';
  const FINAL =
    'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 4\r\n\r\n{ok}';

  it.each([
    ['100 Continue', [CONTINUE]],
    ['103 Early Hints', [HINTS]],
    ['100 then 103', [CONTINUE, HINTS]],
  ])(
    '%s before the final response is skipped: onHeaders once, with the final one',
    async (_n, interim) => {
      for (const separate of [false, true]) {
        const server = await startServer(async (request, conn) => {
          if (!separate) conn.socket.write([...interim, FINAL].join(''));
          else
            for (const part of [...interim, FINAL])
              await writePieces(conn.socket, Buffer.from(part), []);
        });
        const client = newClient(server);
        const outcome = await send(client, { method: 'POST', path: '/i', body: '{}' });
        expect(outcome.error).toBeNull();
        expect(outcome.events.filter((e) => e.startsWith('headers'))).toEqual(['headers 201']);
        expect(outcome.statusText).toBe('Created');
        expect(outcome.headers).toEqual([
          'content-type',
          'application/json',
          'content-length',
          '4',
        ]);
        expect(bodyOf(outcome).toString()).toBe('{ok}');
        await send(client, { path: '/2' });
        expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
      }
    },
  );

  it('a response written one byte per write is read the same (every boundary of head, chunk and trailer)', async () => {
    const response = Buffer.from(
      CONTINUE +
        HINTS.replace('content-length: 9\r\n', '') +
        'HTTP/1.1 299 Odd But Fine\r\nx-a: 1\r\ntransfer-encoding: chunked\r\nx-b:\t b \t\r\n\r\n' +
        '5;e=1\r\nab✓\r\n1\r\n\n\r\n0\r\nx-t: 1\r\n\r\n',
    );
    const server = await startServer(async (_request, conn) => {
      await writePieces(
        conn.socket,
        response,
        Array.from({ length: response.length }, (_, i) => i),
      );
    });
    const client = newClient(server);
    const outcome = await send(client, { path: '/bytes' });
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe(299);
    expect(outcome.statusText).toBe('Odd But Fine');
    expect(outcome.headers).toEqual(['x-a', '1', 'transfer-encoding', 'chunked', 'x-b', 'b']);
    expect(bodyOf(outcome).toString('utf8')).toBe('ab✓\n');
    server.respond = answerOk;
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
  });
});

// ---- the property ----

describe('any well-framed response, written in any pieces', () => {
  const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);
  const ows = fc.constantFrom('', ' ', '\t', ' \t ');
  const field = fc.record({
    name: fc
      .string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 16 })
      .filter((n) => !FRAMING.has(n.toLowerCase())),
    // Field values (RFC 9110 §5.5): visible characters with inner spaces and tabs.
    value: fc.stringMatching(/^(?:[!-~](?:[ \t!-~]{0,30}[!-~])?)?$/),
    before: ows,
    after: ows,
  });
  const body = fc
    .array(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => Buffer.from(s)),
      ),
      { maxLength: 6 },
    )
    .map((parts) => Buffer.concat(parts));
  const framing = fc.oneof(
    fc.record({
      kind: fc.constant('length' as const),
      name: fc.constantFrom('content-length', 'Content-Length'),
    }),
    fc.record({
      kind: fc.constant('chunked' as const),
      name: fc.constantFrom('transfer-encoding', 'Transfer-Encoding'),
      sizes: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
      upper: fc.boolean(),
      extension: fc.boolean(),
      trailers: fc.array(field, { maxLength: 3 }),
    }),
  );
  const shape = fc.record({
    status: fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304),
    reason: fc.option(fc.stringMatching(/^[ !-~]{0,20}$/), { nil: null }),
    fields: fc.array(field, { maxLength: 6 }),
    framingAt: fc.nat(),
    framing,
    body,
    interim: fc.boolean(),
    cuts: fc.array(fc.nat(), { maxLength: 12 }),
  });
  type Shape = typeof shape extends fc.Arbitrary<infer T> ? T : never;

  function encode(s: Shape): { bytes: Buffer; headers: string[] } {
    const lines = s.fields.map((f) => [f.name, `${f.before}${f.value}${f.after}`]);
    const headers = s.fields.flatMap((f) => [f.name, f.value]);
    const at = s.framingAt % (s.fields.length + 1);
    const f = s.framing;
    const framingValue = f.kind === 'length' ? String(s.body.length) : 'chunked';
    lines.splice(at, 0, [f.name, framingValue]);
    headers.splice(2 * at, 0, f.name, framingValue);
    const status = `HTTP/1.1 ${s.status}${s.reason === null ? '' : ` ${s.reason}`}\r\n`;
    const head = status + lines.map(([n, v]) => `${n}:${v}\r\n`).join('') + '\r\n';
    const parts = [Buffer.from((s.interim ? 'HTTP/1.1 100 Continue\r\n\r\n' : '') + head)];
    if (f.kind === 'length') parts.push(s.body);
    else {
      let offset = 0;
      for (let i = 0; offset < s.body.length; i++) {
        const piece = s.body.subarray(offset, offset + f.sizes[i % f.sizes.length]!);
        offset += piece.length;
        const hex = piece.length.toString(16);
        const ext = f.extension ? ';ext=1' : '';
        parts.push(
          Buffer.from(`${f.upper ? hex.toUpperCase() : hex}${ext}\r\n`),
          piece,
          Buffer.from('\r\n'),
        );
      }
      const trailers = f.trailers.map((t) => `${t.name}: ${t.value}\r\n`).join('');
      parts.push(Buffer.from(`0\r\n${trailers}\r\n`));
    }
    return { bytes: Buffer.concat(parts), headers };
  }

  it('gives the same status, reason, headers and body bytes, and leaves the connection reusable', async () => {
    let current: { bytes: Buffer; cuts: number[] } = { bytes: Buffer.alloc(0), cuts: [] };
    const server = await startServer(async (request, conn) => {
      if (request.path === '/random') await writePieces(conn.socket, current.bytes, current.cuts);
      else answerOk(request, conn);
    });
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const { bytes, headers } = encode(s);
        current = { bytes, cuts: s.cuts.map((c) => 1 + (c % Math.max(1, bytes.length - 1))) };
        const client = new Http1Client(server.origin, { connectTimeoutMs: 10_000 });
        try {
          const before = server.connections.length;
          const outcome = await send(client, { path: '/random' });
          expect(outcome.error).toBeNull();
          expect(outcome.status).toBe(s.status);
          expect(outcome.statusText).toBe(s.reason ?? '');
          expect(outcome.headers).toEqual(headers);
          expect(bodyOf(outcome).equals(s.body)).toBe(true);
          expect(count(outcome, 'complete')).toBe(1);
          // The framing ended where the response did: the next request reuses the connection.
          await expectOk(client, '/after');
          expect(server.connections.length).toBe(before + 1);
          expect(server.connections[before]!.requests.map((r) => r.path)).toEqual([
            '/random',
            '/after',
          ]);
        } finally {
          await client.destroy();
        }
      }),
      { numRuns: 40 },
    );
  });
});

// ---- malformed responses ----

describe('a malformed response is refused with llhttp’s code, and the connection with it', () => {
  const CHUNKED = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n';
  const filler = (bytes: number): string => {
    let s = '';
    for (let i = 0; s.length < bytes; i++) s += `x-fill-${i}: ${'a'.repeat(90)}\r\n`;
    return s;
  };

  it.each([
    [
      'a status line that is not one',
      'HPE_INVALID_STATUS',
      'HTTP/1.1 2OO OK\r\ncontent-length: 0\r\n\r\n',
    ],
    [
      'a status line of another protocol',
      'HPE_INVALID_STATUS',
      'ICY 200 OK\r\ncontent-length: 0\r\n\r\n',
    ],
    ['a four-digit status', 'HPE_INVALID_STATUS', 'HTTP/1.1 2000 OK\r\ncontent-length: 0\r\n\r\n'],
    ['a status under 100', 'HPE_INVALID_STATUS', 'HTTP/1.1 099 Low\r\ncontent-length: 0\r\n\r\n'],
    [
      'a status line ending in a bare LF',
      'HPE_INVALID_STATUS',
      'HTTP/1.1 200 OK\nx-a: 1\r\ncontent-length: 0\r\n\r\n',
    ],
    [
      'a space before a colon',
      'HPE_INVALID_HEADER_TOKEN',
      'HTTP/1.1 200 OK\r\ncontent-length : 0\r\n\r\n',
    ],
    [
      'a folded header line',
      'HPE_INVALID_HEADER_TOKEN',
      'HTTP/1.1 200 OK\r\nx-a: one\r\n two\r\ncontent-length: 0\r\n\r\n',
    ],
    [
      'a bare LF inside the head',
      'HPE_INVALID_HEADER_TOKEN',
      'HTTP/1.1 200 OK\r\nx-a: one\nx-b: two\r\ncontent-length: 0\r\n\r\n',
    ],
    [
      'a field line without a colon',
      'HPE_INVALID_HEADER_TOKEN',
      'HTTP/1.1 200 OK\r\nnot a field\r\ncontent-length: 0\r\n\r\n',
    ],
    [
      'a NUL in a field value',
      'HPE_INVALID_HEADER_TOKEN',
      'HTTP/1.1 200 OK\r\nx-a: a\0b\r\ncontent-length: 0\r\n\r\n',
    ],
    [
      'Transfer-Encoding with Content-Length',
      'HPE_UNEXPECTED_CONTENT_LENGTH',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    ],
    [
      'two different Content-Length values',
      'HPE_INVALID_CONTENT_LENGTH',
      'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello!',
    ],
    [
      'a Content-Length list of different values',
      'HPE_INVALID_CONTENT_LENGTH',
      'HTTP/1.1 200 OK\r\ncontent-length: 5, 6\r\n\r\nhello!',
    ],
    [
      'a Content-Length that is not a number',
      'HPE_INVALID_CONTENT_LENGTH',
      'HTTP/1.1 200 OK\r\ncontent-length: 5x\r\n\r\nhello',
    ],
    [
      'a negative Content-Length',
      'HPE_INVALID_CONTENT_LENGTH',
      'HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\nhello',
    ],
    [
      'an empty Content-Length',
      'HPE_INVALID_CONTENT_LENGTH',
      'HTTP/1.1 200 OK\r\ncontent-length:\r\n\r\nhello',
    ],
    ['a non-hex chunk size', 'HPE_INVALID_CHUNK_SIZE', `${CHUNKED}zz\r\nhello\r\n0\r\n\r\n`],
    ['an empty chunk size', 'HPE_INVALID_CHUNK_SIZE', `${CHUNKED}\r\nhello\r\n0\r\n\r\n`],
    [
      'a chunk size followed by junk',
      'HPE_INVALID_CHUNK_SIZE',
      `${CHUNKED}5x\r\nhello\r\n0\r\n\r\n`,
    ],
    ['a chunk size line ending in a bare LF', 'HPE_STRICT', `${CHUNKED}5\nhello\r\n0\r\n\r\n`],
    ['no CRLF after chunk data', 'HPE_STRICT', `${CHUNKED}5\r\nhelloX\r\n0\r\n\r\n`],
    ['a bare LF after chunk data', 'HPE_STRICT', `${CHUNKED}5\r\nhello\n0\r\n\r\n`],
    [
      'a chunk size line over 4 KiB',
      'HPE_CHUNK_EXTENSIONS_OVERFLOW',
      `${CHUNKED}5;${'e'.repeat(5000)}`,
    ],
    [
      'a head over 16 KiB',
      'HPE_HEADER_OVERFLOW',
      `HTTP/1.1 200 OK\r\n${filler(17 * 1024)}content-length: 0\r\n\r\n`,
    ],
    [
      'a head over 16 KiB that never ends',
      'HPE_HEADER_OVERFLOW',
      `HTTP/1.1 200 OK\r\n${filler(17 * 1024)}`,
    ],
    ['trailers over 16 KiB', 'HPE_HEADER_OVERFLOW', `${CHUNKED}0\r\n${filler(17 * 1024)}`],
    [
      'HTTP/1.1 101',
      'HPE_INVALID_STATUS',
      'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n',
    ],
  ])(
    '%s: onError %s, never onComplete; the next request succeeds on a new connection',
    async (_name, code, bad) => {
      // The server keeps the connection open: the error and the close are the client's.
      const server = await startServer((request, conn) => {
        conn.socket.write(
          request.path === '/bad' ? Buffer.from(bad, 'latin1') : okBytes(`GET ${request.path}`),
        );
      });
      const client = newClient(server);
      const outcome = await send(client, { path: '/bad' });
      expect(outcome.error?.code).toBe(code);
      expect(outcome.error?.message).toContain('HTTP/1.1');
      await waitFor(() => server.connections[0]!.closed, 'the client to close the connection');
      await expectOk(client, '/next');
      expectFailedOnce(outcome);
      expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
    },
  );

  it('a head of exactly MAX_HEAD_BYTES is accepted, one byte more is refused', async () => {
    const headOf = (size: number): string => {
      const start = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-fill: ';
      return `${start}${'a'.repeat(size - start.length - 4)}\r\n\r\n`;
    };
    expect(headOf(MAX_HEAD_BYTES).length).toBe(MAX_HEAD_BYTES);
    const server = await startServer((request, conn) => {
      const size = Number(request.path.slice(1));
      conn.socket.write(`${headOf(size)}ok`);
    });
    const client = newClient(server);
    const fits = await send(client, { path: `/${MAX_HEAD_BYTES}` });
    expect(fits.error).toBeNull();
    expect(bodyOf(fits).toString()).toBe('ok');
    const over = await send(client, { path: `/${MAX_HEAD_BYTES + 1}` });
    expect(over.error?.code).toBe('HPE_HEADER_OVERFLOW');
  });
});

// ---- connection failures ----

describe('connection failures', () => {
  it('the server closing mid-body gives UND_ERR_SOCKET "other side closed", after the bytes sent', async () => {
    const server = await startServer((request, conn) => {
      if (request.path !== '/cut') return answerOk(request, conn);
      conn.socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhello');
    });
    const client = newClient(server);
    const outcome = await send(client, { path: '/cut' });
    expect(outcome.error?.code).toBe('UND_ERR_SOCKET');
    expect(outcome.error?.message).toBe('other side closed');
    expect(bodyOf(outcome).toString()).toBe('hello');
    await expectOk(client, '/next');
    expectFailedOnce(outcome);
    expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
  });

  it.each([
    ['mid-chunk', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\na\r\nhel'],
    ['before the last chunk', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nhel\r\n'],
    ['mid-head', 'HTTP/1.1 200 OK\r\ncontent-len'],
    ['before any byte', ''],
  ])('the server closing %s gives UND_ERR_SOCKET', async (_n, partial) => {
    const server = await startServer((request, conn) => {
      if (request.path === '/cut') conn.socket.end(partial);
      else answerOk(request, conn);
    });
    const client = newClient(server);
    const outcome = await send(client, { path: '/cut' });
    expect(outcome.error?.code).toBe('UND_ERR_SOCKET');
    await expectOk(client, '/next');
    expectFailedOnce(outcome);
  });

  it('a reset from the server gives ECONNRESET', async () => {
    const server = await startServer((request, conn) => {
      if (request.path === '/reset') conn.socket.resetAndDestroy();
      else answerOk(request, conn);
    });
    const client = newClient(server);
    const outcome = await send(client, { path: '/reset' });
    expect(outcome.error?.code).toBe('ECONNRESET');
    await expectOk(client, '/next');
    expectFailedOnce(outcome);
    expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
  });

  it('nothing listening gives ECONNREFUSED', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = newClient({ origin: new URL(`http://127.0.0.1:${port}`) });
    const outcome = await send(client, { path: '/' });
    expect(outcome.error?.code).toBe('ECONNREFUSED');
    expect(outcome.events).toEqual(['connect', 'error']);
  });
});

// ---- bytes nobody asked for ----

describe('bytes nobody asked for (RFC 9112 §9.3: the connection cannot be trusted)', () => {
  it.each([
    ['garbage', 'garbage'],
    ['a whole second response', 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nextra'],
  ])(
    '%s right after a complete response: it completes, the next request uses a new connection',
    async (_n, extra) => {
      const server = await startServer((request, conn) => {
        if (request.path === '/1')
          conn.socket.write(Buffer.concat([okBytes('first'), Buffer.from(extra)]));
        else answerOk(request, conn);
      });
      const client = newClient(server);
      const outcome = await send(client, { path: '/1' });
      expect(outcome.error).toBeNull();
      expect(bodyOf(outcome).toString()).toBe('first');
      await waitFor(() => server.connections[0]!.closed, 'the client to close the connection');
      await expectOk(client, '/2');
      expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
      expect(count(outcome, 'complete')).toBe(1);
      expect(count(outcome, 'error')).toBe(0);
    },
  );

  it('bytes while no request is in flight: the next request uses a new connection and succeeds', async () => {
    const server = await startServer();
    const client = newClient(server);
    await expectOk(client, '/1');
    server.connections[0]!.socket.write('HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nlate');
    await waitFor(() => server.connections[0]!.closed, 'the client to close the connection');
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
  });
});

// ---- the handler's abort ----

describe('the abort function given to onConnect', () => {
  /** Sends a head and half the body, and holds the rest. */
  const halfBody: Respond = (request, conn) => {
    if (request.path === '/slow')
      conn.socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhello');
    else answerOk(request, conn);
  };

  it.each([
    ['its own error', new Error('too large'), 'too large'],
    ['no error', undefined, 'UND_ERR_ABORTED'],
  ])(
    'mid-body with %s: onError with it, no onComplete, the next request on a new connection',
    async (_n, err, expected) => {
      const server = await startServer(halfBody);
      const client = newClient(server);
      const outcome = await send(
        client,
        { path: '/slow' },
        {
          onData: (_chunk, abort) => {
            abort(err);
            return false;
          },
        },
      );
      if (err !== undefined) expect(outcome.error).toBe(err);
      else expect(outcome.error?.code).toBe(expected);
      expect(bodyOf(outcome).toString()).toBe('hello');
      await waitFor(() => server.connections[0]!.closed, 'the client to close the connection');
      await expectOk(client, '/next');
      expectFailedOnce(outcome);
      expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
    },
  );

  it('aborting inside onConnect ends the request with that error before anything is sent', async () => {
    const server = await startServer();
    const client = newClient(server);
    await expectOk(client, '/1');
    const stop = new Error('stopped');
    const outcome = await send(client, { path: '/never' }, { onConnect: (abort) => abort(stop) });
    expect(outcome.error).toBe(stop);
    expect(outcome.events).toEqual(['connect', 'error']);
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.path)).toEqual(['/1', '/2']);
    expect(server.connections.every((c) => !c.raw.toString().includes('/never'))).toBe(true);
  });

  it('aborting inside onConnect of the first request opens no connection', async () => {
    const server = await startServer();
    const client = newClient(server);
    const outcome = await send(client, { path: '/never' }, { onConnect: (abort) => abort() });
    expect(outcome.error?.code).toBe('UND_ERR_ABORTED');
    await expectOk(client, '/1');
    expect(server.connections.length).toBe(1);
    expect(server.requests.map((r) => r.path)).toEqual(['/1']);
  });

  it('calling it after the request completed changes nothing: the connection is kept', async () => {
    const server = await startServer();
    const client = newClient(server);
    const first = await send(client, { path: '/1' });
    first.abort!(new Error('late'));
    expect(first.events).toEqual(['connect', 'headers 200', 'data', 'complete']);
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
  });

  // The abort function belongs to its handler: one kept from a finished request of another
  // handler must not end the request in flight (as undici binds it to its own request).
  it('an abort kept from a finished request does not end the next one', async () => {
    const server = await startServer((request, conn) => {
      if (request.path === '/2')
        conn.socket.write('HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nha');
      else answerOk(request, conn);
    });
    const client = newClient(server);
    const first = await send(client, { path: '/1' });
    let called = false;
    const outcome = await send(
      client,
      { path: '/2' },
      {
        onData: () => {
          if (called) return true;
          called = true;
          first.abort!(new Error('stale'));
          server.connections[0]!.socket.write('lf');
          return true;
        },
      },
    );
    expect(outcome.error).toBeNull();
    expect(bodyOf(outcome).toString()).toBe('half');
  });
});

// ---- waiting requests ----

describe('requests dispatched while one is in flight', () => {
  // A waiting request refused at dispatch (a bad header) must still start the next waiting one.
  it('a waiting request refused at dispatch does not stall the ones behind it', async () => {
    const server = await startServer();
    const client = newClient(server);
    const first = send(client, { path: '/1' });
    const refused = send(client, { path: '/bad', headers: ['x-a', 'a\r\nb'] });
    const third = newOutcome();
    client.dispatch({ method: 'GET', path: '/3' }, handlerFor(third));
    await first;
    expect((await refused).error?.code).toBe('UND_ERR_INVALID_ARG');
    // The client starts a waiting request synchronously when the one before it ends.
    expect(third.events).toContain('connect');
    await waitFor(() => third.events.includes('complete'), 'the third request');
    expect(server.requests.map((r) => r.path)).toEqual(['/1', '/3']);
  });

  it('a waiting request whose predecessor failed is sent on a new connection', async () => {
    const server = await startServer((request, conn) => {
      if (request.path === '/bad') conn.socket.write('HTTP/1.1 2OO\r\n\r\n');
      else answerOk(request, conn);
    });
    const client = newClient(server);
    const [bad, next] = await Promise.all([
      send(client, { path: '/bad' }),
      send(client, { path: '/next' }),
    ]);
    expect(bad.error?.code).toBe('HPE_INVALID_STATUS');
    expect(next.error).toBeNull();
    expect(bodyOf(next).toString()).toBe('GET /next');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 1]);
  });
});

// ---- destroy ----

describe('destroy()', () => {
  const hold: Respond = (request, conn) => {
    if (request.path !== '/hold') answerOk(request, conn);
  };

  it('ends a request in flight with UND_ERR_DESTROYED and closes the connection', async () => {
    const server = await startServer(hold);
    const client = newClient(server);
    const pending = send(client, { path: '/hold' });
    await waitFor(() => server.requests.length === 1, 'the request');
    await client.destroy();
    const outcome = await pending;
    expect(outcome.error?.code).toBe('UND_ERR_DESTROYED');
    expectFailedOnce(outcome);
    await waitFor(() => server.connections[0]!.closed, 'the close');
  });

  it('a dispatch after destroy gets onError UND_ERR_DESTROYED and sends nothing', async () => {
    const server = await startServer();
    const client = newClient(server);
    await expectOk(client, '/1');
    await client.destroy();
    const outcome = await send(client, { path: '/2' });
    expect(outcome.error?.code).toBe('UND_ERR_DESTROYED');
    expect(outcome.events).toEqual(['error']);
    expect(server.requests.map((r) => r.path)).toEqual(['/1']);
    expect(server.connections.length).toBe(1);
  });

  // destroy() ends the request in flight and every waiting one, each with a handler call.
  it('ends every waiting request too', async () => {
    const server = await startServer(hold);
    const client = newClient(server);
    const outcomes = [newOutcome(), newOutcome(), newOutcome()];
    outcomes.forEach((o, i) =>
      client.dispatch({ method: 'GET', path: i === 0 ? '/hold' : `/${i}` }, handlerFor(o)),
    );
    await waitFor(() => server.requests.length === 1, 'the request');
    await client.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes.map((o) => o.error?.code)).toEqual(Array(3).fill('UND_ERR_DESTROYED'));
  });
});

// ---- request arguments ----

describe('request arguments undici refuses', () => {
  it.each([
    ['a CR LF in a header value', { headers: ['mcp-session-id', 'abc\r\nx-injected: 1'] }],
    ['a bare LF in a header value', { headers: ['mcp-session-id', 'abc\nx-injected: 1'] }],
    ['a bare CR in a header value', { headers: ['mcp-session-id', 'abc\rx-injected: 1'] }],
    ['a NUL in a header value', { headers: ['mcp-session-id', 'a\0b'] }],
    ['a character above U+00FF in a header value', { headers: ['x-a', 'check ✓'] }],
    ['a space in a header name', { headers: ['x a', '1'] }],
    ['a colon in a header name', { headers: ['x-injected: 1\r\nx', '1'] }],
    ['an empty header name', { headers: ['', '1'] }],
    ['a CR LF in a header object value', { headers: { 'mcp-session-id': 'a\r\nx-injected: 1' } }],
    ['a space in the method', { method: 'GE T' }],
    ['a space in the path', { path: '/a b' }],
    ['a CR LF in the path', { path: '/a\r\nx-injected: 1' }],
    ['a body that is neither a string nor bytes', { method: 'POST', body: { not: 'bytes' } }],
  ])('%s: onError UND_ERR_INVALID_ARG at dispatch, nothing sent', async (_n, options) => {
    const server = await startServer();
    const client = newClient(server);
    await expectOk(client, '/1');
    const outcome = newOutcome();
    const request = {
      method: 'GET',
      path: '/bad',
      ...options,
    } as unknown as Dispatcher.DispatchOptions;
    client.dispatch(request, handlerFor(outcome));
    // At dispatch: synchronously, before any onConnect.
    expect(outcome.events).toEqual(['error']);
    expect(outcome.error?.code).toBe('UND_ERR_INVALID_ARG');
    await expectOk(client, '/2');
    expect(server.requests.map((r) => r.path)).toEqual(['/1', '/2']);
    expect(server.connections[0]!.raw.toString('latin1')).not.toContain('bad');
    expect(server.connections[0]!.raw.toString('latin1')).not.toContain('injected');
    // A refused argument is no reason to drop the connection.
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0]);
  });
});
