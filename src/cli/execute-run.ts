/**
 * `run` and `demo` on a terminal: the run pipeline (src/pipeline/run-test.ts) with live progress
 * on stderr, then the summary on stdout, one stderr line per failed threshold and per regression
 * against the baseline, and the exit code.
 * The order is the pipeline's contract: the report is written before anything is judged.
 */
import { randomInt } from 'node:crypto';
import { relative } from 'node:path';
import type { LoadConfig } from '../config/types.js';
import { EXIT, LoadtestError } from '../errors.js';
import type { Baseline } from '../gate/baseline.js';
import type { ThresholdOverrides } from '../gate/thresholds.js';
import type { PlanOverrides, PlanKey } from '../pipeline/resolve-plan.js';
import { runPaired } from '../pipeline/paired-run.js';
import {
  runTest,
  type ProgressSink,
  type RunTestOutcome,
  type RunTestParams,
  type Signals,
} from '../pipeline/run-test.js';
import type { StdioCommand } from '../protocol/stdio-command.js';
import type { TransportKind } from '../protocol/mcp-vocabulary.js';
import type { Target } from '../protocol/target.js';
import type { Report } from '../report/types.js';
import { defaultReportPath, REPORT_TO_STDOUT } from '../report/write-report.js';
import { describeRegressions } from '../render/comparison-table.js';
import { renderHtmlReport } from '../render/html/html-report.js';
import { renderSummary } from '../render/summary.js';
import { assertFileWritable, writeFileAtomic } from '../report/write-file-atomic.js';
import { describeFailedThreshold } from '../render/threshold-lines.js';
import { colorEnabled, diag, type Output } from './output.js';
import { ProgressPrinter } from './progress-printer.js';
import { waitUntil } from './shard-options.js';

export type { Signals } from '../pipeline/run-test.js';

export interface RunParams {
  target: Target;
  config: LoadConfig;
  /** Flag overrides; the seed is random when not given. */
  overrides: Omit<PlanOverrides, 'seed'> & { seed?: number };
  /** undefined → default path under .pmcp/reports; null → --no-report; '-' → stdout. */
  reportPath: string | null | undefined;
  /** The project whose `.pmcp/reports/` holds the default report: the found config's, or cwd. */
  projectDir?: string;
  /** --html: also write the self-contained HTML report there; null or absent for none. */
  htmlPath?: string | null;
  noColor: boolean;
  quiet: boolean;
  /** Threshold flags; they override the config's overall [thresholds] limits. */
  thresholds?: ThresholdOverrides;
  /** --baseline: the earlier report this run is compared with; a regression exits 1. */
  baseline?: Baseline;
  /** --baseline-url: paired A/B mode against this target (pipeline/paired-run.ts). */
  paired?: { target: Target; rounds: number; maxRegression: number | undefined };
  /** --junit PATH: the gate as JUnit XML. */
  junitPath?: string;
  /** The command, for usage errors ("run: --vus ..."). */
  command?: string;
  /** `--start-at`: epoch ms to wait for before starting (shards begin together). */
  startAtMs?: number;
  /** `--protocol`, else `[settings] protocol`: the era is detected (or checked) before the run. */
  protocol?: string;
  /** `run -- COMMAND`: the stdio server to start (target is its stdioTarget). */
  stdio?: StdioCommand;
  /** `--transport` (else `[settings] transport`, read by the pipeline). */
  transport?: TransportKind;
}

export interface RunOutcome {
  report: Report;
  reportPath: string | null;
  exitCode: number;
}

const FLAGS: Record<PlanKey, string> = {
  vus: '--vus',
  duration: '--duration',
  rate: '--rate',
  'max-vus': '--max-vus',
  shard: '--shard',
  workers: '--workers',
  'baseline-url': '--baseline-url',
  rounds: '--rounds',
};

/** What to do about a misused flag, per flag. */
const FIX: Record<PlanKey, string> = {
  vus: '; edit them, or remove them to run flat load',
  duration: '; edit them, or remove them to run flat load',
  rate: '; edit them, or remove them to run flat load',
  'max-vus': '; add --rate N, or drop --max-vus',
  shard: '',
  workers: '',
  'baseline-url': '',
  rounds: '',
};

