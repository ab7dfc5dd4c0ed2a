/**
 * A lean HTTP/1.1 client for one `http:` or `https:` origin, one request at a time on one
 * keep-alive connection: what a virtual user needs, at a fraction of a general client's cost per
 * request. It answers undici's `dispatch(options, handler)` with the same handler calls
 * (onConnect, onHeaders, onData, onComplete, onError), so the Exchange (exchange.ts) cannot tell
 * it from an undici Client. Over `https:` the connection is Node's TLS (certificates checked
 * against Node's CA store and NODE_EXTRA_CA_CERTS, SNI, ALPN `http/1.1`), resuming the TLS
 * session its previous connection was given.
 *
 * Why not undici here: the closed model's cost per request is the load generator's ceiling, and
 * undici's general machinery (request objects, header validation per request, a queue, timers,
 * the streams layer, a WebAssembly parser behind JS callbacks) costs more than the rest of the
 * request. Here a request is one string written with one `write()`, and the response is parsed
 * straight from the socket's chunks. The head is built (and its fields checked) once per header
 * list: a caller gives a new list for new headers and never changes one in place, as
 * McpConnection does.
 *
 * Responses, as RFC 9112 has a client read them:
 * - the head ends at the first empty line (§2.1) and may be at most MAX_HEAD_BYTES; a status
 *   line is `HTTP/1.x NNN reason` (§4); field lines are `name: value`, with no whitespace before
 *   the colon and no line folding (§5.1, §5.2: rejected), values trimmed of spaces and tabs;
 * - 1xx responses before the final one are read and dropped (RFC 9110 §15.2: a client must parse
 *   them even unasked); a 101 is refused, since nothing here asks to upgrade;
 * - the body (§6.3): none for 204, 304, 1xx and HEAD; chunked when Transfer-Encoding ends in
 *   `chunked` (§7.1, trailers read and dropped); else Content-Length bytes; else until the
 *   server closes. Transfer-Encoding with Content-Length is refused (§6.3 item 3: "ought to be
 *   handled as an error"), as are unequal or malformed Content-Length values (§6.3 item 5);
 * - the connection is kept for the next request unless the response says `Connection: close`,
 *   is HTTP/1.0 without `Connection: keep-alive`, is read until close, or is followed by bytes
 *   nobody asked for. An idle connection is not reused past the server's `Keep-Alive: timeout`
 *   hint less KEEP_ALIVE_MARGIN_MS (or DEFAULT_IDLE_MS without one), so a request is not sent
 *   into a socket the server is closing.
 *
 * Errors carry the codes and words undici uses for the same failures (UND_ERR_SOCKET "other side
 * closed", UND_ERR_CONNECT_TIMEOUT, UND_ERR_DESTROYED, llhttp's HPE_* names for a malformed
 * response), so a report reads the same over http: and https:.
 *
 * Per connection there is this object and its socket; the socket's listeners are functions
 * shared by all connections (10,000 sessions hold 10,000 sockets).
 */
