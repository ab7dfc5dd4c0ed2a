/**
 * One MCP client: an undici connection to the endpoint plus the session state of Streamable HTTP
 * (MCP 2025-11-25 "Lifecycle" and "Transports"):
 *
 *   POST initialize (offering LATEST_PROTOCOL_VERSION) → 200 + `Mcp-Session-Id` (stateful servers)
 *   POST notifications/initialized                     → 202
 *   POST …every request… with `Mcp-Session-Id` and `MCP-Protocol-Version: <negotiated>`
 *   DELETE with `Mcp-Session-Id`                        → the session ends
 *
 * In the 2026-07-28 era (the connection's ProtocolProfile says which) there is no handshake and
 * no session: `handshake()` makes no network call, and every request carries the `_meta`
 * envelope and the request metadata headers (modern-request.ts), built once per distinct request.
 *
 * The hot path (`hotRequest`) reuses one dispatch-options object whose headers change only when a
 * session is (re)established (2025) or the request template changes (2026). Off the hot path
 * (`handshake`, `request`, `close`) small promises and timers are fine.
 *
 * Requests travel through the connection's transport (transport.ts), chosen by the profile:
 * Streamable HTTP, or the 2024-11-05 HTTP+SSE transport, whose stream `handshake()` opens before
 * `initialize` and whose session ends by closing that stream where Streamable HTTP sends DELETE.
 *
 * The connection is also its exchanges' driver: it builds `input_required` retries and task polls
 * (2026-07-28) and answers server requests arriving on SSE streams (2025) from `[client]`.
 */
import type { Dispatcher } from 'undici';
import { legacyCapabilities } from './client-answers.js';
import { ConnectionDriver } from './connection-driver.js';
import { Exchange, type ExchangeListener, type McpRequest } from './exchange.js';
import { buildModernRequest, type ModernRequest } from './modern-request.js';
import { HTTP, OK, PROTOCOL, type Outcome } from './outcome.js';
import { legacyProfile, type ProtocolProfile } from './protocol-profile.js';
import { PREFIX, requestBody, requestTemplate, notificationBody } from './request-template.js';
import {
  CLIENT_NAME,
  CLIENT_VERSION,
  METHOD,
  SUPPORTED_PROTOCOL_VERSIONS,
} from './mcp-vocabulary.js';
import type { Target } from './target.js';
import { createTransport, type Transport } from './transport.js';

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
  /** What to speak (detect-protocol.ts, once per run); absent: the 2025 era, as offered today. */
  protocol?: ProtocolProfile;
}

/** Distinct request bodies whose 2026-07-28 form is kept: one per scenario step in practice. */
const MODERN_CACHE_MAX = 1024;

/** How often an off-hot-path exchange checks its deadline. */
const LINGER_POLL_MS = 50;

export class McpConnection {
  /** What requests travel through (transport.ts): an undici Client for Streamable HTTP. */
  readonly client: Transport;
  readonly target: Target;
  readonly options: ConnectionOptions;
  sessionId: string | null = null;
  protocolVersion: string | null = null;
  serverInfo: ServerInfo | null = null;
  /** The whole `initialize` result (capabilities, instructions), for discovery. */
  initializeResult: Record<string, unknown> | null = null;
  readonly profile: ProtocolProfile;
  /**
   * Dispatch options reused by every scenario request of this connection. Its headers are the
   * target's own list until a session adds to a copy: no header list is ever changed in place,
   * so every connection without a session shares one.
   */
  private readonly hot: McpRequest;
  /** Path and query of the endpoint: the target's, or where a followed redirect pointed. */
  private path: string;
  private nextId = 1;
  /** 2026-07-28: the modern form of each distinct request, keyed by the body after its id. */
  private modern: Map<string, ModernRequest> | null = null;
  /** Builds the follow-ups of its exchanges and answers server requests. */
  private readonly driver: ConnectionDriver;

  constructor(target: Target, options: ConnectionOptions) {
    this.target = target;
    this.options = options;
    this.profile = options.protocol ?? legacyProfile();
    this.driver = new ConnectionDriver(this);
    this.client = createTransport(this.profile.transport, target, options, this.driver);
    this.path = target.learnt.redirect?.to ?? target.path;
    this.hot = {
      path: this.path,
      method: 'POST',
      headers: target.baseHeaders as string[],
      body: '',
      driver: this.driver,
    };
  }

  get isModern(): boolean {
    return this.profile.era === 'modern';
  }

  /** Ids are unique per session: two in-flight requests with one id hang the SDK server. */
  takeId(): number {
    return this.nextId++;
  }

  /**
   * The dispatch options for a pre-built request body (request-template.ts). In the 2026-07-28
   * era the body's params gain `_meta` and the headers the request metadata: both are looked up
   * by the body's bytes after the id, built the first time they are seen.
   */
  hotRequest(body: string): Dispatcher.DispatchOptions {
    if (this.profile.era !== 'modern') {
      this.hot.body = body;
      return this.hot;
    }
    const comma = body.indexOf(',', PREFIX.length);
    const suffix = body.slice(comma);
    const modern = this.modern?.get(suffix) ?? this.learn(body, suffix);
    this.driver.current = modern;
    this.hot.headers = modern.headers;
    this.hot.rules = modern.rules;
    this.hot.body = body.slice(0, comma) + modern.suffix;
    return this.hot;
  }

  private learn(body: string, suffix: string): ModernRequest {
    const parsed = JSON.parse(body) as { method: string; params?: Record<string, unknown> };
    const modern = buildModernRequest(
      parsed.method,
      parsed.params,
      this.profile,
      this.target.baseHeaders,
    );
    // Made on the first modern request: a 2025-era connection never needs it.
    this.modern ??= new Map();
    if (this.modern.size < MODERN_CACHE_MAX) this.modern.set(suffix, modern);
    return modern;
  }

