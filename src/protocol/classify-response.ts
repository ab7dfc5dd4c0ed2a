/**
 * Pure classification of one JSON-RPC response against the rules of the revision it was sent
 * under, so conformance is checked under load and testable without a socket.
 *
 * Every revision: `jsonrpc` is "2.0"; an `error` is a jsonrpc failure; a `result` is an object
 * (not an array, null or a scalar); `tools/call` with `isError: true` is a tool failure.
 * 2026-07-28 on top ("Base Protocol", "Multi Round-Trip Requests", tasks extension):
 * - every result carries `resultType`: `complete` is the answer; `input_required` (only on
 *   tools/call, resources/read, prompts/get, with `inputRequests` or `requestState`) asks the
 *   client to retry; `task` (only on tools/call, with a `taskId`) is a handle to poll;
 * - list and read results carry the cache hints `ttlMs` and `cacheScope`.
 * A response that breaks a rule is a `protocol` error whose reason says which rule.
 *
 * Common verdicts are shared constants: the hot path allocates only for a violation.
 */
import { JSONRPC, OK, PROTOCOL, TOOL, type Outcome } from './outcome.js';
import { METHOD } from './mcp-vocabulary.js';

/** Judge by the 2026-07-28 result rules. */
export const RULE_MODERN = 1;
/** A list or read result: `ttlMs` and `cacheScope` are required (2026-07-28). */
export const RULE_CACHE_HINT = 2;
/** tools/call: `isError: true` is a tool failure. */
export const RULE_TOOL_CALL = 4;
/** `input_required` is allowed (tools/call, resources/read, prompts/get). */
export const RULE_MULTI_ROUND = 8;
/** `task` is allowed (tools/call, tasks extension "Supported Methods"). */
export const RULE_TASK = 16;

/** What the exchange does next. */
export const NEXT_DONE = 0;
export const NEXT_INPUT = 1;
export const NEXT_TASK = 2;
/** A task still running: poll it again. */
export const NEXT_POLL = 3;

export interface Verdict {
  readonly outcome: Outcome;
  readonly next: number;
  readonly reason: string;
}

const DONE_OK: Verdict = { outcome: OK, next: NEXT_DONE, reason: '' };
const DONE_JSONRPC: Verdict = { outcome: JSONRPC, next: NEXT_DONE, reason: '' };
const DONE_TOOL: Verdict = { outcome: TOOL, next: NEXT_DONE, reason: '' };
const INPUT: Verdict = { outcome: OK, next: NEXT_INPUT, reason: '' };
const TASK: Verdict = { outcome: OK, next: NEXT_TASK, reason: '' };

const LIST_OR_READ = new Set<string>([
  METHOD.toolsList,
  METHOD.resourcesList,
  METHOD.resourceTemplatesList,
  METHOD.promptsList,
  METHOD.resourcesRead,
]);

/** The rule flags for a request of `method` sent under the modern (or legacy) revision. */
export function rulesFor(method: string, modern: boolean): number {
  let rules = method === 'tools/call' ? RULE_TOOL_CALL : 0;
  if (!modern) return rules;
  rules |= RULE_MODERN;
  if (LIST_OR_READ.has(method)) rules |= RULE_CACHE_HINT;
  if (method === 'tools/call' || method === 'resources/read' || method === 'prompts/get') {
    rules |= RULE_MULTI_ROUND;
  }
  if (method === 'tools/call') rules |= RULE_TASK;
  return rules;
}

function violation(reason: string): Verdict {
  return { outcome: PROTOCOL, next: NEXT_DONE, reason };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function classifyResponse(
  response: Readonly<Record<string, unknown>>,
  rules: number,
): Verdict {
  if (response.jsonrpc !== '2.0') {
    return violation(
      `the response's jsonrpc is ${JSON.stringify(response.jsonrpc) ?? 'absent'}, not "2.0"`,
    );
  }
  const error = response.error;
  if (error !== undefined && error !== null) {
    return typeof error === 'object' && !Array.isArray(error)
      ? DONE_JSONRPC
      : violation(`the response's error is ${kindOf(error)}, not an object`);
  }
  const result = response.result;
  if (result === undefined)
    return violation('the response has neither a result object nor an error');
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    return violation(`the result is ${kindOf(result)}, not an object`);
  }
  const r = result as Record<string, unknown>;
  if ((rules & RULE_MODERN) !== 0) {
    const type = r.resultType;
    if (type === 'input_required') {
      if ((rules & RULE_MULTI_ROUND) === 0) {
        return violation('resultType "input_required" on a method that does not allow it');
      }
      if (r.inputRequests === undefined && r.requestState === undefined) {
        return violation('an input_required result with neither inputRequests nor requestState');
      }
      return INPUT;
    }
    if (type === 'task') {
      if ((rules & RULE_TASK) === 0)
        return violation('resultType "task" on a method that does not allow it');
      if (typeof r.taskId !== 'string') return violation('a task result without a string taskId');
      return TASK;
    }
    if (type === undefined) return violation('a 2026-07-28 result without resultType');
    if (type !== 'complete') return violation(`unknown resultType ${JSON.stringify(type)}`);
    if ((rules & RULE_CACHE_HINT) !== 0) {
      if (typeof r.ttlMs !== 'number' || !(r.ttlMs >= 0)) {
        return violation('a 2026-07-28 list or read result without a non-negative ttlMs');
      }
      if (typeof r.cacheScope !== 'string') {
        return violation('a 2026-07-28 list or read result without cacheScope');
      }
    }
  }
  if ((rules & RULE_TOOL_CALL) !== 0 && r.isError === true) return DONE_TOOL;
  return DONE_OK;
}

const POLL: Verdict = { outcome: OK, next: NEXT_POLL, reason: '' };

/**
 * A `tasks/get` result (already a valid 2026-07-28 response) judged by the task's status (tasks
 * extension, "Task Status"): `working` polls again; `completed` carries what the original
 * request would have returned (judged by `rules`: isError is a tool failure); `failed` carries
 * the JSON-RPC error; `cancelled` ends it as a jsonrpc failure too. `input_required` would need
 * `tasks/update`, which this client does not send: it ends the step with that reason.
 */
export function classifyTaskStatus(
  result: Readonly<Record<string, unknown>>,
  rules: number,
): Verdict {
  switch (result.status) {
    case 'working':
      return POLL;
    case 'completed': {
      const inner = result.result;
      if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
        return violation(`a completed task whose result is ${kindOf(inner)}, not an object`);
      }
      return (rules & RULE_TOOL_CALL) !== 0 && (inner as Record<string, unknown>).isError === true
        ? DONE_TOOL
        : DONE_OK;
    }
    case 'failed':
    case 'cancelled':
      return DONE_JSONRPC;
    case 'input_required':
      return violation(
        'the task asks for input (tasks/update), which mcp-loadtest does not answer',
      );
    default:
      return violation(`a task with unknown status ${JSON.stringify(result.status) ?? 'absent'}`);
  }
}
