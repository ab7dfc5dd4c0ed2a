/**
 * Schema discovery for `init <URL>`: lists a server's tools, resources, resource templates and
 * prompts through an injected `request` function (the MCP client owns the transport).
 *
 * Each list follows `nextCursor` pagination (MCP spec, "Pagination": the cursor is opaque and sent
 * back as `params.cursor`) for at most MAX_PAGES pages and MAX_ITEMS entries, and stops early when a
 * cursor repeats, so a looping server cannot hold `init` forever. A feature the server does not
 * offer (absent from its `capabilities`, or answered with JSON-RPC -32601 "Method not found") is an
 * empty list. Entries are validated one by one: malformed ones are skipped, never fatal.
 */

import { LoadtestError } from '../errors.js';
import { METHOD } from '../protocol/mcp-vocabulary.js';

export interface Discovery {
  serverInfo?: { name: string; version?: string };
  tools: {
    name: string;
    description?: string;
    inputSchema?: unknown;
    /** The server's own hints (MCP `ToolAnnotations`); only boolean hints are kept. */
    annotations?: ToolHints;
    /** `execution.taskSupport` (2025-11-25 "Tasks"): "required" runs only as a task. */
    taskSupport?: string;
    /**
     * Client capabilities the server lists this tool for only when the client declares them
     * (`capability-probe.ts`): the tool asks the client for sampling, elicitation or roots.
     */
    needs?: ClientCapability[];
  }[];
  resources: { uri: string; name?: string }[];
  resourceTemplates?: { uriTemplate: string; name?: string }[];
  prompts: {
    name: string;
    description?: string;
    arguments?: { name: string; required?: boolean; description?: string }[];
    /** Why `prompts/get` with the placeholder arguments failed (`prompt-check.ts`). */
    refused?: string;
  }[];
}

/** The client capabilities a server may ask for (2025-11-25 "Client Features"). */
export const CLIENT_CAPABILITIES = ['sampling', 'elicitation', 'roots'] as const;
export type ClientCapability = (typeof CLIENT_CAPABILITIES)[number];

export interface ToolHints {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** Sends one JSON-RPC request and resolves with its `result`; rejects with `code` on an error. */
export type DiscoveryRequest = (
  method: string,
  params?: Record<string, unknown>,
) => Promise<unknown>;

export const MAX_PAGES = 100;
export const MAX_ITEMS = 10_000;
/** JSON-RPC 2.0 "Method not found". */
export const METHOD_NOT_FOUND = -32601;

type Json = Record<string, unknown>;

/**
 * @param initializeResult the server's `initialize` result, if known: its `capabilities` decide
 *   which lists are asked for, and its `serverInfo` is kept for the config's header.
 */
export async function discover(
  request: DiscoveryRequest,
  initializeResult?: unknown,
): Promise<Discovery> {
  const init = isRecord(initializeResult) ? initializeResult : {};
  const caps = isRecord(init.capabilities) ? init.capabilities : undefined;
  // Without capabilities to go by, ask for everything and let -32601 say no.
  const offers = (feature: string) => caps === undefined || caps[feature] !== undefined;

  const tools = offers('tools') ? await listTools(request) : [];
  const resources = offers('resources')
    ? await listAll(request, METHOD.resourcesList, 'resources', parseResource)
    : [];
  const resourceTemplates = offers('resources')
    ? await listAll(request, METHOD.resourceTemplatesList, 'resourceTemplates', parseTemplate)
    : [];
  const prompts = offers('prompts')
    ? await listAll(request, METHOD.promptsList, 'prompts', parsePrompt)
    : [];
  const discovery: Discovery = { tools, resources, resourceTemplates, prompts };
  const serverInfo = parseServerInfo(init.serverInfo);
  if (serverInfo !== undefined) discovery.serverInfo = serverInfo;
  return discovery;
}

/** Every tool the server lists (all pages), malformed entries skipped. */
export function listTools(request: DiscoveryRequest): Promise<Discovery['tools']> {
  return listAll(request, METHOD.toolsList, 'tools', parseTool);
}

async function listAll<T>(
  request: DiscoveryRequest,
  method: string,
  key: string,
  parse: (raw: unknown) => T | undefined,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let result: unknown;
    try {
      result = await request(method, cursor === undefined ? undefined : { cursor });
    } catch (err) {
      if (isMethodNotFound(err)) return items;
      if (err instanceof LoadtestError) throw err;
      throw new LoadtestError('DISCOVERY_FAILED', `${method} failed: ${describeError(err)}`, {
        cause: err,
      });
    }
    const body = isRecord(result) ? result : {};
    const list = body[key];
    if (Array.isArray(list)) {
      for (const raw of list) {
        const item = parse(raw);
        if (item !== undefined) items.push(item);
        if (items.length >= MAX_ITEMS) return items;
      }
    }
    const next = body.nextCursor;
    if (typeof next !== 'string' || next === '' || seen.has(next)) break;
    seen.add(next);
    cursor = next;
  }
  return items;
}

