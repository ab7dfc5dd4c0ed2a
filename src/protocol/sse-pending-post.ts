/**
 * One request in flight on the HTTP+SSE transport (sse-transport.ts): the undici handler of its
 * POST, and what the exchange is told. The two halves of a request arrive apart and in either
 * order: the POST's answer (202, or an error status) on one connection, the response as a
 * `message` event on the stream. Whichever settles the request first (the response, an error
 * status, a failed POST, the stream's end, the exchange's own abort on timeout) tells the
 * exchange, once; later arrivals are dropped. The object is reused once both the exchange is
 * settled and the POST is done, so the hot path allocates none.
 */

/** The handler methods an Exchange implements (undici's legacy dispatch handler). */
export interface LegacyHandler {
  onConnect(abort: (err?: Error) => void): void;
  onHeaders(status: number, headers: Buffer[] | string[] | null, resume: () => void): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: string[] | null): void;
  onError(err: Error): void;
}

/** Where requests in flight are kept: by id, and the settled ones ready for reuse. */
export interface PendingPosts {
  readonly pending: Map<number, PendingPost>;
  readonly spare: PendingPost[];
}

const JSON_HEADERS = ['content-type', 'application/json'];
const NOOP = (): void => undefined;
/** Bytes of an error response passed on: the exchange keeps no more. */
const ERROR_BODY_KEEP = 2048;

/** One request in flight (see above): settled once, reused once its POST is done too. */
export class PendingPost {
  id = 0;
  /** The exchange, until it has been told how the request ended. */
  handler: LegacyHandler | null = null;
  private postDone = true;
  private postAbort: ((err?: Error) => void) | null = null;
  private status = 0;
  private rawHeaders: Buffer[] | string[] | null = null;
  private readonly errorChunks: Buffer[] = [];
  private errorBytes = 0;
  private spare = false;
  /** Given to the exchange as its abort function (its timeout), once for the object's life. */
  readonly abortBound = (err?: Error): void => this.abortExchange(err);

  constructor(private readonly transport: PendingPosts) {}

  arm(id: number, handler: LegacyHandler): void {
    this.id = id;
    this.handler = handler;
    this.postDone = false;
    this.postAbort = null;
    this.status = 0;
    this.rawHeaders = null;
    this.errorChunks.length = 0;
    this.errorBytes = 0;
    this.spare = false;
  }

  // ---- the POST's handler ----

  onConnect(abort: (err?: Error) => void): void {
    this.postAbort = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[] | string[] | null): boolean {
    if (status < 200) return true;
    this.status = status;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if ((this.status < 200 || this.status >= 300) && this.errorBytes < ERROR_BODY_KEEP) {
      this.errorChunks.push(chunk);
      this.errorBytes += chunk.length;
    }
    return true;
  }

  onComplete(): void {
    this.postDone = true;
    const h = this.handler;
    if (h !== null && (this.status < 200 || this.status >= 300)) {
      // The server refused the message: its answer is the exchange's response.
      this.settle();
      h.onHeaders(this.status, this.rawHeaders, NOOP);
      for (const chunk of this.errorChunks) h.onData(chunk);
      h.onComplete(null);
    }
    this.recycle();
  }

  onError(err: Error): void {
    this.postDone = true;
    const h = this.handler;
    if (h !== null) {
      this.settle();
      h.onError(err);
    }
    this.recycle();
  }

  // ---- the stream's side ----

  /** The response arrived on the stream: a 200 application/json response for the exchange. */
  deliver(data: string): void {
    const h = this.handler;
    if (h === null) return;
    this.settle();
    h.onHeaders(200, JSON_HEADERS, NOOP);
    h.onData(Buffer.from(data));
    h.onComplete(null);
    this.recycle();
  }

  /** The stream ended (or the connection closed) before the response. */
  fail(err: Error): void {
    const h = this.handler;
    if (h === null) return;
    this.settle();
    if (!this.postDone) this.postAbort?.(err);
    h.onError(err);
    this.recycle();
  }

  private abortExchange(err?: Error): void {
    const h = this.handler;
    if (h === null) return;
    const reason = err ?? new Error('aborted');
    this.settle();
    if (!this.postDone) this.postAbort?.(reason);
    h.onError(reason);
    this.recycle();
  }

  private settle(): void {
    this.transport.pending.delete(this.id);
    this.handler = null;
  }

  private recycle(): void {
    if (this.spare || !this.postDone || this.handler !== null) return;
    this.spare = true;
    this.transport.spare.push(this);
  }
}
