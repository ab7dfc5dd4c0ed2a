/**
 * Everything a run measures, in preallocated arrays indexed by step key (tool name, resource URI
 * or prompt name) and error kind, so recording a request is a few array writes and a few histogram
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
import { NotificationCounts } from './notification-counts.js';
import { ERROR_KINDS, OK, type ErrorKind, type Outcome } from '../protocol/outcome.js';
import type { OperationType } from '../config/types.js';
import { newHistogram, toMicros, type Histogram } from './histogram.js';

export interface MetricKey {
  readonly name: string;
  readonly operation: OperationType;
}

const KINDS = ERROR_KINDS.length;

/** The plain counters of a run, as one object (metrics-snapshot.ts posts them between threads). */
export interface MetricCounters {
  dropped: number;
  started: number;
  localLimitErrors: number;
  handshakeAttempts: number;
  handshakeOk: number;
  sessionsCreated: number;
  reinitializations: number;
  sessionsClosed: number;
  vusReplaced: number;
  vusStarted: number;
  vusWithoutSession: number;
  peakVus: number;
  jsonResponses: number;
  sseResponses: number;
  totalRequests: number;
  totalErrors: number;
  sseLingerStreams: number;
  sseLingerCut: number;
  sseLingerTotalMs: number;
  sseLingerMaxMs: number;
}

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
  /**
   * Each step's part, indexed like `RunMetrics.keys` (the per-tool timeline). Lent, not given:
   * valid until the next `takeInterval()`, which reuses it (the timeline folds it at once), so a
   * tick allocates no histogram per step.
   */
  perKey: readonly KeyInterval[];
}

/** One step's part of an interval: a comparison tests each step on its own samples. */
export interface KeyInterval {
  requests: number;
  errors: number;
  /** Success latency in µs, on the same clock as `IntervalFigures.successes`. */
  successes: Histogram;
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
  private droppedCount = 0;
  /** Open model: steps started (or queued for a session) by the schedule. */
  private startedCount = 0;
  /** Requests and handshakes that failed on the load generator's own limits (EMFILE …). */
  private localLimitErrorCount = 0;

  readonly handshakeLatency: Histogram = newHistogram();
  /** Progress and logging notifications per step, with first-byte and first-progress times. */
  readonly notifications: NotificationCounts;
  readonly handshakeErrors = new Float64Array(KINDS);
  private handshakeAttemptCount = 0;
  private handshakeOkCount = 0;
  private sessionsCreatedCount = 0;
  private reinitializationCount = 0;
  private sessionsClosedCount = 0;
  /** VUs retired because they could not (re-)initialize, and replaced. */
  private vusReplacedCount = 0;
  /** VUs started in all, and those that never established a session (set at the end). */
  private vusStartedCount = 0;
  private vusWithoutSessionCount = 0;
  private peakVuCount = 0;

  /** First message seen per error kind, of scenario requests and of handshakes apart. */
  readonly errorSamples: Partial<Record<ErrorKind, string>> = {};
  readonly handshakeSamples: Partial<Record<ErrorKind, string>> = {};

  /** Responses by body type. */
  private jsonResponseCount = 0;
  private sseResponseCount = 0;
  /** SSE streams left open after their response (the VU waited): count, cut ones, ms. */
  private sseLingerStreamCount = 0;
  private sseLingerCutCount = 0;
  private sseLingerTotal = 0;
  private sseLingerMax = 0;

  // The current interval (reset by takeInterval()).
  private intervalSuccess: Histogram = newHistogram();
  private intervalRequests = 0;
  private intervalErrors = 0;
  private intervalErrorKinds = new Float64Array(KINDS);
  private intervalStarted = 0;
  private intervalDropped = 0;
  private intervalKeys: KeyInterval[];
  /** The set lent out by the last takeInterval(), recycled by the next one. */
  private lentKeys: KeyInterval[];
  private totalRequestCount = 0;
  private totalErrorCount = 0;

