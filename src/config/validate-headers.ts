/**
 * `[settings.headers]`: header name → value, with `${ENV_VAR}` references filled in from the
 * environment (`$${` writes a literal `${`). Values are secrets (tokens, API keys): no message
 * built here ever contains one, not even the part of a value around a bad reference; errors
 * name the header and, for a missing variable, the variable.
 *
 * The rules are config/header-rules.ts, shared with `--header` and the action's `headers`.
 */
import type { ConfigChecker } from './config-checker.js';
import {
  HEADER_NAME_ACCEPTED,
  HEADER_VALUE_ACCEPTED,
  headerNameProblem,
  headerProblem,
  MANAGED_ACCEPTED,
  managedReason,
} from './header-rules.js';
import { describeType, isTable, quoteText } from './describe-value.js';
import { formatKeyPath } from './toml-position.js';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADERS_PATH = ['settings', 'headers'] as const;
const VALUE_ACCEPTED = 'accepted: a string, which may use ${ENV_VAR} references';

export function readHeaders(
  check: ConfigChecker,
  raw: unknown,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  if (raw === undefined) return {};
  if (!isTable(raw)) {
    check.fail(
      HEADERS_PATH,
      `settings.headers must be a table, got ${describeType(raw)}`,
      'accepted: a [settings.headers] table of Header-Name = "value" strings',
    );
  }
  const headers: [string, string][] = [];
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(raw)) {
    const path = [...HEADERS_PATH, name];
    const label = formatKeyPath(path);
    const lower = name.toLowerCase();
    const nameProblem = headerNameProblem(name);
    if (nameProblem === 'name') {
      check.fail(
        path,
        `settings.headers has an invalid header name ${quoteText(name)}`,
        `accepted: ${HEADER_NAME_ACCEPTED}`,
      );
    }
    if (nameProblem === 'managed') {
      check.fail(
        path,
        `${label} cannot be set in the config: it ${managedReason(name)}`,
        `accepted: ${MANAGED_ACCEPTED}`,
      );
    }
    if (seen.has(lower)) {
      check.fail(
        path,
        `${label} sets the same header twice (header names are case-insensitive)`,
        'accepted: one entry per header name',
      );
    }
    seen.add(lower);
    if (typeof value !== 'string') {
      check.fail(path, `${label} must be a string, got ${describeType(value)}`, VALUE_ACCEPTED);
    }
    const filled = interpolate(value, env, (what, accepted) =>
      check.fail(path, `${label} ${what}`, accepted),
    );
    if (headerProblem(name, filled) === 'value') {
      check.fail(
        path,
        `${label} contains a line break, control character or character above U+00FF`,
        `accepted: ${HEADER_VALUE_ACCEPTED} (check the variables it references)`,
      );
    }
    headers.push([name, filled]);
  }
  return Object.fromEntries(headers);
}

function interpolate(
  template: string,
  env: NodeJS.ProcessEnv,
  fail: (what: string, accepted: string) => never,
): string {
  let out = '';
  let i = 0;
  for (;;) {
    const dollar = template.indexOf('$', i);
    if (dollar === -1) return out + template.slice(i);
    out += template.slice(i, dollar);
    if (template.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
    } else if (template.startsWith('${', dollar)) {
      const close = template.indexOf('}', dollar + 2);
      const name = close === -1 ? '' : template.slice(dollar + 2, close);
      if (!VARIABLE_NAME.test(name)) {
        fail(
          'has a malformed ${...} reference',
          'accepted: ${NAME} with NAME made of letters, digits and _, or $${ for a literal ${',
        );
      }
      const value = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
      if (typeof value !== 'string') {
        fail(
          `refers to environment variable ${name}, which is not set`,
          `set ${name} in the environment (in a workflow: env:) or remove the reference`,
        );
      }
      out += value;
      i = close + 1;
    } else {
      out += '$';
      i = dollar + 1;
    }
  }
}
