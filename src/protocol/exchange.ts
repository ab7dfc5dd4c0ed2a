/**
 * One HTTP exchange with an MCP endpoint, as an undici dispatch handler.
 *
 * A virtual user owns one Exchange and reuses it for every request, so the hot path allocates no
 * closures, timers or promises: undici calls the handler methods below, the response is
 * classified into an Outcome, and `listener.onExchangeEnd(this)` is called exactly once per
 * `start()`.
 *
 * Classification (MCP 2025-11-25 "Transports"):
 * - the media type decides the body format: `application/json` is one JSON-RPC message,
 *   `text/event-stream` is parsed incrementally and may carry notifications and server requests
 *   before the response, which is matched by its JSON-RPC id;
 * - `error` → jsonrpc; `result.isError === true` on tools/call → tool; else success;
 * - 404, or 400 mentioning the session, on a request that carried a session id → session_expired
 *   (the SDK answers 404 -32001, server-everything 400 -32000);
 * - other non-2xx → http; socket failures → connection; `expire()` before the end → timeout;
 *   more than `maxResponseBytes` → response_too_large; anything unparsable → protocol.
 *
 * Beyond one HTTP request (the request's `driver`, set by McpConnection): a 2026-07-28
 * `input_required` result is answered and retried, and a `task` result is polled with `tasks/get`
 * after its `pollIntervalMs`, all inside this one exchange, so the step is timed end to end and
 * bounded by its one `timeoutMs`; a 2025 server request on the SSE stream (sampling, elicitation,
 * roots) is handed to the driver to answer; a 2026-07-28 request refused with 400 -32022 is sent
 * once more when the server's supported versions allow (`planVersionRetry`). The next HTTP request
 * starts only once the previous one has ended: undici delivers both to this same handler.
 *
 * Progress and logging notifications on the streams are counted in plain fields, with the time
 * the first response headers and the first progress notification arrived.
 *
 * Latency ends when the response message is complete: for SSE that is the event carrying it, so a
 * server that keeps the stream open afterwards is not charged for it (the stream is then cut
 * after SSE_LINGER_MS to free the connection).
 */
import type { Dispatcher } from 'undici';
import {
  classifyResponse,
  classifyTaskStatus,
  NEXT_DONE,
  NEXT_INPUT,
  NEXT_POLL,
  NEXT_TASK,
  RULE_TOOL_CALL,
} from './classify-response.js';
import { METHOD, UNSUPPORTED_PROTOCOL_VERSION } from './mcp-vocabulary.js';
import { RepeatResponses } from './repeat-response.js';
import { SseParser, type SseSink } from './sse-parser.js';
import {
  OK,
  TIMEOUT,
  JSONRPC,
  HTTP,
  CONNECTION,
  TOOL,
  SESSION_EXPIRED,
  PROTOCOL,
  RESPONSE_TOO_LARGE,
  type Outcome,
} from './outcome.js';
import { HEADER } from './mcp-vocabulary.js';

/**
 * What an exchange sends its HTTP requests through: an undici Client, or a transport that
 * answers like one (protocol/transport.ts), calling the same handler methods.
 */
export interface RequestDispatcher {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
}

export interface ExchangeListener {
  onExchangeEnd(exchange: Exchange): void;
}

/** The next HTTP request of a multi-request exchange. */
export interface FollowUp {
  readonly request: Dispatcher.DispatchOptions;
  readonly id: number;
  /** Rule flags (classify-response.ts) for its response. */
  readonly rules: number;
}

/** How an exchange continues past one HTTP request; implemented by McpConnection. */
export interface ExchangeDriver {
  /** The retry answering an `input_required` result, or why it cannot be answered. */
  nextRound(result: Readonly<Record<string, unknown>>): FollowUp | string;
  /** The `tasks/get` poll of a task (`first`: the task result itself just arrived). */
  pollTask(taskId: string, first: boolean): FollowUp;
  /**
   * A JSON-RPC request from the server on the response stream: answered (2025 era), or the
   * reason it breaks the revision (2026-07-28 carries them as input_required results instead).
   */
  onServerRequest(message: Readonly<Record<string, unknown>>): string | null;
  /**
   * The request sent again under a version from a -32022 error's `data.supported`, or null when
   * none of them is one the connection speaks (2026-07-28 only; absent: never retried).
   */
  retryVersion?(errorData: unknown): FollowUp | null;
}

