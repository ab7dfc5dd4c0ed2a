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
import { DEFAULT_ROUNDS, runPaired } from '../pipeline/paired-run.js';
import { runTest, type RunTestParams, type Verdict } from '../pipeline/run-test.js';
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
import { readBaseline, regressionReason } from './baseline.js';
import { mergeShardReports } from './merge-mode.js';
import type { Report } from '../report/types.js';
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

/** What the step publishes: the run's report, or the merge of shard reports. */
interface Published {
  report: Report;
  verdict: Verdict;
  noSessionDetail: string | null;
}

/** Runs the test (or merges shards) and publishes it; returns why the step fails, if it does. */
async function gate(state: GateState): Promise<string | undefined> {
  // Secrets first: every header value, then every secret of the URL, is masked before any other
  // input is even read.
  const inputHeaders = readHeaderInput(core.getInput('headers'), core.setSecret);
  for (const name of URL_INPUTS) {
    for (const part of urlSecretParts(core.getInput(name).trim())) core.setSecret(part);
  }
  const inputs = parseInputs((name) => core.getInput(name), process.cwd());
  const reportPath = reportPathIn(inputs.reportDir, new Date());
  let published: Published;
  if (inputs.mergeReports === undefined) {
    published = await runLoad(inputs, inputHeaders, reportPath);
  } else {
    assertHtmlWritable(inputs);
    const merged = mergeShardReports(
      inputs,
      reportPath,
      (m) => core.warning(m),
      (m) => core.info(m),
      (name) => core.getInput(name),
    );
    published = {
      report: merged,
      verdict: merged.thresholds_passed ? 'passed' : 'failed',
      noSessionDetail: null,
    };
  }
  return publish(inputs, published, reportPath, state);
}

async function runLoad(
  inputs: ActionInputs,
  inputHeaders: ReturnType<typeof readHeaderInput>,
  reportPath: string,
): Promise<Published> {
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
  assertHtmlWritable(inputs);

  const shard = inputs.shard;
  core.info(
    `mcp-loadtest: load-testing ${redactUrl(target.url)}${shard === undefined ? '' : ` (shard ${shard.index}/${shard.count})`}`,
  );
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
      // Shards of one load share one seed, each drawing its own stream from it (as run --shard).
      seed: shard === undefined ? randomInt(0, 2 ** 31) : 0,
      ...(shard === undefined ? {} : { shard }),
      ...(inputs.workers === undefined ? {} : { workers: inputs.workers }),
    },
    misuse: (key, what) =>
      usage(
        key,
        what,
        key === 'max-vus'
          ? 'set rate too, or leave max-vus empty'
          : key === 'workers'
            ? 'auto, or at most one thread per VU (max_vus with rate) and per iteration'
            : key === 'shard'
              ? 'fewer shards, or more VUs, rate or iterations in the config'
              : key === 'rounds'
                ? 'fewer rounds, or a longer duration'
                : key === 'baseline-url'
                  ? 'leave baseline-url empty for this run'
                  : 'leave vus, duration and rate empty, or remove the [[stage]] blocks to run flat load',
      ),
    // The era (and, unless set, the transport) is detected once per run, as on the command line.
    protocol: inputs.protocol ?? config.settings.protocol,
    ...(inputs.transport === undefined ? {} : { transport: inputs.transport }),
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
  const { report, verdict, result } =
    baseTarget === undefined
      ? await runTest(params)
      : await runPaired({
          ...params,
          baseTarget,
          rounds: inputs.rounds ?? DEFAULT_ROUNDS,
          maxRegression: inputs.maxRegression,
        });
  return { report, verdict, noSessionDetail: result.noSessionDetail };
}

function assertHtmlWritable(inputs: ActionInputs): void {
  if (inputs.htmlPath !== undefined) {
    assertFileWritable(inputs.htmlPath, 'HTML report', 'set the html input to a writable path');
  }
}

async function publish(
  inputs: ActionInputs,
  { report: published, verdict, noSessionDetail }: Published,
  reportPath: string,
  state: GateState,
): Promise<string | undefined> {
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
  const shard = partOfLoad(inputs);
  if (inputs.comment && shard !== undefined) {
    core.info(
      `no PR comment: this job is shard ${shard}; the job with merge-reports posts the one comment of the whole load`,
    );
  } else if (inputs.comment) {
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
  annotateResults(published, inputs.failOnThreshold && shard === undefined);
  setOutputs(published, { reportPath, htmlPath, commentUrl });
  state.thresholdsFailed = !published.thresholds_passed || published.comparison?.regressed === true;
  if (htmlError !== undefined) throw htmlError;
  return failureOf(inputs, published, verdict, noSessionDetail);
}

/** "I/N" when this job runs one part of a sharded load (N > 1), else undefined. */
function partOfLoad(inputs: ActionInputs): string | undefined {
  const shard = inputs.shard;
  return shard === undefined || shard.count === 1 ? undefined : `${shard.index}/${shard.count}`;
}

function failureOf(
  inputs: ActionInputs,
  report: Report,
  verdict: Verdict,
  noSessionDetail: string | null,
): string | undefined {
  if (verdict === 'no_session') {
    return `no virtual user could initialize a session with ${report.target_url}: ${noSessionDetail ?? 'unknown cause'}`;
  }
  if (verdict === 'interrupted')
    return 'the run was interrupted (job cancelled); the report covers the part that ran';
  const failed = report.thresholds.filter((t) => !t.passed);
  const regression = regressionReason(report);
  if (failed.length === 0 && regression === undefined) return undefined;
  const first = failed[0] === undefined ? '' : `: ${describeFailedThreshold(failed[0])}`;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  const reason =
    failed.length === 0
      ? regression!
      : `${failed.length} of ${report.thresholds.length} thresholds failed${first}${more}${regression === undefined ? '' : '; and a regression against the baseline'}`;
  const shard = partOfLoad(inputs);
  if (shard !== undefined) {
    // A shard's figures are a part of the load (its throughput a fraction of the whole): the
    // merged report is what the gate is for.
    core.warning(
      `${reason}; not failing the step: shard ${shard} is one part of the load, the job with merge-reports gates the whole`,
    );
    return undefined;
  }
  if (inputs.failOnThreshold) return reason;
  core.warning(`${reason}; not failing the step (fail-on-threshold: false)`);
  return undefined;
}

/** The inputs that hold a URL whose query values and userinfo are secrets. */
const URL_INPUTS = ['url', 'baseline-url'] as const;

/** The step's failure line without any secret of a URL input (masking covers the log only). */
function scrubUrlSecrets(text: string): string {
  let out = text;
  const parts = URL_INPUTS.flatMap((name) => urlSecretParts(core.getInput(name).trim())).sort(
    (a, b) => b.length - a.length,
  );
  for (const part of parts) out = out.split(part).join(REDACTED);
  return out;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
