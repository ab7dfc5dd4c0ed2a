/**
 * Which MCP revision a run speaks, decided once before any virtual user starts (2026-07-28
 * "Versioning", Backward Compatibility: "the era determination is a property of the server …
 * clients SHOULD cache the result").
 *
 * - `auto`: a modern request first (`server/discover`, as the official v2 client probes). A result
 *   means a 2026-07-28 server. A recognised modern error (-32020 header mismatch, -32021 missing
 *   capability, -32022 unsupported version) means a modern server too (but not -32601: modern
 *   servers MUST implement server/discover, so "method not found" names a 2025 one); -32022
 *   lists the versions it does support, and the run retries with the newest one we speak. Anything
 *   else (a 2025 server's 400/404/405, a JSON-RPC error of its own) falls back to `initialize`.
 *   A server that cannot be reached falls back as well: the virtual users then report why.
 * - a pinned revision: 2026-07-28 is checked with `server/discover`, a 2025 one with `initialize`;
 *   a server that refuses it is a ProtocolRefusedError (exit 3) naming what the server supports.
 *
 * Transport: `sse` (set) skips the modern probe (2026-07-28 travels only over Streamable HTTP)
 * and checks a pinned revision with `initialize` on a stream of its own. With `auto` and no
 * transport set, a server whose POST answers 404 or 405 is asked for the 2024-11-05 HTTP+SSE
 * stream (MCP 2024-11-05 "Transports"; the spec's backward-compatibility advice for clients
 * does the same): a GET answering with an event stream and its `endpoint` event means the run
 * speaks HTTP+SSE. Decided once, like the era.
 *
 * In the modern era `tools/list` is read once as well, for the arguments a tool mirrors into
 * `Mcp-Param-*` headers (2026-07-28 "Streamable HTTP", Custom Headers from Tool Parameters).
 */
import { EXIT, LoadtestError } from '../errors.js';
import type { ClientAnswers } from './client-answers.js';
import { legacyCapabilities } from './client-answers.js';
import { scanParamHeaders, type ParamHeader } from './header-values.js';
import {
  McpConnection,
  readServerInfo,
  type OneShotResult,
  type ServerInfo,
} from './mcp-connection.js';
import {
  CLIENT_NAME,
  CLIENT_VERSION,
  HEADER_MISMATCH,
  LATEST_PROTOCOL_VERSION,
  META_SERVER_INFO,
  MISSING_CLIENT_CAPABILITY,
  MODERN_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  UNSUPPORTED_PROTOCOL_VERSION,
  type TransportKind,
} from './mcp-vocabulary.js';
import { CONNECTION, OK, TIMEOUT } from './outcome.js';
import { checkTransportProtocol, createTransport } from './transport.js';
import {
  legacyProfile,
  modernProfile,
  ProtocolStats,
  type ProtocolProfile,
} from './protocol-profile.js';
import type { Target } from './target.js';

export interface DetectOptions {
  /** `auto` or a revision from PROTOCOL_SETTINGS. */
  setting: string;
  answers: ClientAnswers;
  timeoutMs: number;
  maxResponseBytes: number;
  /** `[settings] transport` / `--transport`; absent: Streamable HTTP, or HTTP+SSE if detected. */
  transport?: TransportKind;
}

/** The server does not accept the pinned revision (exit 3, like a run that gets no session). */
export class ProtocolRefusedError extends LoadtestError {
  readonly supported: readonly string[];
  constructor(message: string, supported: readonly string[]) {
    super('PROTOCOL_REFUSED', message, { exitCode: EXIT.noSession });
    this.supported = supported;
  }
}

/** Pages of tools/list read for x-mcp-header annotations. */
const MAX_TOOL_PAGES = 20;
const DELETE_TIMEOUT_MS = 2000;

