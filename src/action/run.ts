/**
 * The action: inputs → load test → report → job summary and PR comment → annotations and outputs
 * → verdict. The only place (with the CLI's main) that decides success: helpers throw typed
 * errors, and this function turns the outcome into at most one `core.setFailed`, at the end.
 *
 * Order matters: header values are masked before anything else is read or logged; the report,
 * summary and comment are written before the verdict, so a failed gate still shows its evidence.
 */
import { randomInt } from 'node:crypto';
import * as core from '@actions/core';
import { LoadtestError } from '../errors.js';
import { renderProgressLine, snapshotFromTick } from '../render/progress.js';
import { relative } from 'node:path';
import type { Baseline } from '../gate/baseline.js';
import { assertMeasured } from '../gate/compare-reports.js';
import { DEFAULT_ROUNDS, runPaired } from '../pipeline/paired-run.js';
import { runTest, type RunTestParams, type Verdict } from '../pipeline/run-test.js';
import { readReportFile } from '../report/read-report.js';
import type { ThresholdResult } from '../report/types.js';
import { describeRegressions } from '../render/comparison-table.js';
import { makeTarget, mergeHeaders } from '../protocol/target.js';
import { redactUrl, REDACTED, urlSecretParts } from '../protocol/url-secrets.js';
import { renderHtmlReport } from '../render/html/html-report.js';
import { commentMarker, renderMarkdown } from '../render/markdown.js';
import { renderSummary } from '../render/summary.js';
import { describeFailedThreshold } from '../render/threshold-lines.js';
import { assertFileWritable, writeFileAtomic } from '../report/write-file-atomic.js';
import { resolveActionConfig } from './action-config.js';
import { publishComment } from './comment.js';
import { maskSecret, readHeaderInput } from './headers.js';
import { parseInputs, usage, type ActionInputs } from './inputs.js';
import { annotateConfigError, annotateResults, setOutputs } from './outputs.js';
import { reportPathIn, writeAndReadBack } from './report-file.js';
import { runSource } from './run-source.js';

