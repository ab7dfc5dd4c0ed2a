/**
 * `init <URL>`: turns what a server listed (see `discover.ts`) into a commented TOML config in the
 * format of `cargo pmcp loadtest`. Unlike the Rust tool it gives every tool call the arguments its
 * input schema requires (`example-arguments.ts`) and never writes a weight of 0.
 *
 * Weights: tools share 70% of requests, resources 20%, prompts 10% (renormalised over the kinds
 * present); steps of one kind weigh the same. Weights are relative integers ≥ 1: when a share per
 * step drops below 1, all weights are scaled up instead of rounding to 0 (see `stepWeights`).
 *
 * Everything that came from the server is untrusted text: values are written as TOML basic strings
 * with every control, invisible or bidirectional character escaped (they round-trip exactly but
 * cannot hide in an editor), keys that are not bare keys are quoted, and text in comments is
 * flattened to one printable line.
 */

import { LoadtestError } from '../errors.js';
import type { Discovery } from './discover.js';
import { exampleArguments } from './example-arguments.js';
import { promptArguments } from './prompt-check.js';
import { settingsSection, thresholdsSection } from './init-template.js';
import type { OperationType } from '../config/types.js';

export type { Discovery } from './discover.js';

export interface GenerateOptions {
  /**
   * Leave a step out (listed as a comment instead). `name` is the tool name, URI or prompt name.
   */
  readonly exclude?: (kind: OperationType, name: string) => boolean;
  /** At most this many steps per kind; the rest are counted in a comment. */
  readonly maxPerKind?: number;
}

export const MAX_STEPS_PER_KIND = 50;

const SHARES: Readonly<Record<OperationType, number>> = {
  'tools/call': 70,
  'resources/read': 20,
  'prompts/get': 10,
};
const NOUNS: Readonly<Record<OperationType, string>> = {
  'tools/call': 'tools',
  'resources/read': 'resources',
  'prompts/get': 'prompts',
};
const DESCRIPTION_MAX_CHARS = 100;
/** How far (as a fraction of requests) a kind's generated share may stray from its target. */
const MIX_TOLERANCE = 0.02;

/**
 * One step's lines: comments above `[[scenario]]`, and the keys after `type` and `weight`. A step
 * with reasons `off` is written commented out (safe by default, see `offReasons`).
 */
interface Step {
  readonly comments: readonly string[];
  readonly body: readonly string[];
  readonly off: readonly string[];
}

