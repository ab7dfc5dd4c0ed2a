/**
 * One MCP client: an undici connection to the endpoint plus the session state of Streamable HTTP
 * (MCP 2025-11-25 "Lifecycle" and "Transports"):
 *
 *   POST initialize (offering LATEST_PROTOCOL_VERSION) → 200 + `Mcp-Session-Id` (stateful servers)
 *   POST notifications/initialized                     → 202
 *   POST …every request… with `Mcp-Session-Id` and `MCP-Protocol-Version: <negotiated>`
 *   DELETE with `Mcp-Session-Id`                        → the session ends
 *
 * The hot path (`hotRequest`) reuses one dispatch-options object whose headers change only when a
 * session is (re)established. Off the hot path (`handshake`, `request`, `close`) small promises
 * and timers are fine.
 */
// The Client module alone: the package entry would bundle all of undici (fetch, WebSocket, cache,
// mocks) into dist/cli.js. Only dispatch() and destroy() are used, which need no api mixin.
import Client from 'undici/lib/dispatcher/client.js';
import type { Dispatcher } from 'undici';
import { Exchange, type ExchangeListener } from './exchange.js';
import { connectorSkipping100 } from './interim-continue.js';
import { HTTP, OK, PROTOCOL, type Outcome } from './outcome.js';
import { requestBody, requestTemplate, notificationBody } from './request-template.js';
import {
  CLIENT_NAME,
  CLIENT_VERSION,
  LATEST_PROTOCOL_VERSION,
  METHOD,
  SUPPORTED_PROTOCOL_VERSIONS,
} from './mcp-vocabulary.js';
import type { Target } from './target.js';

export interface ServerInfo {
  name: string;
  version: string;
  title?: string;
}

export type HandshakeResult =
  | {
      ok: true;
      latencyMs: number;
      sessionId: string | null;
      protocolVersion: string;
      serverInfo: ServerInfo | null;
    }
  | { ok: false; latencyMs: number; outcome: Outcome; detail: string };

export interface RequestResult {
  outcome: Outcome;
  /** The JSON-RPC response (result or error), when one arrived. */
  message: Record<string, unknown> | undefined;
  detail: string;
}

export interface ConnectionOptions {
  timeoutMs: number;
  maxResponseBytes: number;
}

/** How often an off-hot-path exchange checks its deadline. */
const LINGER_POLL_MS = 50;

const INITIALIZE_PARAMS = {
  protocolVersion: LATEST_PROTOCOL_VERSION,
  capabilities: {},
  clientInfo: { name: CLIENT_NAME, version: CLIENT_VERSION },
};

export class McpConnection {
  readonly client: Client;
  readonly target: Target;
  readonly options: ConnectionOptions;
  sessionId: string | null = null;
  protocolVersion: string | null = null;
  serverInfo: ServerInfo | null = null;
  /** The whole `initialize` result (capabilities, instructions), for discovery. */
  initializeResult: Record<string, unknown> | null = null;
  /** Dispatch options reused by every scenario request of this connection. */
  private readonly hot: Dispatcher.DispatchOptions;
  /** Path and query of the endpoint: the target's, or where a followed redirect pointed. */
  private path: string;
  private nextId = 1;

  constructor(target: Target, options: ConnectionOptions) {
    this.target = target;
    this.options = options;
    this.client = new Client(target.origin, {
      pipelining: 1,
      connect: connectorSkipping100(options.timeoutMs),
      // The whole-response timeout is ours (Exchange.expireIfDue); undici's per-phase ones are off.
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
    });
    this.path = target.learnt.redirect?.to ?? target.path;
    this.hot = { path: this.path, method: 'POST', headers: target.baseHeaders.slice(), body: '' };
  }

  /** Ids are unique per session: two in-flight requests with one id hang the SDK server. */
  takeId(): number {
    return this.nextId++;
  }

  hotRequest(body: string): Dispatcher.DispatchOptions {
    this.hot.body = body;
    return this.hot;
  }

  get hasSession(): boolean {
    return this.sessionId !== null;
  }

