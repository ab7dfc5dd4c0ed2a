/**
 * The `headers` input: one `Name: value` per line, sent on every request. Values are secrets
 * (bearer tokens, API keys). Each one is passed to `mask` (core.setSecret) in a first pass over
 * the raw text, before any line is validated, so even a malformed input never reaches the log
 * unmasked; no message built here contains a value.
 *
 * Masking follows the scrubbing rule of protocol/target.ts: the whole value, and each word of 8
 * or more characters (a server may echo just the token of "Bearer …"). Values under 4 characters
 * are not masked: the runner would blank every occurrence of them in the log, digits included.
 */
import {
  HEADER_NAME_ACCEPTED,
  HEADER_VALUE_ACCEPTED,
  headerProblem,
  MANAGED_ACCEPTED,
  managedReason,
} from '../config/header-rules.js';
import { secretParts } from '../protocol/target.js';
import { usage } from './inputs.js';

const ACCEPTED =
  'one "Name: value" per line, e.g. "Authorization: Bearer ${{ secrets.MCP_TOKEN }}"';

export function maskSecret(value: string, mask: (secret: string) => void): void {
  for (const part of secretParts(value)) mask(part);
}

/** Masks every value, then parses; throws one line naming the input and the line number. */
export function readHeaderInput(
  text: string,
  mask: (secret: string) => void,
): Record<string, string> {
  const lines = text.split(/\r\n|\r|\n/);
  for (const line of lines) {
    const colon = line.indexOf(':');
    maskSecret((colon === -1 ? line : line.slice(colon + 1)).trim(), mask);
  }
  // A null prototype: a header named "__proto__" is a header, not a prototype.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  const seen = new Set<string>();
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `line ${index + 1}`;
    const colon = line.indexOf(':');
    if (colon === -1) throw usage('headers', `${where} has no ":"`, ACCEPTED);
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    const problem = headerProblem(name, value);
    if (problem === 'name') {
      throw usage(
        'headers',
        `${where} has an invalid header name`,
        `${ACCEPTED}; names use ${HEADER_NAME_ACCEPTED}`,
      );
    }
    const lower = name.toLowerCase();
    if (problem === 'managed') {
      throw usage(
        'headers',
        `${where} sets ${name}, which ${managedReason(name)}`,
        MANAGED_ACCEPTED,
      );
    }
    if (seen.has(lower)) {
      throw usage(
        'headers',
        `${where} sets ${name} a second time (names are case-insensitive)`,
        'one line per header',
      );
    }
    if (problem === 'value') {
      throw usage(
        'headers',
        `${where} (${name}) has a control character or a character above U+00FF in its value`,
        HEADER_VALUE_ACCEPTED,
      );
    }
    seen.add(lower);
    headers[name] = value;
  });
  return headers;
}