export function generateConfig(d: Discovery, url: string, options: GenerateOptions = {}): string {
  const max = options.maxPerKind ?? MAX_STEPS_PER_KIND;
  const exclude = options.exclude ?? (() => false);
  const excluded: string[] = [];
  const pick = <T>(kind: OperationType, items: readonly T[], name: (t: T) => unknown) => {
    const seen = new Set<string>();
    const kept: { item: T; name: string }[] = [];
    for (const item of items) {
      const n = name(item);
      if (typeof n !== 'string' || n === '' || seen.has(n)) continue;
      seen.add(n);
      // A name TOML cannot hold (a lone surrogate) could not be sent back to the server either.
      const why = !isWellFormed(n)
        ? 'skipped (not valid Unicode)'
        : exclude(kind, n)
          ? 'excluded'
          : '';
      if (why === '') kept.push({ item, name: n });
      else excluded.push(`# ${why}: ${kind} ${commentText(n)}`);
    }
    return { kept: kept.slice(0, max), omitted: Math.max(0, kept.length - max) };
  };

  const tools = pick('tools/call', d.tools, (t) => t.name);
  const resources = pick('resources/read', d.resources, (r) => r.uri);
  const prompts = pick('prompts/get', d.prompts, (p) => p.name);
  const sections: [OperationType, { omitted: number }, Step[]][] = [
    ['tools/call', tools, tools.kept.map(({ item, name }) => toolStep(item, name))],
    ['resources/read', resources, resources.kept.map(({ name }) => resourceStep(name))],
    ['prompts/get', prompts, prompts.kept.map(({ item, name }) => promptStep(item, name))],
  ];
  // Steps that are on set the mix; a kind whose steps are all off still gets a weight.
  const counts = { 'tools/call': 0, 'resources/read': 0, 'prompts/get': 0 };
  const offCounts = { ...counts };
  for (const [kind, , steps] of sections) {
    for (const step of steps) (step.off.length === 0 ? counts : offCounts)[kind]++;
  }
  const offTotal = offCounts['tools/call'] + offCounts['resources/read'] + offCounts['prompts/get'];
  if (counts['tools/call'] + counts['resources/read'] + counts['prompts/get'] + offTotal === 0) {
    throw new LoadtestError(
      'DISCOVERY_FAILED',
      `${url} lists no tools, resources or prompts to test` +
        (excluded.length > 0 ? ` (${excluded.length} excluded)` : '') +
        '; run `mcp-loadtest init` without a URL for a template to fill in',
    );
  }
  const weightCounts = { ...counts };
  for (const kind of Object.keys(SHARES) as OperationType[]) {
    if (weightCounts[kind] === 0) weightCounts[kind] = offCounts[kind];
  }
  const weights = stepWeights(weightCounts);

  const out: string[] = [`# Generated from server: ${commentText(redactUrl(url), 500)}`];
  if (d.serverInfo !== undefined) {
    const { name, version } = d.serverInfo;
    out.push(`# Server: ${commentText(version ? `${name} ${version}` : name, 200)}`);
  }
  out.push('', settingsSection().trimEnd(), '');
  out.push('# Scenario steps discovered from server capabilities.');
  out.push('# Adjust weights to control the mix of operations (weights are relative).');
  out.push(`# Mix as generated: ${mixSummary(counts, weights)}.`);
  if (offTotal > 0) out.push(...OFF_HELP);

  for (const [kind, { omitted }, steps] of sections) {
    if (steps.length === 0 && omitted === 0) continue;
    out.push('', `# --- ${capitalise(NOUNS[kind])} (${kind}) ---`);
    for (const step of steps) {
      const lines = ['[[scenario]]', `type = ${tomlString(kind)}`, `weight = ${weights[kind]}`];
      lines.push(...step.body);
      if (step.off.length === 0) out.push('', ...step.comments, ...lines);
      else {
        out.push('', ...step.comments, `# off by default: ${step.off.join('; ')}.`);
        out.push(...lines.map((line) => (line.startsWith('#') ? line : `# ${line}`)));
      }
    }
    if (omitted > 0) {
      out.push('', `# ${omitted} more ${NOUNS[kind]} omitted (at most ${max} per kind).`);
    }
  }
  out.push(...templateComments(d.resourceTemplates ?? [], max));
  if (excluded.length > 0) out.push('', ...excluded);
  const needed = new Set(d.tools.flatMap((t) => t.needs ?? []));
  if (needed.size > 0) out.push('', ...clientSection(needed));
  out.push('', thresholdsSection().trimEnd());
  return out.join('\n') + '\n';
}

function toolStep(tool: Discovery['tools'][number], name: string): Step {
  const body = [`tool = ${tomlString(name)}`];
  const { args, complete } = exampleArguments(tool.inputSchema);
  const state = { lossless: true };
  const inline = tomlInlineTable(args, state);
  if (!complete || !state.lossless) {
    body.push('# check these arguments: the input schema did not yield a usable value for each');
  }
  if (inline !== '{}') body.push(`arguments = ${inline}`);
  else if (!complete || !state.lossless) body.push('# arguments = {}');
  const off = offReasons(tool);
  const caution = off.length > 0 ? [] : cautionFor(tool);
  return { comments: [...describe(tool.description), ...caution], body, off };
}

/** Said once above the steps when some are written commented out. */
const OFF_HELP = [
  '#',
  '# Safe by default: tools that change state, reach outside systems or need a client',
  '# capability, and prompts whose placeholder arguments the server refused, are written',
  '# commented out ("# off by default: <why>"). To load one, remove the "# " before its',
  '# [[scenario]] lines, once you know it is safe to call thousands of times; a tool that',
  '# needs a capability also needs its answer in [client] (below).',
];

/**
 * Why a tool is written commented out, or none. Only explicit annotations count (MCP
 * `ToolAnnotations`: they are hints, and the spec's defaults would turn off every unannotated
 * tool); `destructiveHint` means something only when the tool is not read-only.
 */
export function offReasons(tool: Discovery['tools'][number]): string[] {
  const hints = tool.annotations ?? {};
  const why: string[] = [];
  if (hints.readOnlyHint !== true && hints.destructiveHint === true) {
    why.push('the server marks it destructive (destructiveHint)');
  }
  if (hints.readOnlyHint === false) why.push('it changes state (readOnlyHint: false)');
  if (hints.openWorldHint === true) {
    why.push('it reaches outside systems (openWorldHint: true)');
  }
  for (const capability of tool.needs ?? []) {
    why.push(`it needs the client's ${capability} capability ([client] ${capability})`);
  }
  // 2025-11-25 "Tasks": a tool that runs only as a task fails a plain call; the 2025-era client
  // does not ask for tasks (2026-07-28 servers return task results, which `run` polls).
  if (tool.taskSupport === 'required') {
    why.push('it runs only as a task (execution.taskSupport: required)');
  }
  return why;
}

