/**
 * The action's inputs (action.yml), read through a function so tests need no environment. Every
 * bad input is one LoadtestError line naming the input, what was wrong and what is accepted.
 * Defaults repeat action.yml's, so a run outside the runner (INPUT_* unset) behaves the same.
 *
 * `headers` is not read here: it holds secrets and is masked before anything else (headers.ts).
 */
import { resolve } from 'node:path';
import { RULES, type NumberRule } from '../config/config-rules.js';
import { LoadtestError } from '../errors.js';
import type { ThresholdOverrides } from '../gate/thresholds.js';
import { MAX_ROUNDS, MIN_ROUND_SECS } from '../pipeline/paired-run.js';
import { PROTOCOL_SETTINGS, TRANSPORTS, type TransportKind } from '../protocol/mcp-vocabulary.js';
import { parseShard, MAX_SHARDS, type ShardSpec } from '../pipeline/shard-plan.js';
import { MAX_WORKERS } from '../pipeline/worker-plans.js';
import { redactUrl } from '../protocol/url-secrets.js';

export type InputReader = (name: string) => string;

export const DEFAULT_CONFIG = '.pmcp/loadtest.toml';
export const DEFAULT_REPORT_DIR = '.pmcp/reports';
const MAX_COMMENT_KEY_CHARS = 100;
const URL_ACCEPTED = 'the http:// or https:// MCP endpoint to test, e.g. http://127.0.0.1:3000/mcp';

export interface ActionInputs {
  readonly url: string;
  /** Absolute; every relative path below is resolved against it. */
  readonly workingDirectory: string;
  readonly configPath: string;
  /** True when `config` was left at its default: only then may `tool` stand in for a missing file. */
  readonly configIsDefault: boolean;
  readonly tool: string | undefined;
  readonly arguments: Readonly<Record<string, unknown>> | undefined;
  readonly vus: number | undefined;
  readonly durationSecs: number | undefined;
  /** Open model: steps per second (`run --rate`). */
  readonly ratePerSec: number | undefined;
  readonly maxVus: number | undefined;
  readonly iterations: number | undefined;
  /** `run --workers`: worker threads (README "Worker threads"). */
  readonly workers: number | 'auto' | undefined;
  readonly overrides: ThresholdOverrides;
  readonly githubToken: string;
  readonly comment: boolean;
  readonly commentKey: string;
  readonly reportDir: string;
  /** Absolute path of the HTML report to write; undefined when the `html` input is empty. */
  readonly htmlPath: string | undefined;
  readonly failOnThreshold: boolean;
  /** Absolute path of the baseline report (`run --baseline`); undefined when empty. */
  readonly baselinePath: string | undefined;
  /** Paired A/B mode's baseline server (`run --baseline-url`); undefined when empty. */
  readonly baselineUrl: string | undefined;
  /** Paired mode: rounds per target; undefined for the default. */
  readonly rounds: number | undefined;
  /** `--max-regression R`; undefined when empty. */
  readonly maxRegression: number | undefined;
  /** `auto` or a pinned revision (`run --protocol`); undefined: the config's. */
  readonly protocol: string | undefined;
  /** `run --transport`; undefined: the config's (or detected). */
  readonly transport: TransportKind | undefined;
  /** `run --shard I/N`: this job runs the I-th of N equal parts of the load. */
  readonly shard: ShardSpec | undefined;
  /** A glob of shard reports to merge and publish instead of running (merge-mode.ts). */
  readonly mergeReports: string | undefined;
}

