/**
 * JSON-RPC request bodies built once and reused: only the id changes between requests, so the
 * hot path concatenates three strings instead of serialising params every time.
 */
import { METHOD } from './mcp-vocabulary.js';

export const PREFIX = '{"jsonrpc":"2.0","id":';

export interface RequestTemplate {
  readonly method: string;
  /** The params as configured (no `_meta`): the 2026-07-28 variant is built from them once. */
  readonly params: Readonly<Record<string, unknown>> | undefined;
  /** Everything after the id: `,"method":…,"params":…}`. */
  readonly suffix: string;
  /** `tools/call` results carry in-band tool failures (`isError: true`). */
  readonly isToolCall: boolean;
}

export function requestTemplate(method: string, params?: Record<string, unknown>): RequestTemplate {
  const suffix =
    ',"method":' +
    JSON.stringify(method) +
    (params === undefined ? '' : ',"params":' + JSON.stringify(params)) +
    '}';
  return { method, params, suffix, isToolCall: method === METHOD.toolsCall };
}

export function requestBody(template: RequestTemplate, id: number): string {
  return PREFIX + id + template.suffix;
}

/** A notification has no id and gets no response (202). */
export function notificationBody(method: string, params?: Record<string, unknown>): string {
  return JSON.stringify(
    params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params },
  );
}
