/**
 * One stdio MCP server process, shared by the connections of several virtual users (MCP
 * 2025-11-25 "Transports", stdio): JSON-RPC messages are single lines on the process's stdin and
 * stdout, its stderr is a log.
 *
 * As a transport (transport.ts) it takes an Exchange's request like an undici Client would:
 * `dispatch` writes the body as one line, and when the line answering its id arrives on stdout
 * the handler is fed a synthetic `200 application/json` response (onHeaders, onData with the
 * line, onComplete), so the Exchange classifies, times and counts it as any other. One slot per
 * handler (an Exchange is reused for every request of its VU) holds the id and the abort
 * function: a request costs a Map entry, no closure or promise.
 *
 * - Ids: a stdio server has one session, so its connections share one id counter (`ids`): ids
 *   never repeat within the session, as the spec's "Requests" rule asks.
 * - Session: `initialize` + `notifications/initialized` once per process (`session()` lets every
 *   connection share it), again after each restart.
 * - Server requests on stdout (sampling, elicitation, roots, ping): answered on stdin from
 *   `[client]`; one without an answer gets a JSON-RPC error at once, so the tool call that asked
 *   fails fast instead of timing out.
 * - A process that exits or closes its stdout: the requests in flight end as `connection`
 *   errors, new ones are refused (ECONNREFUSED, which the VU backs off from) until it has been
 *   restarted (after 50 ms, doubling to 2 s while it keeps failing) and initialized again.
 * - Stopping (`stop`): the spec's shutdown order: close stdin, then SIGTERM, then SIGKILL. The
 *   process runs in its own process group (POSIX), so a terminal's Ctrl+C reaches only us (the
 *   run drains first) and a wrapper's children (npx → node) are signalled with it.
 */
import type { Dispatcher } from 'undici';
import { LineReader } from './line-reader.js';
import { McpConnection, type HandshakeResult } from './mcp-connection.js';
import { CONNECTION, type Outcome } from './outcome.js';
import { signalGroup, spawnInGroup, stopGroup, type ServerChild } from './process-group.js';
import type { ProtocolProfile } from './protocol-profile.js';
import { PREFIX } from './request-template.js';
import { serverRequestResponse } from './server-request-answer.js';
import type { StderrLog } from './stderr-log.js';
import type { StdioCommand } from './stdio-command.js';
import type { SharedTransport, SharedWire } from './shared-transport.js';
import type { Target } from './target.js';

export interface StdioProcessOptions {
  readonly command: StdioCommand;
  /** 1-based, for the log. */
  readonly index: number;
  readonly target: Target;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly profile: ProtocolProfile;
  readonly log: StderrLog;
  readonly env?: NodeJS.ProcessEnv;
}

const RESTART_BASE_MS = 50;
const RESTART_MAX_MS = 2000;
const JSON_HEADERS = ['content-type', 'application/json'];
const NO_HEADERS: string[] = [];
const noop = (): void => undefined;
/** Bytes of a broken stdout line kept in the log. */
const LOG_LINE_KEEP = 200;
/** Where a response's `"id":` is looked for when its line is too long to parse. */
const ID_PEEK_BYTES = 256;

type Handler = Dispatcher.DispatchHandler;
type Child = ServerChild;

/** A handler's request in flight: reused for every request of that handler. */
class Slot {
  id = 0;
  live = false;
  readonly abort: (err?: Error) => void;
  constructor(
    readonly handler: Handler,
    owner: StdioProcess,
  ) {
    this.abort = (err?: Error) => owner.cancel(this, err ?? new Error('aborted'));
  }
}

interface SessionState {
  readonly result: HandshakeResult;
  readonly initializeResult: Record<string, unknown> | null;
}

export class StdioProcess implements SharedTransport {
  readonly ids = { next: 1 };
  /** Times the process was started again after it exited. */
  restarts = 0;
  private readonly options: StdioProcessOptions;
  private child: Child | null = null;
  private ready = false;
  private stopped = false;
  private readonly pending = new Map<number, Slot>();
  private readonly slots = new WeakMap<Handler, Slot>();
  /** stdout, one JSON-RPC message a line. */
  private readonly lines: LineReader;
  /** The session of the current process (or of the next one, while it restarts). */
  private current: Promise<SessionState>;
  private awaitingRestart: ((state: SessionState) => void) | null = null;
  private restartTimer: NodeJS.Timeout | undefined;
  private failStreak = 0;
  private refusal = refusedError('the server process has not started');
  /** The wire the process's own initialize goes over (not refused while not ready). */
  private readonly wire: SharedWire & { ids: { next: number } };

