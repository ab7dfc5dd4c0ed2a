/**
 * The connection `init` discovers through: Streamable HTTP to a URL, or a stdio server started
 * for it (`init -- COMMAND`), one process per connection since a stdio server's capabilities are
 * those of its one session. The process is stopped on close, and its stderr log kept only when
 * asked (a failure it may explain).
 */
import { rmSync } from 'node:fs';
import { serverLogPath } from '../pipeline/stdio-run.js';
import type { ClientAnswers } from '../protocol/client-answers.js';
import { McpConnection } from '../protocol/mcp-connection.js';
import { legacyProfile } from '../protocol/protocol-profile.js';
import type { StdioCommand } from '../protocol/stdio-command.js';
import { StdioPool, stdioProfile } from '../protocol/stdio-pool.js';
import type { Target } from '../protocol/target.js';

export interface InitConnection {
  readonly conn: McpConnection;
  /** stdio: where the server's stderr goes; null over HTTP. */
  readonly logPath: string | null;
  close(keepLog: boolean): Promise<void>;
}

const CLOSE_TIMEOUT_MS = 2000;

export function initConnection(
  target: Target,
  stdio: StdioCommand | undefined,
  answers: ClientAnswers,
  timeoutMs: number,
  maxResponseBytes: number,
): InitConnection {
  if (stdio === undefined) {
    const conn = new McpConnection(target, {
      timeoutMs,
      maxResponseBytes,
      protocol: legacyProfile({ answers }),
    });
    return { conn, logPath: null, close: async () => void (await conn.close(CLOSE_TIMEOUT_MS)) };
  }
  const pool = new StdioPool({
    command: stdio,
    processes: 1,
    timeoutMs,
    maxResponseBytes,
    profile: stdioProfile('auto', answers),
    logPath: serverLogPath(null),
  });
  const conn = new McpConnection(target, {
    timeoutMs,
    maxResponseBytes,
    transport: pool.take(),
    protocol: pool.profile,
  });
  pool.start();
  return {
    conn,
    logPath: pool.log.path,
    close: async (keepLog) => {
      await conn.close(CLOSE_TIMEOUT_MS);
      await pool.stop();
      if (!keepLog) rmSync(pool.log.path, { force: true });
    },
  };
}