function isMethodNotFound(err: unknown): boolean {
  if (!isRecord(err)) return false;
  if (err.code === METHOD_NOT_FOUND) return true;
  // Some clients wrap the JSON-RPC error object as the cause.
  return isRecord(err.cause) && err.cause.code === METHOD_NOT_FOUND;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (isRecord(err) && typeof err.message === 'string') return err.message;
  return String(err);
}

function parseTool(raw: unknown): Discovery['tools'][number] | undefined {
  if (!isRecord(raw) || !isName(raw.name)) return undefined;
  const tool: Discovery['tools'][number] = { name: raw.name };
  if (typeof raw.description === 'string') tool.description = raw.description;
  if (isRecord(raw.inputSchema)) tool.inputSchema = raw.inputSchema;
  if (isRecord(raw.annotations)) {
    const hints: ToolHints = {};
    for (const key of [
      'readOnlyHint',
      'destructiveHint',
      'idempotentHint',
      'openWorldHint',
    ] as const) {
      const v = raw.annotations[key];
      if (typeof v === 'boolean') hints[key] = v;
    }
    if (Object.keys(hints).length > 0) tool.annotations = hints;
  }
  if (isRecord(raw.execution) && typeof raw.execution.taskSupport === 'string') {
    tool.taskSupport = raw.execution.taskSupport;
  }
  return tool;
}

function parseResource(raw: unknown): Discovery['resources'][number] | undefined {
  if (!isRecord(raw) || !isName(raw.uri)) return undefined;
  const resource: Discovery['resources'][number] = { uri: raw.uri };
  if (typeof raw.name === 'string') resource.name = raw.name;
  return resource;
}

function parseTemplate(
  raw: unknown,
): NonNullable<Discovery['resourceTemplates']>[number] | undefined {
  if (!isRecord(raw) || !isName(raw.uriTemplate)) return undefined;
  const template: NonNullable<Discovery['resourceTemplates']>[number] = {
    uriTemplate: raw.uriTemplate,
  };
  if (typeof raw.name === 'string') template.name = raw.name;
  return template;
}

function parsePrompt(raw: unknown): Discovery['prompts'][number] | undefined {
  if (!isRecord(raw) || !isName(raw.name)) return undefined;
  const prompt: Discovery['prompts'][number] = { name: raw.name };
  if (typeof raw.description === 'string') prompt.description = raw.description;
  if (Array.isArray(raw.arguments)) {
    prompt.arguments = raw.arguments.flatMap((a: unknown) => {
      if (!isRecord(a) || !isName(a.name)) return [];
      const arg: { name: string; required?: boolean; description?: string } = { name: a.name };
      if (typeof a.required === 'boolean') arg.required = a.required;
      if (typeof a.description === 'string') arg.description = a.description;
      return [arg];
    });
  }
  return prompt;
}

function parseServerInfo(raw: unknown): Discovery['serverInfo'] {
  if (!isRecord(raw) || typeof raw.name !== 'string') return undefined;
  return typeof raw.version === 'string'
    ? { name: raw.name, version: raw.version }
    : { name: raw.name };
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