/** Dispatch options as McpConnection builds them: how to judge the response, how to continue. */
export interface McpRequest extends Dispatcher.DispatchOptions {
  /** Rule flags for the response; absent: derived from `StartOptions.isToolCall`. */
  rules?: number;
  driver?: ExchangeDriver | null;
}

/** `input_required` rounds after which the exchange gives up (a server that never completes). */
export const MAX_INPUT_ROUNDS = 8;
/** Bounds on a task's `pollIntervalMs`, so a hostile value neither spins nor stalls a step. */
const MIN_POLL_MS = 1;
const MAX_POLL_MS = 10_000;

/** How the response body is read, from its media type: small integers compared on the hot path. */
export const BODY_NONE = 0;
export const BODY_JSON = 1;
export const BODY_SSE = 2;
export const BODY_OTHER = 3;
export type BodyKind = typeof BODY_NONE | typeof BODY_JSON | typeof BODY_SSE | typeof BODY_OTHER;

/** How long an SSE stream may stay open after its response arrived. */
const SSE_LINGER_MS = 250;
/** Bytes of a non-2xx body kept for the error message and the session-loss check. */
const ERROR_BODY_KEEP = 2048;

/** Error codes meaning no connection was made at all. */
const REFUSED_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Error codes that are this process's own limits, not the server's answer: the load generator
 * ran out of file descriptors or local ports. Named as such, with the fix, so a run is never
 * taken for a failing server when the machine running the test is the bottleneck.
 */
const LOCAL_LIMITS: ReadonlyMap<string, string> = new Map([
  ['EMFILE', 'too many open files in this process: raise the limit (ulimit -n) or lower the load'],
  ['ENFILE', "the system's file table is full: raise fs.file-max or lower the load"],
  [
    'EADDRNOTAVAIL',
    'no free local port for a new connection: lower the load, or widen net.ipv4.ip_local_port_range',
  ],
  ['ENOBUFS', 'the kernel has no buffer space left: lower the load'],
]);

/** The marker every local-limit message starts its explanation with. */
export const LOCAL_LIMIT_MARKER = 'load generator limit (not the server)';

/** `code` is a local resource limit of the load generator: the message explaining it, or null. */
export function localLimitMessage(code: string | undefined): string | null {
  const hint = code === undefined ? undefined : LOCAL_LIMITS.get(code);
  return hint === undefined ? null : `${code}: ${LOCAL_LIMIT_MARKER}: ${hint}`;
}

/** Successes learnt by their bytes, shared by the exchanges of this thread. */
const REPEATS = new RepeatResponses();

const TIMEOUT_ABORT = new Error('timeout');
const TOO_LARGE_ABORT = new Error('response too large');
const LINGER_ABORT = new Error('stream left open after the response');

export interface StartOptions {
  /** JSON-RPC id of the request, or 0 for a notification / DELETE (no response expected). */
  id: number;
  isToolCall: boolean;
  /** Keep the parsed response message (handshake, discovery); the hot path does not. */
  keepMessage: boolean;
  /** The request carried `Mcp-Session-Id`: a 404 then means the session is gone. */
  sessionBound: boolean;
  timeoutMs: number;
}

export class Exchange implements SseSink {
  readonly listener: ExchangeListener;
  readonly maxResponseBytes: number;

  // Result of the last exchange, valid inside onExchangeEnd and until the next start().
  outcome: Outcome = OK;
  status = 0;
  bodyKind: BodyKind = BODY_NONE;
  startMs = 0;
  endMs = 0;
  /** The JSON-RPC response (when keepMessage), for handshake and discovery. */
  message: unknown = undefined;
  /** `Mcp-Session-Id` of the response, when it had one. */
  sessionId: string | null = null;
  /** `Location` of a 3xx response (RFC 9110 §15.4), else null. */
  location: string | null = null;
  /**
   * How long an SSE stream stayed open after the event carrying the response (0 otherwise): the
   * VU waits for it, so it limits throughput without showing in latency. `lingerCut` says the
   * stream was cut after SSE_LINGER_MS rather than closed by the server.
   */
  lingerMs = 0;
  lingerCut = false;

  inFlight = false;
  deadlineMs = 0;

