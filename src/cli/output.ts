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
