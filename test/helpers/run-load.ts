/**
 * Runs the real engine (config parser, target, LoadRun, report builder) in-process against a
 * server on 127.0.0.1, so integration tests see exactly what the CLI would measure.
 */
import { parseConfig } from '../../src/config/load-config.js';
import type { LoadConfig } from '../../src/config/types.js';
import { LoadRun, type RunResult } from '../../src/engine/load-run.js';
import { detectProtocol } from '../../src/protocol/detect-protocol.js';
import type { ProtocolProfile } from '../../src/protocol/protocol-profile.js';
import { makeTarget } from '../../src/protocol/target.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Report } from '../../src/report/types.js';

export interface LoadOptions {
  vus?: number;
  durationSecs?: number;
  iterations?: number | null;
  seed?: number;
  /** What the connections speak (detectProtocol); absent: the 2025 era, no detection. */
  protocol?: ProtocolProfile;
}

export interface LoadOutcome {
  result: RunResult;
  report: Report;
  /** Wall-clock time from start() to the run's end, in milliseconds. */
  elapsedMs: number;
}

export interface LoadHandle {
  run: LoadRun;
  config: LoadConfig;
  done: Promise<LoadOutcome>;
}

/** Starts a run and returns at once, so a test can act on the server while it runs. */
export function startLoad(url: string, tomlText: string, options: LoadOptions = {}): LoadHandle {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`load must stay on loopback: ${url}`);
  const config = parseConfig(tomlText, 'test.toml', {});
  const vus = options.vus ?? config.settings.virtualUsers;
  const durationSecs = options.durationSecs ?? config.settings.durationSecs;
  const iterations = options.iterations ?? null;
  const seed = options.seed ?? 1;
  const target = makeTarget(url, config.settings.headers);
  const protocol = options.protocol;
  const run = new LoadRun({ target, config, vus, durationSecs, iterations, seed, protocol });
  const t0 = performance.now();
  const done = run.start().done.then((result) => {
    const elapsedMs = performance.now() - t0;
    const report = buildReport({
      result,
      config,
      url: target.url,
      iterations,
      seed,
      headerNames: target.userHeaderNames,
      protocol,
    });
    return { result, report, elapsedMs };
  });
  return { run, config, done };
}

export function runLoad(url: string, tomlText: string, options: LoadOptions = {}) {
  return startLoad(url, tomlText, options).done;
}

/**
 * The era detected first, once, as the run pipeline does: `setting` overrides the config's
 * `[settings] protocol` (like `run --protocol`). Rejects with the detection's error.
 */
export async function runDetected(
  url: string,
  tomlText: string,
  options: LoadOptions & { setting?: string } = {},
): Promise<LoadOutcome> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`load must stay on loopback: ${url}`);
  const config = parseConfig(tomlText, 'test.toml', {});
  const protocol = await detectProtocol(makeTarget(url, config.settings.headers), {
    setting: options.setting ?? config.settings.protocol,
    answers: config.client,
    timeoutMs: config.settings.timeoutMs,
    maxResponseBytes: config.settings.maxResponseBytes,
  });
  return startLoad(url, tomlText, { ...options, protocol }).done;
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
