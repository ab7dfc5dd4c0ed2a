/**
 * Runs the real run pipeline (config parser, target, engine, thresholds, report builder)
 * in-process against a server on 127.0.0.1, so integration tests see exactly what the CLI would
 * measure.
 */
import { parseConfig } from '../../src/config/load-config.js';
import type { LoadConfig } from '../../src/config/types.js';
import type { LoadRun, RunResult, RunTick } from '../../src/engine/load-run.js';
import { LoadtestError } from '../../src/errors.js';
import { runTest, type Verdict } from '../../src/pipeline/run-test.js';
import { makeTarget } from '../../src/protocol/target.js';
import type { Report } from '../../src/report/types.js';

export interface LoadOptions {
  vus?: number;
  durationSecs?: number;
  /** Open model: steps per second (`--rate`). */
  ratePerSec?: number;
  maxVus?: number;
  iterations?: number | null;
  seed?: number;
  /** `--workers`: worker threads (dist/worker.js, built by the test setup). */
  workers?: number;
  /** Called with every one-second tick. */
  onTick?: (tick: RunTick) => void;
}

export interface LoadOutcome {
  result: RunResult;
  report: Report;
  verdict: Verdict;
  /** Wall-clock time from the start to the run's end, in milliseconds. */
  elapsedMs: number;
}

export interface LoadHandle {
  /** The engine, once the pipeline has started it (synchronously inside startLoad). */
  run: LoadRun;
  config: LoadConfig;
  done: Promise<LoadOutcome>;
}

const NO_SIGNALS = { on: () => undefined, off: () => undefined };

/** Starts a run and returns at once, so a test can act on the server while it runs. */
export function startLoad(url: string, tomlText: string, options: LoadOptions = {}): LoadHandle {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`load must stay on loopback: ${url}`);
  const config = parseConfig(tomlText, 'test.toml', {});
  const target = makeTarget(url, config.settings.headers);
  let run: LoadRun | undefined;
  const t0 = performance.now();
  const done = runTest({
    target,
    config,
    overrides: {
      vus: options.vus,
      durationSecs: options.durationSecs,
      ratePerSec: options.ratePerSec,
      maxVus: options.maxVus,
      iterations: options.iterations ?? null,
      seed: options.seed ?? 1,
    },
    misuse: (key, what) => new LoadtestError('USAGE', `${key} ${what}`),
    reportPath: null,
    signals: NO_SIGNALS,
    onStart: (r) => (run = r),
    progress:
      options.onTick === undefined
        ? undefined
        : { live: true, update: options.onTick, note: () => undefined, clear: () => undefined },
  }).then(({ result, report, verdict }) => ({
    result,
    report,
    verdict,
    elapsedMs: performance.now() - t0,
  }));
  if (run === undefined) throw new Error('the pipeline did not start the run synchronously');
  return { run, config, done };
}

export function runLoad(url: string, tomlText: string, options: LoadOptions = {}) {
  return startLoad(url, tomlText, options).done;
}

/**
 * Through the pipeline with the era detected first, once, as `run` does: `setting` overrides the
 * config's `[settings] protocol` (like `run --protocol`). Rejects with the detection's error.
 */
export async function runDetected(
  url: string,
  tomlText: string,
  options: LoadOptions & { setting?: string } = {},
): Promise<LoadOutcome> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`load must stay on loopback: ${url}`);
  const config = parseConfig(tomlText, 'test.toml', {});
  const t0 = performance.now();
  const { result, report, verdict } = await runTest({
    target: makeTarget(url, config.settings.headers),
    config,
    overrides: {
      vus: options.vus,
      durationSecs: options.durationSecs,
      iterations: options.iterations ?? null,
      seed: options.seed ?? 1,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
    },
    misuse: (key, what) => new LoadtestError('USAGE', `${key} ${what}`),
    reportPath: null,
    signals: NO_SIGNALS,
    protocol: options.setting ?? config.settings.protocol,
  });
  return { result, report, verdict, elapsedMs: performance.now() - t0 };
}

/** `[settings]` with short-run defaults, then the steps. Values are TOML literals. */
export function toml(settings: Record<string, number>, ...steps: string[]): string {
  const all: Record<string, number> = {
    virtual_users: 2,
    duration_secs: 1,
    timeout_ms: 5000,
    ...settings,
  };
  const lines = ['[settings]', ...Object.entries(all).map(([k, v]) => `${k} = ${v}`), ''];
  return lines.join('\n') + steps.join('\n');
}

/** A `tools/call` step; `args` is a TOML inline table such as `{ a = 1, b = 2 }`. */
export function toolStep(tool: string, args?: string, weight = 1): string {
  const lines = ['[[scenario]]', 'type = "tools/call"', `weight = ${weight}`, `tool = "${tool}"`];
  if (args !== undefined) lines.push(`arguments = ${args}`);
  return lines.join('\n') + '\n\n';
}

export function resourceStep(uri: string, weight = 1): string {
  return `[[scenario]]\ntype = "resources/read"\nweight = ${weight}\nuri = "${uri}"\n\n`;
}

export function promptStep(prompt: string, args?: string, weight = 1): string {
  const lines = [
    '[[scenario]]',
    'type = "prompts/get"',
    `weight = ${weight}`,
    `prompt = "${prompt}"`,
  ];
  if (args !== undefined) lines.push(`arguments = ${args}`);
  return lines.join('\n') + '\n\n';
}
