/**
 * The server command of a stdio run (`run -- COMMAND [ARGS…]`, as the MCP inspector takes it):
 * started without a shell, so its arguments reach it exactly as typed. Its Target is a stand-in
 * (no URL, no headers) that names the command in reports.
 */
import type { Target } from './target.js';

export interface StdioCommand {
  readonly program: string;
  readonly args: readonly string[];
}

/** The command as one line (arguments with spaces or quotes quoted), for reports and messages. */
export function commandLine(command: StdioCommand): string {
  return [command.program, ...command.args]
    .map((part) => (part === '' || /[\s"'\\]/.test(part) ? JSON.stringify(part) : part))
    .join(' ');
}

/** The target of a stdio run: `stdio:` and the command line, no origin, no headers. */
export function stdioTarget(command: StdioCommand): Target {
  return {
    url: `stdio:${commandLine(command)}`,
    origin: '',
    path: '',
    baseHeaders: [],
    userHeaderNames: [],
    secretValues: [],
    learnt: { redirect: null },
  };
}
