/**
 * The JSON report, schema_version "1.2". Every field of `cargo pmcp loadtest`'s 1.1 report keeps
 * its name and meaning (so `jq '.metrics.latency.p99_ms'` and `jq '.breaking_point'` keep
 * working); everything else is additive. `schema/report.schema.json` is the published contract
 * and must describe exactly this shape. Times are milliseconds with microsecond precision
 * (3 decimals); rates are 0..1.
 */
import type { ErrorKind } from '../protocol/outcome.js';
import type { OperationType } from '../protocol/mcp-vocabulary.js';

export const REPORT_SCHEMA_VERSION = '1.2';

/** Count per error kind; every kind of ERROR_KINDS is present, zero or not. */
export type ErrorCounts = Record<ErrorKind, number>;

export interface LatencyStats {
  /** Number of samples the percentiles were taken from. */
  count: number;
  p50_ms: number;
  p90_ms: number;
  p95_ms: number;
  p99_ms: number;
  p999_ms: number;
  min_ms: number;
  max_ms: number;
  mean_ms: number;
}

/** `metrics.latency`: the 1.1 fields (success and error percentiles) plus the rest of the stats. */
export interface OverallLatency extends LatencyStats {
  error_p50_ms: number;
  error_p95_ms: number;
  error_p99_ms: number;
}

export interface PerKeyMetrics {
  operation: OperationType;
  total_requests: number;
  success_count: number;
  error_count: number;
  error_rate: number;
  throughput_rps: number;
  /** Success latency, coordinated-omission corrected. */
  latency: LatencyStats;
  latency_uncorrected: LatencyStats;
  errors: ErrorCounts;
  /** Progress and logging notifications of this step; absent when none arrived. */
  notifications?: NotificationStats;
}

/** A time over `count` requests, in milliseconds. */
export interface TimeSummary {
  count: number;
  min_ms: number;
  mean_ms: number;
  max_ms: number;
}

export interface NotificationStats {
  /** notifications/progress received. */
  progress: number;
  /** notifications/message (logging) received. */
  logging: number;
  /** From the send, over the requests that got a progress notification (long-running tools). */
  first_byte?: TimeSummary;
  first_progress?: TimeSummary;
}

export interface ScenarioStepReport {
  type: OperationType;
  weight: number;
  tool?: string;
  uri?: string;
  prompt?: string;
  arguments?: Record<string, unknown>;
  /** tools/call: the request asked for progress notifications (`progress = true`). */
  progress?: boolean;
}

export type StopReason =
  | 'duration' // the configured duration (or the sum of the stages) elapsed
  | 'iterations' // --iterations steps were completed
  | 'interrupted' // SIGINT / SIGTERM
  | 'no_session' // no VU could initialize: nothing was measured
  | 'breaking_point'; // stop_on_breaking_point ended the run at the detection

export interface BreakingPoint {
  detected: boolean;
  /** VUs active when the break was detected. */
  vus?: number;
  reason?: 'error_rate_spike' | 'latency_degradation';
  detail?: string;
  /** ISO-8601 UTC time of the detection (not of the report). */
  timestamp?: string;
  /** Seconds from the start of the run to the detection. */
  elapsed_secs?: number;
  /** 1-based stage index at detection, null for a flat run. */
  stage?: number | null;
  /** The VU target of the schedule at detection. */
  target_vus?: number;
  /** Open model: the scheduled rate at detection (steps/s); null for the closed model. */
  rate?: number | null;
  /** True when stop_on_breaking_point ended the run there. */
  stopped_run?: boolean;
  /** The load generator was saturated when it was detected: it may be our limit, not the server's. */
  generator_saturated?: boolean;
}

/** One sample interval (2 s) of the run: what happened in it, not cumulative. */
export interface TimelineSample {
  /** Seconds from the start of the run to the end of the interval. */
  elapsed_secs: number;
  interval_secs: number;
  active_vus: number;
  target_vus: number;
  /** 1-based stage index, null for a flat run. */
  stage: number | null;
  requests: number;
  errors: ErrorCounts;
  error_rate: number;
  throughput_rps: number;
  /** Success latency of the interval (open model: from the scheduled start); 0 with no success. */
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  /** Open model: the scheduled rate and the steps started per second; null when closed. */
  target_rate: number | null;
  achieved_rate: number | null;
  dropped_iterations: number;
  /**
   * Each step's part of the interval, keyed like per_tool (null prototype), steps with a request
   * in it only: the samples a comparison tests each step on. Absent in reports of older versions
   * and in merged reports (a step's interval percentiles do not add across shards).
   */
  per_tool?: Record<string, ToolIntervalSample>;
}

