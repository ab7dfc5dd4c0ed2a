/**
 * Options of the built-in demo server, validated once at start. The demo binds loopback only:
 * it is a load target on the developer's own machine, never a service (spec, Streamable HTTP
 * "Security Warning": local servers SHOULD bind only to localhost).
 */

import { isIPv4 } from 'node:net';
import { LoadtestError } from '../errors.js';

export interface DemoServerOptions {
  /** 0 = any free port (default 0). */
  port?: number;
  /** Default '127.0.0.1'; only loopback addresses (127.0.0.0/8, ::1, 'localhost') are accepted. */
  host?: string;
  /** How request answers are framed: one-event SSE stream (default) or a plain JSON body. */
  responseMode?: 'sse' | 'json';
  /** Added before answering each tools/call, resources/read and prompts/get (default 0). */
  delayMs?: number;
  /** 0..1: fraction of tools/call answered with JSON-RPC error -32603 (default 0). */
  errorRate?: number;
  /** No sessions: no Mcp-Session-Id is issued or required (default false). */
  stateless?: boolean;
  /**
   * Work slots: at most this many delayed answers are in service at once, the rest wait in
   * line (default 0 = unlimited). With `delayMs` it makes a server of finite capacity,
   * capacity / delayMs requests per ms, whose latency climbs once the load exceeds it.
   */
  capacity?: number;
}

export interface ResolvedDemoOptions {
  readonly port: number;
  readonly host: string;
  readonly sse: boolean;
  readonly delayMs: number;
  readonly errorRate: number;
  readonly stateless: boolean;
  readonly capacity: number;
}

function usage(message: string): LoadtestError {
  return new LoadtestError('USAGE', message);
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  return lower === 'localhost' || lower === '::1' || (isIPv4(bare) && bare.startsWith('127.'));
}

export function resolveDemoOptions(options: DemoServerOptions = {}): ResolvedDemoOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usage(`Demo server port ${String(port)} is invalid: use an integer from 0 to 65535`);
  }
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw usage(
      `Demo server host "${host}" refused: it listens on loopback only ` +
        '(127.0.0.0/8, ::1 or localhost)',
    );
  }
  const responseMode = options.responseMode ?? 'sse';
  if (responseMode !== 'sse' && responseMode !== 'json') {
    throw usage(`Demo server response mode "${String(responseMode)}" is invalid: use sse or json`);
  }
  const delayMs = options.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw usage(`Demo server delay ${String(delayMs)} ms is invalid: use a number >= 0`);
  }
  const errorRate = options.errorRate ?? 0;
  if (!(errorRate >= 0 && errorRate <= 1)) {
    throw usage(`Demo server error rate ${String(errorRate)} is invalid: use a number from 0 to 1`);
  }
  const capacity = options.capacity ?? 0;
  if (!Number.isInteger(capacity) || capacity < 0) {
    throw usage(`Demo server capacity ${String(capacity)} is invalid: use an integer >= 0`);
  }
  return {
    capacity,
    port,
    host: host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host,
    sse: responseMode === 'sse',
    delayMs,
    errorRate,
    stateless: options.stateless ?? false,
  };
}
