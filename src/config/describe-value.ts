/**
 * How TOML values are named in error messages: `"10" (a string)`, `1.5 (a float)`, `a table`.
 * Every piece of user text goes through `quoteText`, so a message stays on one line whatever the
 * TOML held. Secrets (header values) are described by type only: see `describeType`.
 */

const MAX_QUOTED_CHARS = 40;

/** A TOML table as smol-toml returns it: a plain (null-prototype) object. */
export function isTable(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/** JSON-quoted and shortened, with the line separators JSON leaves raw escaped as well. */
export function quoteText(text: string): string {
  const short = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS - 1)}…` : text;
  return JSON.stringify(short).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The TOML type of a value, with its article: `an integer`, `a date-time`. */
export function describeType(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'bigint':
      return 'an integer';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a float';
    default:
      if (Array.isArray(value)) return 'an array';
      if (value instanceof Date) return dateKind(value);
      return 'a table';
  }
}

/** The value as TOML would spell it, then its type: `"10" (a string)`, `nan (a float)`. */
export function describeValue(value: unknown): string {
  const type = describeType(value);
  if (typeof value === 'string') return `${quoteText(value)} (${type})`;
  if (typeof value === 'number') return `${numberText(value)} (${type})`;
  if (typeof value === 'bigint' || typeof value === 'boolean') return `${String(value)} (${type})`;
  if (value instanceof Date) return `${dateText(value)} (${type})`;
  return type;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

interface TomlDateLike {
  isDate?: () => boolean;
  isTime?: () => boolean;
  isLocal?: () => boolean;
}

function dateKind(value: Date): string {
  const date = value as Date & TomlDateLike;
  if (date.isDate?.() === true) return 'a date';
  if (date.isTime?.() === true) return 'a time';
  return date.isLocal?.() === true ? 'a local date-time' : 'a date-time';
}

/** smol-toml's TomlDate prints the TOML form (`1979-05-27`, `07:32:00.000`) from toISOString. */
export function dateText(value: Date): string {
  try {
    return value.toISOString();
  } catch {
    return 'an invalid date'; // a plain invalid Date throws RangeError; TOML never yields one
  }
}
