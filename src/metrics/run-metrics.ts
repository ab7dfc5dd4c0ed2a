/**
 * Everything a run measures, in preallocated arrays indexed by step key (tool name, resource URI
 * or prompt name) and error kind, so recording a request is a few array writes and two histogram
 * records. Totals, per-operation figures and coordinated-omission corrected distributions are
 * derived when a report is built, never on the hot path.
 *
 * Counting rule: one `record()` (closed model) or `recordScheduled()` (open model) per real
 * request. Coordinated-omission fill-ins exist only inside the corrected histograms made by
 * `corrected()`; the handshake is recorded apart.
 *
 * Two clocks in the open model: `keySuccess` holds the time from the actual send (what the server
 * took), `keyScheduled` the time from when the step was due (what a user saw, queueing for a free
 * session included). The closed model has no schedule, so `keyScheduled` is null there.
 */
import { ERROR_KINDS, OK, type ErrorKind, type Outcome } from '../protocol/outcome.js';
import type { OperationType } from '../config/types.js';
import { newHistogram, toMicros, type Histogram } from './histogram.js';

export interface MetricKey {
  readonly name: string;
  readonly operation: OperationType;
}

const KINDS = ERROR_KINDS.length;

/** What happened in one interval: counts, errors by kind (ERROR_KINDS order), success latency. */
export interface IntervalFigures {
  requests: number;
  errors: number;
  errorsByKind: Float64Array;
  /** Success latency in µs: as measured (closed model), from the scheduled start (open). */
  successes: Histogram;
  /** Open model: steps started and dropped by the schedule; 0 in the closed model. */
  started: number;
  dropped: number;
}

export class RunMetrics {
  readonly keys: readonly MetricKey[];
  /** Success latency per key, as measured (uncorrected). */
  readonly keySuccess: Histogram[];
  readonly keyTotal: Float64Array;
  /** keyErrors[key * KINDS + (outcome - 1)] */
  readonly keyErrors: Float64Array;
  /** Open model: success latency per key from the step's scheduled start; null when closed. */
  readonly keyScheduled: Histogram[] | null;
  /** Error latency, all keys (from the scheduled start in the open model). */
  readonly errorLatency: Histogram = newHistogram();
  /** Open model: steps that found no free session with the pool at max_vus, and did not run. */
  droppedIterations = 0;
  /** Open model: steps started (or queued for a session) by the schedule. */
  startedIterations = 0;
  /** Requests and handshakes that failed on the load generator's own limits (EMFILE …). */
  localLimitErrors = 0;

  readonly handshakeLatency: Histogram = newHistogram();
  readonly handshakeErrors = new Float64Array(KINDS);
  handshakeAttempts = 0;
  handshakeOk = 0;
  sessionsCreated = 0;
  reinitializations = 0;
  sessionsClosed = 0;
  /** VUs retired because they could not (re-)initialize, and replaced. */
  vusReplaced = 0;
  /** VUs started in all, and those that never established a session (set at the end). */
  vusStarted = 0;
  vusWithoutSession = 0;
  peakVus = 0;

  /** First message seen per error kind, of scenario requests and of handshakes apart. */
  readonly errorSamples: Partial<Record<ErrorKind, string>> = {};
  readonly handshakeSamples: Partial<Record<ErrorKind, string>> = {};

  /** Responses by body type. */
  jsonResponses = 0;
  sseResponses = 0;
  /** SSE streams left open after their response (the VU waited): count, cut ones, ms. */
  sseLingerStreams = 0;
  sseLingerCut = 0;
  sseLingerTotalMs = 0;
  sseLingerMaxMs = 0;

  // The current interval (reset by takeInterval()).
  private intervalSuccess: Histogram = newHistogram();
  private intervalRequests = 0;
  private intervalErrors = 0;
  private intervalErrorKinds = new Float64Array(KINDS);
  private intervalStarted = 0;
  private intervalDropped = 0;
  totalRequests = 0;
  totalErrors = 0;

  constructor(keys: readonly MetricKey[], scheduled = false) {
    this.keys = keys;
    this.keySuccess = keys.map(() => newHistogram());
    this.keyScheduled = scheduled ? keys.map(() => newHistogram()) : null;
    this.keyTotal = new Float64Array(keys.length);
    this.keyErrors = new Float64Array(keys.length * KINDS);
  }