export async function detectProtocol(
  target: Target,
  options: DetectOptions,
): Promise<ProtocolProfile> {
  const { setting, answers, transport } = options;
  const stats = new ProtocolStats();
  if (transport === 'sse') {
    checkTransportProtocol(transport, setting);
    if (setting !== 'auto') await checkLegacy(target, options, setting);
    const version = setting === 'auto' ? undefined : setting;
    return legacyProfile({ setting, version, answers, stats, transport });
  }
  if (setting !== 'auto' && setting !== MODERN_PROTOCOL_VERSION) {
    await checkLegacy(target, options, setting);
    return legacyProfile({ setting, version: setting, answers, stats });
  }
  const probe = modernProfile({ setting, answers, serverInfo: null, stats });
  const conn = new McpConnection(target, { ...connectionOptions(options), protocol: probe });
  try {
    const r = await conn.probe('server/discover', {});
    if (r.outcome === OK) {
      const result = (r.message?.result ?? {}) as Record<string, unknown>;
      const versions = stringList(result.supportedVersions);
      if (versions !== null && !versions.includes(MODERN_PROTOCOL_VERSION)) {
        return await retryWith(target, options, versions, stats);
      }
      const paramHeaders = await readParamHeaders(conn);
      return modernProfile({
        setting,
        answers,
        serverInfo: serverInfoOf(result._meta),
        paramHeaders,
        stats,
      });
    }
    const error = modernError(r);
    if (error?.code === UNSUPPORTED_PROTOCOL_VERSION) {
      return await retryWith(target, options, stringList(error.data?.supported) ?? [], stats);
    }
    if (error !== null) return modernProfile({ setting, answers, serverInfo: null, stats });
    if (setting === 'auto') {
      const sse =
        transport === undefined &&
        (r.status === 404 || r.status === 405) &&
        (await servesSseStream(target, options));
      return sse
        ? legacyProfile({ setting, answers, stats, transport: 'sse', transportDetected: true })
        : legacyProfile({ setting, answers, stats });
    }
    if (r.outcome === CONNECTION || r.outcome === TIMEOUT) {
      throw new ProtocolRefusedError(
        `could not check MCP ${MODERN_PROTOCOL_VERSION} (pinned) with ${target.url}: ${r.detail}`,
        [],
      );
    }
    const offered = await legacyOffer(target, options);
    throw new ProtocolRefusedError(
      `${target.url} does not speak MCP ${MODERN_PROTOCOL_VERSION} (pinned by protocol / --protocol): server/discover got ${summarise(r)}; the server speaks ${offered ?? 'an unknown 2025-era revision'}; use protocol = "auto" or pin that revision`,
      offered === null ? [] : [offered],
    );
  } finally {
    await conn.close(DELETE_TIMEOUT_MS);
  }
}

/** -32022 named the versions the server supports: the newest one we speak, else refused. */
async function retryWith(
  target: Target,
  options: DetectOptions,
  supported: readonly string[],
  stats: ProtocolStats,
): Promise<ProtocolProfile> {
  const common = SUPPORTED_PROTOCOL_VERSIONS.find((v) => supported.includes(v));
  if (options.setting !== 'auto' || common === undefined) {
    const which =
      options.setting === 'auto'
        ? 'any revision mcp-loadtest speaks'
        : `MCP ${options.setting} (pinned by protocol / --protocol)`;
    throw new ProtocolRefusedError(
      `${target.url} does not accept ${which}: server/discover was refused; the server supports: ${supported.join(', ') || '(none listed)'}`,
      supported,
    );
  }
  await checkLegacy(target, { ...options, setting: common }, common);
  return legacyProfile({
    setting: options.setting,
    version: common,
    answers: options.answers,
    stats,
  });
}

/**
 * The target answers a GET with the 2024-11-05 HTTP+SSE stream: an event stream whose `endpoint`
 * event names a URL on the target's origin. The stream is closed at once (its session ends).
 */
async function servesSseStream(target: Target, options: DetectOptions): Promise<boolean> {
  const transport = createTransport('sse', target, connectionOptions(options), {
    onServerRequest: () => null,
  });
  try {
    return (await transport.open!(options.timeoutMs)) === null;
  } finally {
    await transport.destroy();
  }
}