/**
 * One step in one timeline interval: the figures a comparison gates a step on (throughput, error
 * rate, p99), and no more, so the report stays small with many steps.
 */
export interface ToolIntervalSample {
  requests: number;
  errors: number;
  /** Success p99 of the step in the interval, as the timeline's; 0 with no success. */
  p99_ms: number;
}

/** What each `[[stage]]` asked for and what it achieved. */
export interface StageReport {
  /** 1-based. */
  index: number;
  /** Closed model; null for a target_rate stage. */
  target_vus: number | null;
  duration_secs: number;
  /** The VU level the stage ramps from (the previous stage's target; 0 for the first). */
  start_vus: number | null;
  /** Open model: the rate the stage ramps to and from (steps/s); null for a target_vus stage. */
  target_rate: number | null;
  start_rate: number | null;
  started_at_secs: number;
  /** Seconds the stage actually ran (shorter when the run ended early). */
  ran_secs: number;
  /** Most VUs active at once during the stage. */
  peak_active_vus: number;
  requests: number;
  errors: number;
  error_rate: number;
  throughput_rps: number;
  /** Success latency over the stage, uncorrected. */
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  completed: boolean;
}

export type ThresholdMetric =
  'p50_ms' | 'p95_ms' | 'p99_ms' | 'error_rate' | 'min_throughput_rps' | 'breaking_point';

/** One evaluated threshold (`[thresholds]`, CLI flags or action inputs). */
export interface ThresholdResult {
  metric: ThresholdMetric;
  /** null for the whole run, else the per_tool key (tool name, resource URI or prompt name). */
  scope: string | null;
  /** The limit: a maximum, except min_throughput_rps (a minimum); 0 for breaking_point. */
  limit: number;
  /** null when nothing was measured (e.g. no success for a latency threshold). */
  observed: number | null;
  passed: boolean;
}

export type ComparedMetric = 'throughput_rps' | 'error_rate' | 'p50_ms' | 'p95_ms' | 'p99_ms';

/** One figure of one scope, baseline against this run (README "Comparing runs"). */
export interface ComparisonRow {
  metric: ComparedMetric;
  /** null for the whole run, else the per_tool key. */
  scope: string | null;
  /** The baseline's figure; null when it measured none (no success for a latency). */
  base: number | null;
  head: number | null;
  /** head − base, in the metric's unit (ms, requests/s, or error-rate points). */
  delta: number | null;
  /** head / base − 1; null when the base is 0 or either side is null. */
  change_ratio: number | null;
  /**
   * The limit that gates this row: max_p99_regression (p99_ms), max_error_rate_increase
   * (error_rate), min_throughput_ratio (throughput_rps); null for rows shown but not gated.
   */
  limit: number | null;
  /** True when the change goes beyond the limit (in the worse direction). */
  beyond_limit: boolean;
  /**
   * One-sided Mann–Whitney U p-value that this run is worse, on the timeline samples of the row's
   * scope (a step's own part of each interval, timeline[].per_tool, which has no p50 or p95: null
   * for a step's p50 and p95 rows; the whole run's samples when either report has no per-tool
   * figures); null when untestable.
   */
  p_value: number | null;
  /** p_value <= the comparison's alpha. */
  significant: boolean;
  /** beyond_limit and significant: the row fails the gate. */
  regressed: boolean;
}

/** This run compared with a baseline report (`run --baseline`, `compare`). */
export interface Comparison {
  baseline: {
    /** The baseline report file as given on the command line, or null. */
    source: string | null;
    timestamp: string;
    target_url: string;
    tool_version: string;
  };
  /** Present in paired A/B mode (`run --baseline-url`): both targets measured in this run. */
  paired?: PairedComparison;
  method: 'mann_whitney_u';
  /** Significance level of the one-sided test. */
  alpha: number;
  /** Timeline samples each test used: full-length intervals only. */
  samples: { base: number; head: number };
  /** Steps measured by only one of the two runs: listed, never compared. */
  only_in_base: string[];
  only_in_head: string[];
  /** Why a verdict may be weaker than it looks (different scenarios, too few samples). */
  warnings: string[];
  rows: ComparisonRow[];
  /** True when any row regressed. */
  regressed: boolean;
}

/**
 * Paired A/B mode: the baseline target and this run's target measured in alternating rounds of
 * the same config, same seed per pair (README "Paired A/B runs").
 */
export interface PairedComparison {
  /** Rounds each target ran. */
  rounds: number;
  /** Planned seconds of load in each round. */
  round_secs: number;
  /** The order the rounds ran in: A the baseline target, B this run's ("ABBAABBA"). */
  order: string;
}

