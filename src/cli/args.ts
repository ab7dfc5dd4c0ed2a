/**
 * Command-line parsing on node:util parseArgs, with our own one-line errors: what was wrong,
 * and what is accepted.
 */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LoadtestError } from '../errors.js';
import {
  HEADER_VALUE_ACCEPTED,
  headerProblem,
  isValidHeaderName,
  MANAGED_ACCEPTED,
  managedReason,
} from '../config/header-rules.js';
import { PROTOCOL_SETTINGS, TRANSPORTS, type TransportKind } from '../protocol/mcp-vocabulary.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseCommand(
  command: string,
  argv: string[],
  options: OptionSpec,
  maxPositionals: number,
): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const text = (err as Error).message;
    const flag = /'(-{1,2}[^'\s]+)/.exec(text)?.[1];
    const accepted = Object.keys(options)
      .map((o) => `--${o}`)
      .join(', ');
    if (/Unknown option/.test(text)) {
      throw new LoadtestError(
        'USAGE',
        `${command}: unknown option ${flag ?? ''}; accepted: ${accepted}`,
      );
    }
    if (/argument missing/.test(text)) {
      throw new LoadtestError('USAGE', `${command}: option ${flag ?? ''} needs a value`);
    }
    if (/argument is ambiguous/.test(text) && flag !== undefined) {
      // `--duration -1`: parseArgs will not take a value that looks like an option.
      const long = longName(flag, options);
      const at = argv.findIndex((arg, i) => arg === flag && argv[i + 1]?.startsWith('-'));
      const value = at === -1 ? '' : (argv[at + 1] ?? '');
      // A --header value is usually a token: never echo it.
      const shown = long === '--header' ? '<value>' : value.slice(0, 40);
      throw new LoadtestError(
        'USAGE',
        `${command}: option ${flag} needs a value, got the option-like "${shown}"; write ${long}=${shown} if that is the value`,
      );
    }
    if (/does not take an argument/.test(text)) {
      const long = /--[^'\s]+/.exec(text)?.[0] ?? flag ?? '';
      throw new LoadtestError(
        'USAGE',
        `${command}: option ${long} takes no value; pass ${long} alone`,
      );
    }
    throw new LoadtestError('USAGE', `${command}: ${text.split('\n')[0]}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new LoadtestError(
      'USAGE',
      `${command}: unexpected argument "${parsed.positionals[maxPositionals]}"; see mcp-loadtest ${command} --help`,
    );
  }
  return { values: parsed.values as Parsed['values'], positionals: parsed.positionals };
}

/** `-H` → `--header`; a long flag is returned as it is. */
function longName(flag: string, options: OptionSpec): string {
  if (flag.startsWith('--')) return flag;
  const entry = Object.entries(options).find(([, o]) => o.short === flag.slice(1));
  return entry === undefined ? flag : `--${entry[0]}`;
}

export function intOption(
  command: string,
  name: string,
  raw: unknown,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new LoadtestError(
      'USAGE',
      `${command}: --${name} must be an integer from ${min} to ${max}, got "${text}"`,
    );
  }
  return n;
}

export function numberOption(
  command: string,
  name: string,
  raw: unknown,
  min: number,
  max: number,
  exclusiveMin = false,
): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  const n = Number(text);
  if (
    text.trim() === '' ||
    !Number.isFinite(n) ||
    n < min ||
    (exclusiveMin && n === min) ||
    n > max
  ) {
    const range = exclusiveMin ? `greater than ${min} and at most ${max}` : `from ${min} to ${max}`;
    throw new LoadtestError(
      'USAGE',
      `${command}: --${name} must be a number ${range}, got "${text}"`,
    );
  }
  return n;
}

/**
 * `--header 'Name: value'` (repeatable) → { Name: value }, under the same rules as the config's
 * [settings.headers] (config/header-rules.ts).
 */
export function headerOptions(command: string, raw: unknown): Record<string, string> {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  // A null prototype: `--header "__proto__: x"` is a header, not a prototype.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const item of list) {
    const colon = item.indexOf(':');
    const name = colon === -1 ? '' : item.slice(0, colon).trim();
    if (colon === -1 || !isValidHeaderName(name)) {
      // Never echo the value: it is usually a token.
      throw new LoadtestError(
        'USAGE',
        `${command}: --header must look like "Name: value" with a valid header name, got one ${colon === -1 ? 'without ":"' : `named "${name.slice(0, 40)}"`}`,
      );
    }
    const value = item.slice(colon + 1).trim();
    const problem = headerProblem(name, value);
    if (problem === 'managed') {
      throw new LoadtestError(
        'USAGE',
        `${command}: --header "${name}" cannot be set: it ${managedReason(name)}; accepted: ${MANAGED_ACCEPTED}`,
      );
    }
    if (problem === 'value') {
      throw new LoadtestError(
        'USAGE',
        `${command}: --header "${name}" has a line break, control character or character above U+00FF in its value; accepted: ${HEADER_VALUE_ACCEPTED}`,
      );
    }
    out[name] = value;
  }
  return out;
}

/**
 * `--report PATH` / `--no-report`: the report path resolved against `cwd`, null for no report,
 * undefined for the default path under .pmcp/reports, `-` for standard output.
 */
export function reportOption(
  command: string,
  values: Parsed['values'],
  cwd: string,
): string | null | undefined {
  if (values['no-report'] === true) {
    if (values.report !== undefined) {
      throw new LoadtestError(
        'USAGE',
        `${command}: --report and --no-report exclude each other; pass one`,
      );
    }
    return null;
  }
  if (values.report === undefined) return undefined;
  // `-` is standard output (the summary then goes to stderr), as in most Unix tools.
  const raw = String(values.report);
  return raw === '-' ? raw : resolve(cwd, raw);
}

/** `--transport T`: a transport of TRANSPORTS; undefined when not given. */
export function transportOption(command: string, raw: unknown): TransportKind | undefined {
  if (raw === undefined) return undefined;
  const value = String(raw);
  if (!(TRANSPORTS as readonly string[]).includes(value)) {
    throw new LoadtestError(
      'USAGE',
      `${command}: --transport must be a transport name, got "${value.slice(0, 40)}"; accepted: ${TRANSPORTS.join(', ')}`,
    );
  }
  return value as TransportKind;
}

/** `--protocol V`: "auto" or a revision of PROTOCOL_SETTINGS; undefined when not given. */
export function protocolOption(command: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  const value = String(raw);
  if (!(PROTOCOL_SETTINGS as readonly string[]).includes(value)) {
    throw new LoadtestError(
      'USAGE',
      `${command}: --protocol must be auto or an MCP revision, got "${value.slice(0, 40)}"; accepted: ${PROTOCOL_SETTINGS.join(', ')}`,
    );
  }
  return value;
}
