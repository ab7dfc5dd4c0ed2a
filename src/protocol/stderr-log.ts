/**
 * Where stdio server processes' stderr goes (MCP "Transports", stdio: the server MAY write logs to
 * stderr, and the client may capture, forward or ignore them): one file per run, each line
 * prefixed with its process's number when there are several, so a crash can be read after the
 * run. What the client itself notes (a process exited, was restarted) goes in the same file.
 */
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { LoadtestError } from '../errors.js';

export class StderrLog {
  readonly path: string;
  private stream: WriteStream | null;
  private readonly prefixed: boolean;
  /** Per process: the start of a line not yet ended. */
  private readonly partial = new Map<number, string>();

  constructor(path: string, processes: number) {
    this.path = path;
    this.prefixed = processes > 1;
    let fd: number;
    try {
      // Opened here, not by the stream: a path that cannot be written fails before the run.
      fd = openSync(path, 'w');
    } catch (error) {
      throw new LoadtestError(
        'USAGE',
        `cannot create the server stderr log ${path}: ${(error as Error).message}; pass --report PATH in a writable directory`,
        { cause: error },
      );
    }
    this.stream = createWriteStream('', { fd });
    // A full disk must not crash the run: the log is a courtesy, the report is the result.
    this.stream.on('error', () => undefined);
  }

  /** A chunk of process `index`'s stderr. */
  chunk(index: number, data: Buffer): void {
    const text = (this.partial.get(index) ?? '') + data.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      this.partial.set(index, text);
      return;
    }
    this.partial.set(index, text.slice(end + 1));
    const lines = text.slice(0, end).split('\n');
    this.append(lines.map((line) => this.prefix(index) + line).join('\n') + '\n');
  }

  /** A line of our own about process `index` (started, exited, restarted). */
  note(index: number, text: string): void {
    this.flushPartial(index);
    this.append(`${this.prefix(index)}[mcp-loadtest] ${text}\n`);
  }

  async close(): Promise<void> {
    for (const index of [...this.partial.keys()]) this.flushPartial(index);
    const stream = this.stream;
    this.stream = null;
    if (stream !== null) await new Promise<void>((resolve) => stream.end(resolve));
  }

  private flushPartial(index: number): void {
    const rest = this.partial.get(index);
    this.partial.delete(index);
    if (rest !== undefined && rest !== '') this.append(`${this.prefix(index)}${rest}\n`);
  }

  private prefix(index: number): string {
    return this.prefixed ? `[${index}] ` : '';
  }

  private append(text: string): void {
    this.stream?.write(text);
  }
}
