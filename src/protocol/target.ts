/**
 * Where the load goes and with which extra headers. Built once per run; header values are
 * secrets and leave this object only on the wire.
 */
import { LoadtestError } from '../errors.js';
import {
  HEADER_NAME_ACCEPTED,
  HEADER_VALUE_ACCEPTED,
  headerProblem,
  MANAGED_ACCEPTED,
  managedReason,
} from '../config/header-rules.js';
import { ACCEPT, CLIENT_NAME, CLIENT_VERSION } from './mcp-vocabulary.js';
import { secretParts } from './secret-parts.js';
import { urlSecretParts } from './url-secrets.js';

export { secretParts };

export interface Target {
  readonly url: string;
  readonly origin: string;
  /** Path and query sent on every request. */
  readonly path: string;
  /** Flat [name, value, …] pairs: content negotiation, user agent, then the user's headers. */
  readonly baseHeaders: readonly string[];
  /** User header names (lower-case), for redaction in reports. */
  readonly userHeaderNames: readonly string[];
  /** User header values, so messages that echo them can be scrubbed. */
  readonly secretValues: readonly string[];
  /** What the connections learnt about the endpoint while running, shared by all of them. */
  readonly learnt: { redirect: FollowedRedirect | null };
}

/**
 * A same-origin 307 or 308 answered to `initialize` (FastMCP's `/mcp` → `/mcp/`): followed once
 * with the same body (RFC 9110 §15.4.8, §15.4.9 keep method and body), then every request of the
 * run goes to `to`. Reported, because each new connection pays for it unless the URL is fixed.
 */
export interface FollowedRedirect {
  readonly status: number;
  /** Path and query asked for, and the one redirected to. */
  readonly from: string;
  readonly to: string;
}

export function makeTarget(url: string, headers: Readonly<Record<string, string>>): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo credentials, even from a URL too broken to parse: "http://user:pw@[bad".
    const shown = url.replace(/\/\/[^/@]*@/, '//…@');
    throw new LoadtestError(
      'USAGE',
      `URL "${shown}" is not a valid URL; expected e.g. http://127.0.0.1:3000/mcp`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new LoadtestError(
      'USAGE',
      `URL "${parsed.protocol}//…" uses ${parsed.protocol.slice(0, -1)}; only http:// and https:// MCP endpoints (Streamable HTTP) are supported`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new LoadtestError(
      'USAGE',
      'URL must not carry credentials; pass them as a header instead (--header "Authorization: Bearer …")',
    );
  }
  const base: string[] = [
    'content-type',
    'application/json',
    'accept',
    ACCEPT,
    'user-agent',
    `${CLIENT_NAME}/${CLIENT_VERSION}`,
  ];
  const names: string[] = [];
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // Every input checks its headers first (config/header-rules.ts); this is the last guard
    // for a caller that did not, so nothing undici would throw on reaches a request.
    const problem = headerProblem(name, value);
    if (problem !== undefined) {
      throw new LoadtestError(
        'USAGE',
        problem === 'managed'
          ? `header "${name}" cannot be set: it ${managedReason(name)}; accepted: ${MANAGED_ACCEPTED}`
          : `header "${name.slice(0, 40)}" is not a valid header ${problem}; accepted: names of ${HEADER_NAME_ACCEPTED}, values of ${HEADER_VALUE_ACCEPTED}`,
      );
    }
    if (lower === 'user-agent') base.splice(4, 2);
    base.push(lower, value);
    names.push(lower);
    secrets.push(...secretParts(value));
  }
  // A key in the query string is as secret as one in a header: error text that echoes it is
  // scrubbed the same way.
  secrets.push(...urlSecretParts(parsed.href));
  return {
    url: parsed.href,
    origin: parsed.origin,
    path: parsed.pathname + parsed.search,
    baseHeaders: base,
    userHeaderNames: names,
    secretValues: secrets,
    learnt: { redirect: null },
  };
}

/** The shortest tail of a cut-off secret still worth scrubbing. */
const MIN_PARTIAL_SECRET = 4;

/**
 * Replaces every header value in `text` with "[redacted]". Error text is cut to a length limit
 * (an error body keeps its first 2 KiB) before it gets here, so it may end in the first part of
 * a secret that straddled the cut: that part is scrubbed too.
 */
export function redactSecrets(text: string, target: Target): string {
  let out = text;
  for (const secret of target.secretValues) out = out.split(secret).join('[redacted]');
  for (const secret of target.secretValues) {
    for (let n = Math.min(secret.length - 1, out.length); n >= MIN_PARTIAL_SECRET; n--) {
      if (out.endsWith(secret.slice(0, n))) {
        out = `${out.slice(0, out.length - n)}[redacted]`;
        break;
      }
    }
  }
  return out;
}

/**
 * Config headers overridden by those given later (--header, the action's `headers` input) of the
 * same name; names compare case-insensitively, the later spelling wins.
 */
export function mergeHeaders(
  base: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>>,
): Record<string, string> {
  // Header names are user input: "__proto__" must stay a name, not replace the prototype.
  const merged: Record<string, string> = Object.create(null) as Record<string, string>;
  const names = new Map<string, string>();
  for (const [name, value] of [...Object.entries(base), ...Object.entries(overrides)]) {
    const lower = name.toLowerCase();
    const previous = names.get(lower);
    if (previous !== undefined) delete merged[previous];
    names.set(lower, name);
    merged[name] = value;
  }
  return merged;
}