  /** `input_required` rounds and `tasks/get` polls of the current exchange. */
  rounds = 0;
  polls = 0;
  /** The request was refused with -32022 and sent again (at most once per exchange). */
  versionRetried = false;
  /**
   * Notifications on the exchange's SSE streams ("Progress", "Logging"), and when the first
   * stream's headers and the first progress notification arrived (0: not yet). Plain fields set
   * while parsing: nothing is allocated per request to count them.
   */
  progressCount = 0;
  logCount = 0;
  firstByteMs = 0;
  firstProgressMs = 0;

  private id = 0;
  private rules = 0;
  private driver: ExchangeDriver | null = null;
  /** Polling a task: responses are `tasks/get` results judged by their status. */
  private polling = false;
  private taskId = '';
  private stepRules = 0;
  private followUp: FollowUp | null = null;
  private followUpDelayMs = 0;
  private pendingRequest: Dispatcher.DispatchOptions | null = null;
  private followUpTimer: NodeJS.Timeout | undefined = undefined;
  private dispatcher: RequestDispatcher | null = null;
  /** Made on the first task poll: most exchanges never wait to poll. */
  private dispatchFollowUpBound: (() => void) | null = null;
  private isToolCall = false;
  private keepMessage = false;
  private sessionBound = false;
  private timeoutMs = 0;
  private bytes = 0;
  private responded = false;
  private chunks: Buffer[] = [];
  private abortFn: ((err?: Error) => void) | null = null;
  private pendingAbort: Error | null = null;
  private error: Error | null = null;
  private reason = '';
  /** The response's Content-Type as sent (for the message of an unexpected media type). */
  private contentType = '';
  private detailSource: unknown = undefined;
  /** Made on the first SSE response: a server that answers JSON never needs one. */
  private sseParser: SseParser | null = null;
  /** Made on the first deferred end. */
  private notifyBound: (() => void) | null = null;

  constructor(listener: ExchangeListener, maxResponseBytes: number) {
    this.listener = listener;
    this.maxResponseBytes = maxResponseBytes;
  }

  private get parser(): SseParser {
    return (this.sseParser ??= new SseParser(this));
  }

  start(
    dispatcher: RequestDispatcher,
    request: Dispatcher.DispatchOptions,
    options: StartOptions,
  ): void {
    this.id = options.id;
    this.isToolCall = options.isToolCall;
    const mcp = request as McpRequest;
    this.rules = mcp.rules ?? (options.isToolCall ? RULE_TOOL_CALL : 0);
    this.stepRules = this.rules;
    this.driver = mcp.driver ?? null;
    this.polling = false;
    this.rounds = 0;
    this.polls = 0;
    this.versionRetried = false;
    this.progressCount = 0;
    this.logCount = 0;
    this.firstByteMs = 0;
    this.firstProgressMs = 0;
    this.followUp = null;
    this.pendingRequest = null;
    this.dispatcher = dispatcher;
    this.keepMessage = options.keepMessage;
    this.sessionBound = options.sessionBound;
    this.timeoutMs = options.timeoutMs;
    this.outcome = OK;
    this.sessionId = null;
    this.location = null;
    this.lingerMs = 0;
    this.lingerCut = false;
    this.resetResponse();
    this.inFlight = true;
    this.startMs = performance.now();
    this.deadlineMs = this.startMs + options.timeoutMs;
    dispatcher.dispatch(request, this);
  }

  /** Called by a timeout sweeper: cuts the exchange when its deadline has passed. */
  expireIfDue(nowMs: number): void {
    if (!this.inFlight || nowMs < this.deadlineMs) return;
    this.abort(this.responded ? LINGER_ABORT : TIMEOUT_ABORT);
  }

  /** Ends the exchange now as a timeout (graceful stop past the drain window). */
  expire(): void {
    if (this.inFlight) this.abort(this.responded ? LINGER_ABORT : TIMEOUT_ABORT);
  }

  private abort(err: Error): void {
    if (this.followUpTimer !== undefined) {
      // Waiting to poll a task: nothing is on the wire, so the exchange ends here.
      clearTimeout(this.followUpTimer);
      this.followUpTimer = undefined;
      this.onError(err === LINGER_ABORT ? TIMEOUT_ABORT : err);
      return;
    }
    if (this.abortFn !== null) this.abortFn(err);
    else this.pendingAbort = err;
  }

  /**
   * The last exchange failed because no connection could be made (nothing listening, host
   * unreachable, connect timeout), as opposed to one cut or reset after it was made.
   */
  get refused(): boolean {
    const code = this.errorCode();
    return code !== undefined && (REFUSED_CODES.has(code) || LOCAL_LIMITS.has(code));
  }

