/**
 * What a connection sends its requests through: the one seam between the MCP client and the wire.
 *
 * An Exchange (exchange.ts) drives any object with undici's `dispatch(options, handler)`: a real
 * undici Client for Streamable HTTP, or a transport that turns the request body into a message on
 * another wire and feeds the handler a synthetic response (stdio: stdio-process.ts). Classification,
 * timeouts and metrics stay in the Exchange whatever the wire.
 *
 * The choice is made here only: McpConnection calls `createTransport` and nothing else.
 */
// The Client module alone, as in mcp-connection.ts.
import Client from 'undici/lib/dispatcher/client.js';
import type { Dispatcher } from 'undici';
import { connectorSkipping100 } from './interim-continue.js';
import type { HandshakeResult, McpConnection } from './mcp-connection.js';
import type { Target } from './target.js';

/** The part of an undici Dispatcher an Exchange and a connection use. */
export interface Transport {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
  destroy(): Promise<void>;
  /** One JSON-RPC id space per session: set when connections share this wire's session. */
  readonly ids?: { next: number };
}

/**
 * A transport several connections share (a stdio server process): it has one session, made once,
 * and one JSON-RPC id space, so the ids of all its connections come from one counter.
 */
export interface SharedTransport extends Transport {
  readonly ids: { next: number };
  /** The shared session, for a connection's handshake (copies its version and server info). */
  session(conn: McpConnection): Promise<HandshakeResult>;
}

/** Hands each new connection a shared transport (round-robin over stdio server processes). */
export interface TransportPool {
  take(): SharedTransport;
}

export function createTransport(
  target: Target,
  timeoutMs: number,
  shared: Transport | undefined,
): Transport {
  if (shared !== undefined) return shared;
  return new Client(target.origin, {
    pipelining: 1,
    connect: connectorSkipping100(timeoutMs),
    // The whole-response timeout is ours (Exchange.expireIfDue); undici's per-phase ones are off.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 30_000,
  });
}