/** A commented `[client]` block with an answer for each capability some tool needs. */
function clientSection(needed: ReadonlySet<string>): string[] {
  const out = [
    '# --- Client answers (for the steps that need a capability) ---',
    '# A capability is declared only when its answer is configured here; the server then asks',
    '# the load test instead of a user or a model, and gets these canned answers.',
    '# [client]',
  ];
  if (needed.has('sampling')) out.push('# sampling = { text = "canned model answer" }');
  if (needed.has('elicitation')) {
    out.push('# elicitation = { action = "accept", content = { name = "load test" } }');
  }
  if (needed.has('roots')) out.push('# roots = ["file:///workspace"]');
  return out;
}

// Words in a tool name that suggest side effects or sensitive output under load.
const RISKY_WORDS = new Set(
  (
    'delete remove rm drop destroy purge wipe erase truncate reset kill shutdown terminate exec ' +
    'execute shell run deploy publish send email pay charge transfer env secret secrets ' +
    'credential credentials password token'
  ).split(' '),
);

/**
 * A caution line when the tool's name suggests the step is unsafe to repeat thousands of times
 * though its annotations (if any) do not turn it off. The step stays in: the user decides.
 */
function cautionFor(tool: Discovery['tools'][number]): string[] {
  const words = tool.name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).map((w) => w.toLowerCase());
  if (!words.some((w) => RISKY_WORDS.has(w))) return [];
  return [
    "# caution: the tool's name suggests side effects or sensitive output.",
    '# Remove this step if it must not run thousands of times.',
  ];
}

function resourceStep(uri: string): Step {
  return { comments: [], body: [`uri = ${tomlString(uri)}`], off: [] };
}

function promptStep(prompt: Discovery['prompts'][number], name: string): Step {
  const body = [`prompt = ${tomlString(name)}`];
  const args = promptArguments(prompt);
  if (args !== undefined) {
    body.push('# check these arguments: prompts declare no types, so "example" is a placeholder');
    body.push(`arguments = ${tomlInlineTable(args, { lossless: true })}`);
  }
  const off =
    prompt.refused === undefined
      ? []
      : [`the server refused the placeholder arguments (${commentText(prompt.refused, 120)})`];
  return { comments: describe(prompt.description), body, off };
}

function describe(description: string | undefined): string[] {
  const text = typeof description === 'string' ? commentText(description) : '';
  return text === '' ? [] : [`# ${text}`];
}

function templateComments(
  templates: NonNullable<Discovery['resourceTemplates']>,
  max: number,
): string[] {
  const usable = templates.filter((t) => typeof t.uriTemplate === 'string' && t.uriTemplate !== '');
  if (usable.length === 0) return [];
  const out = [
    '',
    '# --- Resource templates ---',
    '# These need concrete values for their {placeholders}: to load one, add a',
    '# resources/read step with a real URI.',
  ];
  for (const t of usable.slice(0, max)) {
    const label = t.name ? `  (${commentText(t.name, 60)})` : '';
    out.push(`# template: ${commentText(t.uriTemplate, 300)}${label}`);
  }
  if (usable.length > max) out.push(`# ${usable.length - max} more templates omitted.`);
  return out;
}

/**
 * Per-step weight of each kind: shares 70/20/10 over the kinds present, integers ≥ 1. The weights
 * are the per-step shares scaled by the smallest factor that lifts every one to ≥ 1 and keeps each
 * kind within MIX_TOLERANCE of its share after rounding (e.g. 13 tools, 7 resources, 4 prompts →
 * 11, 6, 5: 70%/20%/10%); 4 tools alone weigh 25 each, as `cargo pmcp loadtest` weighs them.
 */
