/**
 * The `/mcp` endpoint of the demo server: Streamable HTTP transport rules, sessions, delays and
 * simulated failures. Rules follow the spec (2025-11-25, basic/transports) and the SDK's
 * StreamableHTTPServerTransport as it answers:
 *
 * - POST: Accept must list application/json and text/event-stream (406), Content-Type must be
 *   application/json (415), body <= 1 MiB (413), one message, no batches (400 -32600).
 * - `initialize` creates a session (stateful mode) returned in `Mcp-Session-Id`; later messages
 *   need it: missing -> 400 -32000, unknown or ended -> 404 -32001 (the client re-initializes).
 * - An unknown `MCP-Protocol-Version` header -> 400; an absent one is allowed.
 * - Notifications and client responses -> 202 with no body.
 * - DELETE ends the session (200). GET -> 405: there is no standalone server-to-client stream.
 * - A present `Origin` must be a loopback origin (403 otherwise): the spec's DNS-rebinding rule.
 *
 * Per request: one JSON.parse of the body, a method lookup, and a response string spliced from
 * pre-serialised fragments.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { JSONRPC_CODE } from './calculator.js';
import type { ResolvedDemoOptions } from './demo-options.js';
import { DemoStatsCounter, type DemoStats } from './demo-stats.js';
import { sendEmpty, sendHttpError, sendMessage, sendNotFound } from './http-replies.js';
import {
  SIMULATED_FAILURE,
  dispatch,
  initialize,
  isDelayedMethod,
  isSupportedProtocolVersion,
} from './mcp-methods.js';
import { readBody } from './read-body.js';
import { HEADER, METHOD, SUPPORTED_PROTOCOL_VERSIONS } from '../protocol/mcp-vocabulary.js';

/** Answers 400 and returns true for an unknown `MCP-Protocol-Version`; absent is fine. */
function rejectsProtocolVersion(req: IncomingMessage, res: ServerResponse): boolean {
  const version = req.headers[HEADER.protocolVersion];
  if (version === undefined) return false;
  if (typeof version === 'string' && isSupportedProtocolVersion(version)) return false;
  const message =
    `Bad Request: Unsupported protocol version: ${version} ` +
    `(supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`;
  sendHttpError(res, 400, -32000, message);
  return true;
}

/** A fields bag: what a parsed message may carry. */
interface RawMessage {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

interface PendingAnswer {
  readonly res: ServerResponse;
  readonly method: string;
  readonly idJson: string;
  readonly params: unknown;
  timer: NodeJS.Timeout | undefined;
}

export class DemoEndpoint {
  readonly counter = new DemoStatsCounter();
  private readonly sessions = new Set<string>();
  private readonly pending = new Set<PendingAnswer>();
  /** Delayed answers in their service time, and those waiting for a slot (capacity). */
  private inService = 0;
  private readonly waiting: PendingAnswer[] = [];
  private readonly allow: string;

  constructor(private readonly options: ResolvedDemoOptions) {
    this.allow = options.stateless ? 'POST' : 'POST, DELETE';
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '';
    if (url !== '/mcp' && !url.startsWith('/mcp?')) return sendNotFound(res);
    // Spec, Streamable HTTP "Security Warning": validate Origin against DNS rebinding.
    const origin = req.headers.origin;
    if (origin !== undefined && !isLoopbackOrigin(origin)) {
      return sendHttpError(res, 403, -32000, `Forbidden: Origin ${origin} is not allowed`);
    }
    if (req.method === 'POST') return this.post(req, res);
    if (req.method === 'DELETE' && !this.options.stateless) return this.delete(req, res);
    sendHttpError(res, 405, -32000, 'Method not allowed.', this.allow);
  };

