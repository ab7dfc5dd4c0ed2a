/**
 * Paired A/B mode (`run HEAD_URL --baseline-url BASE_URL`, README "Paired A/B runs"): the baseline
 * target (A) and this run's target (B) are measured in one job, in short alternating rounds, and
 * compared with the same noise-aware test as `run --baseline` (gate/compare-reports.ts).
 *
 * Method:
 * - Each target gets the run's whole duration, split into `rounds` rounds of duration / rounds
 *   seconds (so the job takes twice the duration). Rounds run in ABBA order, pair by pair:
 *   A B, B A, A B, … Within a pair both targets get the same config and the same seed (pair i
 *   uses seed + i), so they see the same mix of steps. A slow drift of the machine (another job
 *   starting, a CPU warming up) hits both targets alike: ABBA cancels a linear drift exactly
 *   within each pair of pairs, where AAAA…BBBB would turn it into a difference.
 * - Each round is a complete run of the one pipeline (run-test.ts measureRun): sessions opened,
 *   load, drain. A target's samples are its rounds' full 2 s intervals, each round's first (warm-up)
 *   interval and last partial one left out as for any run (gate/timeline-samples.ts); its figures
 *   are its rounds joined into one report (merge/join-rounds.ts: counts and histograms added).
 * - The report written is this run's target (B), joined, with `comparison.paired` recording the
 *   rounds; its verdict joins the gate as a baseline comparison's does.
 *
 * A signal ends the sequence: the report covers the rounds that ran (at least one of each target
 * is needed for a comparison). A round whose target gave no session ends it too, and its report
 * (naming that target) is the one written.
 */
import { compareRuns } from '../gate/compare-reports.js';
import { comparisonGate } from '../gate/comparison-limits.js';
import { mergeThresholds } from '../gate/thresholds.js';
import { fullSamples } from '../gate/timeline-samples.js';
import { joinRounds } from '../merge/join-rounds.js';
import type { Target } from '../protocol/target.js';
import type { Report } from '../report/types.js';
import {
  assertOutputsWritable,
  measureRun,
  planRun,
  publishRun,
  type MeasuredRun,
  type RunTestOutcome,
  type RunTestParams,
} from './run-test.js';

/** Rounds per target unless --rounds says otherwise. */
export const DEFAULT_ROUNDS = 4;
/** Rounds per target at most: the pairs' seeds and the order string stay small. */
export const MAX_ROUNDS = 100;
/** A round needs two full 2 s samples to say anything: shorter rounds are refused. */
export const MIN_ROUND_SECS = 4;

export interface PairedParams extends RunTestParams {
  /** The baseline target (A), run with the same config. */
  readonly baseTarget: Target;
  /** Rounds per target. */
  readonly rounds: number;
  /** --max-regression (or its action input). */
  readonly maxRegression: number | undefined;
}

export interface PairedOutcome extends RunTestOutcome {
  /** The baseline target's rounds joined; null when none ran. */
  readonly baseReport: Report | null;
}