export function parseInputs(read: InputReader, cwd: string): ActionInputs {
  const get = (name: string): string => read(name).trim();
  const url = get('url');
  const mergeReports = get('merge-reports') || undefined;
  const shard = parseShardInput(get('shard'));
  if (shard !== undefined && mergeReports !== undefined) {
    throw usage(
      'shard',
      'is set together with merge-reports',
      'shard on the jobs that run a part of the load, merge-reports on the one job that merges their reports',
    );
  }
  if (url === '' && mergeReports === undefined) {
    throw usage('url', 'is required', `${URL_ACCEPTED} (or merge-reports, to merge shard reports)`);
  }
  if (url !== '' && (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))) {
    // Never echo a key from the query string or the userinfo (protocol/url-secrets.ts).
    throw usage('url', `is ${quote(redactUrl(url))}`, URL_ACCEPTED);
  }
  const workingDirectory = resolve(cwd, get('working-directory') || '.');
  const config = get('config') || DEFAULT_CONFIG;
  const tool = get('tool') || undefined;
  const args = parseArguments(get('arguments'));
  if (args !== undefined && tool === undefined) {
    throw usage(
      'arguments',
      'is set without the tool input',
      'set tool as well, or remove arguments',
    );
  }
  const failOnBreakingPoint = parseBoolean(
    'fail-on-breaking-point',
    get('fail-on-breaking-point'),
    false,
  );
  const overrides: ThresholdOverrides = {
    p50Ms: parseNumber('p50-threshold-ms', get('p50-threshold-ms'), RULES.latencyThresholdMs),
    p95Ms: parseNumber('p95-threshold-ms', get('p95-threshold-ms'), RULES.latencyThresholdMs),
    p99Ms: parseNumber('p99-threshold-ms', get('p99-threshold-ms'), RULES.latencyThresholdMs),
    errorRate: parseNumber(
      'error-rate-threshold',
      get('error-rate-threshold'),
      RULES.errorRateThreshold,
    ),
    minThroughputRps: parseNumber(
      'min-throughput-rps',
      get('min-throughput-rps'),
      RULES.minThroughputRps,
    ),
    // Only `true` overrides: `false` (the default) leaves the config's fail_on_breaking_point.
    ...(failOnBreakingPoint ? { failOnBreakingPoint } : {}),
  };
  return {
    url,
    workingDirectory,
    configPath: resolve(workingDirectory, config),
    configIsDefault: config === DEFAULT_CONFIG,
    tool,
    arguments: args,
    vus: parseNumber('vus', get('vus'), RULES.virtualUsers),
    durationSecs: parseNumber('duration', get('duration'), RULES.durationSecs),
    ratePerSec: parseNumber('rate', get('rate'), RULES.arrivalRate),
    maxVus: parseNumber('max-vus', get('max-vus'), RULES.maxVus),
    iterations: parseNumber('iterations', get('iterations'), {
      ...RULES.virtualUsers,
      max: Number.MAX_SAFE_INTEGER,
      accepted: 'a whole number of scenario steps, 1 or more',
    }),
    workers:
      get('workers') === 'auto'
        ? 'auto'
        : parseNumber('workers', get('workers'), {
            ...RULES.virtualUsers,
            max: MAX_WORKERS,
            accepted: `auto, or a whole number of threads from 1 to ${MAX_WORKERS}`,
          }),
    overrides,
    githubToken: get('github-token'),
    comment: parseBoolean('comment', get('comment'), true),
    commentKey: parseCommentKey(get('comment-key')),
    reportDir: resolve(workingDirectory, get('report-dir') || DEFAULT_REPORT_DIR),
    htmlPath: get('html') === '' ? undefined : resolve(workingDirectory, get('html')),
    failOnThreshold: parseBoolean('fail-on-threshold', get('fail-on-threshold'), true),
    protocol: parseChoice('protocol', get('protocol'), PROTOCOL_SETTINGS),
    transport: parseChoice('transport', get('transport'), TRANSPORTS),
    shard,
    mergeReports,
    ...comparisonInputs(get, workingDirectory),
  };
}

