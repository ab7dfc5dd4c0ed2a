/**
 * The one place a connection's transport is chosen. A transport is what an Exchange sends its
 * requests through (exchange.ts RequestDispatcher: `dispatch(options, handler)` calling undici's
 * handler methods) plus `destroy()`: Streamable HTTP is the lean HTTP/1.1 client
 * (http1-client.ts), which makes the handler calls an undici Client makes; another transport
 * answers like one, so classification, timeouts and metrics stay in the Exchange.
 *
 * The optional members are what a transport with state of its own adds: a stream to `open`
 * before `initialize`, the session it carries, whether it has been `lost` since, and `send` for
 * messages the server does not answer (the client's answers to server requests).
 */
import { LoadtestError } from '../errors.js';
import type { ExchangeDriver, RequestDispatcher } from './exchange.js';
import { Http1Client } from './http1-client.js';
import { MODERN_PROTOCOL_VERSION, type TransportKind } from './mcp-vocabulary.js';
import type { OpenFailure } from './sse-stream.js';
import { SseTransport } from './sse-transport.js';
import type { Target } from './target.js';

export type { OpenFailure };

export interface Transport extends RequestDispatcher {
  destroy(): Promise<void>;
  /** Before `initialize`: set up what requests need (the SSE stream); null when ready. */
  open?(timeoutMs: number): Promise<OpenFailure | null>;
  /** The session the transport itself carries (the SSE endpoint's), else absent or null. */
  readonly sessionId?: string | null;
  /** What `open` set up has gone since (the stream ended): the next request needs a handshake. */
  readonly lost?: boolean;
  /** A message the server does not answer; absent: POST it to the endpoint like any request. */
  send?(body: string): void;
}

export interface TransportOptions {
  timeoutMs: number;
  maxResponseBytes: number;
}

export function createTransport(
  kind: TransportKind,
  target: Target,
  options: TransportOptions,
  driver: Pick<ExchangeDriver, 'onServerRequest'>,
): Transport {
  switch (kind) {
    case 'sse':
      return new SseTransport(target, options, driver);
    case 'streamable-http':
      // http: and https: alike (http1-client.ts); the SSE transport keeps undici.
      return new Http1Client(originOf(target), { connectTimeoutMs: options.timeoutMs });
  }
}

/** The origin as a URL, one per target, so 10,000 connections do not hold 10,000 copies. */
const ORIGINS = new WeakMap<Target, URL>();

function originOf(target: Target): URL {
  let origin = ORIGINS.get(target);
  if (origin === undefined) {
    origin = new URL(target.origin);
    ORIGINS.set(target, origin);
  }
  return origin;
}

/**
 * The 2024-11-05 HTTP+SSE transport predates the 2026-07-28 revision, which is carried only by
 * Streamable HTTP (2026-07-28 "Transports"): pinning both is a usage error, said before any load.
 */
export function checkTransportProtocol(transport: TransportKind, protocol: string): void {
  if (transport === 'sse' && protocol === MODERN_PROTOCOL_VERSION) {
    throw new LoadtestError(
      'USAGE',
      `transport "sse" (the 2024-11-05 HTTP+SSE transport) cannot carry protocol ${MODERN_PROTOCOL_VERSION}; accepted with it: protocol "auto" or a 2025-era revision (2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)`,
    );
  }
}
