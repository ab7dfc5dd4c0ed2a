/**
 * Incremental `text/event-stream` parser (WHATWG HTML §9.2 "Server-sent events", as used by MCP
 * Streamable HTTP, spec 2025-11-25 "Transports").
 *
 * Method: bytes arrive in arbitrary chunks; we cut complete lines (ended by LF, CRLF or a lone
 * CR) and keep the unfinished tail as a list of chunks, joined once when its line ends: the work
 * is linear in the bytes received however a long line is split (re-joining the tail on every
 * chunk made a 300 KB line in small chunks quadratic). A leading UTF-8 BOM is skipped. Only
 * `data:` fields matter to us: their values are joined with "\n" and handed to `onData` when a
 * blank line ends the event. Comments (`: keepalive`), `id:`, `retry:` and (unless asked for
 * with `withEventTypes`) `event:` lines are skipped, and an event without data (the 2025-11-25
 * priming event) is never dispatched. Lines are decoded as UTF-8 only once complete, so a
 * multi-byte character split across chunks survives. An unfinished event at end of stream is
 * discarded, as the standard says.
 *
 * Invariant: after `reset()` the parser is as new; one instance is reused for every response of
 * a virtual user, so the hot path allocates only the line strings it must decode.
 */

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const EVENT = Buffer.from('event');

export interface SseSink {
  /**
   * Called with the data of each complete event. Return true to ignore the rest of the chunk.
   * `event` is the event's type (its `event:` field, '' when none) for a parser made with
   * `withEventTypes`; always '' otherwise, so the hot path decodes no `event:` line.
   */
  onSseData(data: string, event: string): boolean | void;
}

export class SseParser {
  /** The unfinished line: chunks kept as they came, joined once when the line ends. */
  private readonly pending: Buffer[] = [];
  private data = '';
  private hasData = false;
  /** A chunk ended in CR: a LF starting the next chunk belongs to the same line end. */
  private skipLf = false;
  /** Bytes of a leading UTF-8 BOM matched so far, or -1 once the stream's start is past. */
  private bomMatched = 0;
  /** The `event:` field of the event being read (only with `withEventTypes`). */
  private event = '';
  private readonly sink: SseSink;
  private readonly withEventTypes: boolean;

  /**
   * `withEventTypes`: read `event:` lines too (the 2024-11-05 HTTP+SSE stream names its
   * `endpoint` event that way); Streamable HTTP responses need only the data.
   */
  constructor(sink: SseSink, withEventTypes = false) {
    this.sink = sink;
    this.withEventTypes = withEventTypes;
  }

  reset(): void {
    this.pending.length = 0;
    this.data = '';
    this.hasData = false;
    this.skipLf = false;
    this.bomMatched = 0;
    this.event = '';
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.bomMatched >= 0) {
      buf = this.skipBom(buf);
      if (buf.length === 0) return;
    }
    let pos = 0;
    const len = buf.length;
    if (this.skipLf && len > 0) {
      this.skipLf = false;
      if (buf[0] === LF) pos = 1;
    }
    // The next CR is found once and reused until passed: a chunk of many LF-ended lines and no
    // CR must not be searched to its end for every line.
    let cr = buf.indexOf(CR, pos);
    while (pos < len) {
      if (cr !== -1 && cr < pos) cr = buf.indexOf(CR, pos);
      let end = buf.indexOf(LF, pos);
      if (cr !== -1 && (end === -1 || cr < end)) end = cr;
      if (end === -1) {
        this.pending.push(pos === 0 ? buf : buf.subarray(pos));
        return;
      }
      let stop: boolean;
      if (this.pending.length > 0) {
        this.pending.push(buf.subarray(pos, end));
        const line = Buffer.concat(this.pending);
        this.pending.length = 0;
        stop = this.line(line, 0, line.length);
      } else {
        stop = this.line(buf, pos, end);
      }
      if (buf[end] === CR) {
        if (end + 1 < len) {
          if (buf[end + 1] === LF) end++;
        } else {
          this.skipLf = true;
        }
      }
      pos = end + 1;
      if (stop) return;
    }
  }

  /**
   * WHATWG decodes the stream with "UTF-8 decode", which drops one leading BOM (EF BB BF), even
   * when it arrives split across chunks. Bytes that turn out not to be a BOM are given back.
   */
  private skipBom(chunk: Buffer): Buffer {
    let i = 0;
    while (i < chunk.length && this.bomMatched < 3 && chunk[i] === BOM[this.bomMatched]) {
      this.bomMatched++;
      i++;
    }
    if (this.bomMatched === 3) {
      this.bomMatched = -1;
      return chunk.subarray(i);
    }
    if (i === chunk.length) return chunk.subarray(i); // all of it may still be a BOM's start
    const matched = this.bomMatched;
    this.bomMatched = -1;
    // A partial match from earlier chunks was not a BOM after all: those bytes are data.
    const given = matched - i;
    return given > 0 ? Buffer.concat([BOM.subarray(0, given), chunk]) : chunk;
  }
  /** Handles one complete line `buf[start, end)`; returns true when the sink asked to stop. */
  private line(buf: Buffer, start: number, end: number): boolean {
    if (start === end) {
      // WHATWG: a blank line ends the event; its type applies to this event only.
      const event = this.event;
      this.event = '';
      if (!this.hasData) return false;
      const data = this.data;
      this.data = '';
      this.hasData = false;
      // An empty data buffer is not dispatched (WHATWG: the priming event of 2025-11-25).
      return data !== '' && this.sink.onSseData(data, event) === true;
    }
    if (this.withEventTypes && isField(buf, start, end, EVENT)) {
      this.event = fieldValue(buf, start + EVENT.length, end);
      return false;
    }
    // Only the `data` field is of interest: "data" alone, or "data:" with an optional space.
    if (
      end - start >= 4 &&
      buf[start] === 100 &&
      buf[start + 1] === 97 &&
      buf[start + 2] === 116 &&
      buf[start + 3] === 97 &&
      (end - start === 4 || buf[start + 4] === COLON)
    ) {
      let valueStart = start + 5;
      if (valueStart > end) valueStart = end;
      else if (valueStart < end && buf[valueStart] === SPACE) valueStart++;
      const value = valueStart < end ? buf.toString('utf8', valueStart, end) : '';
      if (this.hasData) this.data += '\n' + value;
      else {
        this.data = value;
        this.hasData = true;
      }
    }
    return false;
  }
}

/** The line `buf[start, end)` is the field `name`: the name alone, or followed by a colon. */
function isField(buf: Buffer, start: number, end: number, name: Buffer): boolean {
  const len = name.length;
  if (end - start < len || (end - start > len && buf[start + len] !== COLON)) return false;
  return buf.compare(name, 0, len, start, start + len) === 0;
}

/** A field's value: after the colon and one optional space (WHATWG "process the field"). */
function fieldValue(buf: Buffer, nameEnd: number, end: number): string {
  let at = nameEnd + 1;
  if (at >= end) return '';
  if (buf[at] === SPACE) at++;
  return buf.toString('utf8', at, end);
}
