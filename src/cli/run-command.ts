/** `mcp-loadtest run <URL>`: config + flags → executeRun. */
import { dirname, resolve } from 'node:path';
import { RULES, type NumberRule } from '../config/config-rules.js';
import { findConfig, loadConfigFile, LIMITS } from '../config/load-config.js';
import type { LoadConfig } from '../config/types.js';
import { LoadtestError } from '../errors.js';
import type { Baseline } from '../gate/baseline.js';
import { assertMeasured } from '../gate/compare-reports.js';
import type { ThresholdOverrides } from '../gate/thresholds.js';
import { DEFAULT_ROUNDS, MAX_ROUNDS } from '../pipeline/paired-run.js';
import { stdioTarget } from '../protocol/stdio-command.js';
import { makeTarget, mergeHeaders, type Target } from '../protocol/target.js';
import { readReportFile } from '../report/read-report.js';
import {
  headerOptions,
  intOption,
  numberOption,
  parseCommand,
  protocolOption,
  reportOption,
  serverCommandOption,
  splitServerCommand,
  transportOption,
  type OptionSpec,
} from './args.js';
import { maxRegressionOption } from './compare-command.js';
import { executeRun, type RunOutcome, type Signals } from './execute-run.js';
import type { Output } from './output.js';
import { shardOption, startAtOption } from './shard-options.js';
import { MAX_WORKERS } from '../pipeline/worker-plans.js';

export const RUN_OPTIONS: OptionSpec = {
  config: { type: 'string', short: 'c' },
  vus: { type: 'string' },
  duration: { type: 'string' },
  rate: { type: 'string' },
  'max-vus': { type: 'string' },
  iterations: { type: 'string' },
  seed: { type: 'string' },
  shard: { type: 'string' },
  'start-at': { type: 'string' },
  workers: { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  protocol: { type: 'string' },
  transport: { type: 'string' },
  report: { type: 'string' },
  'no-report': { type: 'boolean' },
  html: { type: 'string' },
  'p50-threshold-ms': { type: 'string' },
  'p95-threshold-ms': { type: 'string' },
  'p99-threshold-ms': { type: 'string' },
  'error-rate-threshold': { type: 'string' },
  'min-throughput-rps': { type: 'string' },
  'fail-on-breaking-point': { type: 'boolean' },
  baseline: { type: 'string' },
  'baseline-url': { type: 'string' },
  rounds: { type: 'string' },
  'max-regression': { type: 'string' },
  junit: { type: 'string' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
};

/** The threshold flags: each overrides the [thresholds] key of the same meaning, same bounds. */
export function thresholdOverrides(
  command: string,
  values: Record<string, unknown>,
): ThresholdOverrides {
  const limit = (flag: string, rule: NumberRule): number | undefined =>
    numberOption(command, flag, values[flag], rule.min, rule.max, rule.minExclusive);
  const overrides: ThresholdOverrides = {
    p50Ms: limit('p50-threshold-ms', RULES.latencyThresholdMs),
    p95Ms: limit('p95-threshold-ms', RULES.latencyThresholdMs),
    p99Ms: limit('p99-threshold-ms', RULES.latencyThresholdMs),
    errorRate: limit('error-rate-threshold', RULES.errorRateThreshold),
    minThroughputRps: limit('min-throughput-rps', RULES.minThroughputRps),
  };
  if (values['fail-on-breaking-point'] === true) overrides.failOnBreakingPoint = true;
  return overrides;
}

/** --config PATH, or the nearest .pmcp/loadtest.toml up from the working directory. */
export function resolveConfig(command: string, raw: unknown, out: Output): LoadConfig {
  if (raw !== undefined) return loadConfigFile(resolve(out.cwd, String(raw)), out.env);
  const found = findConfig(out.cwd);
  if (found === undefined) {
    throw new LoadtestError(
      'CONFIG_NOT_FOUND',
      `${command}: no .pmcp/loadtest.toml in ${out.cwd} or any parent; create one with "mcp-loadtest init <URL>" or pass --config PATH`,
    );
  }
  return loadConfigFile(found, out.env);
}

export async function runCommand(
  argv: string[],
  out: Output,
  signals: Signals,
  exit: (code: number) => void,
): Promise<RunOutcome> {
  const { own, command: serverArgv } = splitServerCommand(argv);
  const { values, positionals } = parseCommand('run', own, RUN_OPTIONS, 1);
  const url = positionals[0];
  const stdio = serverCommandOption('run', url, serverArgv, values.header);
  if (url === undefined && stdio === undefined) {
    throw new LoadtestError(
      'USAGE',
      'run: missing the server URL; usage: mcp-loadtest run <URL> [--config PATH] [--vus N] [--duration SECS], or mcp-loadtest run [options] -- COMMAND [ARGS...] for a stdio server',
    );
  }
  const vus = intOption('run', 'vus', values.vus, 1, LIMITS.maxVirtualUsers);
  const durationSecs = numberOption(
    'run',
    'duration',
    values.duration,
    0,
    LIMITS.maxDurationSecs,
    true,
  );
  const ratePerSec = numberOption(
    'run',
    'rate',
    values.rate,
    RULES.arrivalRate.min,
    RULES.arrivalRate.max,
    true,
  );
  const maxVus = intOption('run', 'max-vus', values['max-vus'], 1, LIMITS.maxVirtualUsers);
  const iterations = intOption('run', 'iterations', values.iterations, 1, Number.MAX_SAFE_INTEGER);
  const seed = intOption('run', 'seed', values.seed, 0, 2 ** 32 - 1);
  const shard = shardOption('run', values.shard);
  const workers = workersOption('run', values.workers);
  if (stdio !== undefined && workers !== undefined && workers !== 1) {
    // The server processes are the run's (one pool, stopped on every path by the main thread);
    // a stdio server is spread over cores with [settings] processes instead.
    throw new LoadtestError(
      'USAGE',
      'run: --workers applies to HTTP servers; a stdio server runs on one thread, its load spread over [settings] processes = N server processes',
    );
  }
  const startAtMs = startAtOption('run', values['start-at'], Date.now());
  const cliHeaders = headerOptions('run', values.header);
  const protocol = protocolOption('run', values.protocol);
  const transport = transportOption('run', values.transport);
  const thresholds = thresholdOverrides('run', values);
  const config = resolveConfig('run', values.config, out);
  const paired = pairedOption(values, config.settings.headers, cliHeaders);
  const baseline = paired === undefined ? baselineOption(values, out) : undefined;
  const junit = values.junit === undefined ? undefined : resolve(out.cwd, String(values.junit));
  const headers = mergeHeaders(config.settings.headers, cliHeaders);
  const target = stdio === undefined ? makeTarget(String(url), headers) : stdioTarget(stdio);
  return executeRun(
    {
      target,
      config,
      overrides: {
        vus,
        durationSecs,
        ratePerSec,
        maxVus,
        iterations: iterations ?? null,
        // Shards must share one seed (each derives its own stream from it): not a random one each.
        seed: seed ?? (shard === undefined ? undefined : 0),
        ...(shard === undefined ? {} : { shard }),
        ...(workers === undefined ? {} : { workers }),
      },
      ...(startAtMs === undefined ? {} : { startAtMs }),
      reportPath: reportOption('run', values, out.cwd),
      // A config found in a parent directory: its project's .pmcp/reports/, not a new .pmcp/ here.
      projectDir:
        values.config === undefined && config.path !== undefined
          ? dirname(dirname(config.path))
          : undefined,
      htmlPath: values.html === undefined ? null : resolve(out.cwd, String(values.html)),
      noColor: values['no-color'] === true,
      quiet: values.quiet === true,
      thresholds,
      baseline,
      ...(paired === undefined ? {} : { paired }),
      junitPath: junit,
      protocol: protocol ?? config.settings.protocol,
      ...(stdio === undefined ? {} : { stdio }),
      ...(transport === undefined ? {} : { transport }),
    },
    out,
    signals,
    exit,
  );
}

/** `--workers N|auto` (README "Worker threads"). */
export function workersOption(command: string, raw: unknown): number | 'auto' | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (text === 'auto') return 'auto';
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_WORKERS) {
    throw new LoadtestError(
      'USAGE',
      `${command}: --workers must be auto or an integer from 1 to ${MAX_WORKERS}, got "${String(raw).slice(0, 40)}"`,
    );
  }
  return n;
}