export interface SseLinger {
  streams: number;
  cut: number;
  total_ms: number;
  mean_ms: number;
  max_ms: number;
}

export type LoadModel = 'closed' | 'open';
export type ExecutorName =
  'constant-vus' | 'ramping-vus' | 'constant-arrival-rate' | 'ramping-arrival-rate';

/** Streamable HTTP (2025-03-26 on), the legacy HTTP+SSE transport (2024-11-05), or stdio. */
export type ReportTransport = 'streamable-http' | 'sse' | 'stdio';

/** `metrics.generator`: how the load generator itself kept up. */
export interface GeneratorReport {
  event_loop_delay_p99_ms: number;
  event_loop_delay_max_ms: number;
  /** Open model only. */
  schedule_lag_p99_ms: number | null;
  schedule_lag_max_ms: number | null;
  /** Latency figures include the generator's own delays: they overstate the server's. */
  saturated: boolean;
  /** Requests and handshakes that failed on this process's own limits (EMFILE …). */
  local_limit_errors: number;
}

/**
 * `histograms`: the distributions behind the report's latency figures, so reports merge exactly
 * (`mcp-loadtest merge`). Each value is one HdrHistogram in hdr-histogram-js's compressed base64
 * encoding (`encodeIntoCompressedBase64`), recorded in integer microseconds (3 significant
 * figures).
 *
 * Correction rule: the closed model stores RAW (uncorrected) success histograms and
 * `correction_interval_us`; `metrics.latency` (and per_tool[k].latency, operation_latency) are
 * those histograms with coordinated-omission correction applied at that interval. Correction does
 * not commute with addition, so a merge adds the raw histograms and then corrects the sum. The
 * open model needs no correction (`correction_interval_us` null): `latency` is measured from each
 * step's scheduled start, `latency_uncorrected` from its send.
 */
export interface ReportHistograms {
  encoding: 'hdr-histogram-compressed-base64';
  /** Closed model: the expected interval to correct `latency` with; null in the open model. */
  correction_interval_us: number | null;
  /** Success latency behind metrics.latency (closed model: raw, see above). */
  latency: string;
  /** Success latency from the send, uncorrected (metrics.latency_uncorrected). */
  latency_uncorrected: string;
  /** Error latency (metrics.latency.error_pXX_ms). */
  error_latency: string;
  /** initialize latency (handshake.latency). */
  handshake_latency: string;
  /**
   * Per per_tool key (a null-prototype object: the keys are server-chosen names).
   * `latency_uncorrected` only in the open model: in the closed model it equals `latency` (raw).
   */
  per_tool: Record<string, { latency: string; latency_uncorrected?: string }>;
  /** One per timeline sample, same order: the interval's success latency (what the detector saw). */
  timeline: string[];
}

/** `run --shard I/N`: this report is the I-th (1-based) of N parts of one load. */
export interface ShardInfo {
  index: number;
  count: number;
}

