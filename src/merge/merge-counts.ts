/** Adding what shards counted: error kinds, per-operation counts, first samples, the end. */
import type { OperationType } from '../config/types.js';
import { ERROR_KINDS, type ErrorKind } from '../protocol/outcome.js';
import type { ErrorCounts, StopReason } from '../report/types.js';

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export function addErrors(parts: readonly ErrorCounts[]): ErrorCounts {
  const out = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as ErrorCounts;
  for (const p of parts) for (const k of ERROR_KINDS) out[k] += p[k];
  return out;
}

export function addPartial(
  parts: readonly Partial<Record<OperationType, number>>[],
): Partial<Record<OperationType, number>> {
  const out: Partial<Record<OperationType, number>> = {};
  for (const p of parts) {
    for (const [op, n] of Object.entries(p) as [OperationType, number][])
      out[op] = (out[op] ?? 0) + n;
  }
  return out;
}

export function firstSamples(
  parts: readonly Partial<Record<ErrorKind, string>>[],
): Partial<Record<ErrorKind, string>> {
  const out: Partial<Record<ErrorKind, string>> = {};
  for (const p of parts)
    for (const k of ERROR_KINDS) if (out[k] === undefined && p[k] !== undefined) out[k] = p[k];
  return out;
}

/** The merged run ended as its most telling shard did: any interruption, else every no_session … */
export function stopReason(reasons: readonly StopReason[]): StopReason {
  if (reasons.includes('interrupted')) return 'interrupted';
  if (reasons.every((r) => r === 'no_session')) return 'no_session';
  if (reasons.includes('breaking_point')) return 'breaking_point';
  if (reasons.includes('iterations')) return 'iterations';
  return 'duration';
}