export async function run(): Promise<void> {
  const state: GateState = { thresholdsFailed: false };
  let failure: string | undefined;
  let annotated = false;
  try {
    failure = await gate(state);
  } catch (error) {
    if (error instanceof LoadtestError) {
      annotated = annotateConfigError(error, process.env.GITHUB_WORKSPACE ?? process.cwd());
      failure = error.message;
    } else {
      // The stack goes to the log; the step's reason stays one line.
      if (error instanceof Error && error.stack !== undefined) core.info(error.stack);
      failure = `mcp-loadtest: internal error (please report): ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  // On every path, whatever ended the step: the gate passed only if the step passes and no
  // threshold failed (fail-on-threshold: false turns those into warnings, not into a pass).
  core.setOutput('passed', String(failure === undefined && !state.thresholdsFailed));
  if (failure === undefined) return;
  // A config error annotated on its file line is not annotated a second time.
  if (annotated) process.exitCode = core.ExitCode.Failure;
  else core.setFailed(oneLine(scrubUrlSecrets(failure)));
}

interface GateState {
  thresholdsFailed: boolean;
}

/** Runs the test and publishes it; returns why the step fails, or undefined when it passes. */
async function gate(state: GateState): Promise<string | undefined> {
  // Secrets first: every header value, then every secret of the URL, is masked before any other
  // input is even read.
  const inputHeaders = readHeaderInput(core.getInput('headers'), core.setSecret);
  for (const name of ['url', 'baseline-url']) {
    for (const part of urlSecretParts(core.getInput(name).trim())) core.setSecret(part);
  }
  const inputs = parseInputs((name) => core.getInput(name), process.cwd());
  const config = resolveActionConfig(inputs, process.env, (m) => core.warning(m));
  // Config headers come from ${ENV} references, often secrets too.
  for (const value of Object.values(config.settings.headers)) maskSecret(value, core.setSecret);
  const headers = mergeHeaders(config.settings.headers, inputHeaders);
  const target = makeTarget(inputs.url, headers);
  // Before any load, as the CLI's --baseline: a report that cannot be compared fails at once.
  const baseline = readBaseline(inputs);
  const baseTarget =
    inputs.baselineUrl === undefined ? undefined : makeTarget(inputs.baselineUrl, headers);

  // Before any load: a run must not end in "cannot write".
  if (inputs.htmlPath !== undefined) {
    assertFileWritable(inputs.htmlPath, 'HTML report', 'set the html input to a writable path');
  }

  core.info(`mcp-loadtest: load-testing ${redactUrl(target.url)}`);
  const reportPath = reportPathIn(inputs.reportDir, new Date());
  const iterations = inputs.iterations ?? null;
  // A cancelled job gets SIGINT, then SIGTERM: the pipeline stops gracefully on the first, so the
  // report and summary still describe what was measured.
  const params: RunTestParams = {
    target,
    config,
    overrides: {
      vus: inputs.vus,
      durationSecs: inputs.durationSecs,
      ratePerSec: inputs.ratePerSec,
      maxVus: inputs.maxVus,
      iterations,
      seed: randomInt(0, 2 ** 31),
    },
    misuse: (key, what) =>
      usage(
        key,
        what,
        key === 'max-vus'
          ? 'set rate too, or leave max-vus empty'
          : 'leave vus, duration and rate empty, or remove the [[stage]] blocks to run flat load',
      ),
    // The era is detected once per run, as on the command line ([settings] protocol).
    protocol: config.settings.protocol,
    thresholds: inputs.overrides,
    baseline,
    reportPath,
    writeReport: writeAndReadBack,
    progress: {
      live: false,
      update: (tick) =>
        core.info(
          renderProgressLine(snapshotFromTick(tick, iterations), {
            color: false,
            tty: false,
          }).trimStart(),
        ),
      note: (line) => core.info(line),
      clear: () => undefined,
    },
  };
  const {
    report: published,
    verdict,
    result,
  } = baseTarget === undefined
    ? await runTest(params)
    : await runPaired({
        ...params,
        baseTarget,
        rounds: inputs.rounds ?? DEFAULT_ROUNDS,
        maxRegression: inputs.maxRegression,
      });
  core.info(renderSummary(published, { color: false, width: 100 }));
  core.info(`report: ${reportPath}`);

  const key = inputs.commentKey;
  const markdown = renderMarkdown(published, {
    commentKey: key,
    title: key === 'default' ? 'mcp-loadtest' : `mcp-loadtest · ${key}`,
    source: runSource(),
  });
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
  else core.info('no GITHUB_STEP_SUMMARY (not on a runner): job summary skipped');
  let commentUrl: string | undefined;
  if (inputs.comment) {
    const comment = await publishComment(markdown, commentMarker(key), inputs.githubToken);
    if (comment.action === 'skipped') core.info(`no PR comment: ${comment.reason}`);
    else if (comment.action !== 'failed') {
      commentUrl = comment.url;
      core.info(`PR comment ${comment.action}: ${comment.url}`);
    }
  }
  // After the summary and the comment, and failing the step only once the outputs are set: a
  // write error here must not cost the reader anything else.
  let htmlError: unknown;
  if (inputs.htmlPath !== undefined) {
    try {
      writeFileAtomic(inputs.htmlPath, renderHtmlReport(published), 'HTML report');
      core.info(`HTML report: ${inputs.htmlPath}`);
    } catch (error) {
      htmlError = error;
    }
  }
  const htmlPath = htmlError === undefined ? inputs.htmlPath : undefined;
  annotateResults(published, inputs.failOnThreshold);
  setOutputs(published, { reportPath, htmlPath, commentUrl });
  state.thresholdsFailed = !published.thresholds_passed || published.comparison?.regressed === true;
  if (htmlError !== undefined) throw htmlError;
  return failureOf(inputs, published, verdict, result.noSessionDetail);
}

function failureOf(
  inputs: ActionInputs,
  report: ReturnType<typeof writeAndReadBack>,
  verdict: Verdict,
  noSessionDetail: string | null,
): string | undefined {
  if (verdict === 'no_session') {
    return `no virtual user could initialize a session with ${report.target_url}: ${noSessionDetail ?? 'unknown cause'}`;
  }
  if (verdict === 'interrupted')
    return 'the run was interrupted (job cancelled); the report covers the part that ran';
  const failed = report.thresholds.filter((t) => !t.passed);
  const regressions = describeRegressions(report.comparison);
  if (failed.length === 0 && regressions.length === 0) return undefined;
  const reason =
    failed.length === 0
      ? `regression against the baseline: ${regressions[0]}${regressions.length > 1 ? ` (and ${regressions.length - 1} more)` : ''}`
      : thresholdReason(report, failed);
  if (inputs.failOnThreshold) return reason;
  core.warning(`${reason}; not failing the step (fail-on-threshold: false)`);
  return undefined;
}

function thresholdReason(
  report: ReturnType<typeof writeAndReadBack>,
  failed: readonly ThresholdResult[],
): string {
  const first = failed[0] === undefined ? '' : `: ${describeFailedThreshold(failed[0])}`;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  const regressed =
    report.comparison?.regressed === true ? '; and a regression against the baseline' : '';
  return `${failed.length} of ${report.thresholds.length} thresholds failed${first}${more}${regressed}`;
}

/**
 * The `baseline` input's report, read and checked (it measured something) before any load; one
 * line naming the file when it cannot be used.
 */
function readBaseline(inputs: ActionInputs): Baseline | undefined {
  if (inputs.baselinePath === undefined) return undefined;
  const source = relative(inputs.workingDirectory, inputs.baselinePath) || inputs.baselinePath;
  const report = readReportFile(inputs.baselinePath, `${source} (input baseline)`);
  assertMeasured(report, `${source} (input baseline)`);
  return { report, source, maxRegression: inputs.maxRegression };
}

/** The step's failure line without any secret of the url input (masking covers the log only). */
function scrubUrlSecrets(text: string): string {
  let out = text;
  const parts = ['url', 'baseline-url']
    .flatMap((name) => urlSecretParts(core.getInput(name).trim()))
    .sort((a, b) => b.length - a.length);
  for (const part of parts) out = out.split(part).join(REDACTED);
  return out;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
