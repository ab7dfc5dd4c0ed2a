/**
 * The GET stream of the 2024-11-05 "HTTP with SSE" transport (MCP 2024-11-05 "Transports",
 * HTTP with SSE): the client opens it with `Accept: text/event-stream`; the server's first event
 * is `endpoint`, whose data is the URI every client message is POSTed to; server messages
 * (responses, requests, notifications) then arrive as `message` events on this stream.
 *
 * `open()` resolves once the endpoint is known (or why it is not: an HTTP error, a body that is
 * not an event stream, no endpoint event within the timeout). The endpoint is resolved against
 * the target URL and must be on the target's origin: a load test sends its requests only where
 * it was pointed (the spec's security warning asks servers to validate Origin for the same
 * reason; a client following an endpoint elsewhere would be redirected by whoever controls the
 * stream). Once open, the stream's end (the server closed it, the socket failed) is handed to
 * the sink: the transport fails what was in flight and the session is gone.
 *
 * Memory: the bytes between two dispatched events are bounded by max_response_bytes, so a
 * server sending one endless event cannot grow the parser's buffer without bound.
 */
import type Client from 'undici/lib/dispatcher/client.js';
import { CONNECTION, HTTP, PROTOCOL, TIMEOUT, type Outcome } from './outcome.js';
import { SseParser, type SseSink } from './sse-parser.js';
import type { Target } from './target.js';

/** Why a stream could not be opened: the handshake's failure. */
export interface OpenFailure {
  outcome: Outcome;
  detail: string;
}

/** Where the stream's messages and its end go (the transport). */
export interface StreamSink {
  onMessage(data: string): void;
  onStreamEnd(err: Error): void;
}

/** Bytes of a non-2xx body kept for the message, as for any other response. */
const ERROR_BODY_KEEP = 2048;

export class SseStream {
  /** Path and query of the endpoint, once the `endpoint` event named it. */
  endpointPath: string | null = null;
  /** The endpoint's `sessionId` parameter (the SDK's convention), else the endpoint itself. */
  sessionId: string | null = null;
  /** The stream was open and has ended: a new handshake is needed. */
  lost = false;
  private current: StreamRequest | null = null;
  private readonly headers: string[];

  constructor(
    readonly target: Target,
    private readonly client: Client,
    readonly sink: StreamSink,
    readonly maxEventBytes: number,
  ) {
    // The user's headers (authorization) go on the GET too; the body headers do not.
    const headers: string[] = [];
    for (let i = 0; i + 1 < target.baseHeaders.length; i += 2) {
      const name = target.baseHeaders[i]!;
      if (name === 'content-type' || name === 'accept') continue;
      headers.push(name, target.baseHeaders[i + 1]!);
    }
    headers.push('accept', 'text/event-stream');
    this.headers = headers;
  }

  /** Opens a new stream (closing any previous one) and waits for its endpoint event. */
  open(timeoutMs: number): Promise<OpenFailure | null> {
    this.close();
    this.lost = false;
    return new Promise((resolve) => {
      const request = new StreamRequest(this, resolve, timeoutMs);
      this.current = request;
      this.client.dispatch(
        { path: this.target.path, method: 'GET', headers: this.headers },
        request,
      );
    });
  }

  /** Ends the stream (the session); true when one was open. */
  close(): boolean {
    const request = this.current;
    this.current = null;
    const wasOpen = request !== null && this.endpointPath !== null && !this.lost;
    this.endpointPath = null;
    this.sessionId = null;
    request?.cancel();
    return wasOpen;
  }

  /** Called by the current request once its endpoint event arrived. */
  accept(request: StreamRequest, endpoint: string): OpenFailure | null {
    if (request !== this.current) return null;
    let url: URL;
    try {
      url = new URL(endpoint.trim(), this.target.url);
    } catch {
      return {
        outcome: PROTOCOL,
        detail: `the SSE stream's endpoint event holds no URL: ${endpoint.slice(0, 80)}`,
      };
    }
    if (url.origin !== this.target.origin) {
      return {
        outcome: PROTOCOL,
        detail: `the SSE stream's endpoint event names another origin (${url.origin.slice(0, 80)}); refused: requests go only to ${this.target.origin}`,
      };
    }
    this.endpointPath = url.pathname + url.search;
    this.sessionId = url.searchParams.get('sessionId') ?? this.endpointPath;
    return null;
  }

  /** Called by the current request when it ends after its endpoint event. */
  ended(request: StreamRequest, err: Error): void {
    if (request !== this.current) return;
    this.lost = true;
    this.sink.onStreamEnd(err);
  }
}

