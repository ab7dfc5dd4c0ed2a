/**
 * Protocol vocabulary, from the MCP specification (revision 2025-11-25, "Transports" and
 * "Lifecycle") and the official TypeScript SDK's constants.
 */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';

/** Versions we accept when a server answers `initialize` with something other than ours. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
];

/**
 * JSON-RPC method names, as the MCP specification spells them ("Lifecycle", "Server features",
 * "Utilities: Ping"). The client, `init`'s discovery and the demo server all use these.
 */
export const METHOD = {
  initialize: 'initialize',
  initialized: 'notifications/initialized',
  ping: 'ping',
  toolsList: 'tools/list',
  toolsCall: 'tools/call',
  resourcesList: 'resources/list',
  resourceTemplatesList: 'resources/templates/list',
  resourcesRead: 'resources/read',
  promptsList: 'prompts/list',
  promptsGet: 'prompts/get',
  /** Server notifications counted per step ("Progress", "Logging"). */
  progress: 'notifications/progress',
  logMessage: 'notifications/message',
} as const;

/**
 * The request methods a scenario step sends, one per server feature (MCP spec "Server features":
 * Tools, Resources, Prompts). The config, the metrics and the report all key on these names.
 */
export type OperationType =
  typeof METHOD.toolsCall | typeof METHOD.resourcesRead | typeof METHOD.promptsGet;
export const OPERATION_TYPES: readonly OperationType[] = [
  METHOD.toolsCall,
  METHOD.resourcesRead,
  METHOD.promptsGet,
];

/** Clients must accept both media types or SDK servers answer 406. */
export const ACCEPT = 'application/json, text/event-stream';

export const CLIENT_NAME = 'mcp-loadtest';

declare const __MCP_LOADTEST_VERSION__: string | undefined;
/** Injected by the esbuild bundle; tests run from source and see "0.0.0-dev". */
export const CLIENT_VERSION =
  typeof __MCP_LOADTEST_VERSION__ === 'string' ? __MCP_LOADTEST_VERSION__ : '0.0.0-dev';

/**
 * The stateless revision (MCP 2026-07-28 "Versioning"): no `initialize`, no session; every
 * request carries its version in `_meta` and the `MCP-Protocol-Version` header.
 */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** `[settings] protocol` / `run --protocol`: era detection, or one pinned revision. */
export const PROTOCOL_SETTINGS = [
  'auto',
  MODERN_PROTOCOL_VERSION,
  ...SUPPORTED_PROTOCOL_VERSIONS,
] as const;
export type ProtocolSetting = 'auto' | string;

/** Reserved `_meta` keys of the per-request envelope (2026-07-28 "Base Protocol", `_meta`). */
export const META_PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
export const META_CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
export const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
export const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
/** The tasks extension's identifier (tasks extension, "Capability Negotiation"). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/**
 * JSON-RPC errors only a modern server sends (2026-07-28 "Streamable HTTP", Backward
 * Compatibility): on era detection they mean "modern server", not "fall back to initialize".
 */
export const HEADER_MISMATCH = -32020;
export const MISSING_CLIENT_CAPABILITY = -32021;
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;

/**
 * How requests reach the server (`[settings] transport`, `run --transport`): Streamable HTTP
 * (MCP 2025-03-26 onwards, the default) or the 2024-11-05 "HTTP with SSE" transport (a GET
 * stream plus POSTs to the endpoint it names). A new transport is one more entry here and one
 * more case in protocol/transport.ts.
 */
export const TRANSPORTS = ['streamable-http', 'sse'] as const;
export type TransportKind = (typeof TRANSPORTS)[number];
export const DEFAULT_TRANSPORT: TransportKind = 'streamable-http';
