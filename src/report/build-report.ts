/**
 * RunResult → Report (schema 1.2): totals, per-operation figures, the timeline, stages and the
 * encoded histograms. The figures the gate judges (requests, error rate, throughput and the
 * reported latency of the run and of each step) come from gate/run-figures.ts, computed once and
 * shared with the thresholds; the reported latency is, in the closed model, coordinated-omission
 * corrected, in the open model measured from each step's scheduled start
 * (metrics/reported-latency.ts); `latency_uncorrected` is always from the send.
 */
import type { StepNotifications, TimeFigures } from '../metrics/notification-counts.js';
import { redactUrl } from '../protocol/url-secrets.js';
import type { LoadConfig, OperationType, ScenarioStep } from '../config/types.js';
import { ERROR_KINDS } from '../protocol/outcome.js';
import type { RunResult } from '../engine/load-run.js';
import type { MetricKey } from '../metrics/run-metrics.js';
import { merged, type Histogram } from '../metrics/histogram.js';
import { encodeHistogram, HISTOGRAM_ENCODING } from '../metrics/histogram-codec.js';
import type { LoadPlan } from '../engine/load-plan.js';
import { CLIENT_VERSION } from '../protocol/mcp-vocabulary.js';
import type { ProtocolProfile } from '../protocol/protocol-profile.js';
import type { TimelinePoint } from '../engine/run-timeline.js';
import { reportSamples } from './error-samples.js';
import { latencyStats, usToMs } from '../metrics/latency-stats.js';
import { reportedLatency } from '../metrics/reported-latency.js';
import { keyErrorTotal, perToolNames, runFigures } from '../gate/run-figures.js';
import { thresholdFields, type GateFigures } from '../gate/thresholds.js';
import {
  REPORT_SCHEMA_VERSION,
  type BreakingPoint,
  type StageReport,
  type TimelineSample,
  type ToolIntervalSample,
  type ErrorCounts,
  type PerKeyMetrics,
  type Report,
  type ReportHistograms,
  type ScenarioStepReport,
  type NotificationStats,
  type ReportTransport,
  type TimeSummary,
  type ShardInfo,
  type ThresholdResult,
} from './types.js';

export interface ReportInput {
  result: RunResult;
  config: LoadConfig;
  url: string;
  iterations: number | null;
  seed: number;
  /** Lower-case names of the headers sent; values are never reported. */
  headerNames: readonly string[];
  /**
   * `run --shard I/N`: which part this run was, and the whole load's plan (the report's `config`
   * describes the whole load, so every shard of one load carries the same config).
   */
  shard?: { info: ShardInfo; fullPlan: LoadPlan };
  /** What the run spoke (detectProtocol); absent for runs that did not select a protocol. */
  protocol?: ProtocolProfile;
  /** A same-origin 307/308 the connections followed (Target.learnt.redirect). */
  redirect?: FollowedRedirect | null;
  /** stdio runs (`run -- COMMAND`): the server processes, their restarts and their stderr log. */
  stdio?: { processes: number; restarts: number; stderrLog: string };
  /** How the client reached the server (default: Streamable HTTP). */
  transport?: ReportTransport;
  /** The run's gate figures (gate/run-figures.ts); computed here when absent. */
  figures?: GateFigures;
  /** The evaluated thresholds (gate/thresholds.ts); none when absent. */
  thresholds?: ThresholdResult[];
}

import type { FollowedRedirect } from '../protocol/target.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

function zeroErrors(): ErrorCounts {
  return Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as ErrorCounts;
}

function stepReport(step: ScenarioStep): ScenarioStepReport {
  switch (step.type) {
    case 'tools/call':
      return {
        type: step.type,
        weight: step.weight,
        tool: step.tool,
        ...(step.arguments ? { arguments: { ...step.arguments } } : {}),
        ...(step.progress === true ? { progress: true } : {}),
      };
    case 'resources/read':
      return { type: step.type, weight: step.weight, uri: step.uri };
    case 'prompts/get':
      return {
        type: step.type,
        weight: step.weight,
        prompt: step.prompt,
        ...(step.arguments ? { arguments: { ...step.arguments } } : {}),
      };
  }
}

function kindCounts(byKind: Float64Array): ErrorCounts {
  const out = zeroErrors();
  ERROR_KINDS.forEach((kind, i) => (out[kind] = byKind[i]!));
  return out;
}

function percentilesMs(h: Histogram): { p50_ms: number; p95_ms: number; p99_ms: number } {
  const l = latencyStats(h);
  return { p50_ms: l.p50_ms, p95_ms: l.p95_ms, p99_ms: l.p99_ms };
}