import { connect, isIP, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import type { Dispatcher } from 'undici';
import { isValidHeaderName, isValidHeaderValue, TOKEN_CHAR } from '../config/header-rules.js';

/** Largest response head accepted (undici's and Node's default maxHeaderSize). */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Longest chunk-size line (with extensions) accepted. */
const MAX_CHUNK_LINE_BYTES = 4096;
/** An idle connection without a Keep-Alive hint is reused for this long (undici's setting here). */
const DEFAULT_IDLE_MS = 30_000;
/** Safety margin under the server's Keep-Alive timeout (undici's keepAliveTimeoutThreshold). */
const KEEP_ALIVE_MARGIN_MS = 2_000;

// Parser states.
const IDLE = 0;
const HEAD = 1;
const BODY_LENGTH = 2;
const BODY_UNTIL_CLOSE = 3;
const CHUNK_SIZE = 4;
const CHUNK_DATA = 5;
const CHUNK_DATA_END = 6;
const TRAILERS = 7;
/** The response is complete: handed over once the read loop knows what follows it. */
const DONE = 8;

const CR = 0x0d;
const LF = 0x0a;
const CRLF_CRLF = Buffer.from('\r\n\r\n');
/**
 * Every connection reads into this one buffer (net.Socket's `onread`): no buffer is made per
 * read, and each read is parsed before the next can happen (reads are delivered one at a time on
 * this thread). What outlives the read is copied out: body chunks handed to a handler, and the
 * start of a head or chunk-size line still waiting for its end.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const NO_HEADERS: string[] = [];

type Handler = Dispatcher.DispatchHandler & {
  onConnect?(abort: (err?: Error) => void): void;
  onHeaders?(status: number, headers: string[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(trailers: string[] | null): void;
  onError?(err: Error): void;
};

/** What a response head says, parsed once per distinct head (knownHead). */
interface Head {
  readonly status: number;
  readonly reason: string;
  /** Flat [name, value, …] as sent; frozen: shared by every response with this head. */
  readonly headers: string[];
  /** Content-Length, or -1 without one. */
  readonly length: number;
  readonly chunked: boolean;
  readonly transferEncoding: boolean;
  /** The connection ends after this response (Connection: close, or HTTP/1.0 without keep-alive). */
  readonly close: boolean;
  readonly keepAliveHint: string;
}

/**
 * Heads seen lately, by their bytes: a server answers one step with the same head every time
 * (the Date field changes once a second), and the same bytes parse to the same Head, so a
 * repeated head costs one comparison instead of a decode and a parse.
 */
const KNOWN_HEADS: { bytes: Buffer; head: Head }[] = [];
const MAX_KNOWN_HEADS = 4;
let nextKnownHead = 0;

function knownHead(buf: Buffer, from: number, length: number): Head | null {
  for (let i = 0; i < KNOWN_HEADS.length; i++) {
    const known = KNOWN_HEADS[i]!;
    if (
      known.bytes.length === length &&
      buf.compare(known.bytes, 0, length, from, from + length) === 0
    ) {
      return known.head;
    }
  }
  return null;
}

function rememberHead(buf: Buffer, from: number, length: number, head: Head): void {
  const entry = { bytes: Buffer.from(buf.subarray(from, from + length)), head };
  if (KNOWN_HEADS.length < MAX_KNOWN_HEADS) KNOWN_HEADS.push(entry);
  else {
    KNOWN_HEADS[nextKnownHead] = entry;
    nextKnownHead = (nextKnownHead + 1) % MAX_KNOWN_HEADS;
  }
}

/** An error as undici names it: `code` and message. */
export class HttpClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpClientError';
  }
}

const otherSideClosed = (): HttpClientError =>
  new HttpClientError('UND_ERR_SOCKET', 'other side closed');

// Shared socket listeners: the client is found on the socket, not in a closure.
const CLIENT = Symbol('http1Client');
interface ClientSocket extends Socket {
  [CLIENT]: Http1Client;
}
function onSocketEnd(this: ClientSocket): void {
  this[CLIENT].ended(this, null);
}
function onSocketError(this: ClientSocket, err: Error): void {
  this[CLIENT].ended(this, err);
}
function onSocketConnect(this: ClientSocket): void {
  this[CLIENT].connected(this);
}
/** A TLS session ticket: kept so the client's next connection resumes it (RFC 8446 §2.2). */
function onTlsSession(this: ClientSocket, session: Buffer): void {
  this[CLIENT].tlsSession = session;
}
function noop(): void {}

export interface Http1ClientOptions {
  /** How long a connection may take to be made (undici's connect timeout). */
  connectTimeoutMs: number;
}

export class Http1Client {
  private readonly hostname: string;
  private readonly port: number;
  /** https: the connection is TLS; SNI names the host unless it is an IP address (RFC 6066 §3). */
  private readonly tls: boolean;
  private readonly servername: string | undefined;
  /** @internal The last TLS session the server gave this client's connections. */
  tlsSession: Buffer | undefined = undefined;
  /** The Host field (RFC 9112 §3.2): the origin's host and port as written. */
  private readonly hostLine: string;
  private readonly connectTimeoutMs: number;