  constructor(keys: readonly MetricKey[], scheduled = false) {
    this.keys = keys;
    this.keySuccess = keys.map(() => newHistogram());
    this.keyScheduled = scheduled ? keys.map(() => newHistogram()) : null;
    this.keyTotal = new Float64Array(keys.length);
    this.notifications = new NotificationCounts(keys.length);
    this.keyErrors = new Float64Array(keys.length * KINDS);
    this.intervalKeys = newKeyIntervals(keys.length);
    this.lentKeys = newKeyIntervals(keys.length);
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
    this.totalRequestCount++;
    this.intervalRequests++;
    const part = this.intervalKeys[key]!;
    part.requests++;
    if (outcome === OK) {
      part.successes.recordValue(us);
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
      this.totalErrorCount++;
      this.intervalErrors++;
      this.intervalErrorKinds[outcome - 1]!++;
      part.errors++;
    }
  }

  /** Open model: a step the schedule started (or queued for a session). */
  recordStarted(): void {
    this.startedCount++;
    this.intervalStarted++;
  }

  /** Open model: a step that found no session and did not run. */
  recordDropped(): void {
    this.droppedCount++;
    this.intervalDropped++;
  }

  /** `withSession`: the server issued an `Mcp-Session-Id` (a stateless server creates none). */
  recordHandshake(
    outcome: Outcome,
    latencyMs: number,
    reinit: boolean,
    withSession: boolean,
  ): void {
    this.handshakeAttemptCount++;
    if (reinit) this.reinitializationCount++;
    this.handshakeLatency.recordValue(toMicros(latencyMs));
    if (outcome === OK) {
      this.handshakeOkCount++;
      if (withSession) this.sessionsCreatedCount++;
    } else {
      this.handshakeErrors[outcome - 1]!++;
    }
  }

  /** One SSE response's linger: the time its stream stayed open after the response event. */
  recordSseLinger(lingerMs: number, cut: boolean): void {
    if (lingerMs <= 0) return;
    this.sseLingerStreamCount++;
    if (cut) this.sseLingerCutCount++;
    this.sseLingerTotal += lingerMs;
    if (lingerMs > this.sseLingerMax) this.sseLingerMax = lingerMs;
  }

  /** A session the run ended with DELETE. */
  countSessionClosed(): void {
    this.sessionsClosedCount++;
  }

  /** A VU retired because it could not (re-)initialize, and replaced. */
  countVuReplaced(): void {
    this.vusReplacedCount++;
  }

  /** A request or handshake that failed on the load generator's own limits (EMFILE …). */
  countLocalLimitError(): void {
    this.localLimitErrorCount++;
  }

  /** At the end of the run: VUs started in all, and those that never had a session. */
  noteVuSessions(started: number, withoutSession: number): void {
    this.vusStartedCount = started;
    this.vusWithoutSessionCount = withoutSession;
  }

  /** The live VU count now; the run keeps its peak. */
  noteLiveVus(vus: number): void {
    if (vus > this.peakVuCount) this.peakVuCount = vus;
  }

  /** Responses by body type (`application/json` or `text/event-stream`). */
  countJsonResponse(): void {
    this.jsonResponseCount++;
  }

  countSseResponse(): void {
    this.sseResponseCount++;
  }

