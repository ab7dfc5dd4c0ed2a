/**
 * JSON-RPC method dispatch for the demo server: lifecycle (`initialize`, version negotiation) and
 * routing of every other method to the calculator catalogue. Returns the same `"result":…` /
 * `"error":…` fragments as calculator.ts; the transport adds `jsonrpc` and `id`.
 */

import {
  JSONRPC_CODE,
  STATIC_FRAGMENTS,
  callTool,
  errorFragment,
  getPrompt,
  readResource,
} from './calculator.js';
import {
  CLIENT_VERSION,
  LATEST_PROTOCOL_VERSION,
  METHOD,
  OPERATION_TYPES,
  SUPPORTED_PROTOCOL_VERSIONS,
  type OperationType,
} from '../protocol/mcp-vocabulary.js';

/**
 * The demo negotiates the revisions the client does (protocol/mcp-vocabulary.ts): the published
 * ones, newest first (the SDK servers also accept 2024-10-07).
 */
export function isSupportedProtocolVersion(version: string): boolean {
  return SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

/** The demo ships with the tool, so it reports the tool's version. */
const SERVER_VERSION = CLIENT_VERSION;

export const SERVER_NAME = 'mcp-loadtest-demo';

const INSTRUCTIONS =
  'A calculator for trying out mcp-loadtest. Tools: add, subtract, multiply (numbers a, b) and ' +
  `divide (numbers dividend, divisor). Resource: calculator://constants. Prompt: explain-calculation.`;

function initializeFragment(protocolVersion: string): string {
  return `"result":${JSON.stringify({
    protocolVersion,
    capabilities: { tools: {}, resources: {}, prompts: {} },
    serverInfo: {
      name: SERVER_NAME,
      title: 'mcp-loadtest demo calculator',
      version: SERVER_VERSION,
    },
    instructions: INSTRUCTIONS,
  })}`;
}

const INITIALIZE_FRAGMENTS = new Map(
  SUPPORTED_PROTOCOL_VERSIONS.map((version) => [version, initializeFragment(version)]),
);

/**
 * `initialize`: echo the client's requested revision when supported, else offer the latest
 * (spec, basic/lifecycle "Version Negotiation"); the client decides whether it can live with it.
 */
export function initialize(params: unknown): string {
  const requested = (params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  const fragment = typeof requested === 'string' ? INITIALIZE_FRAGMENTS.get(requested) : undefined;
  return fragment ?? (INITIALIZE_FRAGMENTS.get(LATEST_PROTOCOL_VERSION) as string);
}

const METHOD_NOT_FOUND = errorFragment(JSONRPC_CODE.methodNotFound, 'Method not found');

/** Every request method except `initialize`, which the transport handles (it creates sessions). */
export function dispatch(method: string, params: unknown): string {
  switch (method) {
    case METHOD.toolsCall:
      return callTool(params);
    case METHOD.resourcesRead:
      return readResource(params);
    case METHOD.promptsGet:
      return getPrompt(params);
    case METHOD.initialize:
      return initialize(params);
    default:
      return STATIC_FRAGMENTS.get(method) ?? METHOD_NOT_FOUND;
  }
}

/** Methods that `delayMs` slows down: the ones that stand for real work on a real server. */
export function isDelayedMethod(method: string): boolean {
  return OPERATION_TYPES.includes(method as OperationType);
}

export const SIMULATED_FAILURE = errorFragment(
  JSONRPC_CODE.internalError,
  'Simulated failure (--error-rate)',
);