export async function executeRun(
  params: RunParams,
  out: Output,
  signals: Signals,
  exit: (code: number) => void,
): Promise<RunOutcome> {
  const command = params.command ?? 'run';
  const color = colorEnabled(out, params.noColor);
  const progress = params.quiet
    ? undefined
    : new ProgressPrinter(
        out,
        { iterationsTotal: params.overrides.iterations ?? null },
        color && out.stderr.isTTY === true,
      );
  const reportPath =
    params.reportPath === null
      ? null
      : (params.reportPath ?? defaultReportPath(params.projectDir ?? out.cwd, new Date()));
  // Before any load, as the pipeline does for the report: a run must not end in "cannot write".
  const htmlPath = params.htmlPath ?? null;
  if (htmlPath !== null) assertFileWritable(htmlPath, 'HTML report', 'pass --html a writable path');
  if (params.startAtMs !== undefined) {
    await waitUntil(command, params.startAtMs, signals, (line) => diag(out, line));
  }
  const runParams: RunTestParams = {
    target: params.target,
    config: params.config,
    overrides: { ...params.overrides, seed: params.overrides.seed ?? randomInt(0, 2 ** 31) },
    misuse: (key, what) =>
      new LoadtestError('USAGE', `${command}: ${FLAGS[key]} ${what}${FIX[key]}`),
    thresholds: params.thresholds,
    baseline: params.baseline,
    junitPath: params.junitPath,
    protocol: params.protocol,
    ...(params.stdio === undefined ? {} : { stdio: params.stdio }),
    transport: params.transport,
    reportPath,
    signals,
    progress: progress ?? quietNotes(out),
  };
  const outcome: RunTestOutcome =
    params.paired === undefined
      ? await runTest(runParams)
      : await runPaired({
          ...runParams,
          baseTarget: params.paired.target,
          rounds: params.paired.rounds,
          maxRegression: params.paired.maxRegression,
        });
  const { report, reportError } = outcome;
  // Held like the report's: the summary is printed first, then the error decides the exit code.
  let htmlError: LoadtestError | null = null;
  if (htmlPath !== null) {
    try {
      writeFileAtomic(htmlPath, renderHtmlReport(report), 'HTML report');
    } catch (error) {
      if (!(error instanceof LoadtestError)) throw error;
      htmlError = error;
    }
  }
  const writeError = reportError ?? htmlError;
  if (outcome.hardStopped) {
    if (writeError !== null) {
      diag(out, `error: ${writeError.message}`);
      exit(writeError.exitCode);
    } else {
      if (reportPath !== null) diag(out, `report (partial): ${displayPath(out, reportPath)}`);
      exit(EXIT.interrupted);
    }
  }
  // `--report -` puts the JSON on stdout: the summary moves to stderr so the two never mix.
  const summaryOut = reportPath === REPORT_TO_STDOUT ? out.stderr : out.stdout;
  // A pty with no window size (docker -t, `script`) reports 0 columns: unknown, so 80.
  const width = summaryOut.columns || undefined;
  summaryOut.write(renderSummary(report, { color, width }) + '\n');
  if (reportPath !== null && reportError === null) {
    diag(out, `report: ${displayPath(out, reportPath)}`);
  }
  if (htmlPath !== null && htmlError === null) {
    diag(out, `HTML report: ${displayPath(out, htmlPath)}`);
  }
  for (const failed of report.thresholds.filter((t) => !t.passed)) {
    diag(out, `threshold failed: ${describeFailedThreshold(failed)}`);
  }
  for (const line of describeRegressions(report.comparison)) diag(out, `regression: ${line}`);
  // Precedence (README "Exit codes"): a report that could not be written (4) comes first:
  // nothing downstream can see the results. Then the verdict's own order.
  if (writeError !== null) throw writeError;
  switch (outcome.verdict) {
    case 'no_session':
      throw new LoadtestError(
        'NO_SESSION',
        `no virtual user could initialize a session with ${report.target_url}: ${outcome.result.noSessionDetail ?? 'unknown cause'}`,
        { exitCode: EXIT.noSession },
      );
    case 'interrupted':
      return { report, reportPath, exitCode: EXIT.interrupted };
    case 'failed':
      return { report, reportPath, exitCode: EXIT.thresholds };
    case 'passed':
      return { report, reportPath, exitCode: EXIT.ok };
  }
}

/** --quiet: no progress, but the notes (breaking point, stopping) still reach stderr. */
function quietNotes(out: Output): ProgressSink {
  return {
    live: false,
    update: () => undefined,
    note: (line) => diag(out, line),
    clear: () => undefined,
  };
}

function displayPath(out: Output, path: string): string {
  if (path === REPORT_TO_STDOUT) return 'standard output';
  const rel = relative(out.cwd, path);
  return rel.startsWith('..') ? path : rel;
}
