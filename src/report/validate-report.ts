/**
 * Checks a report against `schema/report.schema.json`, the published contract. The report is
 * built by our own code, so a failure is an internal error: it must never reach a user's disk as
 * a file that `jq` scripts or the schema would reject.
 *
 * The validator is ajv's standalone code for that schema, generated at build time by
 * scripts/gen-validator.mjs (compiling the schema at run time cost 100–300 ms of CPU per run).
 * The unit tests check that the generated file matches the schema.
 */
import type { ErrorObject } from 'ajv';
import { LoadtestError } from '../errors.js';
import { validate } from './report-validator.generated.js';

export type ReportValidation = { valid: true } | { valid: false; errors: string[] };

export function validateReport(report: unknown): ReportValidation {
  if (validate(report)) return { valid: true };
  const errors = describeErrors(validate.errors ?? []);
  return { valid: false, errors: errors.length > 0 ? errors : ['/ is invalid'] };
}

/** Throws REPORT_INVALID (exit code 1) naming the first three problems. */
export function assertValidReport(report: unknown): void {
  const result = validateReport(report);
  if (result.valid) return;
  throw new LoadtestError(
    'REPORT_INVALID',
    `internal error: the report does not match schema/report.schema.json: ${result.errors
      .slice(0, 3)
      .join('; ')}`,
    { exitCode: 1 },
  );
}

/** One line per problem, `<JSON pointer> <what is wrong>`, duplicates and `if` noise removed. */
function describeErrors(errors: readonly ErrorObject[]): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    // "must match "then" schema" only repeats the concrete error reported beside it.
    if (error.keyword === 'if') continue;
    const line = describeError(error);
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

function describeError(error: ErrorObject): string {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${pointer(at, String(params.missingProperty))} is required`;
    case 'additionalProperties':
      return `${pointer(at, String(params.additionalProperty))} is not allowed (unknown property)`;
    case 'false schema':
      return `${show(at)} must be absent here`;
    case 'enum':
      return `${show(at)} must be one of ${JSON.stringify(params.allowedValues)}`;
    case 'const':
      return `${show(at)} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${show(at)} ${error.message ?? 'is invalid'}`;
  }
}

/** Appends one JSON-pointer segment (RFC 6901 escaping, as ajv does for instancePath). */
function pointer(base: string, key: string): string {
  return show(`${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

/**
 * Paths can contain server-provided tool names; escape control characters so an error message
 * cannot carry terminal escape sequences or line breaks.
 */
function show(path: string): string {
  if (path === '') return '/';
  return path.replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
