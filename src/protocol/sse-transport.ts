/**
 * The 2024-11-05 "HTTP with SSE" transport (MCP 2024-11-05 "Transports"), behind the same
 * dispatch interface as an undici Client, so an Exchange drives it unchanged:
 *
 *   open()            GET the target with Accept: text/event-stream, wait for `endpoint`
 *                     (sse-stream.ts); one stream per connection, that is per virtual user
 *   dispatch(POST)    the JSON-RPC body is POSTed to the endpoint (202 or 200 expected); its
 *                     response arrives later as a `message` event on the stream, matched by id,
 *                     and is handed to the exchange as a 200 `application/json` response
 *                     (onConnect, onHeaders, onData, onComplete), so classification, timeouts and
 *                     metrics are those of every other response
 *   dispatch(DELETE)  ends the session the transport's way: the stream is closed (the
 *                     transport has no DELETE; the server ends the session when its stream does)
 *
 * A POST answered with an error status is that response (an `http` error, or `session_expired`
 * for a 404 once the session is established). A stream that ends fails every request in flight
 * as a `connection` error and marks the transport `lost`: the next request needs a new handshake
 * (a new stream). Server requests on the stream (sampling, elicitation, roots) go to the
 * connection's driver, which answers them through `send()`.
 *
 * Hot path: one PendingPost (sse-pending-post.ts) per request in flight, reused (it is the POST's
 * handler and holds the exchange's abort function); the POST's dispatch options are one object, refilled. The
 * response's data is parsed here to find its id, and again by the exchange.
 */
import Client from 'undici/lib/dispatcher/client.js';
import type { Dispatcher } from 'undici';
import { DISCARD } from './discard-handler.js';
import type { ExchangeDriver } from './exchange.js';
import { connectorSkipping100 } from './interim-continue.js';
import { PREFIX } from './request-template.js';
import { PendingPost, type LegacyHandler, type PendingPosts } from './sse-pending-post.js';
import { SseStream, type OpenFailure, type StreamSink } from './sse-stream.js';
import type { Target } from './target.js';

const NOOP = (): void => undefined;
/** How long the keep-alive POST connection stays open between requests. */
const KEEP_ALIVE_MS = 30_000;

export interface SseTransportOptions {
  timeoutMs: number;
  maxResponseBytes: number;
}

export class SseTransport implements StreamSink, PendingPosts {
  readonly pending = new Map<number, PendingPost>();
  readonly spare: PendingPost[] = [];
  private readonly posts: Client;
  private readonly streamClient: Client;
  private readonly stream: SseStream;
  /** The POST's dispatch options, refilled for each request (undici copies them at dispatch). */
  private readonly post: { path: string; method: 'POST'; headers: unknown; body: string };

  constructor(
    target: Target,
    options: SseTransportOptions,
    private readonly driver: Pick<ExchangeDriver, 'onServerRequest'>,
  ) {
    const connect = connectorSkipping100(options.timeoutMs);
    // Two connections: the stream holds one for as long as the session lasts.
    this.streamClient = new Client(target.origin, {
      connect,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    this.posts = new Client(target.origin, {
      pipelining: 1,
      connect,
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: KEEP_ALIVE_MS,
    });
    this.stream = new SseStream(target, this.streamClient, this, options.maxResponseBytes);
    this.post = { path: target.path, method: 'POST', headers: target.baseHeaders, body: '' };
  }

  /** The session: the endpoint's `sessionId`, once the stream is open. */
  get sessionId(): string | null {
    return this.stream.sessionId;
  }

  /** The stream has ended since the last handshake. */
  get lost(): boolean {
    return this.stream.lost;
  }

  /** A new stream (the handshake's first step); what was in flight on the old one fails. */
  open(timeoutMs: number): Promise<OpenFailure | null> {
    this.failPending(new Error('the SSE stream was replaced by a new one'));
    return this.stream.open(timeoutMs);
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const h = handler as unknown as LegacyHandler;
    const endpoint = this.stream.endpointPath;
    if (options.method === 'DELETE') {
      const wasOpen = this.stream.close();
      // Never inside dispatch: the caller's start() has not returned yet.
      queueMicrotask(() => {
        h.onConnect(NOOP);
        if (!wasOpen) return h.onError(new Error('the SSE stream was already closed'));
        h.onHeaders(200, null, NOOP);
        h.onComplete(null);
      });
      return true;
    }
    if (endpoint === null || this.stream.lost) {
      h.onConnect(NOOP);
      // An exchange ends a connection error on a microtask: no recursion into the caller.
      h.onError(new Error('the SSE stream is closed: no endpoint to POST to'));
      return true;
    }
    const body = options.body as string;
    const post = this.post;
    post.path = endpoint;
    post.headers = options.headers;
    post.body = body;
    const id = requestId(body);
    if (id === 0) {
      // A notification: its POST's own answer (202) is all there is.
      return this.posts.dispatch(post as Dispatcher.DispatchOptions, handler);
    }
    const entry = this.spare.pop() ?? new PendingPost(this);
    entry.arm(id, h);
    this.pending.set(id, entry);
    h.onConnect(entry.abortBound);
    return this.posts.dispatch(post as Dispatcher.DispatchOptions, entry);
  }

  /** A message the server does not answer (an answer to its request), POSTed to the endpoint. */
  send(body: string): void {
    const endpoint = this.stream.endpointPath;
    if (endpoint === null || this.stream.lost) return;
    const post = this.post;
    post.path = endpoint;
    post.body = body;
    this.posts.dispatch(post as Dispatcher.DispatchOptions, DISCARD);
  }

  // ---- the stream (StreamSink) ----

  onMessage(data: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      // Whatever it was meant to answer cannot be told: what is in flight fails on it, as the
      // same bytes would in an HTTP response (the exchange names them: not valid JSON).
      for (const entry of [...this.pending.values()]) entry.deliver(data);
      return;
    }
    if (Array.isArray(msg)) {
      for (const m of msg) this.route(m, undefined);
    } else {
      this.route(msg, data);
    }
  }

  onStreamEnd(err: Error): void {
    this.failPending(err);
  }

  async destroy(): Promise<void> {
    this.failPending(new Error('the connection was closed'));
    this.stream.close();
    await Promise.all([
      this.streamClient.destroy().catch(() => undefined),
      this.posts.destroy().catch(() => undefined),
    ]);
  }

  private route(msg: unknown, data: string | undefined): void {
    if (msg === null || typeof msg !== 'object') return;
    const m = msg as Record<string, unknown>;
    if (typeof m.method === 'string') {
      // A server request (it has an id) is answered; a notification needs nothing.
      if (m.id !== undefined && m.id !== null) this.driver.onServerRequest(m);
      return;
    }
    if (typeof m.id !== 'number') return;
    this.pending.get(m.id)?.deliver(data ?? JSON.stringify(m));
  }

  private failPending(err: Error): void {
    if (this.pending.size === 0) return;
    for (const entry of [...this.pending.values()]) entry.fail(err);
  }
}

/** The id of a body built by request-template.ts (`{"jsonrpc":"2.0","id":N,…`); 0: none. */
function requestId(body: string): number {
  if (!body.startsWith(PREFIX)) return 0;
  let id = 0;
  for (let i = PREFIX.length; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c < 48 || c > 57) break;
    id = id * 10 + (c - 48);
  }
  return id;
}