  constructor(options: StdioProcessOptions) {
    this.options = options;
    this.wire = {
      ids: this.ids,
      dispatch: (request, handler) => this.send(request, handler),
      destroy: () => Promise.resolve(),
    };
    this.current = new Promise((resolve) => (this.awaitingRestart = resolve));
    this.lines = new LineReader(options.maxResponseBytes, {
      onLine: (line) => this.onLine(line),
      onTooLong: (start) => this.tooLong(start),
    });
  }

  start(): void {
    if (this.child === null && !this.stopped) this.spawnChild();
  }

  /** The connections' handshake: waits for the process's session and shares it. */
  async session(conn: McpConnection): Promise<HandshakeResult> {
    const t0 = performance.now();
    const state = await this.current;
    const latencyMs = performance.now() - t0;
    const r = state.result;
    if (!r.ok) return { ...r, latencyMs };
    conn.protocolVersion = r.protocolVersion;
    conn.serverInfo = r.serverInfo;
    conn.initializeResult = state.initializeResult;
    return { ...r, latencyMs };
  }

  dispatch(request: Dispatcher.DispatchOptions, handler: Handler): boolean {
    if (!this.ready) {
      handler.onError?.(this.refusal);
      return true;
    }
    return this.send(request, handler);
  }

  /** A connection letting go: the process is the pool's, stopped when the run ends. */
  destroy(): Promise<void> {
    return Promise.resolve();
  }

  /** Abort of one request (its Exchange's timeout, or a response too large). */
  cancel(slot: Slot, err: Error): void {
    if (!slot.live) return;
    slot.live = false;
    if (this.pending.get(slot.id) === slot) this.pending.delete(slot.id);
    slot.handler.onError?.(err);
  }

  /** Ends the process for good: stdin closed, then SIGTERM, then SIGKILL (process group). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.ready = false;
    clearTimeout(this.restartTimer);
    this.resolveRestart(failedState('the run ended before the server process was restarted'));
    if (this.child !== null) await stopGroup(this.child);
  }

  private spawnChild(): void {
    const { command, log, index } = this.options;
    this.ready = false;
    this.lines.reset();
    const child = spawnInGroup(command, this.options.env ?? process.env);
    this.child = child;
    let stdoutClosed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child === child) this.lines.push(chunk);
    });
    child.stdout.once('end', () => {
      stdoutClosed = true;
      // A server that closes stdout and lives on can answer nothing more: end it.
      if (this.child === child && child.exitCode === null) signalGroup(child, 'SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => log.chunk(index, chunk));
    // EPIPE when the server is gone: its exit is reported by 'close'.
    child.stdin.on('error', noop);
    child.once('error', (err: Error) => this.onGone(child, `could not be started: ${err.message}`));
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${String(code)}`;
      this.onGone(child, stdoutClosed && code === null ? `closed its stdout` : how);
    });
    log.note(index, `started (pid ${String(child.pid)}): ${command.program}`);
    const init = this.initialize(child);
    this.current = init;
    void init.then((state) => this.resolveRestart(state));
  }

  private async initialize(child: Child): Promise<SessionState> {
    const { target, timeoutMs, maxResponseBytes, profile } = this.options;
    const conn = new McpConnection(target, {
      timeoutMs,
      maxResponseBytes,
      protocol: profile,
      transport: this.wire,
    });
    const result = await conn.handshake();
    if (this.child !== child) {
      return failedState(this.refusal.message);
    }
    if (!result.ok) {
      this.options.log.note(this.options.index, `initialize failed: ${result.detail}`);
      // Restarted with backoff like a crash: a process that cannot initialize serves nothing.
      signalGroup(child, 'SIGKILL');
      return { result, initializeResult: null };
    }
    this.ready = true;
    return { result, initializeResult: conn.initializeResult };
  }

  private resolveRestart(state: SessionState): void {
    const resolve = this.awaitingRestart;
    this.awaitingRestart = null;
    resolve?.(state);
  }

  private onGone(child: Child, how: string): void {
    if (this.child !== child) return;
    this.child = null;
    this.ready = false;
    const { log, index } = this.options;
    log.note(index, how);
    signalGroup(child, 'SIGKILL');
    const reset = connectionError('ECONNRESET', `the server process ${how}`);
    this.refusal = refusedError(`the server process ${how}`);
    const inFlight = [...this.pending.values()];
    this.pending.clear();
    for (const slot of inFlight) {
      slot.live = false;
      slot.handler.onError?.(reset);
    }
    if (this.stopped) return;
    // Connections that handshake while it is down wait for the next process's session.
    this.current = new Promise((resolve) => (this.awaitingRestart = resolve));
    const delayMs = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** this.failStreak);
    this.failStreak++;
    log.note(index, `restarting in ${delayMs} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      this.restarts++;
      this.spawnChild();
    }, delayMs);
  }

  /** Writes one request (or notification) line; its response is matched by id on stdout. */
  private send(request: Dispatcher.DispatchOptions, handler: Handler): boolean {
    const child = this.child;
    if (child === null) {
      handler.onError?.(this.refusal);
      return true;
    }
    const body = typeof request.body === 'string' ? request.body : String(request.body ?? '');
    const id = bodyId(body);
    if (id === null) {
      // A notification: nothing comes back, as a 202 over HTTP.
      child.stdin.write(body + '\n');
      handler.onConnect?.(noop);
      handler.onHeaders?.(202, NO_HEADERS as unknown as Buffer[], noop, 'Accepted');
      handler.onComplete?.(NO_HEADERS);
      return true;
    }
    let slot = this.slots.get(handler);
    if (slot === undefined) {
      slot = new Slot(handler, this);
      this.slots.set(handler, slot);
    }
    slot.id = id;
    slot.live = true;
    this.pending.set(id, slot);
    handler.onConnect?.(slot.abort);
    if (slot.live) child.stdin.write(body + '\n');
    return true;
  }

