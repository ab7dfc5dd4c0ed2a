/**
 * Where the CLI writes: the summary to stdout, everything else to stderr. Colour only on a
 * terminal, and never with --no-color or NO_COLOR (no-color.org).
 */
export interface Output {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function colorEnabled(out: Output, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  const noColor = out.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return out.stdout.isTTY === true;
}

export function diag(out: Output, line: string): void {
  out.stderr.write(line + '\n');
}

/**
 * A closed stdout or stderr (`mcp-loadtest run … 2>&1 | head -1`, a CI log reader that went
 * away) ends that output, never the run: EPIPE arrives as an 'error' event on the stream, which
 * with no listener would kill the process before the report is written. Later writes to the
 * destroyed stream are dropped the same way.
 */
export function survivesClosedPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', () => undefined);
}