  private socket: ClientSocket | null = null;
  private connectTimer: NodeJS.Timeout | undefined = undefined;
  private destroyed = false;
  /** When the connection last went idle, and how long the server keeps an idle one. */
  private idleSinceMs = 0;
  private idleLimitMs = DEFAULT_IDLE_MS;
  private lastKeepAlive = '';

  // The request in flight.
  private handler: Handler | null = null;
  /**
   * The abort function handed to `onConnect`, made once per handler (an Exchange is the handler
   * of all its requests): it ends the request in flight only while that handler's request is
   * the one in flight, so one kept by another handler does nothing. A handler that keeps its own
   * past the end of its request must drop it (the Exchange does, in `finish`).
   */
  private abortOwner: Handler | null = null;
  private abortOwned: (err?: Error) => void = noop;
  private isHead = false;
  private waiting: [Dispatcher.DispatchOptions, Handler][] | null = null;

  // The head built for the last header list seen (the hot path reuses one list).
  private lastHeaders: unknown = null;
  private lastMethod = '';
  private lastPath = '';
  private head = '';

  // Response parsing.
  private state = IDLE;
  private pending: Buffer | null = null;
  private remaining = 0;
  private keepAlive = true;

  constructor(origin: URL, options: Http1ClientOptions) {
    const host = origin.hostname;
    this.hostname = host.startsWith('[') ? host.slice(1, -1) : host;
    this.tls = origin.protocol === 'https:';
    this.port = origin.port === '' ? (this.tls ? 443 : 80) : Number(origin.port);
    this.servername = this.tls && isIP(this.hostname) === 0 ? this.hostname : undefined;
    this.hostLine = origin.host;
    this.connectTimeoutMs = options.connectTimeoutMs;
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const h = handler as Handler;
    if (this.destroyed) {
      h.onError?.(new HttpClientError('UND_ERR_DESTROYED', 'The client is destroyed'));
      return false;
    }
    if (this.handler !== null) {
      (this.waiting ??= []).push([options, h]);
      return false;
    }
    let request: string;
    let bodyBytes: Uint8Array | null = null;
    try {
      const body = options.body;
      const head = this.headFor(options);
      if (typeof body === 'string') {
        request = head + 'content-length: ' + Buffer.byteLength(body) + '\r\n\r\n' + body;
      } else if (body === undefined || body === null) {
        request =
          options.method === 'POST' || options.method === 'PUT'
            ? head + 'content-length: 0\r\n\r\n'
            : head + '\r\n';
      } else if (body instanceof Uint8Array) {
        bodyBytes = body;
        request = head + 'content-length: ' + body.byteLength + '\r\n\r\n';
      } else {
        throw new HttpClientError(
          'UND_ERR_INVALID_ARG',
          'a request body must be a string or bytes',
        );
      }
    } catch (err) {
      h.onError?.(err as Error);
      this.next();
      return false;
    }
    this.handler = h;
    this.isHead = options.method === 'HEAD';
    this.state = HEAD;
    this.pending = null;
    if (this.abortOwner !== h) {
      this.abortOwner = h;
      this.abortOwned = (err?: Error): void => {
        if (this.handler === h) this.abort(err);
      };
    }
    h.onConnect?.(this.abortOwned);
    if (this.handler !== h) return false; // aborted from onConnect

    let socket = this.socket;
    if (socket !== null && performance.now() - this.idleSinceMs > this.idleLimitMs) {
      this.drop(socket);
      socket = null;
    }
    if (socket === null) socket = this.connectSocket();
    if (bodyBytes === null) socket.write(request);
    else {
      socket.cork();
      socket.write(request);
      socket.write(bodyBytes);
      socket.uncork();
    }
    return true;
  }