  /**
   * A line longer than max_response_bytes: fed to the request it answers (found by an `"id"`
   * near its start, where servers write it), whose Exchange counts it as response_too_large;
   * the rest of the line is skipped.
   */
  private tooLong(line: Buffer): void {
    const peek = /"id"\s*:\s*(\d+)/.exec(line.toString('utf8', 0, ID_PEEK_BYTES));
    const slot = peek === null ? undefined : this.pending.get(Number(peek[1]));
    if (slot === undefined) {
      this.options.log.note(this.options.index, `skipped a stdout line over ${line.length} bytes`);
      return;
    }
    this.pending.delete(slot.id);
    slot.handler.onHeaders?.(200, JSON_HEADERS as unknown as Buffer[], noop, 'OK');
    if (slot.handler.onData?.(line) !== false && slot.live) {
      slot.live = false;
      slot.handler.onComplete?.(NO_HEADERS);
    }
  }

  private onLine(line: Buffer): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line.toString());
    } catch {
      // stdout is for JSON-RPC only; a stray print is logged, not fatal.
      this.options.log.note(
        this.options.index,
        `stdout line is not JSON-RPC: ${line.toString('utf8', 0, LOG_LINE_KEEP)}`,
      );
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return;
    const m = msg as Record<string, unknown>;
    if (typeof m.method === 'string') {
      if (m.id !== undefined && m.id !== null) this.answer(m);
      return; // a notification (progress, logging): nothing to route
    }
    const slot = typeof m.id === 'number' ? this.pending.get(m.id) : undefined;
    if (slot === undefined) return; // a late answer to a request already timed out
    this.pending.delete(slot.id);
    const handler = slot.handler;
    handler.onHeaders?.(200, JSON_HEADERS as unknown as Buffer[], noop, 'OK');
    if (handler.onData?.(line) === false && !slot.live) return;
    slot.live = false;
    this.failStreak = 0;
    handler.onComplete?.(NO_HEADERS);
  }

  /** A server request: its answer (or refusal) written back at once. */
  private answer(request: Record<string, unknown>): void {
    this.child?.stdin.write(serverRequestResponse(request, this.options.profile) + '\n');
  }
}

/** The id of a request body (ours start with PREFIX), or null for a notification. */
function bodyId(body: string): number | null {
  if (body.startsWith(PREFIX)) {
    const id = parseInt(body.slice(PREFIX.length, PREFIX.length + 20), 10);
    if (Number.isSafeInteger(id)) return id;
  }
  const parsed = JSON.parse(body) as { id?: unknown };
  return typeof parsed.id === 'number' ? parsed.id : null;
}

function connectionError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** ECONNREFUSED: the VU backs off as from an HTTP server that is down. */
function refusedError(why: string): Error {
  return connectionError('ECONNREFUSED', `${why}; it is restarted with backoff`);
}

function failedState(detail: string): SessionState {
  const outcome: Outcome = CONNECTION;
  return { result: { ok: false, latencyMs: 0, outcome, detail }, initializeResult: null };
}