  /** The last exchange failed on a local resource limit of the load generator (EMFILE …). */
  get localLimit(): boolean {
    const code = this.errorCode();
    return code !== undefined && LOCAL_LIMITS.has(code);
  }

  private errorCode(): string | undefined {
    if (this.outcome !== CONNECTION || this.error === null) return undefined;
    const err = this.error as Error & { code?: string; cause?: { code?: string } };
    return err.code ?? err.cause?.code;
  }

  /**
   * One line describing why the last exchange failed (built only when asked: not hot). Text from
   * the server (error bodies, messages) is cut to ERROR_BODY_KEEP characters: a hostile or broken
   * server cannot make an error sample megabytes long.
   */
  describe(): string {
    const text = this.describeUncut();
    if (text.length <= ERROR_BODY_KEEP) return text;
    // No "…": a secret cut at the end must stay recognisable to redactSecrets. No half of a
    // surrogate pair either.
    const high = text.charCodeAt(ERROR_BODY_KEEP - 1);
    return text.slice(0, high >= 0xd800 && high <= 0xdbff ? ERROR_BODY_KEEP - 1 : ERROR_BODY_KEEP);
  }

  private describeUncut(): string {
    switch (this.outcome) {
      case OK:
        return 'ok';
      case TIMEOUT:
        return `no complete response within ${this.timeoutMs} ms`;
      case RESPONSE_TOO_LARGE:
        return `response body exceeded max_response_bytes (${this.maxResponseBytes})`;
      case CONNECTION: {
        const err = this.error as (Error & { code?: string; cause?: { code?: string } }) | null;
        const code = err?.code ?? err?.cause?.code;
        if (err === null) return 'connection failed';
        return localLimitMessage(code) ?? `${code ? code + ': ' : ''}${err.message}`;
      }
      case JSONRPC: {
        const e = (this.detailSource ?? {}) as { code?: unknown; message?: unknown };
        return `JSON-RPC error ${String(e.code)}: ${String(e.message)}`;
      }
      case TOOL: {
        const r = (this.detailSource ?? {}) as { content?: { type?: string; text?: string }[] };
        const text = Array.isArray(r.content)
          ? r.content.find((c) => c?.type === 'text')?.text
          : '';
        return `tool returned isError: ${text ?? ''}`;
      }
      case HTTP:
        if (this.status >= 300 && this.status < 400) {
          // Named, because the fix is the user's: point the run at the final URL.
          return `HTTP ${this.status} redirect to ${this.location === null ? '(no Location header)' : JSON.stringify(this.location)}; only a same-origin 307 or 308 is followed: use the URL it names`;
        }
        return `HTTP ${this.status}: ${this.errorBodyText()}`;
      case SESSION_EXPIRED:
        return `HTTP ${this.status}: ${this.errorBodyText()}`;
      default:
        return this.reason;
    }
  }

  /** The start of a non-2xx response body (era detection reads the JSON-RPC error in it). */
  errorBody(): string {
    return this.chunks.length === 0
      ? ''
      : Buffer.concat(this.chunks).toString('utf8', 0, ERROR_BODY_KEEP);
  }

