/**
 * Skips an unsolicited `100 Continue` interim response. RFC 9110 §15.2: "A client MUST be able
 * to parse one or more 1xx responses received prior to a final response, even if the client does
 * not expect one" (and §15.2.1: a client may ignore 100 Continue). undici treats a 100 it did not
 * ask for as a broken connection ("bad response"), so a server that sends one before every
 * answer (some proxies and frameworks do) would show as nothing but `connection` errors.
 *
 * Method: the connector wraps each new socket. After each request write the next bytes read are
 * the start of a response; while they spell `HTTP/1.x 100`, everything up to the blank line that
 * ends that interim response is dropped before undici's parser sees it. Bytes are held only
 * while they could still be such a status line (at most HOLD_MAX_BYTES). Other 1xx codes reach
 * undici, which handles them (protocol/exchange.ts ignores their headers). One request at a time
 * per connection (pipelining 1) makes "the first bytes after a write" a response start.
 */
import type { Socket } from 'node:net';
import type buildConnectorType from 'undici/lib/core/connect.js';
import buildConnector from 'undici/lib/core/connect.js';

type Connector = ReturnType<typeof buildConnectorType>;

const HOLD_MAX_BYTES = 8192;
/** `HTTP/1.1 100` is 12 bytes; the 13th is the space before the reason phrase, or CR. */
const STATUS_LINE_BYTES = 13;
const END_OF_HEAD = Buffer.from('\r\n\r\n');
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const SHAPE = /^HTTP\/1\.[01] 100[ \r]/;

/** undici's own connector, with interim 100 responses removed from every socket it makes. */
export function connectorSkipping100(timeoutMs: number): Connector {
  const base = buildConnector({ timeout: timeoutMs });
  return (options, callback) =>
    base(options, (error, socket) => {
      if (error === null) skipInterimContinue(socket as Socket);
      callback(error, socket as never);
    });
}

// The state of each socket lives on the socket, and two shared functions serve every socket:
// no closures or bound functions per connection (10,000 sessions hold 10,000 sockets).
const AT_RESPONSE_START = Symbol('atResponseStart');
const HELD = Symbol('held');

interface SkippingSocket extends Socket {
  [AT_RESPONSE_START]: boolean;
  [HELD]: Buffer | null;
}

function skipInterimContinue(socket: Socket): void {
  const s = socket as SkippingSocket;
  s[AT_RESPONSE_START] = true;
  s[HELD] = null;
  socket.write = writeMarkingResponseStart as Socket['write'];
  socket.push = pushSkipping100;
}

/** The socket's own push and write: those of its prototype, under our own-property wrappers. */
const protoOf = (socket: Socket): Socket => Object.getPrototypeOf(socket) as Socket;

// Fixed arity, no rest array: this runs for every request written.
function writeMarkingResponseStart(
  this: SkippingSocket,
  chunk: unknown,
  encoding?: unknown,
  callback?: unknown,
): boolean {
  this[AT_RESPONSE_START] = true;
  return (protoOf(this).write as (a: unknown, b: unknown, c: unknown) => boolean).call(
    this,
    chunk,
    encoding,
    callback,
  );
}

function pushSkipping100(this: Socket, chunk: unknown, encoding?: BufferEncoding): boolean {
  const s = this as SkippingSocket;
  const push = protoOf(this).push;
  if (!s[AT_RESPONSE_START] || !Buffer.isBuffer(chunk)) {
    const held = s[HELD];
    if (held !== null) {
      push.call(this, held);
      s[HELD] = null;
    }
    return push.call(this, chunk, encoding);
  }
  const held = s[HELD];
  let buf = held === null ? chunk : Buffer.concat([held, chunk]);
  s[HELD] = null;
  for (;;) {
    const verdict = interimContinue(buf);
    if (verdict === 'no') {
      s[AT_RESPONSE_START] = false;
      return push.call(this, buf);
    }
    if (verdict === 'maybe') {
      if (buf.length > HOLD_MAX_BYTES) {
        s[AT_RESPONSE_START] = false;
        return push.call(this, buf);
      }
      s[HELD] = buf;
      return true;
    }
    buf = buf.subarray(verdict);
    if (buf.length === 0) return true; // the final response follows in a later chunk
  }
}

/**
 * Whether `buf` starts with a complete `100 Continue` head: its length when it does, 'maybe'
 * while too few bytes have arrived to tell, 'no' otherwise.
 */
function interimContinue(buf: Buffer): number | 'maybe' | 'no' {
  // Fast path, once per response: bytes 9-11 of a status line are its code.
  if (buf.length >= 12 && (buf[9] !== DIGIT_1 || buf[10] !== DIGIT_0 || buf[11] !== DIGIT_0)) {
    return 'no';
  }
  const candidate = buf.toString('latin1', 0, Math.min(buf.length, STATUS_LINE_BYTES));
  if (candidate.length < STATUS_LINE_BYTES) {
    return 'HTTP/1.1 100'.startsWith(candidate.replace(/^(HTTP\/1\.)0/, '$11')) ? 'maybe' : 'no';
  }
  if (!SHAPE.test(candidate)) return 'no';
  const end = buf.indexOf(END_OF_HEAD);
  return end === -1 ? 'maybe' : end + END_OF_HEAD.length;
}
