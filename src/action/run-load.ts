/**
 * Runs the engine in-process for the action, as src/cli/execute-run.ts does for the CLI, but with
 * no terminal: a plain progress line every PROGRESS_EVERY_SECS through `log`, so a long run shows
 * it is alive in the job log. A cancelled job (the runner sends SIGINT, then SIGTERM) stops the
 * run gracefully, so the report and summary still describe what was measured.
 */
import { randomInt } from 'node:crypto';
import type { LoadConfig } from '../config/types.js';
import { LoadRun, type RunResult } from '../engine/load-run.js';
import type { Target } from '../protocol/target.js';
import { buildReport } from '../report/build-report.js';
import type { Report } from '../report/types.js';
import { renderProgressLine, snapshotFromTick } from '../render/progress.js';

const PROGRESS_EVERY_SECS = 5;

export interface LoadParams {
  target: Target;
  config: LoadConfig;
  vus: number;
  durationSecs: number;
  iterations: number | null;
  log: (line: string) => void;
}

export interface LoadOutcome {
  report: Report;
  result: RunResult;
}

export async function runLoad(params: LoadParams): Promise<LoadOutcome> {
  const seed = randomInt(0, 2 ** 31);
  let lastLogSecs = 0;
  const run = new LoadRun({
    target: params.target,
    config: params.config,
    vus: params.vus,
    durationSecs: params.durationSecs,
    iterations: params.iterations,
    seed,
    onTick: (tick) => {
      if (tick.elapsedSecs - lastLogSecs < PROGRESS_EVERY_SECS - 0.5) return;
      lastLogSecs = tick.elapsedSecs;
      const line = renderProgressLine(snapshotFromTick(tick, run.metrics, params.iterations), {
        color: false,
        tty: false,
      });
      params.log(line.trimStart());
    },
    onBreakingPoint: (bp) => {
      const stopping = bp.stoppedRun ? '; stopping (stop_on_breaking_point)' : '';
      params.log(`breaking point detected at ${bp.vus} VUs (${bp.reason})${stopping}`);
    },
  });
  const onSignal = (): void => {
    params.log('cancel requested: draining requests in flight, then writing the report');
    run.stop('interrupted');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: RunResult;
  try {
    result = await run.start().done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const report = buildReport({
    result,
    config: params.config,
    url: params.target.url,
    iterations: params.iterations,
    seed,
    headerNames: params.target.userHeaderNames,
    redirect: params.target.learnt.redirect,
  });
  return { report, result };
}
