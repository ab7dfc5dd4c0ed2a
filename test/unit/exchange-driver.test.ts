/**
 * An Exchange that continues past one HTTP request, driven by a scripted dispatcher that answers
 * each dispatch with the next reply: input_required rounds, task polling and server requests on
 * the stream, with no network. The step ends (onExchangeEnd) exactly once.
 */
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { rulesFor } from '../../src/protocol/classify-response.js';
import {
  Exchange,
  MAX_INPUT_ROUNDS,
  type ExchangeDriver,
  type FollowUp,
  type McpRequest,
} from '../../src/protocol/exchange.js';
import { ERROR_KINDS, OK } from '../../src/protocol/outcome.js';

const CALL = rulesFor('tools/call', true);

type Reply = { sse?: boolean; messages: unknown[] };

/** Answers dispatch n with replies[n] (the last one repeats), recording each request's body. */
function scripted(replies: Reply[], bodies: string[]): Dispatcher {
  let n = 0;
  return {
    dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      bodies.push(String(options.body));
      const reply = replies[Math.min(n++, replies.length - 1)]!;
      const h = handler as unknown as {
        onConnect(abort: (err?: Error) => void): void;
        onHeaders(status: number, raw: Buffer[], resume: () => void, text: string): boolean;
        onData(chunk: Buffer): boolean;
        onComplete(trailers: Buffer[]): void;
        onError(err: Error): void;
      };
      h.onConnect((err) => h.onError(err ?? new Error('aborted')));
      const type = reply.sse ? 'text/event-stream' : 'application/json';
      h.onHeaders(200, [Buffer.from('content-type'), Buffer.from(type)], () => undefined, '');
      const text = reply.sse
        ? reply.messages.map((m) => `data: ${JSON.stringify(m)}\n\n`).join('')
        : JSON.stringify(reply.messages[0]);
      h.onData(Buffer.from(text));
      h.onComplete([]);
      return true;
    },
  } as unknown as Dispatcher;
}

class FakeDriver implements ExchangeDriver {
  serverRequests: unknown[] = [];
  private id = 100;
  constructor(private readonly violation: string | null = null) {}
  nextRound(): FollowUp | string {
    const id = ++this.id;
    return { id, rules: CALL, request: { path: '/', method: 'POST', body: `retry ${id}` } };
  }
  pollTask(taskId: string): FollowUp {
    const id = ++this.id;
    return {
      id,
      rules: rulesFor('tasks/get', true),
      request: { path: '/', method: 'POST', body: `poll ${taskId} ${id}` },
    };
  }
  onServerRequest(message: Readonly<Record<string, unknown>>): string | null {
    this.serverRequests.push(message);
    return this.violation;
  }
}

interface Ended {
  kind: string;
  detail: string;
  rounds: number;
  polls: number;
  ends: number;
}

async function run(
  replies: Reply[],
  driver: ExchangeDriver,
  bodies: string[] = [],
): Promise<Ended> {
  let ends = 0;
  return new Promise((resolve) => {
    const ex = new Exchange(
      {
        onExchangeEnd(e) {
          ends++;
          const ended = {
            kind: e.outcome === OK ? 'ok' : ERROR_KINDS[e.outcome - 1]!,
            detail: e.describe(),
            rounds: e.rounds,
            polls: e.polls,
            ends,
          };
          // A second end would show up in `ends` of a later microtask.
          queueMicrotask(() => resolve({ ...ended, ends }));
        },
      },
      1 << 20,
    );
    const request: McpRequest = { path: '/', method: 'POST', body: 'first', rules: CALL, driver };
    ex.start(scripted(replies, bodies), request, {
      id: 1,
      isToolCall: true,
      keepMessage: false,
      sessionBound: false,
      timeoutMs: 5000,
    });
  });
}

const complete = (id: number) => ({
  jsonrpc: '2.0',
  id,
  result: { content: [], resultType: 'complete' },
});
const inputRequired = (id: number) => ({
  jsonrpc: '2.0',
  id,
  result: { resultType: 'input_required', requestState: 's' },
});

describe('an exchange that continues past one HTTP request', () => {
  it('retries an input_required result and ends once, with the round counted', async () => {
    const bodies: string[] = [];
    const r = await run(
      [{ messages: [inputRequired(1)] }, { messages: [complete(101)] }],
      new FakeDriver(),
      bodies,
    );
    expect(r).toMatchObject({ kind: 'ok', rounds: 1, ends: 1 });
    expect(bodies).toEqual(['first', 'retry 101']);
  });

  it('gives up as protocol after MAX_INPUT_ROUNDS rounds that never complete', async () => {
    let id = 1;
    const replies = [{ messages: [inputRequired(1)] }];
    for (let i = 0; i < MAX_INPUT_ROUNDS; i++)
      replies.push({ messages: [inputRequired(++id + 99)] });
    const r = await run(replies, new FakeDriver());
    expect(r.kind).toBe('protocol');
    expect(r.detail).toBe(`still input_required after ${MAX_INPUT_ROUNDS} answered rounds`);
  });

  it('polls a task until it completes, counting the polls', async () => {
    const task = {
      jsonrpc: '2.0',
      id: 1,
      result: { resultType: 'task', taskId: 't', pollIntervalMs: 1 },
    };
    const working = (id: number) => ({
      jsonrpc: '2.0',
      id,
      result: { resultType: 'complete', taskId: 't', status: 'working', pollIntervalMs: 1 },
    });
    const done = {
      jsonrpc: '2.0',
      id: 103,
      result: { resultType: 'complete', taskId: 't', status: 'completed', result: { content: [] } },
    };
    const r = await run(
      [
        { messages: [task] },
        { messages: [working(101)] },
        { messages: [working(102)] },
        { messages: [done] },
      ],
      new FakeDriver(),
    );
    expect(r).toMatchObject({ kind: 'ok', polls: 3, ends: 1 });
  });

  it('ends a failed task as jsonrpc with the task error in the detail', async () => {
    const task = { jsonrpc: '2.0', id: 1, result: { resultType: 'task', taskId: 't' } };
    const failed = {
      jsonrpc: '2.0',
      id: 101,
      result: {
        resultType: 'complete',
        status: 'failed',
        error: { code: -32000, message: 'boom' },
      },
    };
    const r = await run([{ messages: [task] }, { messages: [failed] }], new FakeDriver());
    expect(r.kind).toBe('jsonrpc');
    expect(r.detail).toBe('JSON-RPC error -32000: boom');
  });

  it('hands a 2025 server request on the stream to the driver and keeps reading', async () => {
    const driver = new FakeDriver();
    const ask = { jsonrpc: '2.0', id: 'srv-1', method: 'sampling/createMessage', params: {} };
    const r = await run([{ sse: true, messages: [ask, complete(1)] }], driver);
    expect(r.kind).toBe('ok');
    expect(driver.serverRequests).toEqual([ask]);
  });

  it('fails the step as protocol when the driver says the server request breaks the revision', async () => {
    const ask = { jsonrpc: '2.0', id: 'srv-1', method: 'roots/list' };
    const r = await run([{ sse: true, messages: [ask, complete(1)] }], new FakeDriver('forbidden'));
    expect(r).toMatchObject({ kind: 'protocol', detail: 'forbidden', ends: 1 });
  });
});
