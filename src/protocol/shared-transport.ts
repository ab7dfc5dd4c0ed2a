/**
 * A transport several connections share: a stdio server process (stdio-process.ts), which the
 * virtual users of a run take round-robin from a TransportPool (stdio-pool.ts).
 *
 * An Exchange (exchange.ts) drives any object with undici's `dispatch(options, handler)`: an undici
 * Client for Streamable HTTP, or a transport that writes the request body on another wire and feeds
 * the handler a synthetic response, so classification, timeouts and metrics stay in the Exchange.
 * McpConnection uses the one it is given (ConnectionOptions.transport) instead of a new Client.
 */
import type { Dispatcher } from 'undici';
import type { HandshakeResult, McpConnection } from './mcp-connection.js';

/** The part of an undici Dispatcher an Exchange and a connection use. */
export interface SharedWire {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
  destroy(): Promise<void>;
  /** One JSON-RPC id space per session: set when connections share this wire's session. */
  readonly ids?: { next: number };
}

/**
 * One session, made once, and one JSON-RPC id space for all the connections that share it, so
 * their ids come from one counter and never repeat within the session.
 */
export interface SharedTransport extends SharedWire {
  readonly ids: { next: number };
  /** The shared session, for a connection's handshake (copies its version and server info). */
  session(conn: McpConnection): Promise<HandshakeResult>;
}

/** Hands each new connection a shared transport (round-robin over stdio server processes). */
export interface TransportPool {
  take(): SharedTransport;
}