  private post(req: IncomingMessage, res: ServerResponse): void {
    this.counter.requests++;
    const accept = req.headers.accept;
    // Accept is a list, so substring checks are the intended semantics (as in the SDK).
    if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) {
      const message =
        'Not Acceptable: Client must accept both application/json and text/event-stream';
      return sendHttpError(res, 406, -32000, message);
    }
    const contentType = req.headers['content-type'];
    const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      const message = 'Unsupported Media Type: Content-Type must be application/json';
      return sendHttpError(res, 415, -32000, message);
    }
    readBody(req, res, this.onBody);
  }

  private readonly onBody = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return sendHttpError(res, 400, JSONRPC_CODE.parseError, 'Parse error: Invalid JSON');
    }
    if (Array.isArray(parsed)) {
      const message = 'Invalid Request: JSON-RPC batches are not supported (removed in 2025-06-18)';
      return sendHttpError(res, 400, JSONRPC_CODE.invalidRequest, message);
    }
    const msg = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as RawMessage;
    const { id, method } = msg;
    const hasId = typeof id === 'string' || typeof id === 'number';
    const isRequest = typeof method === 'string' && hasId;
    const isNotification = typeof method === 'string' && id === undefined;
    const isResponse = method === undefined && hasId && ('result' in msg || 'error' in msg);
    if (msg.jsonrpc !== '2.0' || !(isRequest || isNotification || isResponse)) {
      const message = 'Invalid Request: expected one JSON-RPC 2.0 message';
      return sendHttpError(res, 400, JSONRPC_CODE.invalidRequest, message);
    }
    if (typeof method === 'string') this.counter.countMethod(method, msg.params);
    if (isRequest && method === METHOD.initialize) return this.initialize(res, id, msg.params);

    if (!this.options.stateless && !this.checkSession(req, res)) return;
    if (rejectsProtocolVersion(req, res)) return;
    if (!isRequest) return sendEmpty(res, 202);

    const idJson = typeof id === 'number' ? String(id) : JSON.stringify(id);
    if (this.options.delayMs > 0 && isDelayedMethod(method)) {
      const answer: PendingAnswer = { res, method, idJson, params: msg.params, timer: undefined };
      this.pending.add(answer);
      const { capacity } = this.options;
      if (capacity > 0 && this.inService >= capacity) this.waiting.push(answer);
      else this.serve(answer);
      return;
    }
    this.answer(res, method, idJson, msg.params);
  };

  private answer(res: ServerResponse, method: string, idJson: string, params: unknown): void {
    const { errorRate } = this.options;
    const fragment =
      method === METHOD.toolsCall && errorRate > 0 && Math.random() < errorRate
        ? SIMULATED_FAILURE
        : dispatch(method, params);
    sendMessage(res, `{"jsonrpc":"2.0","id":${idJson},${fragment}}`, this.options.sse, undefined);
  }

  private serve(answer: PendingAnswer): void {
    this.inService++;
    answer.timer = setTimeout(answerLater, this.options.delayMs, this, answer);
  }

  settle(answer: PendingAnswer): void {
    this.pending.delete(answer);
    this.inService--;
    this.answer(answer.res, answer.method, answer.idJson, answer.params);
    // A freed slot goes to the longest-waiting request (FIFO, like a worker pool).
    const next = this.waiting.shift();
    if (next !== undefined) this.serve(next);
  }

  private initialize(res: ServerResponse, id: string | number, params: unknown): void {
    let sessionId: string | undefined;
    if (!this.options.stateless) {
      sessionId = randomUUID();
      this.sessions.add(sessionId);
      this.counter.sessionsCreated++;
    }
    const idJson = typeof id === 'number' ? String(id) : JSON.stringify(id);
    const json = `{"jsonrpc":"2.0","id":${idJson},${initialize(params)}}`;
    sendMessage(res, json, this.options.sse, sessionId);
  }

  /** Answers 400/404 and returns false when the request has no live session. */
  private checkSession(req: IncomingMessage, res: ServerResponse): boolean {
    const sessionId = req.headers[HEADER.sessionId];
    if (sessionId === undefined || sessionId === '') {
      sendHttpError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      return false;
    }
    if (!this.sessions.has(sessionId as string)) {
      sendHttpError(res, 404, -32001, 'Session not found');
      return false;
    }
    return true;
  }

  private delete(req: IncomingMessage, res: ServerResponse): void {
    if (!this.checkSession(req, res) || rejectsProtocolVersion(req, res)) return;
    this.sessions.delete(req.headers[HEADER.sessionId] as string);
    this.counter.sessionsDeleted++;
    sendEmpty(res, 200);
  }

  stats(): DemoStats {
    return this.counter.snapshot(this.sessions.size);
  }

  cancelPending(): void {
    for (const answer of this.pending) clearTimeout(answer.timer);
    this.pending.clear();
    this.waiting.length = 0;
    this.inService = 0;
  }
}

// Module-level so a delayed answer allocates no closure.
function answerLater(endpoint: DemoEndpoint, answer: PendingAnswer): void {
  endpoint.settle(answer);
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const { hostname } = new URL(origin);
    return (
      hostname === 'localhost' ||
      hostname === '[::1]' ||
      (hostname.startsWith('127.') && /^[\d.]+$/.test(hostname))
    );
  } catch {
    return false;
  }
}
