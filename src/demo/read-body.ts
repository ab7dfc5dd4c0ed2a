/**
 * Reads a request body up to 1 MiB. Past the limit the rest is still read and discarded, then
 * 413 is sent: answering before the client has finished sending would make it see a reset
 * instead of the status, and draining keeps the kept-alive connection usable.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendHttpError } from './http-replies.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyHandler = (req: IncomingMessage, res: ServerResponse, text: string) => void;

export function readBody(req: IncomingMessage, res: ServerResponse, onBody: BodyHandler): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    else chunks.length = 0;
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) {
      const message = `Payload Too Large: the body exceeds ${MAX_BODY_BYTES} bytes`;
      return sendHttpError(res, 413, -32000, message);
    }
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
    onBody(req, res, body.toString('utf8'));
  });
}
