/**
 * Requests of the 2026-07-28 revision, built once per request template (2026-07-28 "Streamable
 * HTTP", Request Metadata; "Base Protocol", `_meta`):
 *
 *   headers  MCP-Protocol-Version, Mcp-Method, Mcp-Name (tools/call, resources/read, prompts/get:
 *            from params.name or params.uri), Mcp-Param-* (tool arguments marked x-mcp-header)
 *   body     params._meta = { protocolVersion, clientInfo, clientCapabilities }
 *
 * The hot path only concatenates `PREFIX + id + suffix`, as in the 2025 era. An `input_required`
 * retry splices `inputResponses` and `requestState` in front of the pre-built params, so the
 * configured params are never serialised again (2026-07-28 "Multi Round-Trip Requests": the retry
 * repeats the original params, with a new id).
 */
import { encodeHeaderValue, paramHeaderPairs } from './header-values.js';
import { rulesFor } from './classify-response.js';
import type { ProtocolProfile } from './protocol-profile.js';
import { PREFIX } from './request-template.js';

export interface ModernRequest {
  readonly method: string;
  /** Everything after the id. */
  readonly suffix: string;
  /** The whole header list: the target's, then the request metadata headers. */
  readonly headers: string[];
  /** `,"method":…,"params":{` and the rest of the params after that brace. */
  readonly paramsHead: string;
  readonly paramsTail: string;
  /** classify-response.ts rule flags for its responses. */
  readonly rules: number;
}

/** Methods whose `Mcp-Name` comes from params.name / params.uri ("Standard Request Headers"). */
const NAMED: Readonly<Record<string, 'name' | 'uri'>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

/** The target's headers plus MCP-Protocol-Version, Mcp-Method and, when given, Mcp-Name. */
export function metadataHeaders(
  baseHeaders: readonly string[],
  version: string,
  method: string,
  name?: string,
): string[] {
  const headers = baseHeaders.slice();
  headers.push('mcp-protocol-version', version, 'mcp-method', method);
  if (name !== undefined) headers.push('mcp-name', encodeHeaderValue(name));
  return headers;
}

export function buildModernRequest(
  method: string,
  params: Readonly<Record<string, unknown>> | undefined,
  profile: ProtocolProfile,
  baseHeaders: readonly string[],
): ModernRequest {
  const nameKey = NAMED[method];
  const nameValue = nameKey === undefined ? undefined : params?.[nameKey];
  const headers = metadataHeaders(
    baseHeaders,
    profile.version,
    method,
    typeof nameValue === 'string' ? nameValue : undefined,
  );
  if (method === 'tools/call' && typeof params?.name === 'string') {
    const annotated = profile.paramHeaders.get(params.name);
    if (annotated !== undefined) {
      headers.push(
        ...paramHeaderPairs(annotated, params.arguments as Record<string, unknown> | undefined),
      );
    }
  }
  // The envelope joins what the step's params carry in `_meta` (a progressToken).
  const meta = {
    ...(params?._meta as object | undefined),
    ...(JSON.parse(profile.metaJson) as object),
  };
  const paramsJson = JSON.stringify({ ...params, _meta: meta });
  const paramsHead = `,"method":${JSON.stringify(method)},"params":{`;
  const paramsTail = paramsJson.slice(1) + '}';
  return {
    method,
    suffix: paramsHead + paramsTail,
    headers,
    paramsHead,
    paramsTail,
    rules: rulesFor(method, true),
  };
}

/** The retry of an `input_required` round: the same params plus the answers and the state. */
export function retryBody(
  request: ModernRequest,
  id: number,
  inputResponses: Readonly<Record<string, unknown>>,
  requestState: string | undefined,
): string {
  // requestState is echoed byte for byte: JSON.stringify of the string the server sent.
  const state = requestState === undefined ? '' : `"requestState":${JSON.stringify(requestState)},`;
  return `${PREFIX}${id}${request.paramsHead}"inputResponses":${JSON.stringify(inputResponses)},${state}${request.paramsTail}`;
}

/** `tasks/get` for `taskId` (tasks extension, "Task Polling"). */
export function taskGetBody(id: number, taskId: string, metaJson: string): string {
  return `${PREFIX}${id},"method":"tasks/get","params":{"taskId":${JSON.stringify(taskId)},"_meta":${metaJson}}}`;
}