/** `initialize` offering `version`: refused (-32022, or another version back) is an error. */
async function checkLegacy(target: Target, options: DetectOptions, version: string): Promise<void> {
  const conn = new McpConnection(target, {
    ...connectionOptions(options),
    protocol: legacyProfile({ transport: options.transport }),
  });
  try {
    // HTTP+SSE: initialize goes to the endpoint of a stream of its own. A stream that cannot be
    // opened is left to the virtual users to report, like an unreachable server.
    const opened = (await conn.client.open?.(options.timeoutMs)) ?? null;
    if (opened !== null) return;
    const r = await conn.probe('initialize', initializeParams(version, options.answers));
    conn.sessionId = r.sessionId;
    if (r.outcome === OK) {
      const answered = (r.message?.result as { protocolVersion?: unknown } | undefined)
        ?.protocolVersion;
      if (answered === version || options.setting === 'auto') return;
      throw new ProtocolRefusedError(
        `${target.url} does not accept MCP ${version} (pinned by protocol / --protocol): initialize answered ${JSON.stringify(answered)}; the server supports: ${String(answered)}`,
        typeof answered === 'string' ? [answered] : [],
      );
    }
    const error = modernError(r);
    if (error?.code === UNSUPPORTED_PROTOCOL_VERSION) {
      const supported = stringList(error.data?.supported) ?? [];
      throw new ProtocolRefusedError(
        `${target.url} does not accept MCP ${version}${options.setting === 'auto' ? '' : ' (pinned by protocol / --protocol)'}: initialize got -32022; the server supports: ${supported.join(', ') || '(none listed)'}`,
        supported,
      );
    }
    // Anything else (unreachable, 5xx, a broken answer) is left to the virtual users to report.
  } finally {
    await conn.close(DELETE_TIMEOUT_MS);
  }
}

/** The revision a 2025-era server answers `initialize` with, or null. */
async function legacyOffer(target: Target, options: DetectOptions): Promise<string | null> {
  const conn = new McpConnection(target, connectionOptions(options));
  try {
    const r = await conn.probe(
      'initialize',
      initializeParams(LATEST_PROTOCOL_VERSION, options.answers),
    );
    conn.sessionId = r.sessionId;
    const v = (r.message?.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    return r.outcome === OK && typeof v === 'string' ? v : null;
  } finally {
    await conn.close(DELETE_TIMEOUT_MS);
  }
}

/** tools/list (a few pages) → tool name → its `Mcp-Param-*` arguments. */
async function readParamHeaders(conn: McpConnection): Promise<Map<string, readonly ParamHeader[]>> {
  const headers = new Map<string, readonly ParamHeader[]>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const r = await conn.request('tools/list', cursor === undefined ? {} : { cursor });
    if (r.outcome !== OK) break;
    const result = (r.message?.result ?? {}) as { tools?: unknown; nextCursor?: unknown };
    for (const tool of Array.isArray(result.tools) ? result.tools : []) {
      const t = tool as { name?: unknown; inputSchema?: unknown };
      if (typeof t.name !== 'string') continue;
      const scan = scanParamHeaders(t.inputSchema);
      // An invalid annotation makes the tool unusable for a conforming client: calls to it go
      // out without Mcp-Param headers and the server's answer shows the problem.
      if (scan.ok && scan.headers.length > 0) headers.set(t.name, scan.headers);
    }
    if (typeof result.nextCursor !== 'string' || result.nextCursor === '') break;
    cursor = result.nextCursor;
  }
  return headers;
}

interface ModernError {
  code: number;
  data?: { supported?: unknown };
}

/** The JSON-RPC error of a response when it is one only a modern server sends, else null. */
export function modernError(
  r: Pick<OneShotResult, 'status' | 'message' | 'errorBody'>,
): ModernError | null {
  let error: unknown = (r.message as { error?: unknown } | undefined)?.error;
  if (error === undefined && r.errorBody !== '') {
    try {
      error = (JSON.parse(r.errorBody) as { error?: unknown }).error;
    } catch {
      return null;
    }
  }
  if (error === null || typeof error !== 'object') return null;
  const e = error as ModernError;
  const modern =
    e.code === UNSUPPORTED_PROTOCOL_VERSION ||
    e.code === HEADER_MISMATCH ||
    e.code === MISSING_CLIENT_CAPABILITY;
  return modern ? e : null;
}

function summarise(r: OneShotResult): string {
  return r.status === 0
    ? r.detail
    : `HTTP ${r.status}${r.detail === '' ? '' : ` (${r.detail.slice(0, 200)})`}`;
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
    ? (value as string[])
    : null;
}

function serverInfoOf(meta: unknown): ServerInfo | null {
  return readServerInfo((meta as Record<string, unknown> | undefined)?.[META_SERVER_INFO]);
}

function initializeParams(version: string, answers: ClientAnswers): Record<string, unknown> {
  return {
    protocolVersion: version,
    capabilities: legacyCapabilities(answers),
    clientInfo: { name: CLIENT_NAME, version: CLIENT_VERSION },
  };
}

function connectionOptions(options: DetectOptions): {
  timeoutMs: number;
  maxResponseBytes: number;
} {
  return { timeoutMs: options.timeoutMs, maxResponseBytes: options.maxResponseBytes };
}
