import { describe, expect, it } from 'vitest';
import {
  classifyResponse,
  classifyTaskStatus,
  NEXT_DONE,
  NEXT_INPUT,
  NEXT_POLL,
  NEXT_TASK,
  rulesFor,
} from '../../src/protocol/classify-response.js';
import { errorKindName, OK } from '../../src/protocol/outcome.js';

const CALL = rulesFor('tools/call', true);
const LIST = rulesFor('tools/list', true);
const LEGACY_CALL = rulesFor('tools/call', false);

function kind(response: Record<string, unknown>, rules: number): string {
  const v = classifyResponse(response, rules);
  return v.outcome === OK ? 'ok' : errorKindName(v.outcome);
}

const ok = (result: unknown) => ({ jsonrpc: '2.0', id: 1, result });

describe('classifyResponse: every revision', () => {
  it('counts a jsonrpc version other than "2.0" as protocol', () => {
    const v = classifyResponse({ jsonrpc: '1.0', id: 1, result: {} }, LEGACY_CALL);
    expect(errorKindName(v.outcome)).toBe('protocol');
    expect(v.reason).toContain('"1.0"');
  });

  it('counts an array result as protocol', () => {
    expect(kind(ok([1, 2]), LEGACY_CALL)).toBe('protocol');
  });

  it('counts a null result as protocol', () => {
    expect(kind(ok(null), LEGACY_CALL)).toBe('protocol');
  });

  it('counts a non-object error as protocol, an error object as jsonrpc', () => {
    expect(kind({ jsonrpc: '2.0', id: 1, error: 'boom' }, LEGACY_CALL)).toBe('protocol');
    expect(kind({ jsonrpc: '2.0', id: 1, error: { code: 1, message: 'x' } }, LEGACY_CALL)).toBe(
      'jsonrpc',
    );
  });

  it('does not ask a 2025 result for resultType', () => {
    expect(kind(ok({ content: [] }), LEGACY_CALL)).toBe('ok');
  });
});

describe('classifyResponse: 2026-07-28 rules', () => {
  it('counts a result without resultType as protocol', () => {
    const v = classifyResponse(ok({ content: [] }), CALL);
    expect(errorKindName(v.outcome)).toBe('protocol');
    expect(v.reason).toBe('a 2026-07-28 result without resultType');
  });

  it('counts an unknown resultType as protocol', () => {
    expect(kind(ok({ resultType: 'later' }), CALL)).toBe('protocol');
  });

  it('counts a list result without ttlMs as protocol', () => {
    const v = classifyResponse(
      ok({ tools: [], resultType: 'complete', cacheScope: 'private' }),
      LIST,
    );
    expect(v.reason).toContain('ttlMs');
  });

  it('counts a list result without cacheScope as protocol', () => {
    const v = classifyResponse(ok({ tools: [], resultType: 'complete', ttlMs: 0 }), LIST);
    expect(v.reason).toContain('cacheScope');
  });

  it('accepts a list result with both cache hints', () => {
    expect(
      kind(ok({ tools: [], resultType: 'complete', ttlMs: 0, cacheScope: 'private' }), LIST),
    ).toBe('ok');
  });

  it('does not ask a tools/call result for cache hints', () => {
    expect(kind(ok({ content: [], resultType: 'complete' }), CALL)).toBe('ok');
  });

  it('counts isError on a complete tools/call result as tool', () => {
    expect(kind(ok({ content: [], resultType: 'complete', isError: true }), CALL)).toBe('tool');
  });

  it('continues an input_required result with requestState', () => {
    const v = classifyResponse(ok({ resultType: 'input_required', requestState: 's' }), CALL);
    expect(v.next).toBe(NEXT_INPUT);
  });

  it('counts an input_required result with neither inputRequests nor requestState as protocol', () => {
    expect(kind(ok({ resultType: 'input_required' }), CALL)).toBe('protocol');
  });

  it('counts input_required on tools/list as protocol', () => {
    expect(kind(ok({ resultType: 'input_required', requestState: 's' }), LIST)).toBe('protocol');
  });

  it('continues a task result by polling it', () => {
    const v = classifyResponse(ok({ resultType: 'task', taskId: 't1', status: 'working' }), CALL);
    expect(v.next).toBe(NEXT_TASK);
  });

  it('counts a task result without taskId as protocol', () => {
    expect(kind(ok({ resultType: 'task', status: 'working' }), CALL)).toBe('protocol');
  });

  it('counts a task result on resources/read as protocol', () => {
    expect(kind(ok({ resultType: 'task', taskId: 't' }), rulesFor('resources/read', true))).toBe(
      'protocol',
    );
  });
});

describe('classifyTaskStatus', () => {
  it('polls a working task again', () => {
    expect(classifyTaskStatus({ status: 'working' }, CALL).next).toBe(NEXT_POLL);
  });

  it('ends a completed task as ok', () => {
    const v = classifyTaskStatus({ status: 'completed', result: { content: [] } }, CALL);
    expect([v.outcome, v.next]).toEqual([OK, NEXT_DONE]);
  });

  it('ends a completed task whose tool result isError as tool', () => {
    const v = classifyTaskStatus({ status: 'completed', result: { isError: true } }, CALL);
    expect(errorKindName(v.outcome)).toBe('tool');
  });

  it('ends a failed task as jsonrpc', () => {
    const v = classifyTaskStatus({ status: 'failed', error: { code: 1, message: 'x' } }, CALL);
    expect(errorKindName(v.outcome)).toBe('jsonrpc');
  });

  it('counts a completed task without a result object as protocol', () => {
    expect(errorKindName(classifyTaskStatus({ status: 'completed' }, CALL).outcome)).toBe(
      'protocol',
    );
  });
});
