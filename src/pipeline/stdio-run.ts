/**
 * The stdio side of a run (`run -- COMMAND`): what it speaks and where its server processes'
 * stderr goes. The pool itself is started and stopped by runTest, on every path.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { LoadConfig } from '../config/types.js';
import { LoadtestError } from '../errors.js';
import type { StdioCommand } from '../protocol/stdio-command.js';
import { StdioPool, stdioProfile } from '../protocol/stdio-pool.js';

export function stdioPool(
  command: StdioCommand,
  config: LoadConfig,
  protocolSetting: string | undefined,
  reportPath: string | null,
  transport: string | undefined,
): StdioPool {
  if (transport !== undefined) {
    throw new LoadtestError(
      'USAGE',
      `transport ${transport} applies to a server URL; a server command after -- runs over stdio: remove --transport or [settings] transport`,
    );
  }
  const s = config.settings;
  return new StdioPool({
    command,
    processes: s.processes,
    timeoutMs: s.timeoutMs,
    maxResponseBytes: s.maxResponseBytes,
    profile: stdioProfile(protocolSetting ?? 'auto', config.client),
    logPath: serverLogPath(reportPath),
  });
}

/**
 * Beside the report (`<report>.server-stderr.log`), so the two are found together; in the
 * temporary directory when there is no report file (`--no-report`, `--report -`, a device).
 */
export function serverLogPath(reportPath: string | null): string {
  if (reportPath !== null && reportPath !== '-') {
    const isFile = !existsSync(reportPath) || statSync(reportPath).isFile();
    if (isFile) {
      return join(dirname(reportPath), `${basename(reportPath, '.json')}.server-stderr.log`);
    }
  }
  return join(tmpdir(), `mcp-loadtest-server-${process.pid}-${Date.now()}.stderr.log`);
}
