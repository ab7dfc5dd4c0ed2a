/**
 * How one request ended. A small integer so the hot path records into preallocated arrays (the
 * type is a union of the constants below, so a stray number does not type-check);
 * `ERROR_KINDS[outcome - 1]` is the name used in reports and summaries.
 *
 * timeout            the whole response did not arrive within `timeout_ms`
 * jsonrpc            the server answered with a JSON-RPC `error` object
 * http               an HTTP status other than 2xx (session loss excepted)
 * connection         the TCP connection failed or was reset before a response
 * tool               `tools/call` answered `result.isError: true` (the tool itself failed)
 * session_expired    404, or 400 naming the session id: the VU re-initializes
 * protocol           the response was not valid MCP: bad JSON, wrong media type, no matching id
 * response_too_large the body exceeded `max_response_bytes`
 */
export const OK = 0;
export const ERROR_KINDS = [
  'timeout',
  'jsonrpc',
  'http',
  'connection',
  'tool',
  'session_expired',
  'protocol',
  'response_too_large',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];
export const TIMEOUT = 1;
export const JSONRPC = 2;
export const HTTP = 3;
export const CONNECTION = 4;
export const TOOL = 5;
export const SESSION_EXPIRED = 6;
export const PROTOCOL = 7;
export const RESPONSE_TOO_LARGE = 8;

/** A failed request's outcome: 1..ERROR_KINDS.length, in ERROR_KINDS order. */
export type ErrorOutcome =
  | typeof TIMEOUT
  | typeof JSONRPC
  | typeof HTTP
  | typeof CONNECTION
  | typeof TOOL
  | typeof SESSION_EXPIRED
  | typeof PROTOCOL
  | typeof RESPONSE_TOO_LARGE;
export type Outcome = typeof OK | ErrorOutcome;

// Every error kind has exactly one outcome: adding a kind without its constant fails here.
type Expect<T extends true> = T;
type _OneOutcomePerKind = Expect<
  (typeof ERROR_KINDS)['length'] extends typeof RESPONSE_TOO_LARGE ? true : false
>;

export function errorKindName(outcome: Outcome): ErrorKind {
  const name = ERROR_KINDS[outcome - 1];
  if (name === undefined) throw new RangeError(`not an error outcome: ${outcome}`);
  return name;
}