  // Counters are bumped only through the methods above and read through these getters.
  get droppedIterations(): number {
    return this.droppedCount;
  }
  get startedIterations(): number {
    return this.startedCount;
  }
  get handshakeAttempts(): number {
    return this.handshakeAttemptCount;
  }
  get handshakeOk(): number {
    return this.handshakeOkCount;
  }
  get sessionsCreated(): number {
    return this.sessionsCreatedCount;
  }
  get reinitializations(): number {
    return this.reinitializationCount;
  }
  get sessionsClosed(): number {
    return this.sessionsClosedCount;
  }
  get vusReplaced(): number {
    return this.vusReplacedCount;
  }
  get localLimitErrors(): number {
    return this.localLimitErrorCount;
  }
  get vusStarted(): number {
    return this.vusStartedCount;
  }
  get vusWithoutSession(): number {
    return this.vusWithoutSessionCount;
  }
  get peakVus(): number {
    return this.peakVuCount;
  }
  get jsonResponses(): number {
    return this.jsonResponseCount;
  }
  get sseResponses(): number {
    return this.sseResponseCount;
  }
  get totalRequests(): number {
    return this.totalRequestCount;
  }
  get totalErrors(): number {
    return this.totalErrorCount;
  }
  get sseLingerStreams(): number {
    return this.sseLingerStreamCount;
  }
  get sseLingerCut(): number {
    return this.sseLingerCutCount;
  }
  get sseLingerTotalMs(): number {
    return this.sseLingerTotal;
  }
  get sseLingerMaxMs(): number {
    return this.sseLingerMax;
  }

  counters(): MetricCounters {
    return {
      dropped: this.droppedCount,
      started: this.startedCount,
      localLimitErrors: this.localLimitErrorCount,
      handshakeAttempts: this.handshakeAttemptCount,
      handshakeOk: this.handshakeOkCount,
      sessionsCreated: this.sessionsCreatedCount,
      reinitializations: this.reinitializationCount,
      sessionsClosed: this.sessionsClosedCount,
      vusReplaced: this.vusReplacedCount,
      vusStarted: this.vusStartedCount,
      vusWithoutSession: this.vusWithoutSessionCount,
      peakVus: this.peakVuCount,
      jsonResponses: this.jsonResponseCount,
      sseResponses: this.sseResponseCount,
      totalRequests: this.totalRequestCount,
      totalErrors: this.totalErrorCount,
      sseLingerStreams: this.sseLingerStreamCount,
      sseLingerCut: this.sseLingerCutCount,
      sseLingerTotalMs: this.sseLingerTotal,
      sseLingerMaxMs: this.sseLingerMax,
    };
  }

  /**
   * Adds the counters of a run that ran beside this one (a worker thread). Peak VUs add too:
   * threads reach their peaks together, as shards do (merge-reports.ts), so the sum is the peak
   * or a close upper bound; the longest SSE linger is the longest of either.
   */
  addCounters(c: MetricCounters): void {
    this.droppedCount += c.dropped;
    this.startedCount += c.started;
    this.localLimitErrorCount += c.localLimitErrors;
    this.handshakeAttemptCount += c.handshakeAttempts;
    this.handshakeOkCount += c.handshakeOk;
    this.sessionsCreatedCount += c.sessionsCreated;
    this.reinitializationCount += c.reinitializations;
    this.sessionsClosedCount += c.sessionsClosed;
    this.vusReplacedCount += c.vusReplaced;
    this.vusStartedCount += c.vusStarted;
    this.vusWithoutSessionCount += c.vusWithoutSession;
    this.peakVuCount += c.peakVus;
    this.jsonResponseCount += c.jsonResponses;
    this.sseResponseCount += c.sseResponses;
    this.totalRequestCount += c.totalRequests;
    this.totalErrorCount += c.totalErrors;
    this.sseLingerStreamCount += c.sseLingerStreams;
    this.sseLingerCutCount += c.sseLingerCut;
    this.sseLingerTotal += c.sseLingerTotalMs;
    this.sseLingerMax = Math.max(this.sseLingerMax, c.sseLingerMaxMs);
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
      perKey: this.intervalKeys,
    };
    // Swap the two sets: the one lent last time is no longer read, so it is reset and recorded into.
    const recycled = this.lentKeys;
    this.lentKeys = this.intervalKeys;
    for (const part of recycled) {
      part.requests = 0;
      part.errors = 0;
      if (part.successes.totalCount > 0) part.successes.reset();
    }
    this.intervalKeys = recycled;
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

function newKeyIntervals(count: number): KeyInterval[] {
  return Array.from({ length: count }, () => ({
    requests: 0,
    errors: 0,
    successes: newHistogram(),
  }));
}