/** The steps' parts of one sample, keyed by step name; steps with no request left out. */
function toolSamples(
  p: TimelinePoint,
  keys: readonly MetricKey[],
): Record<string, ToolIntervalSample> {
  const out = Object.create(null) as Record<string, ToolIntervalSample>;
  p.keySamples?.forEach((k, i) => {
    const key = keys[i];
    if (key === undefined || k.requests === 0) return;
    out[key.name] = {
      requests: k.requests,
      errors: k.errors,
      p99_ms: usToMs(k.p99Us),
    };
  });
  return out;
}

function timelineSample(p: TimelinePoint, keys: readonly MetricKey[]): TimelineSample {
  const open = p.targetRate !== null;
  return {
    elapsed_secs: round3(p.elapsedSecs),
    interval_secs: round3(p.intervalSecs),
    active_vus: p.activeVus,
    target_vus: p.targetVus,
    stage: p.stageIndex === null ? null : p.stageIndex + 1,
    requests: p.requests,
    errors: kindCounts(p.errorsByKind),
    error_rate: ratio(p.errors, p.requests),
    throughput_rps: round3(ratio(p.requests, p.intervalSecs)),
    ...percentilesMs(p.successes),
    target_rate: open ? round3(p.targetRate!) : null,
    achieved_rate: open ? round3(ratio(p.started, p.intervalSecs)) : null,
    dropped_iterations: p.dropped,
    ...(p.keySamples === undefined ? {} : { per_tool: toolSamples(p, keys) }),
  };
}

function stageReports(result: RunResult, config: LoadConfig): StageReport[] {
  let startVus = 0;
  let startRate = result.plan.ratePerSec ?? 0;
  let startSecs = 0;
  const stages = result.model === 'open' ? config.rateStages : config.stages;
  return stages.map((stage, i) => {
    const t = result.stageTotals.get(i);
    // Time the run spent in the stage: its whole duration, or up to the end of a run cut short.
    const ranSecs = Math.min(stage.durationSecs, Math.max(0, result.durationSecs - startSecs));
    const targetVus = 'targetVus' in stage ? stage.targetVus : null;
    const targetRate = 'targetRate' in stage ? stage.targetRate : null;
    const report: StageReport = {
      index: i + 1,
      target_vus: targetVus,
      duration_secs: stage.durationSecs,
      start_vus: targetVus === null ? null : startVus,
      target_rate: targetRate,
      start_rate: targetRate === null ? null : startRate,
      started_at_secs: round3(startSecs),
      ran_secs: round3(ranSecs),
      peak_active_vus: t?.peakActiveVus ?? 0,
      requests: t?.requests ?? 0,
      errors: t?.errors ?? 0,
      error_rate: t === undefined ? 0 : ratio(t.errors, t.requests),
      throughput_rps: t === undefined ? 0 : round3(ratio(t.requests, ranSecs)),
      ...(t === undefined ? { p50_ms: 0, p95_ms: 0, p99_ms: 0 } : percentilesMs(t.successes)),
      // A stage is complete when the run went past its end, not when it was cut short.
      completed: result.durationSecs + 0.05 >= startSecs + stage.durationSecs,
    };
    if (targetVus !== null) startVus = targetVus;
    if (targetRate !== null) startRate = targetRate;
    startSecs += stage.durationSecs;
    return report;
  });
}

function breakingPointReport(result: RunResult): BreakingPoint {
  const bp = result.breakingPoint;
  if (bp === null) return { detected: false };
  return {
    detected: true,
    vus: bp.vus,
    reason: bp.reason,
    detail: bp.detail,
    timestamp: bp.timestamp,
    elapsed_secs: round3(bp.elapsedSecs),
    stage: bp.stage,
    target_vus: bp.targetVus,
    rate: bp.rate === null ? null : round3(bp.rate),
    stopped_run: bp.stoppedRun,
    generator_saturated: bp.generatorSaturated,
  };
}