/** One GET of the stream, as an undici dispatch handler (off the hot path: closures are fine). */
class StreamRequest implements SseSink {
  private readonly parser = new SseParser(this, true);
  private abortFn: ((err?: Error) => void) | null = null;
  private cancelled = false;
  /** Still waiting for the endpoint event: `resolve` is pending. */
  private opening = true;
  private status = 0;
  private contentType = '';
  private readonly errorChunks: Buffer[] = [];
  private errorBytes = 0;
  private eventBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly stream: SseStream,
    private readonly resolve: (failure: OpenFailure | null) => void,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => {
      this.fail({ outcome: TIMEOUT, detail: `no endpoint event within ${timeoutMs} ms` });
    }, timeoutMs);
  }

  cancel(): void {
    this.cancelled = true;
    if (this.opening) this.fail({ outcome: CONNECTION, detail: 'the SSE stream was closed' });
    this.abortFn?.(new Error('the SSE stream was closed'));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.cancelled) abort(new Error('the SSE stream was closed'));
  }

  onHeaders(status: number, rawHeaders: Buffer[] | string[] | null): boolean {
    if (status < 200) return true;
    this.status = status;
    for (let i = 0; rawHeaders !== null && i + 1 < rawHeaders.length; i += 2) {
      if (rawHeaders[i]!.toString().toLowerCase() === 'content-type') {
        this.contentType = rawHeaders[i + 1]!.toString();
      }
    }
    if (status >= 200 && status < 300 && !isEventStream(this.contentType)) {
      const type = this.contentType === '' ? 'none' : JSON.stringify(this.contentType);
      this.fail({
        outcome: PROTOCOL,
        detail: `GET ${this.stream.target.path} answered HTTP ${status} with Content-Type ${type}; expected text/event-stream (the 2024-11-05 HTTP+SSE stream)`,
      });
      this.abortFn?.(new Error('not an event stream'));
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.status < 200 || this.status >= 300) {
      if (this.errorBytes < ERROR_BODY_KEEP) this.errorChunks.push(chunk);
      this.errorBytes += chunk.length;
      return true;
    }
    this.eventBytes += chunk.length;
    if (this.eventBytes > this.stream.maxEventBytes) {
      const err = new Error(
        `an event on the SSE stream exceeded max_response_bytes (${this.stream.maxEventBytes})`,
      );
      this.end(err);
      this.abortFn?.(err);
      return false;
    }
    this.parser.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.status < 200 || this.status >= 300) {
      const body = Buffer.concat(this.errorChunks)
        .toString('utf8', 0, ERROR_BODY_KEEP)
        .replace(/\s+/g, ' ')
        .trim();
      this.fail({
        outcome: HTTP,
        detail: `GET ${this.stream.target.path} (the SSE stream) answered HTTP ${this.status}: ${body || '(empty body)'}`,
      });
      return;
    }
    this.end(new Error('the server closed the SSE stream'));
  }

  onError(err: Error): void {
    this.end(err);
  }

  onSseData(data: string, event: string): boolean {
    this.eventBytes = 0;
    if (this.cancelled) return true;
    if (event === 'endpoint') {
      if (!this.opening) return false; // the spec sends it once; a later one changes nothing
      const failure = this.stream.accept(this, data);
      if (failure !== null) {
        this.fail(failure);
        this.abortFn?.(new Error('endpoint refused'));
        return true;
      }
      this.opening = false;
      clearTimeout(this.timer);
      this.resolve(null);
      return false;
    }
    // Messages are `message` events (the default type); a message before the endpoint cannot
    // answer anything we sent, since nothing was sent yet.
    if (!this.opening && (event === '' || event === 'message')) this.stream.sink.onMessage(data);
    return false;
  }

  /** The stream ended: while opening, the handshake fails; once open, the session is lost. */
  private end(err: Error): void {
    if (this.cancelled) return;
    if (this.opening) {
      const code = (err as Error & { code?: string }).code;
      const closed = err.message === 'the server closed the SSE stream';
      this.fail({
        outcome: closed ? PROTOCOL : CONNECTION,
        detail: closed
          ? 'the SSE stream ended before its endpoint event'
          : `${code ? code + ': ' : ''}${err.message}`,
      });
      return;
    }
    this.cancelled = true;
    this.stream.ended(this, err);
  }

  private fail(failure: OpenFailure): void {
    if (!this.opening) return;
    this.opening = false;
    this.cancelled = true;
    clearTimeout(this.timer);
    if (failure.outcome === TIMEOUT) this.abortFn?.(new Error(failure.detail));
    this.resolve(failure);
  }
}

function isEventStream(contentType: string): boolean {
  const semi = contentType.indexOf(';');
  return (
    (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase() ===
    'text/event-stream'
  );
}
