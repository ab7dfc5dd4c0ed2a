/**
 * Request metadata headers of the 2026-07-28 Streamable HTTP transport ("Request Metadata"):
 * `Mcp-Name` and `Mcp-Param-{Name}` values, and the `x-mcp-header` annotations that say which
 * tool arguments are mirrored into headers.
 *
 * Value encoding ("Value Encoding"): a value that is not plain header-safe ASCII (non-ASCII,
 * control characters, leading or trailing whitespace), or that itself looks like the sentinel, is
 * sent as `=?base64?{Base64 of the UTF-8 bytes}?=`.
 */

/** RFC 9110 §5.1 field-name token: what an `x-mcp-header` value must be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SENTINEL = /^=\?base64\?.*\?=$/s;

/** A header value per the spec's Value Encoding, Base64-wrapped when it is not safe as is. */
export function encodeHeaderValue(value: string): string {
  let safe = value.length > 0 && value.trim() === value && !SENTINEL.test(value);
  for (let i = 0; safe && i < value.length; i++) {
    const c = value.charCodeAt(i);
    // Visible ASCII, space and horizontal tab (RFC 9110 field values).
    if (!((c >= 0x20 && c <= 0x7e) || c === 0x09)) safe = false;
  }
  return safe ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** One argument mirrored into a header: where it is in `arguments`, and the header's name. */
export interface ParamHeader {
  /** `mcp-param-{name}`, lower-case (header names compare case-insensitively). */
  readonly header: string;
  /** The chain of `properties` keys from the schema root to the argument. */
  readonly path: readonly string[];
}

export type ParamHeaderScan =
  { ok: true; headers: readonly ParamHeader[] } | { ok: false; reason: string };

const PRIMITIVES = new Set(['string', 'integer', 'boolean']);

/**
 * The `x-mcp-header` annotations of a tool's `inputSchema` ("Schema Extension"): statically
 * reachable through `properties` only, a token name unique case-insensitively, on a string,
 * integer or boolean property. A violation makes the whole tool definition invalid.
 */
export function scanParamHeaders(inputSchema: unknown): ParamHeaderScan {
  const found: ParamHeader[] = [];
  const seen = new Set<string>();
  const walk = (schema: unknown, path: string[], reachable: boolean): string | null => {
    if (schema === null || typeof schema !== 'object') return null;
    const node = schema as Record<string, unknown>;
    const name = node['x-mcp-header'];
    if (name !== undefined) {
      const where = path.length === 0 ? 'the schema root' : `property "${path.join('.')}"`;
      if (!reachable || path.length === 0) {
        return `x-mcp-header on ${where} is not reachable through "properties" alone`;
      }
      if (typeof name !== 'string' || !TOKEN.test(name)) {
        return `x-mcp-header ${JSON.stringify(name)} on ${where} is not an HTTP token`;
      }
      const lower = name.toLowerCase();
      if (seen.has(lower)) return `x-mcp-header "${name}" is used twice`;
      if (typeof node.type !== 'string' || !PRIMITIVES.has(node.type)) {
        return `x-mcp-header "${name}" on ${where} is not on a string, integer or boolean`;
      }
      seen.add(lower);
      found.push({ header: `mcp-param-${lower}`, path: path.slice() });
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'properties' && child !== null && typeof child === 'object') {
        for (const [prop, sub] of Object.entries(child as Record<string, unknown>)) {
          const problem = walk(sub, [...path, prop], reachable);
          if (problem !== null) return problem;
        }
      } else if (child !== null && typeof child === 'object') {
        // Annotations below items/oneOf/$defs/… are not statically reachable: invalid if present.
        const problem = walk(child, path, false);
        if (problem !== null) return problem;
      }
    }
    return null;
  };
  const problem = walk(inputSchema, [], true);
  return problem === null ? { ok: true, headers: found } : { ok: false, reason: problem };
}

/**
 * The `[name, value, …]` header pairs for one call's arguments ("Client Behavior"): a value
 * absent or null at its path is omitted; integers in decimal, booleans lower-case.
 */
export function paramHeaderPairs(
  headers: readonly ParamHeader[],
  args: Readonly<Record<string, unknown>> | undefined,
): string[] {
  const pairs: string[] = [];
  for (const { header, path } of headers) {
    let value: unknown = args;
    for (const key of path) {
      value =
        value !== null && typeof value === 'object' && Object.hasOwn(value, key)
          ? (value as Record<string, unknown>)[key]
          : undefined;
    }
    if (value === undefined || value === null) continue;
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value))
          ? String(value)
          : undefined;
    if (text !== undefined) pairs.push(header, encodeHeaderValue(text));
  }
  return pairs;
}
