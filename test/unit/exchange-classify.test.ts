/**
 * Exchange classification, driven through its undici handler methods by a scripted dispatcher:
 * the response shapes real servers rarely produce on demand (batches, server requests reusing our
 * id, odd media types) without any network.
 */
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  Exchange,
  BODY_JSON,
  BODY_SSE,
  mediaKind,
  BODY_OTHER,
} from '../../src/protocol/exchange.js';
import { ERROR_KINDS, OK, type Outcome } from '../../src/protocol/outcome.js';

interface Scripted {
  status: number;
  headers?: Record<string, string>;
  chunks?: (string | Buffer)[];
}

/** A dispatcher that answers every request with `reply`, synchronously, chunk by chunk. */
function scripted(reply: Scripted): Dispatcher {
  return {
    dispatch(_options: unknown, handler: Dispatcher.DispatchHandler) {
      const h = handler as unknown as {
        onConnect(abort: (err?: Error) => void): void;
        onHeaders(status: number, raw: Buffer[], resume: () => void, text: string): boolean;
        onData(chunk: Buffer): boolean;
        onComplete(trailers: Buffer[]): void;
        onError(err: Error): void;
      };
      let aborted = false;
      h.onConnect((err) => {
        aborted = true;
        h.onError(err ?? new Error('aborted'));
      });
      const raw = Object.entries(reply.headers ?? {}).flatMap(([k, v]) => [
        Buffer.from(k),
        Buffer.from(v),
      ]);
      h.onHeaders(reply.status, raw, () => undefined, '');
      for (const chunk of reply.chunks ?? []) {
        if (aborted) return true;
        h.onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      }
      if (!aborted) h.onComplete([]);
      return true;
    },
  } as unknown as Dispatcher;
}

interface Ended {
  outcome: Outcome;
  kind: string;
  bodyKind: number;
  sessionId: string | null;
  detail: string;
  message: unknown;
}

