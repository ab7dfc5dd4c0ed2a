/**
 * The one run pipeline: target + config + overrides → engine → thresholds → report (validated,
 * written) → verdict. The CLI, the action and the tests all call `runTest`; none of them
 * orchestrates a run itself.
 *
 * Ending contract: whatever ends the run (duration, --iterations, a signal, no session, the
 * breaking point), the thresholds are evaluated on the run's metrics (gate/run-figures.ts), the
 * report is built with their results, validated and written before the verdict is returned: a
 * breached threshold is a result, not an exception.
 * Signals: the first SIGINT/SIGTERM stops gracefully (requests in flight drain within
 * timeout_ms); a second one stops at once with what was measured so far (`hardStopped`).
 * Progress: every tick on a live terminal, every PLAIN_EVERY_SECS otherwise (CI logs).
 */
import type { LoadConfig } from '../config/types.js';
import { modelOf, type LoadPlan } from '../engine/load-plan.js';
import {
  LoadRun,
  type BreakingPointResult,
  type RunResult,
  type RunTick,
} from '../engine/load-run.js';
import { WorkerFleet } from '../engine/worker-fleet.js';
import { compareWithBaseline, type Baseline } from '../gate/baseline.js';
import { runFigures } from '../gate/run-figures.js';
import {
  evaluateThresholds,
  mergeThresholds,
  type ThresholdOverrides,
} from '../gate/thresholds.js';
import { detectProtocol } from '../protocol/detect-protocol.js';
import { LoadtestError } from '../errors.js';
import type { TransportKind } from '../protocol/mcp-vocabulary.js';
import type { Target } from '../protocol/target.js';
import { buildReport } from '../report/build-report.js';
import type { Report } from '../report/types.js';
import { assertFileWritable, writeFileAtomic } from '../report/write-file-atomic.js';
import { assertReportWritable, writeReportAtomic } from '../report/write-report.js';
import { renderJunit } from '../render/junit.js';
import { resolvePlan, type Misuse, type PlanOverrides } from './resolve-plan.js';
import { shardPlan } from './shard-plan.js';
import { stdioPool } from './stdio-run.js';
import type { StdioCommand } from '../protocol/stdio-command.js';
import { workerCount, workerPlans } from './worker-plans.js';

export type Verdict = 'passed' | 'failed' | 'interrupted' | 'no_session';

