/**
 * Incremental `text/event-stream` parser (WHATWG HTML §9.2 "Server-sent events", as used by MCP
 * Streamable HTTP, spec 2025-11-25 "Transports").
 *
 * Method: bytes arrive in arbitrary chunks; we cut complete lines (ended by LF, CRLF or a lone
 * CR) and keep the unfinished tail. Only `data:` fields matter to us: their values are joined with
 * "\n" and handed to `onData` when a blank line ends the event. Comments (`: keepalive`), `id:`,
 * `event:` and `retry:` lines are skipped, and an event without data (the 2025-11-25 priming
 * event) is never dispatched. Lines are decoded as UTF-8 only once complete, so a multi-byte
 * character split across chunks survives. An unfinished event at end of stream is discarded, as
 * the standard says.
 *
 * Invariant: after `reset()` the parser is as new; one instance is reused for every response of
 * a virtual user, so the hot path allocates only the line strings it must decode.
 */

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;

export interface SseSink {
  /** Called with the data of each complete event. Return true to ignore the rest of the chunk. */
  onSseData(data: string): boolean | void;
}

export class SseParser {
  private tail: Buffer | null = null;
  private data = '';
  private hasData = false;
  /** A chunk ended in CR: a LF starting the next chunk belongs to the same line end. */
  private skipLf = false;
  private readonly sink: SseSink;

  constructor(sink: SseSink) {
    this.sink = sink;
  }

  reset(): void {
    this.tail = null;
    this.data = '';
    this.hasData = false;
    this.skipLf = false;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.tail !== null) {
      buf = Buffer.concat([this.tail, chunk]);
      this.tail = null;
    }
    let pos = 0;
    const len = buf.length;
    if (this.skipLf && len > 0) {
      this.skipLf = false;
      if (buf[0] === LF) pos = 1;
    }
    while (pos < len) {
      let end = buf.indexOf(LF, pos);
      const cr = buf.indexOf(CR, pos);
      if (cr !== -1 && (end === -1 || cr < end)) end = cr;
      if (end === -1) {
        this.tail = buf.subarray(pos);
        return;
      }
      const stop = this.line(buf, pos, end);
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

  /** Handles one complete line `buf[start, end)`; returns true when the sink asked to stop. */
  private line(buf: Buffer, start: number, end: number): boolean {
    if (start === end) {
      if (!this.hasData) return false;
      const data = this.data;
      this.data = '';
      this.hasData = false;
      // An empty data buffer is not dispatched (WHATWG: the priming event of 2025-11-25).
      return data !== '' && this.sink.onSseData(data) === true;
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
