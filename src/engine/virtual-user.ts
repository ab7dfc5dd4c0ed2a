/**
 * A virtual user: one MCP client with its own connection and session. In the closed model it
 * loops over weighted scenario steps (the next request starts when the previous one ends, after
 * `request_interval_ms` if set). In the open model (`run.pooled`) it is a pooled session: the
 * arrival-rate executor lends it one step at a time with `runStep()`, and it hands itself back
 * (`run.onVuIdle`) once its handshake or its step is done; latency is then measured from the
 * step's scheduled time, and the time from the actual send is kept beside it.
 *
 * Lifecycle: handshake → loop → (session lost → re-handshake with backoff → loop) → finished. A
 * session is lost when the server says so (session_expired) or with its transport (the HTTP+SSE
 * stream ended).
 * The VU is its exchange's listener, so a request costs no promise or closure; the handshake is
 * async because it is rare.
 *
 * Backoff: a lost session is re-initialized at once; each further consecutive failure (a failed
 * handshake, or a session lost again before any request succeeded) doubles the wait from 50 ms up
 * to 2 s, with jitter, so a VU never hammers a dead server; refused connections back off the
 * same way. A VU that had a session and then fails HANDSHAKE_ATTEMPTS handshakes in a row gives
 * up (`lost`): the run replaces it with a new VU on a new connection, so the count tracks the
 * target. A VU that never had a session keeps retrying instead, so a dead server causes no churn
 * of replacements (and once every VU has tried that often, the run ends as no_session).
 *
 * Retirement (ramp-down): `retire()` lets the request in flight finish, then the VU ends and the
 * run ends its session with DELETE.
 */
import {
  Exchange,
  BODY_JSON,
  BODY_SSE,
  LOCAL_LIMIT_MARKER,
  type ExchangeListener,
} from '../protocol/exchange.js';
import { McpConnection } from '../protocol/mcp-connection.js';
import { requestBody } from '../protocol/request-template.js';
import { CONNECTION, OK, SESSION_EXPIRED, TIMEOUT } from '../protocol/outcome.js';
import { seededRandom } from './step-plan.js';
import type { RunContext } from './run-context.js';

const BACKOFF_BASE_MS = 50;
const BACKOFF_MAX_MS = 2000;
/** Failed handshakes in a row after which a VU gives up (replaced, or no_session at start). */
export const HANDSHAKE_ATTEMPTS = 3;

export class VirtualUser implements ExchangeListener {
  readonly index: number;
  readonly connection: McpConnection;
  readonly exchange: Exchange;
  /** True once this VU has had a working session. */
  everConnected = false;
  finished = false;
  /** Asked to end (ramp-down or run stop): finishes after the request in flight. */
  retiring = false;
  /** Gave up after repeated failed re-initializations; to be replaced. */
  lost = false;
  /** Has a working session now (not handshaking, not lost): what "active VUs" counts. */
  hasSession = false;
  private readonly run: RunContext;
  private readonly random: () => number;
  private step = 0;
  /** Open model: when the step in flight was due (performance.now() time). */
  private scheduledMs = 0;
  /** Consecutive failed handshakes and lost sessions: the re-initialization backoff. */
  private failStreak = 0;
  /** Consecutive refused connections: the request backoff. */
  private refusedStreak = 0;
  /** Consecutive failed handshakes, a timeout counting as HANDSHAKE_ATTEMPTS. */
  private handshakeFailures = 0;
  private pause: NodeJS.Timeout | undefined;
  // Made on the first pause (pacing, backoff): a VU that never waits never holds them.
  private nextFn: (() => void) | null = null;
  private rehandshakeFn: (() => void) | null = null;

