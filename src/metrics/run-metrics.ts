/**
 * Everything a run measures, in preallocated arrays indexed by step key (tool name, resource URI
 * or prompt name) and error kind, so recording a request is a few array writes and two histogram
 * records. Totals, per-operation figures and coordinated-omission corrected distributions are
 * derived when a report is built, never on the hot path.
 *
 * Counting rule: one `record()` per real request. Coordinated-omission fill-ins exist only inside
 * the corrected histograms made by `corrected()`; the handshake is recorded apart.
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
  /** Success latency in µs, uncorrected. */
  successes: Histogram;
}

export class RunMetrics {
  readonly keys: readonly MetricKey[];
  /** Success latency per key, as measured (uncorrected). */
  readonly keySuccess: Histogram[];
  readonly keyTotal: Float64Array;
  /** keyErrors[key * KINDS + (outcome - 1)] */
  readonly keyErrors: Float64Array;
  /** Error latency, all keys. */
  readonly errorLatency: Histogram = newHistogram();

  readonly handshakeLatency: Histogram = newHistogram();
  readonly handshakeErrors = new Float64Array(KINDS);
  // Counters are bumped only through the methods below and read through the getters.
  private handshakeAttemptCount = 0;
  private handshakeOkCount = 0;
  private sessionsCreatedCount = 0;
  private reinitializationCount = 0;
  private sessionsClosedCount = 0;
  private vusReplacedCount = 0;
  private peakVuCount = 0;
  private jsonResponseCount = 0;
  private sseResponseCount = 0;
  private totalRequestCount = 0;
  private totalErrorCount = 0;

  /** First message seen per error kind (requests and handshakes alike). */
  readonly errorSamples: Partial<Record<ErrorKind, string>> = {};

  // The current interval (reset by takeInterval()).
  private intervalSuccess: Histogram = newHistogram();
  private intervalRequests = 0;
  private intervalErrors = 0;
  private intervalErrorKinds = new Float64Array(KINDS);

  constructor(keys: readonly MetricKey[]) {
    this.keys = keys;
    this.keySuccess = keys.map(() => newHistogram());
    this.keyTotal = new Float64Array(keys.length);
    this.keyErrors = new Float64Array(keys.length * KINDS);
  }

  /** Hot path: one finished request. */
  record(key: number, outcome: Outcome, latencyMs: number): void {
    const us = toMicros(latencyMs);
    this.keyTotal[key]!++;
    this.totalRequestCount++;
    this.intervalRequests++;
    if (outcome === OK) {
      this.keySuccess[key]!.recordValue(us);
      this.intervalSuccess.recordValue(us);
    } else {
      this.keyErrors[key * KINDS + outcome - 1]!++;
      this.errorLatency.recordValue(us);
      this.totalErrorCount++;
      this.intervalErrors++;
      this.intervalErrorKinds[outcome - 1]!++;
    }
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

  /** A session the run ended with DELETE. */
  countSessionClosed(): void {
    this.sessionsClosedCount++;
  }

  /** A VU retired because it could not (re-)initialize, and replaced. */
  countVuReplaced(): void {
    this.vusReplacedCount++;
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

  get totalRequests(): number {
    return this.totalRequestCount;
  }
  get totalErrors(): number {
    return this.totalErrorCount;
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
  get peakVus(): number {
    return this.peakVuCount;
  }
  get jsonResponses(): number {
    return this.jsonResponseCount;
  }
  get sseResponses(): number {
    return this.sseResponseCount;
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

  /** Figures of the interval since the last call; starts a new interval. */
  takeInterval(): IntervalFigures {
    const out: IntervalFigures = {
      requests: this.intervalRequests,
      errors: this.intervalErrors,
      errorsByKind: this.intervalErrorKinds,
      successes: this.intervalSuccess,
    };
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
