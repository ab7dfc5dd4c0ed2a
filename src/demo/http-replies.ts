/**
 * Response writers for the demo server. Each body is complete before it is written, so every
 * response carries Content-Length (cheaper than chunked encoding, and the connection stays
 * reusable). Header objects are plain literals: node:http copies them once into the head.
 */

import type { ServerResponse } from 'node:http';

/** A JSON-RPC message with its `id`, as one SSE event (spec: Streamable HTTP) or a JSON body. */
export function sendMessage(
  res: ServerResponse,
  json: string,
  sse: boolean,
  sessionId: string | undefined,
): void {
  if (res.destroyed) return; // the client went away during a delay
  const body = sse ? `event: message\ndata: ${json}\n\n` : json;
  const length = Buffer.byteLength(body);
  if (sessionId === undefined) {
    res.writeHead(
      200,
      sse
        ? {
            'Content-Type': 'text/event-stream',
            'Cache-Control': 'no-cache',
            'Content-Length': length,
          }
        : { 'Content-Type': 'application/json', 'Content-Length': length },
    );
  } else {
    res.writeHead(
      200,
      sse
        ? {
            'Content-Type': 'text/event-stream',
            'Cache-Control': 'no-cache',
            'Content-Length': length,
            'Mcp-Session-Id': sessionId,
          }
        : {
            'Content-Type': 'application/json',
            'Content-Length': length,
            'Mcp-Session-Id': sessionId,
          },
    );
  }
  res.end(body);
}

/**
 * A transport-level failure: HTTP status plus a JSON-RPC error with `id: null`, always as
 * application/json, the shape the SDK's StreamableHTTPServerTransport uses.
 */
export function sendHttpError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  allow?: string,
): void {
  const body = `{"jsonrpc":"2.0","error":{"code":${code},"message":${JSON.stringify(message)}},"id":null}`;
  const length = Buffer.byteLength(body);
  res.writeHead(
    status,
    allow === undefined
      ? { 'Content-Type': 'application/json', 'Content-Length': length }
      : { 'Content-Type': 'application/json', 'Content-Length': length, Allow: allow },
  );
  res.end(body);
}

/** 202 Accepted for notifications and client responses; 200 for DELETE. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

export function sendNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 10 });
  res.end('Not Found\n');
}
