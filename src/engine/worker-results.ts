/**
 * The worker threads' results → one RunResult (worker-fleet.ts). Counts and histograms were
 * added into one RunMetrics already; here the rest: the earliest start, the stop reason, what the
 * protocol layer learnt, and the load generator's own health (the worst thread's).
 */
import type { RunMetrics } from '../metrics/run-metrics.js';
import type { ProtocolProfile } from '../protocol/protocol-profile.js';
import type { Target } from '../protocol/target.js';
import type { Executor, StopReason } from './executor.js';
import type { LoadPlan } from './load-plan.js';
import type { BreakingPointResult, RunResult } from './load-run.js';
import type { RunTimeline } from './run-timeline.js';
import type { WorkerResult } from './worker-messages.js';

export interface FleetFigures {
  metrics: RunMetrics;
  plan: LoadPlan;
  executor: Executor;
  target: Target;
  protocol: ProtocolProfile | undefined;
  /** Why the main thread stopped the threads; null when each ended on its own. */
  stopReason: StopReason | null;
  startedAt: Date;
  durationSecs: number;
  timeline: RunTimeline;
  breakingPoint: BreakingPointResult | null;
}

/** The threads' reasons, most telling first; no session only when no thread had one. */
const REASON_ORDER: readonly StopReason[] = [
  'interrupted',
  'breaking_point',
  'iterations',
  'duration',
  'no_session',
];

export function combineResults(results: readonly WorkerResult[], f: FleetFigures): RunResult {
  const reasons = results.map((r) => r.stopReason);
  const stopReason =
    f.stopReason ?? REASON_ORDER.find((reason) => reasons.includes(reason)) ?? 'duration';
  const firstOf = <T>(pick: (r: WorkerResult) => T | null): T | null =>
    results.map(pick).find((x) => x !== null) ?? null;
  f.target.learnt.redirect ??= firstOf((r) => r.redirect);
  if (f.protocol !== undefined) {
    const stats = f.protocol.stats;
    for (const r of results) {
      if (r.protocolStats === null) continue;
      stats.inputRounds += r.protocolStats.inputRounds;
      stats.tasks += r.protocolStats.tasks;
      stats.taskPolls += r.protocolStats.taskPolls;
      stats.versionRetries += r.protocolStats.versionRetries;
      for (const [from, to] of [
        [r.protocolStats.answered, stats.answered],
        [r.protocolStats.unanswered, stats.unanswered],
      ] as const) {
        for (const [method, n] of from) to.set(method, (to.get(method) ?? 0) + n);
      }
    }
  }
  const g = results.map((r) => r.generator);
  const maxOf = (xs: readonly (number | null)[]): number | null => {
    const known = xs.filter((x) => x !== null);
    return known.length === 0 ? null : Math.max(...known);
  };
  const startedAtMs = Math.min(...results.map((r) => r.startedAtMs), f.startedAt.getTime());
  return {
    metrics: f.metrics,
    model: f.executor.model,
    plan: f.plan,
    plannedVus: f.executor.plannedVus,
    plannedSecs: f.executor.totalSecs,
    plannedPeakRate: f.executor.peakRate,
    startedAt: new Date(startedAtMs),
    endedAt: new Date(Math.max(...results.map((r) => r.endedAtMs))),
    durationSecs: f.durationSecs,
    activeDurationSecs: Math.max(...results.map((r) => r.activeDurationSecs)),
    completed:
      stopReason === 'duration' || stopReason === 'iterations' || stopReason === 'breaking_point',
    stopReason,
    inFlightAtStop: results.reduce((n, r) => n + r.inFlightAtStop, 0),
    protocolVersion: firstOf((r) => r.protocolVersion),
    serverInfo: firstOf((r) => r.serverInfo),
    noSessionDetail: stopReason === 'no_session' ? firstOf((r) => r.noSessionDetail) : null,
    timeline: f.timeline.points,
    stageTotals: f.timeline.stages,
    breakingPoint: f.breakingPoint,
    generator: {
      eventLoopDelayP99Ms: Math.max(...g.map((x) => x.eventLoopDelayP99Ms)),
      eventLoopDelayMaxMs: Math.max(...g.map((x) => x.eventLoopDelayMaxMs)),
      scheduleLagP99Ms: maxOf(g.map((x) => x.scheduleLagP99Ms)),
      scheduleLagMaxMs: maxOf(g.map((x) => x.scheduleLagMaxMs)),
      saturated: g.some((x) => x.saturated),
    },
  };
}
