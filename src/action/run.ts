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
import { runTest, type Verdict } from '../pipeline/run-test.js';
import { makeTarget, mergeHeaders } from '../protocol/target.js';
import { commentMarker, renderMarkdown } from '../render/markdown.js';
import { renderSummary } from '../render/summary.js';
import { describeFailedThreshold } from '../render/threshold-lines.js';
import { resolveActionConfig } from './action-config.js';
import { publishComment } from './comment.js';
import { maskSecret, readHeaderInput } from './headers.js';
import { parseInputs, usage, type ActionInputs } from './inputs.js';
import { annotateConfigError, annotateThresholds, setOutputs } from './outputs.js';
import { reportPathIn, writeAndReadBack } from './report-file.js';

export async function run(): Promise<void> {
  let failure: string | undefined;
  try {
    failure = await gate();
  } catch (error) {
    if (error instanceof LoadtestError) {
      annotateConfigError(error, process.env.GITHUB_WORKSPACE ?? process.cwd());
      failure = error.message;
    } else {
      // The stack goes to the log; the step's reason stays one line.
      if (error instanceof Error && error.stack !== undefined) core.info(error.stack);
      failure = `mcp-loadtest: internal error (please report): ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (failure !== undefined) core.setFailed(oneLine(failure));
}

/** Runs the test and publishes it; returns why the step fails, or undefined when it passes. */
async function gate(): Promise<string | undefined> {
  // Secrets first: every header value is masked before any other input is even read.
  const inputHeaders = readHeaderInput(core.getInput('headers'), core.setSecret);
  const inputs = parseInputs((name) => core.getInput(name), process.cwd());
  const config = resolveActionConfig(inputs, process.env, (m) => core.warning(m));
  // Config headers come from ${ENV} references, often secrets too.
  for (const value of Object.values(config.settings.headers)) maskSecret(value, core.setSecret);
  const target = makeTarget(inputs.url, mergeHeaders(config.settings.headers, inputHeaders));

  core.info(`mcp-loadtest: load-testing ${target.url}`);
  const reportPath = reportPathIn(inputs.reportDir, new Date());
  const iterations = inputs.iterations ?? null;
  // A cancelled job gets SIGINT, then SIGTERM: the pipeline stops gracefully on the first, so the
  // report and summary still describe what was measured.
  const {
    report: published,
    verdict,
    result,
  } = await runTest({
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
    thresholds: inputs.overrides,
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
  });
  core.info(renderSummary(published, { color: false, width: 100 }));
  core.info(`report: ${reportPath}`);

  const key = inputs.commentKey;
  const markdown = renderMarkdown(published, {
    commentKey: key,
    title: key === 'default' ? 'mcp-loadtest' : `mcp-loadtest · ${key}`,
  });
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
  else core.info('no GITHUB_STEP_SUMMARY (not on a runner): job summary skipped');
  if (inputs.comment) {
    const comment = await publishComment(markdown, commentMarker(key), inputs.githubToken);
    if (comment.action === 'skipped') core.info(`no PR comment: ${comment.reason}`);
    else if (comment.action !== 'failed') core.info(`PR comment ${comment.action}: ${comment.url}`);
  }
  annotateThresholds(published);
  setOutputs(published, reportPath);
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
  if (failed.length === 0) return undefined;
  const first = failed[0] === undefined ? '' : `: ${describeFailedThreshold(failed[0])}`;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  const reason = `${failed.length} of ${report.thresholds.length} thresholds failed${first}${more}`;
  if (inputs.failOnThreshold) return reason;
  core.warning(`${reason}; not failing the step (fail-on-threshold: false)`);
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