  // ---- undici legacy dispatch handler (undici 7 passes these through without a wrapper) ----

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.pendingAbort !== null) abort(this.pendingAbort);
  }

  onHeaders(status: number, rawHeaders: Buffer[] | string[] | null): boolean {
    // An interim response (103 Early Hints, 102 Processing; RFC 9110 §15.2) is not the answer:
    // its headers must not be taken for the final response's.
    if (status < 200) return true;
    this.status = status;
    const redirect = status >= 300 && status < 400;
    if (rawHeaders !== null) {
      for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
        const name = rawHeaders[i]!;
        const len = name.length;
        if (len === 8 && redirect && name.toString().toLowerCase() === 'location') {
          this.location = rawHeaders[i + 1]!.toString();
          continue;
        }
        if (len !== 12 && len !== 14) continue;
        const lower = name.toString().toLowerCase();
        if (lower === 'content-type') {
          this.contentType = rawHeaders[i + 1]!.toString();
          this.bodyKind = mediaKind(this.contentType);
        } else if (lower === HEADER.sessionId) {
          this.sessionId = rawHeaders[i + 1]!.toString();
        }
      }
    }
    if (this.bodyKind === BODY_SSE) {
      this.parser.reset();
      // Only a stream can carry notifications: a JSON response costs no clock read here.
      if (this.firstByteMs === 0) this.firstByteMs = performance.now();
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.bytes > this.maxResponseBytes) {
      this.abort(TOO_LARGE_ABORT);
      return false;
    }
    // The sweeper's timer cannot run while a stream of chunks keeps the event loop busy: the
    // deadline (timeout_ms, or the linger) is also checked as each chunk arrives.
    if (performance.now() >= this.deadlineMs) {
      this.abort(this.responded ? LINGER_ABORT : TIMEOUT_ABORT);
      return false;
    }
    if (this.status >= 200 && this.status < 300) {
      if (this.bodyKind === BODY_SSE) {
        if (!this.responded) this.parser.push(chunk);
      } else {
        this.chunks.push(chunk);
      }
    } else if (this.bytes - chunk.length < ERROR_BODY_KEEP) {
      this.chunks.push(chunk);
    }
    return true;
  }

  onComplete(): void {
    if (!this.inFlight) return;
    if (this.status >= 200 && this.status < 300) {
      if (this.id === 0) {
        this.outcome = OK; // notification or DELETE: any 2xx will do
      } else if (this.bodyKind === BODY_SSE) {
        if (!this.responded)
          this.fail(PROTOCOL, `SSE stream ended without a response to id ${this.id}`);
      } else if (this.bodyKind === BODY_JSON) {
        this.parseJsonBody();
      } else if (this.bytes === 0) {
        this.fail(PROTOCOL, `HTTP ${this.status} with an empty body where a response was expected`);
      } else {
        // Named, because the usual cause is a URL that serves a web page, not the MCP endpoint.
        const type = this.contentType === '' ? 'none' : JSON.stringify(this.contentType);
        this.fail(
          PROTOCOL,
          `HTTP ${this.status} with Content-Type ${type}; expected application/json or text/event-stream (is this the MCP endpoint?)`,
        );
      }
    } else if (
      this.sessionBound &&
      (this.status === 404 || (this.status === 400 && this.mentionsSession()))
    ) {
      this.outcome = SESSION_EXPIRED;
    } else {
      this.outcome = HTTP;
      if (this.status === 400 && this.driver !== null) this.planVersionRetry();
    }
    this.continueOrFinish(false);
  }

  onError(err: Error): void {
    if (!this.inFlight) return;
    if (err === LINGER_ABORT) this.lingerCut = true;
    if (!this.responded) {
      if (err === TIMEOUT_ABORT) this.outcome = TIMEOUT;
      else if (err === TOO_LARGE_ABORT) this.outcome = RESPONSE_TOO_LARGE;
      else {
        this.outcome = CONNECTION;
        this.error = err;
      }
    }
    // A socket error reaches us from inside undici's own bookkeeping: for a connection that could
    // not be made (ECONNREFUSED), while it fails the queued requests, after which it asserts its
    // queue is empty. A listener that dispatches its next request at once (a VU) would trip that
    // assertion and crash the process, so such an end is handed over on a microtask (before any
    // timer or I/O). Our own aborts (timeout, too large) end synchronously, as before.
    if (err === LINGER_ABORT) this.continueOrFinish(false);
    else {
      this.followUp = null;
      this.finish(err !== TIMEOUT_ABORT && err !== TOO_LARGE_ABORT);
    }
  }

  // ---- SSE sink ----

  onSseData(data: string): boolean {
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      this.fail(PROTOCOL, 'an SSE event carried invalid JSON');
      this.markResponded();
      return true;
    }
    const response = findResponse(msg, this.id);
    if (response === undefined) {
      const method =
        msg !== null && typeof msg === 'object' ? (msg as { method?: unknown }).method : undefined;
      if (method === METHOD.progress) {
        this.progressCount++;
        if (this.firstProgressMs === 0) this.firstProgressMs = performance.now();
      } else if (method === METHOD.logMessage) this.logCount++;
      // A notification, or a server request (2025 era): the driver answers it; keep reading.
      if (this.driver !== null && isServerRequest(msg)) {
        const violation = this.driver.onServerRequest(msg);
        if (violation !== null) {
          this.fail(PROTOCOL, violation);
          this.markResponded();
          return true;
        }
      }
      return false;
    }
    this.classify(response);
    this.markResponded();
    return true;
  }

  // ---- internals ----

  private markResponded(): void {
    this.responded = true;
    this.endMs = performance.now();
    const linger = this.endMs + SSE_LINGER_MS;
    if (linger < this.deadlineMs) this.deadlineMs = linger;
  }

  private parseJsonBody(): void {
    const chunks = this.chunks;
    // A success that repeats but for its id (repeat-response.ts) has the same verdict.
    const repeatable = chunks.length === 1 && !this.keepMessage && !this.polling;
    if (repeatable && REPEATS.matches(chunks[0]!, this.id, this.rules)) {
      this.outcome = OK;
      return;
    }
    const text =
      chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks, this.bytes).toString();
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      // Show its start (an HTML error page, a proxy's message say what went wrong), last and
      // unquoted: a secret it echoes and the cut splits stays recognisable to redactSecrets.
      const start = text.slice(0, 80).replace(/\s+/g, ' ').trim();
      this.fail(
        PROTOCOL,
        start === ''
          ? `HTTP ${this.status} with an empty application/json body where a response was expected`
          : `the application/json body is not valid JSON; it starts with: ${start}`,
      );
      return;
    }
    const response = findResponse(msg, this.id);
    if (response === undefined) {
      this.fail(PROTOCOL, `the JSON body holds no response to id ${this.id}`);
      return;
    }
    this.classify(response);
    if (repeatable && this.outcome === OK && this.followUp === null && !this.polling) {
      REPEATS.learn(chunks[0]!, this.id, this.rules);
    }
  }

  private classify(response: Record<string, unknown>): void {
    if (this.keepMessage) this.message = response;
    let verdict = classifyResponse(response, this.rules);
    const result = response.result as Record<string, unknown>;
    if (this.polling && verdict.next === NEXT_DONE && verdict.outcome === OK) {
      verdict = classifyTaskStatus(result, this.stepRules);
    }
    switch (verdict.next) {
      case NEXT_INPUT:
        return this.planRound(result);
      case NEXT_TASK:
      case NEXT_POLL:
        return this.planPoll(result);
    }
    this.outcome = verdict.outcome;
    if (verdict.outcome === PROTOCOL) this.reason = verdict.reason;
    else if (verdict.outcome === JSONRPC) {
      const error = response.error;
      // A failed task carries its JSON-RPC error in the tasks/get result; a cancelled one none.
      this.detailSource =
        error !== undefined && error !== null
          ? error
          : (result.error ?? { code: 'task', message: `task ${String(result.status)}` });
    } else if (verdict.outcome === TOOL) {
      this.detailSource = this.polling ? result.result : result;
    }
  }

  /** An `input_required` result: the driver builds the retry, sent once this request ends. */
  private planRound(result: Record<string, unknown>): void {
    if (this.driver === null)
      return this.fail(PROTOCOL, 'an input_required result on a request that cannot be retried');
    if (this.rounds >= MAX_INPUT_ROUNDS) {
      return this.fail(PROTOCOL, `still input_required after ${MAX_INPUT_ROUNDS} answered rounds`);
    }
    const next = this.driver.nextRound(result);
    if (typeof next === 'string') return this.fail(PROTOCOL, next);
    this.rounds++;
    this.followUp = next;
    this.followUpDelayMs = 0;
  }

  /** A task result (or a task still working): poll it after its pollIntervalMs. */
  private planPoll(result: Record<string, unknown>): void {
    if (this.driver === null)
      return this.fail(PROTOCOL, 'a task result on a request that cannot poll it');
    const first = !this.polling;
    const taskId = first ? (result.taskId as string) : this.taskId;
    this.taskId = taskId;
    this.polling = true;
    const interval = result.pollIntervalMs;
    this.followUpDelayMs =
      typeof interval === 'number' && interval >= MIN_POLL_MS
        ? Math.min(interval, MAX_POLL_MS)
        : MIN_POLL_MS;
    this.followUp = this.driver.pollTask(taskId, first);
    this.polls++;
  }

  /**
   * A 400 whose body is a -32022 error (2026-07-28 "Versioning": the server names the versions it
   * supports in `data.supported`) on a step's first request: sent once more under one of them, as
   * a server behind a load balancer mid-deploy may refuse what the run detected at its start.
   * Any other 400 stays an `http` error, and so does a second refusal. Off the hot path: only
   * on a 400 response.
   */
  private planVersionRetry(): void {
    if (this.versionRetried || this.rounds > 0 || this.polling) return;
    let error: { code?: unknown; data?: unknown } | undefined;
    try {
      error = (JSON.parse(this.errorBody()) as { error?: typeof error } | null)?.error;
    } catch {
      return;
    }
    if (error?.code !== UNSUPPORTED_PROTOCOL_VERSION) return;
    const next = this.driver!.retryVersion?.(error.data) ?? null;
    if (next === null) return;
    this.versionRetried = true;
    // The refusal is answered by the retry: its response decides the step's outcome.
    this.outcome = OK;
    this.followUp = next;
    this.followUpDelayMs = 0;
  }

  private fail(outcome: Outcome, reason: string): void {
    this.outcome = outcome;
    this.reason = reason;
  }

  /** Clears what one HTTP response left behind: before a request, and before a follow-up. */
  private resetResponse(): void {
    this.status = 0;
    this.bodyKind = BODY_NONE;
    this.message = undefined;
    this.bytes = 0;
    this.responded = false;
    this.chunks.length = 0;
    this.abortFn = null;
    this.pendingAbort = null;
    this.error = null;
    this.reason = '';
    this.contentType = '';
    this.detailSource = undefined;
    this.endMs = 0;
  }

  /**
   * The HTTP request has ended: start the planned follow-up (a retry now, a poll after its
   * interval, never past the step's deadline), or end the exchange.
   */
  private continueOrFinish(deferred: boolean): void {
    const next = this.followUp;
    if (next === null || this.outcome !== OK || !this.inFlight) return this.finish(deferred);
    this.followUp = null;
    this.id = next.id;
    this.rules = next.rules;
    this.resetResponse();
    this.deadlineMs = this.startMs + this.timeoutMs;
    this.pendingRequest = next.request;
    const waitMs = Math.min(this.followUpDelayMs, Math.max(0, this.deadlineMs - performance.now()));
    // Never from inside undici's callback: the next dispatch waits for its bookkeeping to end.
    this.followUpTimer = setTimeout(
      (this.dispatchFollowUpBound ??= (): void => this.dispatchFollowUp()),
      waitMs,
    );
  }

  private dispatchFollowUp(): void {
    this.followUpTimer = undefined;
    const request = this.pendingRequest;
    this.pendingRequest = null;
    if (request === null || this.dispatcher === null) return;
    this.dispatcher.dispatch(request, this);
  }

  private finish(deferred = false): void {
    if (this.endMs === 0) this.endMs = performance.now();
    else if (this.responded && this.bodyKind === BODY_SSE) {
      this.lingerMs = performance.now() - this.endMs;
    }
    this.inFlight = false;
    this.abortFn = null;
    if (deferred) {
      queueMicrotask((this.notifyBound ??= (): void => this.listener.onExchangeEnd(this)));
    } else this.listener.onExchangeEnd(this);
  }

  private errorBodyText(): string {
    if (this.chunks.length === 0) return '(empty body)';
    const text = Buffer.concat(this.chunks).toString('utf8', 0, ERROR_BODY_KEEP);
    return text.replace(/\s+/g, ' ').trim();
  }

  private mentionsSession(): boolean {
    return /session/i.test(this.errorBodyText());
  }
}