  constructor(run: RunContext, index: number) {
    this.run = run;
    this.index = index;
    this.connection = new McpConnection(run.target, {
      timeoutMs: run.timeoutMs,
      maxResponseBytes: run.maxResponseBytes,
      protocol: run.protocol,
      transport: run.transports?.take(),
    });
    this.exchange = new Exchange(this, run.maxResponseBytes);
    // Each VU jitters its backoff from its own stream; its steps come from the run's
    // (RunContext.nextStep), so a --seed and --iterations give one mix whoever sends them.
    this.random = seededRandom((run.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  }

  start(): void {
    void this.handshake();
  }

  /** Stop after the current request; a VU waiting (backoff or pacing) stops now. */
  wake(): void {
    if (this.pause !== undefined && this.ending()) {
      clearTimeout(this.pause);
      this.pause = undefined;
      this.finish();
    }
  }

  /** Open model: an idle pooled VU (no request, no handshake, no pause) ends now. */
  endIdle(): void {
    this.retiring = true;
    this.finish();
  }

  /** Open model: runs one step that was due at `scheduledMs`; the VU must be idle. */
  runStep(step: number, scheduledMs: number): void {
    this.scheduledMs = scheduledMs;
    this.send(step);
  }

  /** Ramp-down: end after the request in flight (at once when idle). */
  retire(): void {
    this.retiring = true;
    this.wake();
  }

  private ending(): boolean {
    return this.retiring || this.run.stopping;
  }

  private async handshake(): Promise<void> {
    this.pause = undefined;
    if (this.ending()) return this.finish();
    // A re-initialization replaces a session this VU had; retries of a first handshake are not.
    const reinit = this.everConnected;
    const result = await this.connection.handshake();
    this.run.metrics.recordHandshake(
      result.ok ? OK : result.outcome,
      result.latencyMs,
      reinit,
      result.ok && result.sessionId !== null,
    );
    if (result.ok) {
      // Discovery (init) reads the whole initialize result; a VU never does, and 10,000 copies
      // of it would only hold memory.
      this.connection.initializeResult = null;
      this.everConnected = true;
      this.hasSession = true;
      this.handshakeFailures = 0;
      this.run.onSession(result.protocolVersion, result.serverInfo);
      if (this.run.pooled) {
        if (this.ending()) return this.finish();
        return this.run.onVuIdle(this);
      }
      this.next();
      return;
    }
    if (result.detail.includes(LOCAL_LIMIT_MARKER)) this.run.metrics.countLocalLimitError();
    if (this.run.metrics.wantsHandshakeSample(result.outcome)) {
      this.run.metrics.keepHandshakeSample(
        result.outcome,
        this.run.redact(`initialize: ${result.detail}`),
      );
    }
    // A timed-out handshake already waited timeout_ms: it weighs as much as all the quick tries.
    this.handshakeFailures += result.outcome === TIMEOUT ? HANDSHAKE_ATTEMPTS : 1;
    this.failStreak++;
    this.run.onHandshakeFailed(this, result.detail);
    if (this.ending()) return this.finish();
    if (this.everConnected && this.handshakeFailures >= HANDSHAKE_ATTEMPTS) {
      this.lost = true;
      return this.finish();
    }
    this.pause = setTimeout(this.rehandshakeBound(), this.backoffMs());
  }

  private nextBound(): () => void {
    return (this.nextFn ??= (): void => this.next());
  }

  private rehandshakeBound(): () => void {
    return (this.rehandshakeFn ??= (): void => void this.handshake());
  }

  /** The VU has tried HANDSHAKE_ATTEMPTS times (or timed out) without getting a session. */
  get gaveUpHandshaking(): boolean {
    return this.handshakeFailures >= HANDSHAKE_ATTEMPTS;
  }

  private backoffMs(): number {
    return backoffMs(this.failStreak, this.random);
  }

  private next(): void {
    this.pause = undefined;
    const run = this.run;
    if (this.ending() || !run.takeIteration()) return this.finish();
    this.send(run.nextStep());
  }

  private send(step: number): void {
    const run = this.run;
    this.step = step;
    const template = run.plan.templates[step]!;
    const conn = this.connection;
    const id = conn.takeId();
    run.onRequestStart();
    this.exchange.start(conn.client, conn.hotRequest(requestBody(template, id)), {
      id,
      isToolCall: template.isToolCall,
      keepMessage: false,
      sessionBound: conn.hasSession,
      timeoutMs: run.timeoutMs,
    });
  }

  onExchangeEnd(ex: Exchange): void {
    const run = this.run;
    if (run.hardStopped) return;
    const outcome = ex.outcome;
    const metrics = run.metrics;
    const key = run.plan.keyOf[this.step]!;
    if (run.pooled) {
      metrics.recordScheduled(key, outcome, ex.endMs - this.scheduledMs, ex.endMs - ex.startMs);
    } else {
      metrics.record(key, outcome, ex.endMs - ex.startMs);
    }
    if (ex.bodyKind === BODY_SSE) {
      metrics.countSseResponse();
      metrics.recordSseLinger(ex.lingerMs, ex.lingerCut);
    } else if (ex.bodyKind === BODY_JSON) metrics.countJsonResponse();
    // Any request of the step may have streamed them (a task's first answer, a retried round).
    if (ex.progressCount + ex.logCount > 0) {
      metrics.notifications.record(
        key,
        ex.progressCount,
        ex.logCount,
        ex.firstByteMs - ex.startMs,
        ex.firstProgressMs === 0 ? -1 : ex.firstProgressMs - ex.startMs,
      );
    }
    run.onRequestEnd(ex.endMs);
    if (outcome !== OK && metrics.wantsSample(outcome)) {
      const name = run.plan.keys[run.plan.keyOf[this.step]!]!.name;
      metrics.keepSample(outcome, run.redact(`${name}: ${ex.describe()}`));
    }
    // A session lost with its transport (an HTTP+SSE stream that ended) is re-made like an
    // expired one: the request in flight already counted as a connection error.
    if (outcome === SESSION_EXPIRED || (outcome === CONNECTION && this.connection.needsHandshake)) {
      this.hasSession = false;
      run.onSessionEnd();
      this.failStreak++;
      if (this.ending()) return this.finish();
      this.pause = setTimeout(this.rehandshakeBound(), this.backoffMs());
      return;
    }
    if (outcome === OK) this.failStreak = 0;
    if (outcome === CONNECTION && ex.localLimit) metrics.countLocalLimitError();
    if (run.pooled) {
      // The schedule, not the VU, decides when the next step starts.
      if (this.ending()) return this.finish();
      return run.onVuIdle(this);
    }
    if (outcome === CONNECTION && ex.refused) {
      // Nothing listens: back off rather than count how fast refusals come back. A connection
      // cut mid-response is the server's answer under load and is not backed off.
      const waitMs = backoffMs(++this.refusedStreak, this.random);
      if (waitMs > 0 && !this.ending()) {
        this.pause = setTimeout(this.nextBound(), waitMs);
        return;
      }
    } else {
      this.refusedStreak = 0;
    }
    if (run.requestIntervalMs > 0 && !this.ending()) {
      this.pause = setTimeout(this.nextBound(), run.requestIntervalMs);
    } else {
      this.next();
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.hasSession) this.run.onSessionEnd();
    this.hasSession = false;
    this.run.onVuFinished(this);
  }
}

/** 0 for the first failure, then 50 ms doubling up to 2 s, with jitter (half to full). */
function backoffMs(streak: number, random: () => number): number {
  if (streak <= 1) return 0;
  const ms = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (streak - 2));
  return ms * (0.5 + random() * 0.5);
}