export interface Signals {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** Where live progress goes. */
export interface ProgressSink {
  /** A terminal redrawn in place: every tick. Otherwise a line every PLAIN_EVERY_SECS. */
  readonly live: boolean;
  update(tick: RunTick): void;
  /** A line that must stay in the log (breaking point, stopping). */
  note(line: string): void;
  /** Clears the in-place line before anything else is printed. */
  clear(): void;
}

export interface RunTestParams {
  target: Target;
  config: LoadConfig;
  overrides: PlanOverrides;
  misuse: Misuse;
  thresholds?: ThresholdOverrides;
  /** Where to write the report; null for none. */
  reportPath: string | null;
  /** An earlier run to compare with (README "Comparing runs"); a regression fails the verdict. */
  baseline?: Baseline;
  /** Where to write the gate as JUnit XML (README "JUnit XML"), after the report. */
  junitPath?: string;
  /** Replaces the plain atomic write (the action reads the file back and validates it). */
  writeReport?: (path: string, report: Report) => Report;
  signals?: Signals;
  progress?: ProgressSink;
  /** Observes the engine once started, on one thread (tests read its live metrics). */
  onStart?: (run: LoadRun) => void;
  /**
   * `auto` or a pinned MCP revision: the era is decided once, before any VU (detectProtocol).
   * Absent: no detection, the connections speak the 2025 era as before.
   */
  protocol?: string;
  /** stdio: the server command (`run -- COMMAND`); the target is then its stdioTarget. */
  stdio?: StdioCommand;
  /**
   * `streamable-http` or `sse` (`--transport`, else `[settings] transport`); absent: Streamable
   * HTTP, or HTTP+SSE when `auto` detects it.
   */
  transport?: TransportKind;
}

export interface RunTestOutcome {
  report: Report;
  verdict: Verdict;
  result: RunResult;
  /** What this process ran: the whole plan, or its shard's part of it. */
  plan: LoadPlan;
  reportPath: string | null;
  /** A second signal ended the run at once: the caller should exit now. */
  hardStopped: boolean;
  /**
   * The report could not be written (full disk, closed pipe): nothing partial was left; the
   * caller reports it after the summary (EXIT.reportWrite). Always null with `writeReport`,
   * whose errors are thrown.
   */
  reportError: LoadtestError | null;
}

const PLAIN_EVERY_SECS = 5;

/** The plan of a run, with its config-level notes, before anything is sent. */
export function planRun(params: Pick<RunTestParams, 'config' | 'overrides' | 'misuse'>): LoadPlan {
  return resolvePlan(params.config, params.overrides, params.misuse);
}

export async function runTest(params: RunTestParams): Promise<RunTestOutcome> {
  const fullPlan = planRun(params);
  const shard = params.overrides.shard;
  const plan = shard === undefined ? fullPlan : shardPlan(fullPlan, shard, params.misuse);
  assertOutputsWritable(params);
  const measured = await measureRun(params, fullPlan, plan);
  if (params.baseline !== undefined) {
    measured.report.comparison = compareWithBaseline(
      measured.report,
      params.baseline,
      params.config.thresholds,
    );
  }
  return publishRun(params, measured);
}

/** Before any load: a run must not end in "cannot write report". */
export function assertOutputsWritable(
  params: Pick<RunTestParams, 'reportPath' | 'junitPath'>,
): void {
  if (params.reportPath !== null) assertReportWritable(params.reportPath);
  if (params.junitPath !== undefined) {
    assertFileWritable(params.junitPath, 'JUnit XML', 'pass --junit with a writable path');
  }
}

/** One run of the engine, built into a report with its thresholds applied; nothing written yet. */
export interface MeasuredRun {
  report: Report;
  result: RunResult;
  /** What this process ran: the whole plan, or its shard's part of it. */
  plan: LoadPlan;
  hardStopped: boolean;
}

/**
 * Runs `params.target` under `plan` (`fullPlan`, or its shard's part with --shard) and builds the
 * report: era detection, engine, signals, progress, report, thresholds. The paired A/B mode
 * (paired-run.ts) calls it once per round.
 */
export async function measureRun(
  params: RunTestParams,
  fullPlan: LoadPlan,
  plan: LoadPlan,
): Promise<MeasuredRun> {
  const { config, progress } = params;
  const shard = params.overrides.shard;
  const note = (line: string): void => progress?.note(line);
  // 2026-07-28 "Versioning": the era is a property of the server, decided once per run.
  const transport = params.transport ?? config.settings.transport ?? undefined;
  // stdio: the processes are started with the run and stopped in its `finally`.
  const pool =
    params.stdio === undefined
      ? undefined
      : stdioPool(params.stdio, config, params.protocol, params.reportPath, transport);
  const protocol =
    pool !== undefined
      ? pool.profile
      : params.protocol === undefined && transport === undefined
        ? undefined
        : await detectProtocol(params.target, {
            setting: params.protocol ?? 'auto',
            answers: config.client,
            timeoutMs: config.settings.timeoutMs,
            maxResponseBytes: config.settings.maxResponseBytes,
            ...(transport === undefined ? {} : { transport }),
          });
  let lastPlainSecs = 0;
  const runOptions = {
    protocol,
    ...(pool === undefined ? {} : { transports: pool }),
    target: params.target,
    config,
    plan,
    onTick: (tick: RunTick): void => {
      if (progress === undefined) return;
      if (!progress.live) {
        if (tick.elapsedSecs - lastPlainSecs < PLAIN_EVERY_SECS - 0.5) return;
        lastPlainSecs = tick.elapsedSecs;
      }
      progress.update(tick);
    },
    onBreakingPoint: (bp: BreakingPointResult): void => note(breakingPointNote(bp)),
  };
  const requested = params.overrides.workers;
  const workers = requested === undefined ? 1 : workerCount(plan, requested, params.misuse);
  const run =
    workers > 1
      ? new WorkerFleet({ ...runOptions, parts: workerPlans(plan, workers, params.misuse) })
      : new LoadRun(runOptions);
  if (requested !== undefined) {
    note(
      `note: ${workers === 1 ? 'one thread' : `${workers} worker threads`} (--workers ${requested})`,
    );
  }
  const staged = config.stages.length + config.rateStages.length;
  if (staged > 0) {
    const shape =
      modelOf(plan.executor) === 'open'
        ? `from ${plan.ratePerSec} to ${run.executor.peakRate} steps/s at the peak, up to ${run.plannedVus} sessions`
        : `up to ${run.plannedVus} VUs`;
    const ignored =
      modelOf(plan.executor) === 'open'
        ? 'settings.duration_secs is'
        : 'settings.virtual_users and settings.duration_secs are';
    note(
      `note: ${staged} [[stage]] blocks: ${ignored} ignored; the run lasts ${run.totalSecs}s, ${shape}`,
    );
  }

  const signals = params.signals ?? process;
  let signalled = 0;
  let hardStopped = false;
  let ended = false;
  const onSignal = (): void => {
    if (ended) return; // stopping the server processes: this signal is already being obeyed
    signalled++;
    progress?.clear();
    if (signalled === 1) {
      note(
        `stopping: draining requests in flight (up to ${config.settings.timeoutMs} ms); press Ctrl+C again to quit now`,
      );
      run.stop('interrupted');
      return;
    }
    hardStopped = true;
    run.hardStop();
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  let result: RunResult;
  try {
    pool?.start();
    run.start();
    if (run instanceof LoadRun) params.onStart?.(run);
    result = await run.done;
  } finally {
    // Before the handlers go: a Ctrl+C now must not kill us before the server processes.
    ended = true;
    await pool?.stop();
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
    progress?.clear();
  }

  // The gate judges the run's metrics; the report then states the same figures and the results.
  const figures = runFigures(result, config.settings.expectedIntervalMs);
  const thresholds = mergeThresholds(config.thresholds, params.thresholds ?? {});
  const built = buildReport({
    result,
    config,
    url: params.target.url,
    iterations: fullPlan.iterations,
    seed: fullPlan.seed,
    headerNames: params.target.userHeaderNames,
    protocol,
    ...(protocol === undefined ? {} : { transport: protocol.transport }),
    redirect: params.target.learnt.redirect,
    ...(pool === undefined
      ? {}
      : {
          transport: 'stdio' as const,
          stdio: {
            processes: pool.processes.length,
            restarts: pool.restarts,
            stderrLog: pool.log.path,
          },
        }),
    ...(shard === undefined ? {} : { shard: { info: { ...shard }, fullPlan } }),
    figures,
    thresholds: evaluateThresholds(figures, thresholds),
  });
  return { report: built, result, plan, hardStopped };
}

/**
 * Writes the report (complete or absent) and the JUnit XML, then gives the verdict: the gate's
 * evidence is on disk before anything is judged.
 */
export function publishRun(params: RunTestParams, measured: MeasuredRun): RunTestOutcome {
  const built = measured.report;
  let report = built;
  let reportError: LoadtestError | null = null;
  if (params.reportPath !== null) {
    if (params.writeReport !== undefined) {
      report = params.writeReport(params.reportPath, built);
    } else {
      // Held, not thrown: the caller still prints the summary, then fails with it (exit 4).
      try {
        writeReportAtomic(params.reportPath, built);
      } catch (error) {
        if (!(error instanceof LoadtestError)) throw error;
        reportError = error;
      }
    }
  }
  if (params.junitPath !== undefined) {
    writeFileAtomic(params.junitPath, renderJunit(report), 'JUnit XML');
  }
  return {
    report,
    verdict: verdictOf(measured.result, report),
    result: measured.result,
    plan: measured.plan,
    reportPath: params.reportPath,
    hardStopped: measured.hardStopped,
    reportError,
  };
}

/**
 * Precedence (README "Exit codes"): interrupted > no session > thresholds or regression > passed.
 * The first two say the run itself is incomplete, which matters more than how it scored.
 */
export function verdictOf(result: RunResult, report: Report): Verdict {
  if (result.stopReason === 'interrupted') return 'interrupted';
  if (result.stopReason === 'no_session') return 'no_session';
  return report.thresholds_passed && report.comparison?.regressed !== true ? 'passed' : 'failed';
}

function breakingPointNote(bp: BreakingPointResult): string {
  const at =
    bp.rate === null ? `${bp.vus} VUs` : `${formatRate(bp.rate)} steps/s (${bp.vus} sessions)`;
  const stopping = bp.stoppedRun ? '; stopping (stop_on_breaking_point)' : '';
  const ours = bp.generatorSaturated ? ' [the load generator was saturated: maybe its limit]' : '';
  return `warning: breaking point detected at ${at} (${bp.reason}: ${bp.detail})${ours}${stopping}`;
}

function formatRate(rate: number): string {
  return rate >= 100 ? String(Math.round(rate)) : String(Math.round(rate * 10) / 10);
}