/**
 * `--baseline-url URL` (paired A/B mode: the same headers go to both targets), `--rounds N` and
 * `--max-regression R`; undefined without --baseline-url.
 */
function pairedOption(
  values: Record<string, unknown>,
  configHeaders: Readonly<Record<string, string>>,
  cliHeaders: Readonly<Record<string, string>>,
): { target: Target; rounds: number; maxRegression: number | undefined } | undefined {
  const rounds = intOption('run', 'rounds', values.rounds, 1, MAX_ROUNDS);
  if (values['baseline-url'] === undefined) {
    if (rounds !== undefined) {
      throw new LoadtestError(
        'USAGE',
        'run: --rounds applies to a paired run; pass --baseline-url BASE_URL with it',
      );
    }
    return undefined;
  }
  if (values.baseline !== undefined) {
    throw new LoadtestError(
      'USAGE',
      'run: --baseline and --baseline-url are two ways to compare; pass one of them',
    );
  }
  let target: Target;
  try {
    target = makeTarget(String(values['baseline-url']), mergeHeaders(configHeaders, cliHeaders));
  } catch (error) {
    if (!(error instanceof LoadtestError)) throw error;
    throw new LoadtestError(error.code, `run: --baseline-url: ${error.message}`);
  }
  return {
    target,
    rounds: rounds ?? DEFAULT_ROUNDS,
    maxRegression: maxRegressionOption('run', values['max-regression']),
  };
}

/** `--baseline PATH` (read and checked before any load) and `--max-regression R`. */
function baselineOption(values: Record<string, unknown>, out: Output): Baseline | undefined {
  const maxRegression = maxRegressionOption('run', values['max-regression']);
  if (values.baseline === undefined) {
    if (maxRegression !== undefined) {
      throw new LoadtestError(
        'USAGE',
        'run: --max-regression applies to a comparison; pass --baseline BASE.json with it',
      );
    }
    return undefined;
  }
  const source = String(values.baseline);
  const report = readReportFile(resolve(out.cwd, source), source);
  assertMeasured(report, source);
  return { report, source, maxRegression };
}
