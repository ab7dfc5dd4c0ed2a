/**
 * RunMetrics and interval figures as plain, structured-cloneable data (typed arrays, strings,
 * numbers), so worker threads can post them to the main thread and it can add them exactly, as
 * autocannon's workers do: counts add, and histograms travel in their compressed encoding
 * (histogram-codec.ts) and add without loss once decoded.
 */
import { decodeHistogram, encodeHistogram } from './histogram-codec.js';
import { newHistogram, type Histogram } from './histogram.js';
import { ERROR_KINDS } from '../protocol/outcome.js';
import type { IntervalFigures, KeyInterval, MetricCounters, RunMetrics } from './run-metrics.js';

export interface IntervalSnapshot {
  requests: number;
  errors: number;
  errorsByKind: Float64Array;
  /** Encoded (histogram-codec.ts). */
  successes: string;
  started: number;
  dropped: number;
  /** Each step's part (the per-tool timeline), indexed like `RunMetrics.keys`. */
  perKey: KeyIntervalSnapshot[];
}

/** One step's part of an interval; `successes` encoded, '' when it has no success. */
export interface KeyIntervalSnapshot {
  requests: number;
  errors: number;
  successes: string;
}

export interface MetricsSnapshot {
  keySuccess: string[];
  keyScheduled: string[] | null;
  keyTotal: Float64Array;
  keyErrors: Float64Array;
  errorLatency: string;
  handshakeLatency: string;
  handshakeErrors: Float64Array;
  /** NotificationCounts' slots. */
  notifications: Float64Array;
  counters: MetricCounters;
  errorSamples: RunMetrics['errorSamples'];
  handshakeSamples: RunMetrics['handshakeSamples'];
}

export function snapshotInterval(f: IntervalFigures): IntervalSnapshot {
  return {
    ...f,
    successes: encodeHistogram(f.successes),
    // Copied now: the figures are lent and reused by the next takeInterval().
    perKey: f.perKey.map((k) => ({
      requests: k.requests,
      errors: k.errors,
      successes: k.successes.totalCount === 0 ? '' : encodeHistogram(k.successes),
    })),
  };
}

export function intervalOf(s: IntervalSnapshot): IntervalFigures {
  return {
    ...s,
    successes: decodeHistogram(s.successes),
    perKey: s.perKey.map((k) => ({
      requests: k.requests,
      errors: k.errors,
      successes: k.successes === '' ? newHistogram() : decodeHistogram(k.successes),
    })),
  };
}

/** Empty figures, to add intervals into. */
export function emptyInterval(kinds: number): IntervalFigures {
  return {
    requests: 0,
    errors: 0,
    errorsByKind: new Float64Array(kinds),
    successes: newHistogram(),
    started: 0,
    dropped: 0,
    perKey: [],
  };
}

/** Adds `part` into `into` (mutated). */
export function addInterval(into: IntervalFigures, part: IntervalFigures): void {
  into.requests += part.requests;
  into.errors += part.errors;
  into.started += part.started;
  into.dropped += part.dropped;
  for (let i = 0; i < into.errorsByKind.length; i++) into.errorsByKind[i]! += part.errorsByKind[i]!;
  if (part.successes.totalCount > 0) into.successes.add(part.successes);
  // Every thread has the same keys; `into` grows to them on the first part added.
  const keys = into.perKey as KeyInterval[];
  part.perKey.forEach((k, i) => {
    const sum = (keys[i] ??= { requests: 0, errors: 0, successes: newHistogram() });
    sum.requests += k.requests;
    sum.errors += k.errors;
    if (k.successes.totalCount > 0) sum.successes.add(k.successes);
  });
}

export function snapshotMetrics(m: RunMetrics): MetricsSnapshot {
  return {
    keySuccess: m.keySuccess.map(encodeHistogram),
    keyScheduled: m.keyScheduled?.map(encodeHistogram) ?? null,
    keyTotal: m.keyTotal,
    keyErrors: m.keyErrors,
    errorLatency: encodeHistogram(m.errorLatency),
    handshakeLatency: encodeHistogram(m.handshakeLatency),
    handshakeErrors: m.handshakeErrors,
    notifications: m.notifications.raw,
    counters: m.counters(),
    errorSamples: { ...m.errorSamples },
    handshakeSamples: { ...m.handshakeSamples },
  };
}

/** Adds a snapshot of a run of the same scenario into `into` (the keys are the same, in order). */
export function absorbMetrics(into: RunMetrics, s: MetricsSnapshot): void {
  addEncoded(into.keySuccess, s.keySuccess);
  if (into.keyScheduled !== null && s.keyScheduled !== null) {
    addEncoded(into.keyScheduled, s.keyScheduled);
  }
  addEncoded([into.errorLatency, into.handshakeLatency], [s.errorLatency, s.handshakeLatency]);
  s.keyTotal.forEach((n, i) => (into.keyTotal[i]! += n));
  s.keyErrors.forEach((n, i) => (into.keyErrors[i]! += n));
  s.handshakeErrors.forEach((n, i) => (into.handshakeErrors[i]! += n));
  into.notifications.add(s.notifications);
  into.addCounters(s.counters);
  // The first message seen per kind: any thread's first is as good as another's.
  for (const kind of ERROR_KINDS) {
    const sample = s.errorSamples[kind];
    if (sample !== undefined) into.errorSamples[kind] ??= sample;
    const handshakeSample = s.handshakeSamples[kind];
    if (handshakeSample !== undefined) into.handshakeSamples[kind] ??= handshakeSample;
  }
}

function addEncoded(to: readonly Histogram[], from: readonly string[]): void {
  from.forEach((encoded, i) => {
    const h = decodeHistogram(encoded);
    if (h.totalCount > 0) to[i]!.add(h);
  });
}