export async function runPaired(params: PairedParams): Promise<PairedOutcome> {
  const { config } = params;
  const fullPlan = planRun(params);
  checkPairable(params, fullPlan.durationSecs);
  assertOutputsWritable(params);
  const roundSecs = fullPlan.durationSecs / params.rounds;
  const roundPlan = { ...fullPlan, durationSecs: roundSecs };
  const order = abbaOrder(params.rounds);
  const rounds: { A: MeasuredRun[]; B: MeasuredRun[] } = { A: [], B: [] };
  const note = (line: string): void => params.progress?.note(line);

  // Between rounds no run listens for signals: this one ends the sequence there (within a round,
  // the round's own listener stops it too).
  const signals = params.signals ?? process;
  let signalled = false;
  const onSignal = (): void => {
    signalled = true;
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  let last: MeasuredRun | undefined;
  try {
    for (const [i, side] of [...order].entries()) {
      if (signalled) break;
      const pair = Math.floor(i / 2);
      const seed = (fullPlan.seed + pair) % 2 ** 32;
      const target = side === 'A' ? params.baseTarget : params.target;
      note(
        `paired round ${i + 1} of ${order.length}: ${side === 'A' ? 'baseline' : 'head'} (${roundSecs}s, seed ${seed})`,
      );
      last = await measureRun(
        { ...params, target, baseline: undefined },
        { ...roundPlan, seed },
        { ...roundPlan, seed },
      );
      rounds[side as 'A' | 'B'].push(last);
      const stop = last.result.stopReason;
      if (last.hardStopped || stop === 'interrupted' || stop === 'no_session') break;
    }
  } finally {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
  }

  const thresholds = mergeThresholds(config.thresholds, params.thresholds ?? {});
  const joined = (runs: MeasuredRun[]): Report | null =>
    runs.length === 0
      ? null
      : joinRounds(
          runs.map((r) => r.report),
          thresholds,
        );
  const head = joined(rounds.B);
  const base = joined(rounds.A);
  // The head report is the one written. A round that got no session is written instead: its
  // report names the server that failed, as the no-session verdict does. With no head round yet
  // (a signal in the first), the baseline's round stands in.
  const report = last!.result.stopReason === 'no_session' ? last!.report : (head ?? last!.report);
  if (head !== null && base !== null && head.metrics.total_requests > 0) {
    if (base.metrics.total_requests > 0) {
      head.comparison = compareRuns({
        base,
        head,
        baseName: `the baseline ${base.target_url}`,
        headName: 'this run',
        baseSource: null,
        gate: comparisonGate(config.thresholds, params.maxRegression),
        samples: {
          base: rounds.A.flatMap((r) => fullSamples(r.report.timeline)),
          head: rounds.B.flatMap((r) => fullSamples(r.report.timeline)),
        },
        paired: {
          rounds: Math.max(rounds.A.length, rounds.B.length),
          round_secs: roundSecs,
          order: order.slice(0, rounds.A.length + rounds.B.length),
        },
      });
    }
  }
  const outcome = publishRun(params, {
    report,
    result: last!.result,
    plan: roundPlan,
    hardStopped: last!.hardStopped,
  });
  // A signal between two rounds: the run is as incomplete as one stopped within a round.
  const verdict = signalled && outcome.verdict !== 'no_session' ? 'interrupted' : outcome.verdict;
  return { ...outcome, verdict, baseReport: base };
}

/** "ABBA" repeated pair by pair: A B, B A, A B, … for `rounds` rounds of each target. */
export function abbaOrder(rounds: number): string {
  let order = '';
  for (let pair = 0; pair < rounds; pair++) order += pair % 2 === 0 ? 'AB' : 'BA';
  return order;
}

/** What paired mode cannot split into rounds: one usage error naming the flag, before any load. */
function checkPairable(params: PairedParams, durationSecs: number): void {
  const { config, overrides } = params;
  const staged = config.stages.length + config.rateStages.length;
  if (staged > 0) {
    throw params.misuse(
      'baseline-url',
      `does not apply to a staged config: its ${staged} [[stage]] blocks would be cut into rounds; remove them to run flat load`,
    );
  }
  if (overrides.iterations != null) {
    throw params.misuse('baseline-url', 'does not apply with --iterations: rounds are timed');
  }
  if (overrides.shard !== undefined) {
    throw params.misuse('baseline-url', 'does not apply to a shard: run the pair in one process');
  }
  const roundSecs = durationSecs / params.rounds;
  if (roundSecs < MIN_ROUND_SECS) {
    throw params.misuse(
      'rounds',
      `is ${params.rounds}: ${durationSecs}s split into ${params.rounds} rounds is ${round1(roundSecs)}s a round, below the ${MIN_ROUND_SECS}s a round needs (two 2 s samples); lower the rounds or raise the duration`,
    );
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
