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

/**
 * Protocol revisions the demo speaks, newest first. The SDK servers also accept 2024-10-07; the
 * demo sticks to the published revisions.
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
];
export const LATEST_PROTOCOL_VERSION = '2025-11-25';

export function isSupportedProtocolVersion(version: string): boolean {
  return SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

// Replaced by scripts/build.mjs (esbuild `define`); absent when running from source (tests).
declare const __MCP_LOADTEST_VERSION__: string | undefined;
const SERVER_VERSION =
  typeof __MCP_LOADTEST_VERSION__ === 'string' ? __MCP_LOADTEST_VERSION__ : '0.0.0-dev';

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
    case 'tools/call':
      return callTool(params);
    case 'resources/read':
      return readResource(params);
    case 'prompts/get':
      return getPrompt(params);
    case 'initialize':
      return initialize(params);
    default:
      return STATIC_FRAGMENTS.get(method) ?? METHOD_NOT_FOUND;
  }
}

/** Methods that `delayMs` slows down: the ones that stand for real work on a real server. */
export function isDelayedMethod(method: string): boolean {
  return method === 'tools/call' || method === 'resources/read' || method === 'prompts/get';
}

export const SIMULATED_FAILURE = errorFragment(
  JSONRPC_CODE.internalError,
  'Simulated failure (--error-rate)',
);