  /** Hot path, closed model: one finished request, `latencyMs` from its send. */
  record(key: number, outcome: Outcome, latencyMs: number): void {
    this.recordUs(key, outcome, toMicros(latencyMs), -1);
  }

  /**
   * Hot path, open model: one finished request, `latencyMs` from its scheduled start and
   * `sentLatencyMs` from its actual send. The interval histogram (timeline, breaking point) takes
   * the scheduled figure: a backlog is what the detector must see.
   */
  recordScheduled(key: number, outcome: Outcome, latencyMs: number, sentLatencyMs: number): void {
    this.recordUs(key, outcome, toMicros(latencyMs), toMicros(sentLatencyMs));
  }

  /** `sentUs` < 0: closed model, `us` is from the send. */
  private recordUs(key: number, outcome: Outcome, us: number, sentUs: number): void {
    this.keyTotal[key]!++;
    this.totalRequests++;
    this.intervalRequests++;
    if (outcome === OK) {
      if (sentUs < 0) {
        this.keySuccess[key]!.recordValue(us);
      } else {
        this.keyScheduled![key]!.recordValue(us);
        this.keySuccess[key]!.recordValue(sentUs);
      }
      this.intervalSuccess.recordValue(us);
    } else {
      this.keyErrors[key * KINDS + outcome - 1]!++;
      this.errorLatency.recordValue(us);
      this.totalErrors++;
      this.intervalErrors++;
      this.intervalErrorKinds[outcome - 1]!++;
    }
  }

  /** Open model: a step the schedule started (or queued for a session). */
  recordStarted(): void {
    this.startedIterations++;
    this.intervalStarted++;
  }

  /** Open model: a step that found no session and did not run. */
  recordDropped(): void {
    this.droppedIterations++;
    this.intervalDropped++;
  }

  /** `withSession`: the server issued an `Mcp-Session-Id` (a stateless server creates none). */
  recordHandshake(
    outcome: Outcome,
    latencyMs: number,
    reinit: boolean,
    withSession: boolean,
  ): void {
    this.handshakeAttempts++;
    if (reinit) this.reinitializations++;
    this.handshakeLatency.recordValue(toMicros(latencyMs));
    if (outcome === OK) {
      this.handshakeOk++;
      if (withSession) this.sessionsCreated++;
    } else {
      this.handshakeErrors[outcome - 1]!++;
    }
  }

  /** One SSE response's linger: the time its stream stayed open after the response event. */
  recordSseLinger(lingerMs: number, cut: boolean): void {
    if (lingerMs <= 0) return;
    this.sseLingerStreams++;
    if (cut) this.sseLingerCut++;
    this.sseLingerTotalMs += lingerMs;
    if (lingerMs > this.sseLingerMaxMs) this.sseLingerMaxMs = lingerMs;
  }

  /** True when no message has been kept yet for this error outcome. */
  wantsSample(outcome: Outcome): boolean {
    return outcome !== OK && this.errorSamples[ERROR_KINDS[outcome - 1]!] === undefined;
  }

  keepSample(outcome: Outcome, message: string): void {
    const kind = ERROR_KINDS[outcome - 1];
    if (kind !== undefined && this.errorSamples[kind] === undefined)
      this.errorSamples[kind] = message;
  }

  wantsHandshakeSample(outcome: Outcome): boolean {
    return outcome !== OK && this.handshakeSamples[ERROR_KINDS[outcome - 1]!] === undefined;
  }

  keepHandshakeSample(outcome: Outcome, message: string): void {
    const kind = ERROR_KINDS[outcome - 1];
    if (kind !== undefined && this.handshakeSamples[kind] === undefined)
      this.handshakeSamples[kind] = message;
  }

  /** Figures of the interval since the last call; starts a new interval. */
  takeInterval(): IntervalFigures {
    const out: IntervalFigures = {
      requests: this.intervalRequests,
      errors: this.intervalErrors,
      errorsByKind: this.intervalErrorKinds,
      successes: this.intervalSuccess,
      started: this.intervalStarted,
      dropped: this.intervalDropped,
    };
    this.intervalStarted = 0;
    this.intervalDropped = 0;
    this.intervalSuccess = newHistogram();
    this.intervalRequests = 0;
    this.intervalErrors = 0;
    this.intervalErrorKinds = new Float64Array(KINDS);
    return out;
  }

  errorCount(key: number, kindIndex: number): number {
    return this.keyErrors[key * KINDS + kindIndex]!;
  }
}