export function buildReport(input: ReportInput): Report {
  const { result, config } = input;
  const m = result.metrics;
  const intervalUs = config.settings.expectedIntervalMs * 1000;
  const activeSecs = result.activeDurationSecs;
  const scheduled = m.keyScheduled;
  const figures = input.figures ?? runFigures(result, config.settings.expectedIntervalMs);
  const thresholds = input.thresholds ?? [];
  const names = perToolNames(m.keys);

  const errors = zeroErrors();
  // Keys are tool names, URIs and prompt names from the config or a server: a null prototype, so
  // "toString" is not taken for a key already there and "__proto__" stays a key.
  const perTool: Record<string, PerKeyMetrics> = Object.create(null) as Record<
    string,
    PerKeyMetrics
  >;
  const perToolHists: ReportHistograms['per_tool'] = Object.create(
    null,
  ) as ReportHistograms['per_tool'];
  const opCounts: Partial<Record<OperationType, number>> = {};
  const opErrors: Partial<Record<OperationType, number>> = {};
  const opKeys = new Map<OperationType, number[]>();
  let total = 0;
  let errorTotal = 0;

  m.keys.forEach((key, k) => {
    const keyErrors = zeroErrors();
    ERROR_KINDS.forEach((kind, i) => {
      const n = m.errorCount(k, i);
      keyErrors[kind] = n;
      errors[kind] += n;
    });
    const keyErrorCount = keyErrorTotal(m, k);
    const keyTotal = m.keyTotal[k]!;
    total += keyTotal;
    errorTotal += keyErrorCount;
    opCounts[key.operation] = (opCounts[key.operation] ?? 0) + keyTotal;
    opErrors[key.operation] = (opErrors[key.operation] ?? 0) + keyErrorCount;
    const h = m.keySuccess[k]!;
    opKeys.set(key.operation, [...(opKeys.get(key.operation) ?? []), k]);
    const name = names[k]!;
    const keyFigures = figures.perTool.get(name)!;
    // Closed model: latency_uncorrected would repeat latency (both raw), so it is left out.
    perToolHists[name] =
      scheduled === null
        ? { latency: encodeHistogram(h) }
        : { latency: encodeHistogram(scheduled[k]!), latency_uncorrected: encodeHistogram(h) };
    perTool[name] = {
      operation: key.operation,
      total_requests: keyTotal,
      success_count: keyTotal - keyErrorCount,
      error_count: keyErrorCount,
      error_rate: keyFigures.error_rate,
      throughput_rps: keyFigures.throughput_rps,
      latency: keyFigures.latency,
      latency_uncorrected: latencyStats(h),
      errors: keyErrors,
    };
    const notes = m.notifications.of(k);
    if (notes !== undefined) perTool[name]!.notifications = notificationStats(notes);
  });

  const allSuccess = merged(m.keySuccess);
  const overall = figures.overall.latency;
  const errorLatency = latencyStats(m.errorLatency);
  const operationLatency: Report['metrics']['operation_latency'] = {};
  for (const [op, keys] of opKeys) {
    operationLatency[op] = latencyStats(reportedLatency(m, keys, intervalUs));
  }

  const handshakeErrors = zeroErrors();
  ERROR_KINDS.forEach((kind, i) => (handshakeErrors[kind] = m.handshakeErrors[i]!));

  const histograms: ReportHistograms = {
    encoding: HISTOGRAM_ENCODING,
    correction_interval_us: scheduled === null ? intervalUs : null,
    latency: encodeHistogram(scheduled === null ? allSuccess : merged(scheduled)),
    latency_uncorrected: encodeHistogram(allSuccess),
    error_latency: encodeHistogram(m.errorLatency),
    handshake_latency: encodeHistogram(m.handshakeLatency),
    per_tool: perToolHists,
    timeline: result.timeline.map((p) => encodeHistogram(p.successes)),
  };
  const plan = input.shard?.fullPlan ?? result.plan;
  const plannedVus =
    input.shard === undefined
      ? result.plannedVus
      : plan.stages.length > 0
        ? Math.max(...plan.stages.map((st) => st.targetVus))
        : plan.vus;
  const s = config.settings;
  return {
    schema_version: REPORT_SCHEMA_VERSION,
    timestamp: result.endedAt.toISOString(),
    // Query values and userinfo may be keys (protocol/url-secrets.ts): never in a report.
    target_url: redactUrl(input.url),
    duration_secs: round3(result.durationSecs),
    config: {
      virtual_users: result.model === 'open' ? plan.vus : plannedVus,
      duration_secs: result.plannedSecs,
      timeout_ms: s.timeoutMs,
      expected_interval_ms: s.expectedIntervalMs,
      request_interval_ms: s.requestIntervalMs,
      max_response_bytes: s.maxResponseBytes,
      iterations: input.iterations,
      seed: input.seed,
      headers: Object.fromEntries(input.headerNames.map((n) => [n, '[redacted]'])),
      scenario: config.scenario.map(stepReport),
      stages:
        result.model === 'open'
          ? config.rateStages.map((st) => ({
              target_rate: st.targetRate,
              duration_secs: st.durationSecs,
            }))
          : config.stages.map((st) => ({
              target_vus: st.targetVus,
              duration_secs: st.durationSecs,
            })),
      config_path: config.path ?? null,
      stop_on_breaking_point: s.stopOnBreakingPoint,
      model: result.model,
      executor: plan.executor,
      arrival_rate: plan.ratePerSec,
      max_vus: plan.maxVus,
      transport: input.transport ?? 'streamable-http',
    },
    ...(input.shard === undefined ? {} : { shard: { ...input.shard.info } }),
    metrics: {
      total_requests: total,
      success_count: total - errorTotal,
      error_count: errorTotal,
      error_rate: ratio(errorTotal, total),
      gate_error_rate: figures.overall.error_rate,
      throughput_rps: figures.overall.throughput_rps,
      active_throughput_rps: round3(ratio(total, activeSecs)),
      active_duration_secs: round3(activeSecs),
      dropped_iterations: m.droppedIterations,
      generator: {
        event_loop_delay_p99_ms: result.generator.eventLoopDelayP99Ms,
        event_loop_delay_max_ms: result.generator.eventLoopDelayMaxMs,
        schedule_lag_p99_ms: result.generator.scheduleLagP99Ms,
        schedule_lag_max_ms: result.generator.scheduleLagMaxMs,
        saturated: result.generator.saturated,
        local_limit_errors: m.localLimitErrors,
      },
      in_flight_at_stop: result.inFlightAtStop,
      latency: {
        ...overall,
        error_p50_ms: errorLatency.p50_ms,
        error_p95_ms: errorLatency.p95_ms,
        error_p99_ms: errorLatency.p99_ms,
      },
      latency_uncorrected: latencyStats(allSuccess),
      operation_counts: opCounts,
      operation_errors: opErrors,
      operation_latency: operationLatency,
    },
    errors,
    error_samples: reportSamples(m.errorSamples),
    per_tool: perTool,
    breaking_point: breakingPointReport(result),
    timeline: result.timeline.map((p) => timelineSample(p, m.keys)),
    stages: stageReports(result, config),
    ...thresholdFields(thresholds),
    tool: { name: 'mcp-loadtest', version: CLIENT_VERSION },
    started_at: result.startedAt.toISOString(),
    completed: result.completed,
    stop_reason: result.stopReason,
    protocol: {
      version: result.protocolVersion,
      server_info: result.serverInfo,
      response_types: { json: m.jsonResponses, sse: m.sseResponses },
      ...(input.protocol === undefined ? {} : protocolFields(input.protocol)),
      sse_linger: {
        streams: m.sseLingerStreams,
        cut: m.sseLingerCut,
        total_ms: round3(m.sseLingerTotalMs),
        mean_ms: round3(ratio(m.sseLingerTotalMs, m.sseLingerStreams)),
        max_ms: round3(m.sseLingerMaxMs),
      },
      redirect:
        input.redirect === undefined || input.redirect === null
          ? null
          : {
              status: input.redirect.status === 308 ? 308 : 307,
              from: input.redirect.from,
              to: input.redirect.to,
            },
      ...(input.stdio === undefined
        ? {}
        : {
            stdio: {
              processes: input.stdio.processes,
              restarts: input.stdio.restarts,
              stderr_log: input.stdio.stderrLog,
            },
          }),
    },
    handshake: {
      attempts: m.handshakeAttempts,
      success_count: m.handshakeOk,
      error_count: m.handshakeAttempts - m.handshakeOk,
      sessions_created: m.sessionsCreated,
      reinitializations: m.reinitializations,
      sessions_closed: m.sessionsClosed,
      vus_replaced: m.vusReplaced,
      peak_vus: m.peakVus,
      vus_started: m.vusStarted,
      vus_without_session: m.vusWithoutSession,
      latency: latencyStats(m.handshakeLatency),
      errors: handshakeErrors,
      error_samples: reportSamples(m.handshakeSamples),
    },
    // Last: the bulkiest field, and of interest to `merge` rather than to a reader.
    histograms,
  };
}

/** The report's form of a step's notification figures (ms rounded to µs). */
function notificationStats(n: StepNotifications): NotificationStats {
  const time = (t: TimeFigures): TimeSummary => ({
    count: t.count,
    min_ms: round3(t.minMs),
    mean_ms: round3(t.meanMs),
    max_ms: round3(t.maxMs),
  });
  const out: NotificationStats = { progress: n.progress, logging: n.logging };
  if (n.firstByte !== undefined) out.first_byte = time(n.firstByte);
  if (n.firstProgress !== undefined) out.first_progress = time(n.firstProgress);
  return out;
}

/** The protocol layer's figures (report schema `protocol.era` and after). */
function protocolFields(profile: ProtocolProfile): Partial<Report['protocol']> {
  const stats = profile.stats;
  return {
    era: profile.era,
    selection: profile.setting,
    transport_detected: profile.transportDetected,
    input_rounds: stats.inputRounds,
    tasks: stats.tasks,
    task_polls: stats.taskPolls,
    version_retries: stats.versionRetries,
    server_requests: {
      answered: Object.fromEntries(stats.answered),
      unanswered: Object.fromEntries(stats.unanswered),
    },
  };
}