  get hasSession(): boolean {
    return this.sessionId !== null;
  }

  /** The transport lost what the handshake set up (an SSE stream ended): handshake again. */
  get needsHandshake(): boolean {
    return this.client.lost === true;
  }

  /**
   * initialize + notifications/initialized. On success the connection is ready for requests. In
   * the 2026-07-28 era there is nothing to negotiate: it succeeds at once with no session.
   */
  async handshake(): Promise<HandshakeResult> {
    this.sessionId = null;
    this.protocolVersion = null;
    if (this.profile.era === 'modern') {
      this.protocolVersion = this.profile.version;
      this.serverInfo = this.profile.serverInfo;
      return {
        ok: true,
        latencyMs: 0,
        sessionId: null,
        protocolVersion: this.profile.version,
        serverInfo: this.serverInfo,
      };
    }
    this.hot.headers = this.target.baseHeaders as string[];
    const t0 = performance.now();
    const opened = (await this.client.open?.(this.options.timeoutMs)) ?? null;
    if (opened !== null) return { ok: false, latencyMs: performance.now() - t0, ...opened };
    const params = {
      protocolVersion: this.profile.version,
      capabilities: legacyCapabilities(this.profile.answers),
      clientInfo: { name: CLIENT_NAME, version: CLIENT_VERSION },
    };
    let init = await this.send(METHOD.initialize, params, false);
    if (this.followRedirect(init)) init = await this.send(METHOD.initialize, params, false);
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
    const accepted = this.profile.pinned ? [this.profile.version] : SUPPORTED_PROTOCOL_VERSIONS;
    if (typeof version !== 'string' || !accepted.includes(version)) {
      return {
        ok: false,
        latencyMs: performance.now() - t0,
        outcome: PROTOCOL,
        detail: `initialize answered protocolVersion ${JSON.stringify(version)}; ${this.profile.pinned ? 'pinned' : 'supported'}: ${accepted.join(', ')}`,
      };
    }
    // Streamable HTTP's Mcp-Session-Id, or the session the transport carries (HTTP+SSE).
    this.sessionId = init.sessionId ?? this.client.sessionId ?? null;
    this.protocolVersion = version;
    this.serverInfo = readServerInfo(result.serverInfo);
    this.initializeResult = result as Record<string, unknown>;
    const headers = this.target.baseHeaders.slice();
    if (init.sessionId !== null) headers.push('mcp-session-id', init.sessionId);
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

  /** A request off the hot path (discovery, tests), with the session's or the era's headers. */
  async request(method: string, params?: Record<string, unknown>): Promise<RequestResult> {
    const r = await this.send(method, params, this.sessionId !== null);
    return { outcome: r.outcome, message: r.message, detail: r.detail };
  }

  /** The headers of the session (2025 era): what answers to server requests carry. */
  sessionHeaders(): string[] {
    return this.hot.headers as string[];
  }

  /** One request with everything that came back (status, error body): era detection. */
  probe(method: string, params?: Record<string, unknown>): Promise<OneShotResult> {
    return this.send(method, params, this.sessionId !== null);
  }

  /** Ends the session with DELETE (when there is one), then closes the connection. */
  async close(deleteTimeoutMs: number): Promise<boolean> {
    const deleted = await this.endSession(deleteTimeoutMs);
    await this.driver.close();
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
    this.hot.headers = this.target.baseHeaders as string[];
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
    if (this.profile.era === 'modern') {
      const modern = buildModernRequest(method, params, this.profile, this.target.baseHeaders);
      this.driver.current = modern;
      return this.exchangeOnce(
        {
          path: this.path,
          method: 'POST',
          headers: modern.headers,
          body: PREFIX + id + modern.suffix,
          rules: modern.rules,
          driver: this.driver,
        } as McpRequest,
        id,
        false,
      );
    }
    const body = requestBody(requestTemplate(method, params), id);
    return this.exchangeOnce(
      {
        path: this.path,
        method: 'POST',
        headers: this.hot.headers as string[],
        body,
        driver: this.driver,
      } as McpRequest,
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
          status: 0,
          errorBody: '',
          message: undefined,
          sessionId: null,
          detail: String(err),
          location: null,
        });
      }
    });
  }
}

export interface OneShotResult {
  outcome: Outcome;
  status: number;
  /** The start of a non-2xx body (for era detection). */
  errorBody: string;
  message: Record<string, unknown> | undefined;
  sessionId: string | null;
  detail: string;
  /** A redirect's Location header (307/308 to initialize are followed once). */
  location: string | null;
}

class OneShot implements ExchangeListener {
  timer: NodeJS.Timeout | undefined;
  constructor(private readonly resolve: (r: OneShotResult) => void) {}
  onExchangeEnd(ex: Exchange): void {
    clearTimeout(this.timer);
    this.resolve({
      outcome: ex.outcome,
      status: ex.status,
      errorBody: ex.status >= 300 ? ex.errorBody() : '',
      message: ex.message as Record<string, unknown> | undefined,
      sessionId: ex.sessionId,
      detail: ex.outcome === OK ? '' : ex.describe(),
      location: ex.location,
    });
  }
}

export function readServerInfo(raw: unknown): ServerInfo | null {
  if (raw === null || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const info: ServerInfo = {
    name: typeof r.name === 'string' ? r.name : 'unknown',
    version: typeof r.version === 'string' ? r.version : 'unknown',
  };
  if (typeof r.title === 'string') info.title = r.title;
  return info;
}