  /** initialize + notifications/initialized. On success the connection is ready for requests. */
  async handshake(): Promise<HandshakeResult> {
    this.sessionId = null;
    this.protocolVersion = null;
    this.hot.headers = this.target.baseHeaders.slice();
    const t0 = performance.now();
    let init = await this.send(METHOD.initialize, INITIALIZE_PARAMS, false);
    if (this.followRedirect(init))
      init = await this.send(METHOD.initialize, INITIALIZE_PARAMS, false);
    if (init.outcome !== OK) {
      return {
        ok: false,
        latencyMs: performance.now() - t0,
        outcome: init.outcome,
        detail: init.detail,
      };
    }
    const result = (init.message?.result ?? {}) as {
      protocolVersion?: unknown;
      serverInfo?: unknown;
    };
    const version = result.protocolVersion;
    if (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return {
        ok: false,
        latencyMs: performance.now() - t0,
        outcome: PROTOCOL,
        detail: `initialize answered protocolVersion ${JSON.stringify(version)}; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
      };
    }
    this.sessionId = init.sessionId;
    this.protocolVersion = version;
    this.serverInfo = readServerInfo(result.serverInfo);
    this.initializeResult = result as Record<string, unknown>;
    const headers = this.target.baseHeaders.slice();
    if (this.sessionId !== null) headers.push('mcp-session-id', this.sessionId);
    headers.push('mcp-protocol-version', version);
    this.hot.headers = headers;
    const note = await this.exchangeOnce(
      {
        path: this.path,
        method: 'POST',
        headers,
        body: notificationBody(METHOD.initialized),
      },
      0,
      false,
    );
    const latencyMs = performance.now() - t0;
    if (note.outcome !== OK) {
      // The server made a session we will not use: end it (DELETE), or it is orphaned on the
      // server and a later close() would count a session closed that was never counted created.
      await this.endSession(this.options.timeoutMs);
      return {
        ok: false,
        latencyMs,
        outcome: note.outcome,
        detail: `notifications/initialized: ${note.detail}`,
      };
    }
    return {
      ok: true,
      latencyMs,
      sessionId: this.sessionId,
      protocolVersion: version,
      serverInfo: this.serverInfo,
    };
  }

  /** A request off the hot path (discovery, tests), with the session's headers. */
  async request(method: string, params?: Record<string, unknown>): Promise<RequestResult> {
    const r = await this.send(method, params, this.sessionId !== null);
    return { outcome: r.outcome, message: r.message, detail: r.detail };
  }

  /** Ends the session with DELETE (when there is one), then closes the connection. */
  async close(deleteTimeoutMs: number): Promise<boolean> {
    const deleted = await this.endSession(deleteTimeoutMs);
    await this.client.destroy().catch(() => undefined);
    return deleted;
  }

  /** DELETE of the session, when there is one; true when the server confirmed it. */
  private async endSession(deleteTimeoutMs: number): Promise<boolean> {
    if (this.sessionId === null) return false;
    const r = await this.exchangeOnce(
      { path: this.path, method: 'DELETE', headers: this.hot.headers as string[] },
      0,
      false,
      deleteTimeoutMs,
    );
    this.sessionId = null;
    this.hot.headers = this.target.baseHeaders.slice();
    return r.outcome === OK;
  }

  /**
   * A same-origin 307/308 to `initialize` is followed once: the connection (and every connection
   * made after it) uses the new path. Any other redirect stays an `http` error naming Location.
   */
  private followRedirect(r: OneShotResult): boolean {
    if (r.outcome !== HTTP || (r.status !== 307 && r.status !== 308) || r.location === null) {
      return false;
    }
    if (this.path !== (this.target.learnt.redirect?.to ?? this.target.path)) return false;
    let to: URL;
    try {
      to = new URL(r.location, this.target.origin + this.path);
    } catch {
      return false;
    }
    const toPath = to.pathname + to.search;
    if (to.origin !== this.target.origin || toPath === this.path) return false;
    this.target.learnt.redirect ??= { status: r.status, from: this.path, to: toPath };
    this.path = toPath;
    this.hot.path = toPath;
    return true;
  }

  private send(method: string, params: Record<string, unknown> | undefined, sessionBound: boolean) {
    const id = this.takeId();
    const body = requestBody(requestTemplate(method, params), id);
    return this.exchangeOnce(
      { path: this.path, method: 'POST', headers: this.hot.headers as string[], body },
      id,
      sessionBound,
    );
  }

  private exchangeOnce(
    request: Dispatcher.DispatchOptions,
    id: number,
    sessionBound: boolean,
    timeoutMs = this.options.timeoutMs,
  ): Promise<OneShotResult> {
    return new Promise((resolve) => {
      const shot = new OneShot(resolve);
      const exchange = new Exchange(shot, this.options.maxResponseBytes);
      // Re-armed until the exchange ends: its deadline moves closer once the response has
      // arrived on an SSE stream the server keeps open (the linger), and a handshake must not
      // wait out the whole timeout_ms for such a stream.
      const check = (): void => {
        const now = performance.now();
        exchange.expireIfDue(now);
        if (exchange.inFlight) {
          const leftMs = exchange.deadlineMs - now;
          shot.timer = setTimeout(
            check,
            leftMs > 0 ? Math.min(LINGER_POLL_MS, leftMs) : LINGER_POLL_MS,
          );
        }
      };
      const timer = setTimeout(check, Math.min(LINGER_POLL_MS, timeoutMs));
      shot.timer = timer;
      try {
        exchange.start(this.client, request, {
          id,
          isToolCall: false,
          keepMessage: true,
          sessionBound,
          timeoutMs,
        });
      } catch (err) {
        clearTimeout(timer);
        resolve({
          outcome: PROTOCOL,
          message: undefined,
          sessionId: null,
          detail: String(err),
          status: 0,
          location: null,
        });
      }
    });
  }
}

interface OneShotResult {
  outcome: Outcome;
  message: Record<string, unknown> | undefined;
  sessionId: string | null;
  detail: string;
  status: number;
  location: string | null;
}

class OneShot implements ExchangeListener {
  timer: NodeJS.Timeout | undefined;
  constructor(private readonly resolve: (r: OneShotResult) => void) {}
  onExchangeEnd(ex: Exchange): void {
    clearTimeout(this.timer);
    this.resolve({
      outcome: ex.outcome,
      message: ex.message as Record<string, unknown> | undefined,
      sessionId: ex.sessionId,
      detail: ex.outcome === OK ? '' : ex.describe(),
      status: ex.status,
      location: ex.location,
    });
  }
}

function readServerInfo(raw: unknown): ServerInfo | null {
  if (raw === null || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const info: ServerInfo = {
    name: typeof r.name === 'string' ? r.name : 'unknown',
    version: typeof r.version === 'string' ? r.version : 'unknown',
  };
  if (typeof r.title === 'string') info.title = r.title;
  return info;
}