  /** Ends every request and the connection; later dispatches fail. */
  destroy(): Promise<void> {
    this.destroyed = true;
    if (this.socket !== null) this.drop(this.socket);
    const waiting = this.waiting ?? [];
    this.waiting = null;
    this.fail(new HttpClientError('UND_ERR_DESTROYED', 'The client is destroyed'));
    for (const [, handler] of waiting) {
      handler.onError?.(new HttpClientError('UND_ERR_DESTROYED', 'The client is destroyed'));
    }
    return Promise.resolve();
  }

  // ---- socket events (through the shared listeners) ----

  /** @internal */
  connected(socket: ClientSocket): void {
    if (socket !== this.socket) return;
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  /** @internal The socket ended (err null) or failed. */
  ended(socket: ClientSocket, err: Error | null): void {
    if (socket !== this.socket) return;
    if (err === null && this.state === BODY_UNTIL_CLOSE) {
      this.drop(socket);
      this.complete(false);
      return;
    }
    this.drop(socket);
    this.fail(err ?? otherSideClosed());
  }

  /** @internal `end` bytes from the server, in READ_BUFFER. */
  read(socket: ClientSocket, end: number): void {
    if (socket !== this.socket) return;
    if (this.handler === null) {
      // Nothing was asked: a server that talks out of turn cannot be trusted with the next one.
      this.drop(socket);
      return;
    }
    const chunk = READ_BUFFER.subarray(0, end);
    let pos = 0;
    while (pos < end) {
      const handler: Handler | null = this.handler;
      switch (this.state) {
        case HEAD:
          pos = this.readHead(chunk, pos);
          break;
        case BODY_LENGTH: {
          const take = Math.min(this.remaining, end - pos);
          this.remaining -= take;
          if (this.remaining === 0) this.state = DONE;
          if (handler!.onData?.(copyOut(pos, take)) === false) return;
          pos += take;
          break;
        }
        case BODY_UNTIL_CLOSE:
          handler!.onData?.(copyOut(pos, end - pos));
          return;
        case CHUNK_SIZE:
          pos = this.readChunkSize(chunk, pos);
          break;
        case CHUNK_DATA: {
          const take = Math.min(this.remaining, end - pos);
          this.remaining -= take;
          if (this.remaining === 0) {
            this.state = CHUNK_DATA_END;
            this.remaining = 2;
          }
          if (handler!.onData?.(copyOut(pos, take)) === false) return;
          pos += take;
          break;
        }
        case CHUNK_DATA_END:
          // The CRLF after a chunk's data.
          if (chunk[pos] !== (this.remaining === 2 ? CR : LF)) {
            return this.malformed('HPE_STRICT', 'Expected CRLF after chunk');
          }
          pos++;
          if (--this.remaining === 0) this.state = CHUNK_SIZE;
          break;
        case TRAILERS:
          pos = this.readTrailers(chunk, pos);
          break;
        default:
          // IDLE: the request ended (an error, an abort) while this chunk was being read.
          return;
      }
      if (this.handler !== handler || socket !== this.socket) return;
      if (this.state === DONE) {
        // Bytes after a complete response answer nothing: the connection is not reused.
        this.complete(pos < end);
        return;
      }
    }
  }

  // ---- requests ----

  private headFor(options: Dispatcher.DispatchOptions): string {
    const headers = options.headers;
    if (
      headers === this.lastHeaders &&
      options.method === this.lastMethod &&
      options.path === this.lastPath
    ) {
      return this.head;
    }
    let head = `${options.method} ${options.path} HTTP/1.1\r\nhost: ${this.hostLine}\r\nconnection: keep-alive\r\n`;
    checkToken(options.method, 'method');
    if (!/^[\x21-\x7e]+$/.test(options.path)) {
      throw new HttpClientError('UND_ERR_INVALID_ARG', 'invalid request path');
    }
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) {
        head += fieldLine(String(headers[i]), String(headers[i + 1]));
      }
    } else if (headers !== null && headers !== undefined) {
      for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
        if (value !== undefined) head += fieldLine(name, String(value));
      }
    }
    this.lastHeaders = headers;
    this.lastMethod = options.method;
    this.lastPath = options.path;
    this.head = head;
    return head;
  }

  private connectSocket(): ClientSocket {
    const options = {
      host: this.hostname,
      port: this.port,
      onread: {
        buffer: READ_BUFFER,
        // true: keep reading (false would pause the socket).
        callback: (n: number): boolean => {
          this.read(socket, n);
          return true;
        },
      },
    };
    // Writes made before the connection (and the TLS handshake) is up are queued by the socket.
    const socket: ClientSocket = (
      this.tls
        ? connectTls({
            ...options,
            servername: this.servername,
            ALPNProtocols: ['http/1.1'],
            session: this.tlsSession,
          })
        : connect(options)
    ) as ClientSocket;
    socket[CLIENT] = this;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.on('end', onSocketEnd);
    socket.on('error', onSocketError);
    if (this.tls) {
      (socket as unknown as TLSSocket).once('secureConnect', onSocketConnect);
      socket.on('session', onTlsSession);
    } else socket.once('connect', onSocketConnect);
    this.socket = socket;
    this.idleLimitMs = DEFAULT_IDLE_MS;
    this.lastKeepAlive = '';
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (this.socket !== socket) return;
      this.drop(socket);
      this.fail(new HttpClientError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'));
    }, this.connectTimeoutMs);
    this.connectTimer.unref();
    return socket;
  }

  /** Closes the connection; the next request opens another. */
  private drop(socket: ClientSocket): void {
    if (this.socket === socket) {
      this.socket = null;
      clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
    // Keep an error listener: a late error on a dropped socket must not be unhandled.
    socket.removeListener('end', onSocketEnd);
    socket.on('error', noop);
    socket.destroy();
  }

  private abort(err?: Error): void {
    if (this.handler === null) return;
    if (this.socket !== null) this.drop(this.socket);
    this.fail(err ?? new HttpClientError('UND_ERR_ABORTED', 'Request aborted'));
  }

  /** Ends the request in flight (if any) with `err`; a waiting one starts. */
  private fail(err: Error): void {
    const handler = this.handler;
    this.handler = null;
    this.state = IDLE;
    this.pending = null;
    if (handler !== null) handler.onError?.(err);
    this.next();
  }

  /**
   * Hands the complete response over. The connection is settled first (kept, or dropped when
   * the response or `leftover` bytes say so): the handler may dispatch the next request at once.
   */
  private complete(leftover: boolean): void {
    const handler = this.handler!;
    this.handler = null;
    this.state = IDLE;
    this.pending = null;
    if (this.socket !== null) {
      if (this.keepAlive && !leftover) this.idleSinceMs = performance.now();
      else this.drop(this.socket);
    }
    handler.onComplete?.(null);
    this.next();
  }

  /** Starts a request that waited for the connection (never on the hot path). */
  private next(): void {
    const waiting = this.waiting;
    if (waiting === null || this.handler !== null) return;
    const entry = waiting.shift();
    if (waiting.length === 0) this.waiting = null;
    if (entry !== undefined) this.dispatch(entry[0], entry[1]);
  }

  private malformed(code: string, message: string): void {
    if (this.socket !== null) this.drop(this.socket);
    this.fail(
      new HttpClientError(code, `Response does not match the HTTP/1.1 protocol (${message})`),
    );
  }

  // ---- response parsing ----

  /**
   * The bytes still to parse: what an earlier read left pending (an unfinished head, chunk-size
   * line or trailer section) joined to this chunk from `pos`, or the chunk itself.
   */
  private joined(chunk: Buffer, pos: number): Buffer {
    return this.pending === null ? chunk : Buffer.concat([this.pending, chunk.subarray(pos)]);
  }

  /** Keeps an unfinished part for the next read (a copy: the read buffer is reused); all read. */
  private hold(buf: Buffer, from: number, chunk: Buffer): number {
    this.pending = buf !== chunk ? buf : Buffer.from(buf.subarray(from));
    return chunk.length;
  }

  /** Reads head bytes from `pos`; returns where the body starts, or the chunk's end. */
  private readHead(chunk: Buffer, pos: number): number {
    const held = this.pending === null ? 0 : this.pending.length;
    const buf = this.joined(chunk, pos);
    const from = buf === chunk ? pos : 0;
    const at = buf.indexOf(CRLF_CRLF, buf === chunk ? pos : Math.max(0, held - 3));
    if (at === -1 || at + 4 - from > MAX_HEAD_BYTES) {
      if (buf.length - from > MAX_HEAD_BYTES) {
        this.malformed('HPE_HEADER_OVERFLOW', 'Header overflow');
        return chunk.length;
      }
      return this.hold(buf, from, chunk);
    }
    this.pending = null;
    const consumed = chunk.length - (buf.length - (at + 4));
    const length = at + 4 - from;
    let head = knownHead(buf, from, length);
    if (head === null) {
      head = this.parseHead(buf.toString('utf8', from, at + 2));
      if (head === null) return consumed; // malformed: the request has ended
      rememberHead(buf, from, length, head);
    }
    this.applyHead(head);
    return consumed;
  }

  /**
   * Parses one response head (status line and field lines, each ending in CRLF); null when it is
   * malformed (the request then ended with the error).
   */
  private parseHead(text: string): Head | null {
    // Status line: HTTP/1.x SP 3DIGIT [SP reason] CRLF (RFC 9112 §4).
    const lineEnd = text.indexOf('\r\n');
    if (
      lineEnd < 12 ||
      !text.startsWith('HTTP/1.') ||
      (text.charCodeAt(7) !== 0x31 && text.charCodeAt(7) !== 0x30) ||
      text.charCodeAt(8) !== 0x20 ||
      !isDigit(text.charCodeAt(9)) ||
      !isDigit(text.charCodeAt(10)) ||
      !isDigit(text.charCodeAt(11)) ||
      (lineEnd > 12 && text.charCodeAt(12) !== 0x20)
    ) {
      this.malformed('HPE_INVALID_STATUS', 'Invalid status line');
      return null;
    }
    const status =
      (text.charCodeAt(9) - 0x30) * 100 +
      (text.charCodeAt(10) - 0x30) * 10 +
      (text.charCodeAt(11) - 0x30);
    const http10 = text.charCodeAt(7) === 0x30;
    if (status < 100) {
      this.malformed('HPE_INVALID_STATUS', 'Invalid status code');
      return null;
    }
    // Every line's characters and shape at once (a native scan): what follows relies on it.
    if (!WELL_FORMED_HEAD.test(text)) {
      const badStatus = !WELL_FORMED_STATUS.test(text.slice(0, lineEnd + 2));
      this.malformed(
        badStatus ? 'HPE_INVALID_STATUS' : 'HPE_INVALID_HEADER_TOKEN',
        badStatus ? 'Invalid status line' : 'Invalid header field line',
      );
      return null;
    }

    let headers = NO_HEADERS;
    let length = -1;
    let chunked = false;
    let transferEncoding = false;
    let close = http10;
    let keepAliveHint = '';
    let pos = lineEnd + 2;
    while (pos < text.length) {
      const eol = text.indexOf('\r\n', pos);
      const colon = text.indexOf(':', pos);
      let vs = colon + 1;
      let ve = eol;
      while (vs < ve && isOws(text.charCodeAt(vs))) vs++;
      while (ve > vs && isOws(text.charCodeAt(ve - 1))) ve--;
      const name = text.slice(pos, colon);
      const value = text.slice(vs, ve);
      if (headers === NO_HEADERS) headers = [];
      headers.push(name, value);
      switch (colon - pos) {
        case 14:
          if (lowerEquals(text, pos, 'content-length')) {
            const n = parseLength(text, vs, ve);
            if (n < 0 || (length !== -1 && n !== length)) {
              this.malformed('HPE_INVALID_CONTENT_LENGTH', 'Invalid Content-Length');
              return null;
            }
            length = n;
          }
          break;
        case 17:
          if (lowerEquals(text, pos, 'transfer-encoding')) {
            transferEncoding = true;
            // The last coding decides (RFC 9112 §6.3 item 4); a later field line adds to it.
            const last = value
              .slice(value.lastIndexOf(',') + 1)
              .trim()
              .toLowerCase();
            chunked = last === 'chunked';
          }
          break;
        case 10:
          if (lowerEquals(text, pos, 'connection')) {
            // RFC 9112 §9.3: "close" ends the connection; HTTP/1.0 keeps it only on "keep-alive".
            if (ve - vs === 10 && lowerEquals(text, vs, 'keep-alive')) {
              if (http10) close = false;
            } else if (ve - vs === 5 && lowerEquals(text, vs, 'close')) close = true;
            else {
              const tokens = value
                .toLowerCase()
                .split(',')
                .map((t) => t.trim());
              if (tokens.includes('close')) close = true;
              else if (http10 && tokens.includes('keep-alive')) close = false;
            }
          } else if (lowerEquals(text, pos, 'keep-alive')) keepAliveHint = value;
          break;
      }
      pos = eol + 2;
    }

    if (status === 101) {
      this.malformed('HPE_INVALID_STATUS', 'Unexpected 101 Switching Protocols');
      return null;
    }
    if (transferEncoding && length !== -1) {
      this.malformed('HPE_UNEXPECTED_CONTENT_LENGTH', 'Content-Length with Transfer-Encoding');
      return null;
    }
    return {
      status,
      reason: text.slice(13, lineEnd),
      headers: Object.freeze(headers) as string[],
      length,
      chunked,
      transferEncoding,
      close,
      keepAliveHint,
    };
  }

  /** Sets the state for what follows a head: HEAD again after an interim one, the body, or DONE. */
  private applyHead(head: Head): void {
    const status = head.status;
    // An interim response: the final one follows (the state stays HEAD).
    if (status < 200) return;
    this.keepAlive = !head.close;
    const hint = head.keepAliveHint;
    if (hint !== '' && hint !== this.lastKeepAlive) {
      this.lastKeepAlive = hint;
      const seconds = /(?:^|[\s,])timeout\s*=\s*(\d+)/i.exec(hint);
      if (seconds !== null) {
        this.idleLimitMs = Math.min(
          DEFAULT_IDLE_MS,
          Math.max(0, Number(seconds[1]) * 1000 - KEEP_ALIVE_MARGIN_MS),
        );
      }
    }
    if (this.isHead || status === 204 || status === 304) {
      this.state = DONE;
    } else if (head.transferEncoding) {
      if (head.chunked) {
        this.state = CHUNK_SIZE;
        this.remaining = 0;
      } else {
        this.state = BODY_UNTIL_CLOSE;
        this.keepAlive = false;
      }
    } else if (head.length >= 0) {
      this.state = head.length === 0 ? DONE : BODY_LENGTH;
      this.remaining = head.length;
    } else {
      this.state = BODY_UNTIL_CLOSE;
      this.keepAlive = false;
    }
    this.handler!.onHeaders?.(status, head.headers, noop, head.reason);
  }

  /** A chunk-size line: HEX [;ext] CRLF (RFC 9112 §7.1). */
  private readChunkSize(chunk: Buffer, pos: number): number {
    const buf = this.joined(chunk, pos);
    const from = buf === chunk ? pos : 0;
    const lf = buf.indexOf(LF, from);
    if (lf === -1) {
      if (buf.length - from > MAX_CHUNK_LINE_BYTES) {
        this.malformed('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'Chunk size line too long');
        return chunk.length;
      }
      return this.hold(buf, from, chunk);
    }
    const consumed = chunk.length - (buf.length - (lf + 1));
    this.pending = null;
    if (lf === from || buf[lf - 1] !== CR) {
      this.malformed('HPE_STRICT', 'Expected CRLF after chunk size');
      return chunk.length;
    }
    let size = 0;
    let digits = 0;
    let significant = 0;
    let i = from;
    for (; i < lf - 1; i++) {
      const v = HEX[buf[i]!]!;
      if (v === -1) break;
      size = size * 16 + v;
      digits++;
      if (size !== 0) significant++;
    }
    const c = buf[i];
    // Leading zeros are allowed; more than 13 significant hex digits exceed a safe integer.
    if (
      digits === 0 ||
      significant > 13 ||
      (i < lf - 1 && c !== 0x3b && c !== 0x20 && c !== 0x09)
    ) {
      this.malformed('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
      return chunk.length;
    }
    if (size === 0) {
      this.state = TRAILERS;
      this.remaining = 0;
    } else {
      this.state = CHUNK_DATA;
      this.remaining = size;
    }
    return consumed;
  }

  /** Trailer field lines after the last chunk, up to an empty line: read and dropped. */
  private readTrailers(chunk: Buffer, pos: number): number {
    const buf = this.joined(chunk, pos);
    const from = buf === chunk ? pos : 0;
    // The section is empty (CRLF at once) or ends at the first CRLF CRLF.
    let endAt = -1;
    if (buf.length - from >= 2 && buf[from] === CR && buf[from + 1] === LF) endAt = from + 2;
    else if (buf.length - from >= 2) {
      const at = buf.indexOf(CRLF_CRLF, from);
      if (at !== -1) endAt = at + 4;
    }
    if (endAt === -1) {
      if (buf.length - from > MAX_HEAD_BYTES) {
        this.malformed('HPE_HEADER_OVERFLOW', 'Header overflow');
        return chunk.length;
      }
      return this.hold(buf, from, chunk);
    }
    const consumed = chunk.length - (buf.length - endAt);
    this.pending = null;
    this.state = DONE;
    return consumed;
  }
}

/** `length` bytes of READ_BUFFER from `start`, in a buffer of their own (the next read reuses it). */
function copyOut(start: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  READ_BUFFER.copy(out, 0, start, start + length);
  return out;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * A Content-Length value (text[start, end)): digits, or a list of equal ones (RFC 9110 §8.6);
 * -1 when invalid.
 */
function parseLength(text: string, start: number, end: number): number {
  let n = 0;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
  }
  if (i === end && end > start) return Number.isSafeInteger(n) ? n : -1;
  const parts = text
    .slice(start, end)
    .split(',')
    .map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) return -1;
  const values = new Set(parts.map(Number));
  const [value] = values;
  return values.size === 1 && Number.isSafeInteger(value) ? value! : -1;
}

/** text[at…] spells `lower` ignoring ASCII case (`lower` is lower-case letters, digits and '-'). */
function lowerEquals(text: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    if ((text.charCodeAt(at + i) | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * A response head (RFC 9112 §2.1, §4, §5): the status line, then field lines of a token (RFC
 * 9110 §5.6.2), a colon and a value of visible characters, spaces, tabs and obs-text (§5.5), each
 * ending in CRLF. No whitespace before a colon and no folded line (§5.1, §5.2): both refused.
 */
const STATUS_LINE = String.raw`HTTP\/1\.[01] \d{3}(?: [\t\x20-\x7e\x80-\uffff]*)?\r\n`;
const FIELD_LINE = `${TOKEN_CHAR}+:` + String.raw`[\t\x20-\x7e\x80-\uffff]*\r\n`;
const WELL_FORMED_HEAD = new RegExp(`^${STATUS_LINE}(?:${FIELD_LINE})*$`);
const WELL_FORMED_STATUS = new RegExp(`^${STATUS_LINE}$`);

const HEX: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let c = 0; c < 10; c++) t[0x30 + c] = c;
  for (let c = 0; c < 6; c++) {
    t[0x41 + c] = 10 + c;
    t[0x61 + c] = 10 + c;
  }
  return t;
})();

function checkToken(text: string, what: string): void {
  if (!isValidHeaderName(text)) throw new HttpClientError('UND_ERR_INVALID_ARG', `invalid ${what}`);
}

/** One request field line; names and values checked as undici does (config/header-rules.ts). */
function fieldLine(name: string, value: string): string {
  checkToken(name, 'header name');
  if (!isValidHeaderValue(value)) {
    throw new HttpClientError('UND_ERR_INVALID_ARG', `invalid ${name} header`);
  }
  return name + ': ' + value + '\r\n';
}