export interface Report {
  schema_version: typeof REPORT_SCHEMA_VERSION;
  /** ISO-8601 UTC time the run ended (the report was built). */
  timestamp: string;
  target_url: string;
  /** Wall-clock run time, handshakes and drain included. */
  duration_secs: number;
  config: {
    virtual_users: number;
    duration_secs: number;
    timeout_ms: number;
    expected_interval_ms: number;
    request_interval_ms: number;
    max_response_bytes: number;
    /** --iterations, or null when the run is bounded by duration only. */
    iterations: number | null;
    /** The seed of the weighted step choice; rerun with --seed to get the same mix. */
    seed: number;
    /** Header names only: every value is "[redacted]". */
    headers: Record<string, string>;
    scenario: ScenarioStepReport[];
    /** target_vus stages (closed model) or target_rate stages (open model). */
    stages: (
      { target_vus: number; duration_secs: number } | { target_rate: number; duration_secs: number }
    )[];
    config_path: string | null;
    stop_on_breaking_point: boolean;
    model: LoadModel;
    executor: ExecutorName;
    /** Open model: steps per second (the ramp's start rate when staged); null when closed. */
    arrival_rate: number | null;
    max_vus: number | null;
    /** How the client reached the server; absent in reports before it was added. */
    transport?: ReportTransport;
  };
  /** Present on a shard's report; `config` is then the whole load, not the shard's part. */
  shard?: ShardInfo;
  /** Present on a merged report: how many shard reports it adds up. */
  merged_shards?: number;
  /** Absent only in reports of older versions (they cannot be merged). */
  histograms?: ReportHistograms;
  metrics: {
    /** Real requests sent (successes + errors); coordinated-omission fill-ins are never counted. */
    total_requests: number;
    success_count: number;
    error_count: number;
    error_rate: number;
    /**
     * What the error_rate threshold checks, so VUs that never got a session count against the
     * gate: the larger of (error_count + failed handshakes) / (total_requests + failed
     * handshakes) and handshake.vus_without_session / handshake.vus_started.
     */
    gate_error_rate: number;
    /** total_requests / duration_secs: the summary's total, elapsed and throughput agree. */
    throughput_rps: number;
    /** total_requests / active_duration_secs. */
    active_throughput_rps: number;
    /** From the first scenario request sent to the last one finished (handshakes excluded). */
    active_duration_secs: number;
    /** Open model: scheduled steps that did not run (no free session at max_vus). */
    dropped_iterations: number;
    generator: GeneratorReport;
    /** Requests still unanswered when a hard stop ended the run; not in total_requests. */
    in_flight_at_stop: number;
    /**
     * Success latency plus error latency percentiles: closed model coordinated-omission corrected;
     * open model from each step's scheduled start (what users saw).
     */
    latency: OverallLatency;
    /** Success latency from the actual send, without coordinated-omission fill-ins. */
    latency_uncorrected: LatencyStats;
    operation_counts: Partial<Record<OperationType, number>>;
    operation_errors: Partial<Record<OperationType, number>>;
    /** Success latency per operation type (corrected). */
    operation_latency: Partial<Record<OperationType, LatencyStats>>;
  };
  errors: ErrorCounts;
  /** The first message seen for each error kind that occurred (sanitised, at most 300 chars). */
  error_samples: Partial<Record<ErrorKind, string>>;
  per_tool: Record<string, PerKeyMetrics>;
  breaking_point: BreakingPoint;
  /** One entry per 2 s sample interval, in order. */
  timeline: TimelineSample[];
  /** One entry per [[stage]]; empty for a flat run. */
  stages: StageReport[];
  /** Every evaluated threshold; empty when none was set. */
  thresholds: ThresholdResult[];
  /** False when any threshold failed (true when none was set). */
  thresholds_passed: boolean;
  /** Present when the run was compared with a baseline report (`run --baseline`). */
  comparison?: Comparison;
  tool: { name: 'mcp-loadtest'; version: string };
  started_at: string;
  completed: boolean;
  stop_reason: StopReason;
  protocol: {
    /** The negotiated MCP protocol version, null when no session was established. */
    version: string | null;
    server_info: { name: string; version: string; title?: string } | null;
    /** How many responses arrived as application/json and as text/event-stream. */
    response_types: { json: number; sse: number };
    /** modern: 2026-07-28, stateless (no handshake, no session); legacy: 2025 era. */
    era?: 'modern' | 'legacy';
    /** `auto` or the pinned revision. */
    selection?: string;
    /** `config.transport` was detected (protocol auto, none set), not configured. */
    transport_detected?: boolean;
    /** input_required rounds answered and retried (2026-07-28). */
    input_rounds?: number;
    /** Task results polled to completion, and the tasks/get polls sent. */
    tasks?: number;
    task_polls?: number;
    /** Requests refused mid-run with -32022 and sent once more under a listed version. */
    version_retries?: number;
    /** Server requests (2025 era) answered from [client] and refused for want of an answer. */
    server_requests?: {
      answered: Record<string, number>;
      unanswered: Record<string, number>;
    };
    /**
     * How long SSE responses stayed open after the event carrying the response (the VU waits for
     * it); `cut` streams were still open after 250 ms. Absent in reports before it was added.
     */
    sse_linger?: SseLinger;
    /** A same-origin 307/308 to initialize that was followed; null when none. */
    redirect?: { status: 307 | 308; from: string; to: string } | null;
  };
  handshake: {
    /** initialize attempts, first ones and re-initializations. */
    attempts: number;
    success_count: number;
    error_count: number;
    sessions_created: number;
    reinitializations: number;
    sessions_closed: number;
    /** VUs retired because they could not (re-)initialize and replaced by new ones (staged runs). */
    vus_replaced: number;
    /** Most VUs with a working session at once. */
    peak_vus: number;
    /** VUs (open model: sessions) started, replacements included. */
    vus_started: number;
    /** VUs that never established a session. */
    vus_without_session: number;
    latency: LatencyStats;
    errors: ErrorCounts;
    /** The first message seen per kind of handshake error. */
    error_samples: Partial<Record<ErrorKind, string>>;
  };
}