/** `baseline` or `baseline-url` (one way to compare, not both), `rounds`, `max-regression`. */
function comparisonInputs(
  get: (name: string) => string,
  workingDirectory: string,
): Pick<ActionInputs, 'baselinePath' | 'baselineUrl' | 'rounds' | 'maxRegression'> {
  const baseline = get('baseline');
  const baselineUrl = get('baseline-url');
  if (baseline !== '' && baselineUrl !== '') {
    throw usage(
      'baseline-url',
      'is set together with baseline',
      'one of them: baseline (a report file) or baseline-url (a server run side by side)',
    );
  }
  if (
    baselineUrl !== '' &&
    (!URL.canParse(baselineUrl) || !/^https?:$/.test(new URL(baselineUrl).protocol))
  ) {
    throw usage('baseline-url', `is ${quote(redactUrl(baselineUrl))}`, URL_ACCEPTED);
  }
  const rounds = parseNumber('rounds', get('rounds'), {
    ...RULES.virtualUsers,
    max: MAX_ROUNDS,
    accepted: `a whole number of rounds per target, 1 to ${MAX_ROUNDS}, each at least ${MIN_ROUND_SECS} s of the duration`,
  });
  if (rounds !== undefined && baselineUrl === '') {
    throw usage(
      'rounds',
      'is set without baseline-url',
      'set baseline-url as well, or remove rounds',
    );
  }
  const maxRegression = parseNumber(
    'max-regression',
    get('max-regression'),
    RULES.maxP99Regression,
  );
  if (maxRegression !== undefined && baseline === '' && baselineUrl === '') {
    throw usage(
      'max-regression',
      'is set without baseline or baseline-url',
      'set one of them as well, or remove max-regression',
    );
  }
  return {
    baselinePath: baseline === '' ? undefined : resolve(workingDirectory, baseline),
    baselineUrl: baselineUrl === '' ? undefined : baselineUrl,
    rounds,
    maxRegression,
  };
}

function parseShardInput(text: string): ShardSpec | undefined {
  if (text === '') return undefined;
  const shard = parseShard(text);
  if (shard === null) {
    throw usage(
      'shard',
      `is ${quote(text)}`,
      `I/N with 1 <= I <= N <= ${MAX_SHARDS}, the I-th of N equal parts of the load, e.g. \${{ matrix.shard }}/3`,
    );
  }
  return shard;
}

/** '' → undefined (not set); otherwise a number within the rule, or one line saying why not. */
export function parseNumber(name: string, text: string, rule: NumberRule): number | undefined {
  if (text === '') return undefined;
  const n = Number(text);
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.minExclusive ? n > rule.min : n >= rule.min) &&
    n <= rule.max;
  if (!ok) throw usage(name, `is ${quote(text)}`, rule.accepted);
  return n;
}

/** '' → undefined (not set); otherwise one of `values`, or one line saying which are accepted. */
function parseChoice<T extends string>(
  name: string,
  text: string,
  values: readonly T[],
): T | undefined {
  if (text === '') return undefined;
  if (!(values as readonly string[]).includes(text)) {
    throw usage(name, `is ${quote(text)}`, values.join(', '));
  }
  return text as T;
}

/** The YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them. */
export function parseBoolean(name: string, text: string, fallback: boolean): boolean {
  if (text === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  throw usage(name, `is ${quote(text)}`, 'true or false');
}

function parseArguments(text: string): Record<string, unknown> | undefined {
  if (text === '') return undefined;
  const accepted = 'a JSON object of tool arguments, e.g. {"a": 1, "b": 2}';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usage('arguments', `is not valid JSON (${(error as Error).message})`, accepted);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage(
      'arguments',
      `is JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}, not an object`,
      accepted,
    );
  }
  return value as Record<string, unknown>;
}

function parseCommentKey(text: string): string {
  if (text === '') return 'default';
  if (text.length > MAX_COMMENT_KEY_CHARS || /[<>\u0000-\u001f\u007f]/.test(text)) {
    throw usage(
      'comment-key',
      `is ${quote(text)}`,
      `up to ${MAX_COMMENT_KEY_CHARS} characters without < > or line breaks, e.g. \${{ matrix.os }}-node\${{ matrix.node }}`,
    );
  }
  return text;
}

export function usage(input: string, what: string, accepted: string): LoadtestError {
  return new LoadtestError('USAGE', `input ${input} ${what}; accepted: ${accepted}`);
}

/** A value echoed in a message: quoted, one line, at most 60 characters. */
function quote(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 59)}…` : line);
}