/** The last Content-Type seen and its kind: a server sends the same one every time. */
let lastContentType = '';
let lastKind: BodyKind = BODY_OTHER;

/** Media type of a Content-Type value: dispatch on the type, not on the raw string. */
export function mediaKind(contentType: string): BodyKind {
  if (contentType === lastContentType) return lastKind;
  lastKind = parseMediaKind(contentType);
  lastContentType = contentType;
  return lastKind;
}

function parseMediaKind(contentType: string): BodyKind {
  const semi = contentType.indexOf(';');
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (type === 'application/json') return BODY_JSON;
  if (type === 'text/event-stream') return BODY_SSE;
  return BODY_OTHER;
}

/** A JSON-RPC request (not a notification): it has a method and an id. */
function isServerRequest(msg: unknown): msg is Record<string, unknown> {
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return false;
  const m = msg as Record<string, unknown>;
  return typeof m.method === 'string' && m.id !== undefined && m.id !== null;
}

/** The response to `id` in a message or a (2025-03-26) batch, or undefined. */
function findResponse(msg: unknown, id: number): Record<string, unknown> | undefined {
  if (Array.isArray(msg)) {
    for (const m of msg) {
      const r = findResponse(m, id);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (msg === null || typeof msg !== 'object') return undefined;
  const m = msg as Record<string, unknown>;
  if (m.id !== id || m.method !== undefined) return undefined;
  return m;
}
