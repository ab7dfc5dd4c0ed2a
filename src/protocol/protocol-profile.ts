/**
 * What a run speaks, decided once before its virtual users start (detect-protocol.ts) and shared
 * by every connection: the revision and its era, the client's canned answers, the arguments
 * mirrored into headers, and the counters of what the protocol layer did beyond plain requests.
 *
 * Eras (2026-07-28 "Versioning"): `modern` is 2026-07-28, stateless, with per-request `_meta`;
 * `legacy` is 2025-11-25 and earlier, with an `initialize` handshake and optional sessions.
 */
import type { ClientAnswers } from './client-answers.js';
import { SERVER_REQUEST_METHODS } from './client-answers.js';
import type { ParamHeader } from './header-values.js';
import type { ServerInfo } from './mcp-connection.js';
import {
  CLIENT_NAME,
  CLIENT_VERSION,
  LATEST_PROTOCOL_VERSION,
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_PROTOCOL_VERSION,
  MODERN_PROTOCOL_VERSION,
  DEFAULT_TRANSPORT,
  type TransportKind,
} from './mcp-vocabulary.js';
import { modernCapabilities } from './client-answers.js';

export type ProtocolEra = 'modern' | 'legacy';

export interface ProtocolProfile {
  /** The revision requests are sent under (legacy: the one offered in `initialize`). */
  readonly version: string;
  readonly era: ProtocolEra;
  /** `auto` or the pinned revision, as configured. */
  readonly setting: string;
  /** Legacy: accept only `version` back from `initialize` (a pinned revision). */
  readonly pinned: boolean;
  /** Modern: the server's identity from `server/discover` (legacy gets it from initialize). */
  readonly serverInfo: ServerInfo | null;
  readonly answers: ClientAnswers;
  /** Modern: tool name → arguments mirrored into `Mcp-Param-*` headers (from tools/list). */
  readonly paramHeaders: ReadonlyMap<string, readonly ParamHeader[]>;
  /** Modern: the `_meta` envelope as JSON, built once. */
  readonly metaJson: string;
  readonly stats: ProtocolStats;
  /** How requests travel (protocol/transport.ts): Streamable HTTP unless set or detected. */
  readonly transport: TransportKind;
  /** The transport was detected (auto, none set), not configured. */
  readonly transportDetected: boolean;
}

/**
 * Counters of the protocol layer, shared by all connections of a run (single-threaded: plain
 * increments). Untrusted method names are Map keys.
 */
export class ProtocolStats {
  /** `input_required` rounds answered and retried (2026-07-28). */
  inputRounds = 0;
  /** Task results received, and `tasks/get` polls sent for them. */
  tasks = 0;
  taskPolls = 0;
  /** Requests refused mid-run with -32022 and sent again under a listed version. */
  versionRetries = 0;
  /** Server requests answered from `[client]`, by method (2025 era, on SSE streams). */
  readonly answered = new Map<string, number>();
  /** Server requests the config had no answer for, by method: refused with a JSON-RPC error. */
  readonly unanswered = new Map<string, number>();

  count(map: Map<string, number>, method: string): void {
    // Only known methods get their own key: a hostile server cannot grow the map without bound.
    const key = (SERVER_REQUEST_METHODS as readonly string[]).includes(method) ? method : 'other';
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

function metaJson(version: string, answers: ClientAnswers): string {
  return JSON.stringify({
    [META_PROTOCOL_VERSION]: version,
    [META_CLIENT_INFO]: { name: CLIENT_NAME, version: CLIENT_VERSION },
    [META_CLIENT_CAPABILITIES]: modernCapabilities(answers),
  });
}

export function modernProfile(options: {
  setting: string;
  answers: ClientAnswers;
  serverInfo: ServerInfo | null;
  paramHeaders?: ReadonlyMap<string, readonly ParamHeader[]>;
  stats?: ProtocolStats;
}): ProtocolProfile {
  return {
    version: MODERN_PROTOCOL_VERSION,
    era: 'modern',
    setting: options.setting,
    pinned: options.setting !== 'auto',
    serverInfo: options.serverInfo,
    answers: options.answers,
    paramHeaders: options.paramHeaders ?? new Map(),
    metaJson: metaJson(MODERN_PROTOCOL_VERSION, options.answers),
    stats: options.stats ?? new ProtocolStats(),
    // 2026-07-28 travels only over Streamable HTTP (transport.ts checkTransportProtocol).
    transport: DEFAULT_TRANSPORT,
    transportDetected: false,
  };
}

/** The 2025 era: `initialize` offering `version` (any supported answer accepted unless pinned). */
export function legacyProfile(
  options: {
    setting?: string;
    version?: string;
    answers?: ClientAnswers;
    stats?: ProtocolStats;
    transport?: TransportKind;
    transportDetected?: boolean;
  } = {},
): ProtocolProfile {
  const setting = options.setting ?? 'auto';
  return {
    version: options.version ?? LATEST_PROTOCOL_VERSION,
    era: 'legacy',
    setting,
    pinned: setting !== 'auto',
    serverInfo: null,
    answers: options.answers ?? {},
    paramHeaders: new Map(),
    metaJson: '',
    stats: options.stats ?? new ProtocolStats(),
    transport: options.transport ?? DEFAULT_TRANSPORT,
    transportDetected: options.transportDetected ?? false,
  };
}
