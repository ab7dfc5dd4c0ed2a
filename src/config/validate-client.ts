/**
 * `[settings] protocol`, `[settings] transport` and the `[client]` table: which MCP revision to
 * speak and how, and the canned answers to a server's sampling, elicitation and roots requests.
 * Each answer that is set declares the matching client capability; an absent one leaves it
 * undeclared.
 */
import type { ConfigChecker } from './config-checker.js';
import {
  CLIENT_KEYS,
  ELICITATION_ACTIONS,
  ELICITATION_KEYS,
  PROTOCOL_VALUES,
  SAMPLING_KEYS,
  TRANSPORT_VALUES,
} from './config-rules.js';
import { MODERN_PROTOCOL_VERSION, type TransportKind } from '../protocol/mcp-vocabulary.js';
import { describeValue, isTable } from './describe-value.js';
import type { ClientConfig } from './types.js';

export function readProtocol(
  check: ConfigChecker,
  settings: Readonly<Record<string, unknown>>,
): string {
  const value = settings.protocol;
  if (value === undefined) return 'auto';
  if (typeof value !== 'string' || !PROTOCOL_VALUES.includes(value)) {
    check.fail(
      ['settings', 'protocol'],
      `settings.protocol must be "auto" or an MCP revision, got ${describeValue(value)}`,
      `accepted: ${PROTOCOL_VALUES.map((v) => `"${v}"`).join(', ')}`,
    );
  }
  return value;
}

/**
 * `[settings] transport`: null when absent (Streamable HTTP, or HTTP+SSE when `protocol = "auto"`
 * detects it). HTTP+SSE is the 2024-11-05 transport: it cannot carry the 2026-07-28 revision.
 */
export function readTransport(
  check: ConfigChecker,
  settings: Readonly<Record<string, unknown>>,
  protocol: string,
): TransportKind | null {
  const value = settings.transport;
  if (value === undefined) return null;
  if (typeof value !== 'string' || !TRANSPORT_VALUES.includes(value)) {
    check.fail(
      ['settings', 'transport'],
      `settings.transport must be a transport name, got ${describeValue(value)}`,
      `accepted: ${TRANSPORT_VALUES.map((v) => `"${v}"`).join(', ')}`,
    );
  }
  if (value === 'sse' && protocol === MODERN_PROTOCOL_VERSION) {
    check.fail(
      ['settings', 'transport'],
      `settings.transport "sse" (the 2024-11-05 HTTP+SSE transport) cannot carry protocol "${MODERN_PROTOCOL_VERSION}"`,
      'accepted with it: protocol = "auto" or a 2025-era revision',
    );
  }
  return value as TransportKind;
}

export function readClient(check: ConfigChecker, raw: unknown): ClientConfig {
  if (raw === undefined) return {};
  if (!isTable(raw)) {
    check.fail(
      ['client'],
      `client must be a table, got ${describeValue(raw)}`,
      'accepted: a [client] table',
    );
  }
  check.rejectUnknownKeys(raw, ['client'], CLIENT_KEYS, 'in [client]');
  const client: { -readonly [K in keyof ClientConfig]: ClientConfig[K] } = {};
  if (raw.sampling !== undefined) client.sampling = readSampling(check, raw.sampling);
  if (raw.elicitation !== undefined) client.elicitation = readElicitation(check, raw.elicitation);
  if (raw.roots !== undefined) client.roots = readRoots(check, raw.roots);
  return client;
}

function readSampling(check: ConfigChecker, raw: unknown): { text: string } {
  const at = ['client', 'sampling'];
  const accepted = 'accepted: sampling = { text = "canned model answer" }';
  if (!isTable(raw))
    check.fail(at, `client.sampling must be a table, got ${describeValue(raw)}`, accepted);
  check.rejectUnknownKeys(raw, at, SAMPLING_KEYS, 'in client.sampling');
  if (typeof raw.text !== 'string') {
    check.fail(
      [...at, 'text'],
      `client.sampling.text must be a string, got ${describeValue(raw.text)}`,
      accepted,
    );
  }
  return { text: raw.text };
}

function readElicitation(
  check: ConfigChecker,
  raw: unknown,
): NonNullable<ClientConfig['elicitation']> {
  const at = ['client', 'elicitation'];
  const accepted =
    'accepted: elicitation = { action = "accept", content = { name = "load test" } }';
  if (!isTable(raw))
    check.fail(at, `client.elicitation must be a table, got ${describeValue(raw)}`, accepted);
  check.rejectUnknownKeys(raw, at, ELICITATION_KEYS, 'in client.elicitation');
  const action = raw.action;
  if (typeof action !== 'string' || !(ELICITATION_ACTIONS as readonly string[]).includes(action)) {
    check.fail(
      [...at, 'action'],
      `client.elicitation.action must be one of ${ELICITATION_ACTIONS.join(', ')}, got ${describeValue(action)}`,
      accepted,
    );
  }
  const act = action as 'accept' | 'decline' | 'cancel';
  if (raw.content === undefined) return { action: act };
  if (!isTable(raw.content)) {
    check.fail(
      [...at, 'content'],
      `client.elicitation.content must be a table, got ${describeValue(raw.content)}`,
      accepted,
    );
  }
  if (act !== 'accept') {
    check.fail(
      [...at, 'content'],
      `client.elicitation.content goes with action = "accept" only (MCP: declined and cancelled answers carry no content)`,
      accepted,
    );
  }
  return { action: act, content: raw.content };
}

function readRoots(check: ConfigChecker, raw: unknown): string[] {
  const accepted = 'accepted: roots = ["file:///workspace"] (URIs)';
  if (!Array.isArray(raw))
    check.fail(
      ['client', 'roots'],
      `client.roots must be an array, got ${describeValue(raw)}`,
      accepted,
    );
  raw.forEach((uri: unknown, i) => {
    if (typeof uri !== 'string' || !URL.canParse(uri)) {
      check.fail(
        ['client', 'roots', i],
        `client.roots[${i}] must be a URI string, got ${describeValue(uri)}`,
        accepted,
      );
    }
  });
  return raw as string[];
}