export function stepWeights(
  counts: Readonly<Record<OperationType, number>>,
): Record<OperationType, number> {
  const kinds = (Object.keys(SHARES) as OperationType[]).filter((k) => counts[k] > 0);
  const totalShare = kinds.reduce((sum, k) => sum + SHARES[k], 0);
  const target = (k: OperationType) => SHARES[k] / totalShare;
  const raw = kinds.map((k) => (100 * target(k)) / counts[k]);
  const base = Math.max(1, 1 / Math.min(...raw));
  let best: { weights: Record<OperationType, number>; error: number } | undefined;
  for (let m = 1; m <= 100; m++) {
    const weights = { 'tools/call': 0, 'resources/read': 0, 'prompts/get': 0 };
    kinds.forEach((k, i) => (weights[k] = Math.max(1, Math.round(raw[i]! * base * m))));
    const total = kinds.reduce((sum, k) => sum + counts[k] * weights[k], 0);
    const error = Math.max(
      ...kinds.map((k) => Math.abs((counts[k] * weights[k]) / total - target(k))),
    );
    if (best === undefined || error < best.error) best = { weights, error };
    if (error <= MIX_TOLERANCE) break;
  }
  return best!.weights;
}

function mixSummary(
  counts: Readonly<Record<OperationType, number>>,
  weights: Readonly<Record<OperationType, number>>,
): string {
  const kinds = (Object.keys(SHARES) as OperationType[]).filter((k) => counts[k] > 0);
  if (kinds.length === 0) return 'none on (every step below is commented out)';
  const total = kinds.reduce((sum, k) => sum + counts[k] * weights[k], 0);
  return kinds
    .map((k) => `${NOUNS[k]} ~${Math.round((100 * counts[k] * weights[k]) / total)}%`)
    .join(', ');
}

// ---- TOML literals -------------------------------------------------------------------------

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
// Must be escaped (C0, DEL) or should be, so untrusted text cannot hide: C1, zero-width, line and
// paragraph separators, bidirectional overrides and isolates, BOM.
const ESCAPE = /["\\\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** A TOML basic string. The caller guarantees `s` is well formed (no lone surrogates). */
export function tomlString(s: string): string {
  const body = s.replace(
    ESCAPE,
    (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${body}"`;
}

export function tomlKey(k: string): string {
  return BARE_KEY.test(k) ? k : tomlString(k);
}

/**
 * A value as a one-line TOML literal, or undefined when TOML has no form for it (null, undefined,
 * NaN, a lone surrogate, a function...). Members of tables that have none are dropped and
 * `state.lossless` is cleared; an array with such an element has none itself.
 */
function tomlValue(v: unknown, state: { lossless: boolean }, depth = 0): string | undefined {
  if (depth > 64) return undefined;
  switch (typeof v) {
    case 'string':
      return isWellFormed(v) ? tomlString(v) : undefined;
    case 'boolean':
      return String(v);
    case 'number':
      if (!Number.isFinite(v)) return undefined;
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) return v.toExponential(); // a float
      return String(v);
    case 'object': {
      if (v === null) return undefined;
      if (Array.isArray(v)) {
        const items = v.map((item) => tomlValue(item, state, depth + 1));
        return items.every((i) => i !== undefined) ? `[${items.join(', ')}]` : undefined;
      }
      return tomlInlineTable(v as Record<string, unknown>, state, depth);
    }
    default:
      return undefined;
  }
}

function tomlInlineTable(
  table: Record<string, unknown>,
  state: { lossless: boolean },
  depth = 0,
): string {
  const members: string[] = [];
  for (const [k, v] of Object.entries(table)) {
    const value = isWellFormed(k) ? tomlValue(v, state, depth + 1) : undefined;
    if (value === undefined) state.lossless = false;
    else members.push(`${tomlKey(k)} = ${value}`);
  }
  return members.length === 0 ? '{}' : `{ ${members.join(', ')} }`;
}

/** Untrusted text flattened for a `#` comment: one line, printable, at most `max` characters. */
export function commentText(s: string, max = DESCRIPTION_MAX_CHARS): string {
  const flat = s
    .replace(ESCAPE, (c) => (c === '"' || c === '\\' ? c : ' '))
    .replace(new RegExp(LONE_SURROGATE, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...flat];
  return chars.length <= max
    ? flat
    : chars
        .slice(0, max - 1)
        .join('')
        .trimEnd() + '…';
}

const SECRET_PARAM = /token|key|secret|pass|auth|sig|session|code/i;

/** The URL for the header comment, with credentials (userinfo, token-like query values) masked. */
function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const secretKeys = [...u.searchParams.keys()].filter((k) => SECRET_PARAM.test(k));
  // Untouched URLs are kept as typed (URL#toString would normalise them).
  if (!u.username && !u.password && secretKeys.length === 0) return url;
  if (u.username) u.username = '***';
  if (u.password) u.password = '***';
  for (const key of secretKeys) u.searchParams.set(key, '***');
  return u.toString();
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
