/**
 * Runs one load test end to end for the CLI: engine, live progress, signals, report, summary.
 *
 * Ending contract: whatever ends the run (duration, --iterations, Ctrl+C, SIGTERM, no session,
 * the breaking point), the thresholds are evaluated into the report, the report is validated and
 * written, then the summary is printed, then one stderr line per failed threshold, and only then
 * the verdict (exit code): a breached threshold is a result, not an exception. A first signal stops
 * gracefully (in-flight requests drain within timeout_ms); a second one writes the report with
 * what was measured so far and exits at once.
 */
import { randomInt } from 'node:crypto';
import { relative } from 'node:path';
import type { LoadConfig } from '../config/types.js';
import { LoadRun, type RunResult } from '../engine/load-run.js';
import { EXIT, LoadtestError } from '../errors.js';
import {
  applyThresholds,
  mergeThresholds,
  type ThresholdOverrides,
} from '../metrics/thresholds.js';
import type { Target } from '../protocol/target.js';
import { buildReport } from '../report/build-report.js';
import type { Report } from '../report/types.js';
import {
  assertReportWritable,
  defaultReportPath,
  REPORT_TO_STDOUT,
  writeReportAtomic,
} from '../report/write-report.js';
import { renderSummary } from '../render/summary.js';
import { describeFailedThreshold } from '../render/threshold-lines.js';
import { colorEnabled, diag, type Output } from './output.js';
import { ProgressPrinter } from './progress-printer.js';

export interface RunParams {
  target: Target;
  config: LoadConfig;
  vus: number;
  durationSecs: number;
  iterations: number | null;
  seed: number | undefined;
  /** undefined → default path under .pmcp/reports; null → --no-report; '-' → stdout. */
  reportPath: string | null | undefined;
  /** The project whose `.pmcp/reports/` holds the default report: the found config's, or cwd. */
  projectDir?: string;
  noColor: boolean;
  quiet: boolean;
  /** Threshold flags; they override the config's overall [thresholds] limits. */
  thresholds?: ThresholdOverrides;
}

export interface Signals {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface RunOutcome {
  report: Report;
  reportPath: string | null;
  exitCode: number;
}

export async function executeRun(
  params: RunParams,
  out: Output,
  signals: Signals,
  exit: (code: number) => void,
): Promise<RunOutcome> {
  const seed = params.seed ?? randomInt(0, 2 ** 31);
  const color = colorEnabled(out, params.noColor);
  const progress = params.quiet
    ? null
    : new ProgressPrinter(
        out,
        { iterationsTotal: params.iterations },
        color && out.stderr.isTTY === true,
      );
  const run = new LoadRun({
    target: params.target,
    config: params.config,
    vus: params.vus,
    durationSecs: params.durationSecs,
    iterations: params.iterations,
    seed,
    onTick: progress === null ? undefined : (tick) => progress.onTick(tick, run.metrics),
    onBreakingPoint: (bp) => {
      const line = `warning: breaking point detected at ${bp.vus} VUs (${bp.reason}: ${bp.detail})${bp.stoppedRun ? '; stopping (stop_on_breaking_point)' : ''}`;
      if (progress === null) diag(out, line);
      else progress.note(line);
    },
  });
  if (run.schedule !== null) {
    // The chapter's warning: with stages, the flat settings do not apply.
    diag(
      out,
      `note: ${run.schedule.stages.length} [[stage]] blocks: settings.virtual_users and settings.duration_secs are ignored; the run lasts ${run.totalSecs}s, up to ${run.plannedVus} VUs`,
    );
  }

  const reportPath =
    params.reportPath === null
      ? null
      : (params.reportPath ?? defaultReportPath(params.projectDir ?? out.cwd, new Date()));
  // Before any load: a run must not end in "cannot write report".
  if (reportPath !== null) assertReportWritable(reportPath);
  const thresholds = mergeThresholds(params.config.thresholds, params.thresholds ?? {});
  const finalize = (result: RunResult): Report => {
    const report = buildReport({
      result,
      config: params.config,
      url: params.target.url,
      iterations: params.iterations,
      seed,
      headerNames: params.target.userHeaderNames,
      redirect: params.target.learnt.redirect,
    });
    applyThresholds(report, thresholds);
    // A failed write is held, not thrown: the summary is still printed, then the error decides
    // the exit code (EXIT.reportWrite), whatever ended the run.
    if (reportPath !== null) {
      try {
        writeReportAtomic(reportPath, report);
      } catch (error) {
        if (!(error instanceof LoadtestError)) throw error;
        reportError = error;
      }
    }
    return report;
  };
  let reportError: LoadtestError | undefined;
  // `--report -` puts the JSON on stdout: the summary moves to stderr so the two never mix.
  const summaryOut = reportPath === REPORT_TO_STDOUT ? out.stderr : out.stdout;

  let signalled = 0;
  const onSignal = (): void => {
    signalled++;
    progress?.clear();
    if (signalled === 1) {
      diag(
        out,
        `stopping: draining requests in flight (up to ${params.config.settings.timeoutMs} ms); press Ctrl+C again to quit now`,
      );
      run.stop('interrupted');
      return;
    }
    finalize(run.hardStop());
    if (reportError !== undefined) {
      diag(out, `error: ${reportError.message}`);
      exit(reportError.exitCode);
      return;
    }
    if (reportPath !== null) diag(out, `report (partial): ${displayPath(out, reportPath)}`);
    exit(EXIT.interrupted);
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);

  let result: RunResult;
  try {
    result = await run.start().done;
  } finally {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
    progress?.clear();
  }
  const report = finalize(result);
  // A pty with no window size (docker -t, `script`) reports 0 columns: unknown, so 80.
  const width = summaryOut.columns || undefined;
  summaryOut.write(renderSummary(report, { color, width }) + '\n');
  if (reportPath !== null && reportError === undefined) {
    diag(out, `report: ${displayPath(out, reportPath)}`);
  }
  for (const failed of report.thresholds.filter((t) => !t.passed)) {
    diag(out, `threshold failed: ${describeFailedThreshold(failed)}`);
  }

  // Precedence (README "Exit codes"): report not written 4 > interrupted 130 > no session 3 >
  // thresholds 1 > ok 0. A lost report comes first: nothing downstream can see the results. The
  // next two say the run itself is incomplete, which matters more than how it scored.
  if (reportError !== undefined) throw reportError;
  if (result.stopReason === 'no_session') {
    throw new LoadtestError(
      'NO_SESSION',
      `no virtual user could initialize a session with ${params.target.url}: ${result.noSessionDetail ?? 'unknown cause'}`,
      { exitCode: EXIT.noSession },
    );
  }
  return {
    report,
    reportPath,
    exitCode:
      result.stopReason === 'interrupted'
        ? EXIT.interrupted
        : report.thresholds_passed
          ? EXIT.ok
          : EXIT.thresholds,
  };
}

function displayPath(out: Output, path: string): string {
  if (path === REPORT_TO_STDOUT) return 'standard output';
  const rel = relative(out.cwd, path);
  return rel.startsWith('..') ? path : rel;
}
