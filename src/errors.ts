/**
 * Typed errors with stable codes. Helpers throw these; only the two entry points (src/cli, and
 * later src/action) turn them into an exit code or `setFailed`. `message` is the one line the
 * user sees: what was wrong, where, and what is accepted.
 */

/** Exit codes of the CLI (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  thresholds: 1,
  usage: 2,
  noSession: 3,
  /** The run ended but its report could not be written (full disk, closed pipe). */
  reportWrite: 4,
  /** A fault of the tool itself (an internal error, a worker thread that failed). */
  internal: 70,
  interrupted: 130,
} as const;

export type ErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_UNREADABLE'
  | 'CONFIG_SYNTAX'
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'INIT_EXISTS'
  | 'DISCOVERY_FAILED'
  | 'NO_SESSION'
  | 'PROTOCOL_REFUSED'
  | 'REPORT_INVALID'
  | 'REPORT_WRITE'
  | 'MERGE_REFUSED'
  | 'REPORT_UNREADABLE'
  | 'COMPARE_UNUSABLE'
  | 'WORKER_FAILED';

export class LoadtestError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  /** For config errors: where, so the action can annotate the TOML line. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      exitCode?: number;
      file?: string;
      line?: number;
      column?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LoadtestError';
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.usage;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}
