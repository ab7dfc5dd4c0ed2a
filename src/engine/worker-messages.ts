/**
 * What the main thread and a worker thread say to each other (worker-fleet.ts, worker-thread.ts).
 * Everything is structured-cloneable data: classes do not cross (their prototypes are lost), so
 * histograms travel encoded and the protocol counters as plain figures.
 */
import type { LoadConfig } from '../config/types.js';
import type { IntervalSnapshot, MetricsSnapshot } from '../metrics/metrics-snapshot.js';
import type { ServerInfo } from '../protocol/mcp-connection.js';
import type { ProtocolProfile, ProtocolStats } from '../protocol/protocol-profile.js';
import type { FollowedRedirect, Target } from '../protocol/target.js';
import type { StopReason } from './executor.js';
import type { GeneratorFigures } from './generator-check.js';
import type { LoadPlan } from './load-plan.js';
import type { TickContext } from './run-timeline.js';

/** `workerData`: one thread's part of the run. */
export interface WorkerInput {
  target: Target;
  /** With stop_on_breaking_point off: the main thread detects on the merged timeline. */
  config: LoadConfig;
  plan: LoadPlan;
  /** The run's protocol profile without its counters (each thread counts its own). */
  protocol: Omit<ProtocolProfile, 'stats'> | undefined;
}

export type ToWorker = { type: 'stop'; reason: StopReason } | { type: 'hard-stop' };

/** One interval of one thread, in the order taken (`seq` from 0; the final one last). */
export interface IntervalMessage {
  type: 'interval';
  seq: number;
  final: boolean;
  figures: IntervalSnapshot;
  ctx: TickContext;
  generatorSaturated: boolean;
}

/** What a thread's run ended with, beside its metrics. */
export interface WorkerResult {
  metrics: MetricsSnapshot;
  startedAtMs: number;
  endedAtMs: number;
  activeDurationSecs: number;
  stopReason: StopReason;
  inFlightAtStop: number;
  protocolVersion: string | null;
  serverInfo: ServerInfo | null;
  noSessionDetail: string | null;
  generator: GeneratorFigures;
  redirect: FollowedRedirect | null;
  protocolStats: Pick<
    ProtocolStats,
    'inputRounds' | 'tasks' | 'taskPolls' | 'versionRetries' | 'answered' | 'unanswered'
  > | null;
}

export type FromWorker = IntervalMessage | { type: 'done'; result: WorkerResult };