function exchange(
  reply: Scripted,
  options: { id?: number; isToolCall?: boolean; sessionBound?: boolean; maxBytes?: number } = {},
): Ended {
  let ended: Ended | undefined;
  const ex = new Exchange(
    {
      onExchangeEnd(e) {
        ended = {
          outcome: e.outcome,
          kind: e.outcome === OK ? 'ok' : ERROR_KINDS[e.outcome - 1]!,
          bodyKind: e.bodyKind,
          sessionId: e.sessionId,
          detail: e.describe(),
          message: e.message,
        };
      },
    },
    options.maxBytes ?? 1 << 20,
  );
  ex.start(
    scripted(reply),
    { path: '/mcp', method: 'POST' },
    {
      id: options.id ?? 7,
      isToolCall: options.isToolCall ?? false,
      keepMessage: true,
      sessionBound: options.sessionBound ?? true,
      timeoutMs: 1000,
    },
  );
  if (ended === undefined) throw new Error('the exchange did not end');
  return ended;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const SSE_TYPE = { 'content-type': 'text/event-stream' };
const json = (body: unknown): Scripted => ({
  status: 200,
  headers: JSON_TYPE,
  chunks: [JSON.stringify(body)],
});
const sse = (...messages: unknown[]): Scripted => ({
  status: 200,
  headers: SSE_TYPE,
  chunks: messages.map((m) => `event: message\ndata: ${JSON.stringify(m)}\n\n`),
});

describe('mediaKind', () => {
  it('dispatches on the media type, ignoring case, parameters and spaces', () => {
    expect(mediaKind('Application/JSON; charset=utf-8')).toBe(BODY_JSON);
    expect(mediaKind(' text/event-stream ;charset=UTF-8')).toBe(BODY_SSE);
    expect(mediaKind('application/json-seq')).toBe(BODY_OTHER);
    expect(mediaKind('text/html')).toBe(BODY_OTHER);
  });
});

describe('Exchange classification', () => {
  it('reads a JSON result whose keys come before jsonrpc and id as a success', () => {
    const r = exchange(json({ result: { content: [] }, jsonrpc: '2.0', id: 7 }));
    expect(r.kind).toBe('ok');
    expect(r.bodyKind).toBe(BODY_JSON);
  });

  it('keeps the Mcp-Session-Id of the response, whatever its header case', () => {
    const reply = json({ result: {}, jsonrpc: '2.0', id: 7 });
    reply.headers = { ...JSON_TYPE, 'Mcp-Session-Id': 'abc-123' };
    expect(exchange(reply).sessionId).toBe('abc-123');
  });

  it('counts an error object as jsonrpc, with its code and message in the detail', () => {
    const r = exchange(json({ error: { code: -32602, message: 'bad' }, jsonrpc: '2.0', id: 7 }));
    expect(r.kind).toBe('jsonrpc');
    expect(r.detail).toBe('JSON-RPC error -32602: bad');
  });

  it('counts isError on tools/call as tool, with the text in the detail', () => {
    const body = {
      result: { content: [{ type: 'text', text: 'nope' }], isError: true },
      jsonrpc: '2.0',
      id: 7,
    };
    const r = exchange(json(body), { isToolCall: true });
    expect(r.kind).toBe('tool');
    expect(r.detail).toBe('tool returned isError: nope');
  });

  it('does not read isError on a method other than tools/call', () => {
    expect(exchange(json({ result: { isError: true }, jsonrpc: '2.0', id: 7 })).kind).toBe('ok');
  });

  it('accepts "error": null beside a result', () => {
    expect(exchange(json({ result: {}, error: null, jsonrpc: '2.0', id: 7 })).kind).toBe('ok');
  });

  it('counts a result that is not an object as protocol', () => {
    expect(exchange(json({ result: 5, jsonrpc: '2.0', id: 7 })).kind).toBe('protocol');
  });

  it('finds the response inside a JSON batch', () => {
    const r = exchange(
      json([{ method: 'notifications/x' }, { result: {}, jsonrpc: '2.0', id: 7 }]),
    );
    expect(r.kind).toBe('ok');
  });

  it('counts a JSON body answering another id as protocol', () => {
    const r = exchange(json({ result: {}, jsonrpc: '2.0', id: 8 }));
    expect(r.kind).toBe('protocol');
    expect(r.detail).toContain('no response to id 7');
  });

  it('reassembles a JSON body split across chunks, inside a multi-byte character', () => {
    const text = Buffer.from(JSON.stringify({ result: { t: 'é🎉' }, jsonrpc: '2.0', id: 7 }));
    const cut = text.indexOf(Buffer.from('🎉')) + 2;
    const r = exchange({
      status: 200,
      headers: JSON_TYPE,
      chunks: [text.subarray(0, cut), text.subarray(cut)],
    });
    expect(r.kind).toBe('ok');
    expect(r.message).toEqual({ result: { t: 'é🎉' }, jsonrpc: '2.0', id: 7 });
  });

  it('skips SSE notifications and a server request reusing our id, then matches the response', () => {
    const r = exchange(
      sse(
        { method: 'notifications/progress', params: {}, jsonrpc: '2.0' },
        { method: 'sampling/createMessage', params: {}, jsonrpc: '2.0', id: 7 },
        { result: { ok: true }, jsonrpc: '2.0', id: 7 },
      ),
    );
    expect(r.kind).toBe('ok');
    expect(r.bodyKind).toBe(BODY_SSE);
    expect(r.message).toEqual({ result: { ok: true }, jsonrpc: '2.0', id: 7 });
  });

  it('counts an SSE stream that ends with only another id answered as protocol', () => {
    expect(exchange(sse({ result: {}, jsonrpc: '2.0', id: 8 })).kind).toBe('protocol');
  });

  it('counts invalid JSON in an SSE event as protocol', () => {
    const r = exchange({ status: 200, headers: SSE_TYPE, chunks: ['data: {oops\n\n'] });
    expect(r.kind).toBe('protocol');
  });

  it('counts 404 on a session-bound request as session_expired', () => {
    const r = exchange({ status: 404, headers: JSON_TYPE, chunks: ['{"error":{}}'] });
    expect(r.kind).toBe('session_expired');
  });

  it('counts 404 on a request without a session as http', () => {
    const r = exchange({ status: 404, chunks: ['Not Found'] }, { sessionBound: false });
    expect(r.kind).toBe('http');
    expect(r.detail).toBe('HTTP 404: Not Found');
  });

  it('counts 400 naming the session as session_expired, and any other 400 as http', () => {
    const gone = { status: 400, chunks: ['Bad Request: No valid session ID provided'] };
    expect(exchange(gone).kind).toBe('session_expired');
    expect(exchange({ status: 400, chunks: ['Bad Request: invalid params'] }).kind).toBe('http');
  });

  it('accepts any 2xx to a notification (id 0), even with no body', () => {
    expect(exchange({ status: 202 }, { id: 0 }).kind).toBe('ok');
  });

  it('counts an empty 200 where a response was expected as protocol', () => {
    expect(exchange({ status: 200 }).kind).toBe('protocol');
  });

  it('counts a 200 that is neither JSON nor SSE as protocol', () => {
    const r = exchange({ status: 200, headers: { 'content-type': 'text/html' }, chunks: ['<p>'] });
    expect(r.kind).toBe('protocol');
  });

  it('cuts a body larger than the limit as response_too_large', () => {
    const r = exchange(
      { status: 200, headers: JSON_TYPE, chunks: ['x'.repeat(600), 'x'.repeat(600)] },
      { maxBytes: 1000 },
    );
    expect(r.kind).toBe('response_too_large');
  });
});
