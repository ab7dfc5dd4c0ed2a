/**
 * The connection `init` discovers through: a URL in the era and over the transport `run` would
 * detect (`detected`: 2026-07-28 stateless, 2025 Streamable HTTP or 2024-11-05 HTTP+SSE), or a
 * stdio server started for it (`init -- COMMAND`), one process per connection since a stdio
 * server's capabilities are those of its one session. The process is stopped on close, and its stderr log kept only when
 * asked (a failure it may explain).
 */
import { rmSync } from 'node:fs';
import { serverLogPath } from '../pipeline/stdio-run.js';
import type { ClientAnswers } from '../protocol/client-answers.js';
import { McpConnection } from '../protocol/mcp-connection.js';
import {
  legacyProfile,
  modernProfile,
  type ProtocolProfile,
} from '../protocol/protocol-profile.js';
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
  detected: ProtocolProfile | null = null,
): InitConnection {
  if (stdio === undefined) {
    const conn = new McpConnection(target, {
      timeoutMs,
      maxResponseBytes,
      protocol: profileWith(detected, answers),
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

/**
 * The detected era and transport, declaring `answers` as the client's capabilities: in 2026-07-28
 * they travel in each request's `_meta`, in the 2025 era in `initialize`.
 */
function profileWith(detected: ProtocolProfile | null, answers: ClientAnswers): ProtocolProfile {
  if (detected === null) return legacyProfile({ answers });
  if (detected.era === 'modern') {
    return modernProfile({
      setting: detected.setting,
      answers,
      serverInfo: detected.serverInfo,
      paramHeaders: detected.paramHeaders,
    });
  }
  return legacyProfile({
    setting: detected.setting,
    version: detected.version,
    answers,
    transport: detected.transport,
    transportDetected: detected.transportDetected,
  });
}
