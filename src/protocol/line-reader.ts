/**
 * Splits a byte stream into newline-delimited messages (MCP "Transports", stdio: messages are
 * delimited by newlines and MUST NOT contain embedded newlines). A line that grows past
 * `maxBytes` before its newline is handed over once as too long, and the rest of it is skipped,
 * so a server cannot make the client buffer without bound.
 */
export interface LineSink {
  onLine(line: Buffer): void;
  /** The first `maxBytes`-odd bytes of a line too long to keep. */
  onTooLong(start: Buffer): void;
}

export class LineReader {
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** A line too long is being skipped up to its end. */
  private skipping = false;

  constructor(
    private readonly maxBytes: number,
    private readonly sink: LineSink,
  ) {}

  /** Forgets a line in progress (a new process, a new stream). */
  reset(): void {
    this.partial = [];
    this.partialBytes = 0;
    this.skipping = false;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      let line = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      if (this.partialBytes > 0) {
        this.partial.push(line);
        line = Buffer.concat(this.partial, this.partialBytes + line.length);
        this.partial = [];
        this.partialBytes = 0;
      }
      if (line.length > 0) this.sink.onLine(line);
    }
    if (start >= chunk.length || this.skipping) return;
    const rest = chunk.subarray(start);
    this.partial.push(rest);
    this.partialBytes += rest.length;
    if (this.partialBytes > this.maxBytes) {
      const head = Buffer.concat(this.partial, this.partialBytes);
      this.reset();
      this.skipping = true;
      this.sink.onTooLong(head);
    }
  }
}
