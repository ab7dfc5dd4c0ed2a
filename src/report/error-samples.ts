/**
 * Error samples as the schema promises them (`errorSample`): the first message of each error
 * kind, sanitised and at most SAMPLE_MAX_CHARS characters. The messages quote the server (error
 * bodies, JSON-RPC messages, tool names): without this a long error page made the report fail
 * its own schema, and the run ended in an internal error with no report at all.
 */
import type { ErrorKind } from '../protocol/outcome.js';
import { sanitizeForTerminal } from '../text/sanitize.js';

/** The schema's `maxLength`, which counts code points (not UTF-16 units, not graphemes). */
export const SAMPLE_MAX_CHARS = 300;

export function reportSamples(
  samples: Readonly<Partial<Record<ErrorKind, string>>>,
): Partial<Record<ErrorKind, string>> {
  const out: Partial<Record<ErrorKind, string>> = {};
  for (const [kind, text] of Object.entries(samples) as [ErrorKind, string][]) {
    const points = Array.from(sanitizeForTerminal(text).trim());
    out[kind] =
      points.length <= SAMPLE_MAX_CHARS
        ? points.join('')
        : `${points.slice(0, SAMPLE_MAX_CHARS - 1).join('')}…`;
  }
  return out;
}
