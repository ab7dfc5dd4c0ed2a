/**
 * The one set of rules for a user's extra HTTP headers, wherever they come from: the config's
 * `[settings.headers]`, the CLI's `--header`, the action's `headers` input. A header that breaks
 * a rule would otherwise reach the HTTP client, which throws on every request (or silently
 * replaces what mcp-loadtest must send), and the run would fail every `initialize` and blame
 * the server. Each site words the message for its input; the rules live only here.
 *
 * - names are RFC 9110 §5.6.2 tokens;
 * - values are tab, visible ASCII or obs-text (RFC 9110 §5.5): no control character, line break
 *   or character above U+00FF, which is what undici accepts;
 * - framing and connection headers belong to the HTTP client: undici refuses `Transfer-Encoding`,
 *   `Keep-Alive`, `Upgrade` and `Expect`, computes `Content-Length` and `Host`, and `Connection`
 *   would change how it reuses connections;
 * - protocol headers belong to mcp-loadtest (MCP 2025-11-25 "Transports": the client sends
 *   `Accept` with both media types, `Content-Type`, `Mcp-Session-Id`, `MCP-Protocol-Version`; and
 *   2026-07-28 "Streamable HTTP": `Mcp-Method` and `Mcp-Name`, which servers check against the
 *   body).
 *
 * `User-Agent` may be overridden (protocol/target.ts).
 */
import { HEADER } from '../protocol/mcp-vocabulary.js';

/** tchar (RFC 9110 §5.6.2), as a regular-expression character class. */
export const TOKEN_CHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
const TOKEN = new RegExp(`^${TOKEN_CHAR}+$`);
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/** Managed by the HTTP client (undici): refused or computed by it. */
export const CLIENT_MANAGED_HEADERS = [
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
] as const;

/** Sent by mcp-loadtest on every request (protocol/target.ts, protocol/mcp-connection.ts). */
export const LOADTEST_MANAGED_HEADERS = [
  'accept',
  'content-type',
  HEADER.protocolVersion,
  HEADER.sessionId,
  HEADER.method,
  HEADER.name,
] as const;

const MANAGED = new Set<string>([...CLIENT_MANAGED_HEADERS, ...LOADTEST_MANAGED_HEADERS]);

export const HEADER_NAME_ACCEPTED = "letters, digits and !#$%&'*+-.^_`|~";
export const HEADER_VALUE_ACCEPTED = 'tab, visible ASCII and Latin-1 characters';
export const MANAGED_ACCEPTED = `any header except ${[...MANAGED].sort().join(', ')} (auth and routing headers such as Authorization)`;

export type HeaderProblem = 'name' | 'managed' | 'value';

export function isValidHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

/** A value undici would send: tab, visible ASCII and Latin-1 (no CR, LF or NUL). */
export function isValidHeaderValue(value: string): boolean {
  return !INVALID_VALUE_CHAR.test(value);
}

/** The first rule `name` breaks, or undefined. */
export function headerNameProblem(name: string): HeaderProblem | undefined {
  if (!TOKEN.test(name)) return 'name';
  if (MANAGED.has(name.toLowerCase())) return 'managed';
  return undefined;
}

/** The first rule `name: value` breaks, or undefined. */
export function headerProblem(name: string, value: string): HeaderProblem | undefined {
  return headerNameProblem(name) ?? (INVALID_VALUE_CHAR.test(value) ? 'value' : undefined);
}

/** Why a managed header is refused, after its name: "… is managed by the HTTP client". */
export function managedReason(name: string): string {
  return (CLIENT_MANAGED_HEADERS as readonly string[]).includes(name.toLowerCase())
    ? 'is managed by the HTTP client'
    : 'is set by mcp-loadtest itself';
}
