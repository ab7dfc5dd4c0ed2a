/**
 * `mcp-loadtest init [URL]`: without a URL, the commented template; with one, discovery through
 * tools/list, resources/list and prompts/list (same headers as `run`) and a generated config.
 */
import { existsSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { CONFIG_RELATIVE_PATH } from '../config/load-config.js';
import { discover } from '../init/discover.js';
import { generateConfig } from '../init/generate-config.js';
import { configTemplate } from '../init/init-template.js';
import { EXIT, LoadtestError } from '../errors.js';
import { McpConnection } from '../protocol/mcp-connection.js';
import { OK } from '../protocol/outcome.js';
import { writeErrorReason, writeToPath } from '../report/write-report.js';
import { makeTarget, redactSecrets } from '../protocol/target.js';
import { serverLogPath } from '../pipeline/stdio-run.js';
import { stdioTarget } from '../protocol/stdio-command.js';
import { StdioPool, stdioProfile } from '../protocol/stdio-pool.js';
import {
  headerOptions,
  intOption,
  parseCommand,
  serverCommandOption,
  splitServerCommand,
  type OptionSpec,
} from './args.js';
import { diag, type Output } from './output.js';

export const INIT_OPTIONS: OptionSpec = {
  config: { type: 'string', short: 'c' },
  force: { type: 'boolean', short: 'f' },
  header: { type: 'string', short: 'H', multiple: true },
  'timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

class RpcError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

export async function initCommand(argv: string[], out: Output): Promise<number> {
  const { own, command: serverArgv } = splitServerCommand(argv);
  const { values, positionals } = parseCommand('init', own, INIT_OPTIONS, 1);
  const path = resolve(
    out.cwd,
    values.config === undefined ? CONFIG_RELATIVE_PATH : String(values.config),
  );
  // Relative when inside the working directory, else absolute ("../../dev/full" says nothing).
  const rel = relative(out.cwd, path);
  const shown = rel === '' || rel.startsWith('..') ? path : rel;
  if (existsSync(path) && values.force !== true) {
    throw new LoadtestError(
      'INIT_EXISTS',
      `init: ${shown} already exists; pass --force to overwrite it`,
    );
  }
  const url = positionals[0];
  const stdio = serverCommandOption('init', url, serverArgv, values.header);
  let text: string;
  if (url === undefined && stdio === undefined) {
    text = configTemplate();
  } else {
    const timeoutMs = intOption('init', 'timeout-ms', values['timeout-ms'], 1, 3_600_000) ?? 10_000;
    const target =
      stdio === undefined
        ? makeTarget(String(url), headerOptions('init', values.header))
        : stdioTarget(stdio);
    diag(out, `Discovering server schema at ${target.url}...`);
    const maxResponseBytes = 64 * 1024 * 1024;
    // stdio: one server process, started here and stopped in the `finally`.
    const pool =
      stdio === undefined
        ? undefined
        : new StdioPool({
            command: stdio,
            processes: 1,
            timeoutMs,
            maxResponseBytes,
            profile: stdioProfile('auto', {}),
            logPath: serverLogPath(null),
          });
    const conn = new McpConnection(target, {
      timeoutMs,
      maxResponseBytes,
      ...(pool === undefined ? {} : { transport: pool.take(), protocol: pool.profile }),
    });
    pool?.start();
    let discovered = false;
    try {
      const hs = await conn.handshake();
      if (!hs.ok) {
        const log = pool === undefined ? '' : `; the server's stderr is in ${pool.log.path}`;
        throw new LoadtestError(
          'DISCOVERY_FAILED',
          `init: cannot initialize a session with ${target.url}: ${redactSecrets(hs.detail, target)}${log}`,
          { exitCode: EXIT.noSession },
        );
      }
      const discovery = await discover(async (method, params) => {
        const r = await conn.request(method, params);
        if (r.outcome === OK) return r.message?.result;
        const err = r.message?.error as { code?: unknown } | undefined;
        throw new RpcError(
          `${method}: ${redactSecrets(r.detail, target)}`,
          typeof err?.code === 'number' ? err.code : undefined,
        );
      }, conn.initializeResult);
      text = generateConfig(discovery, target.url);
      discovered = true;
      diag(
        out,
        `Found ${discovery.tools.length} tools, ${discovery.resources.length} resources, ${discovery.prompts.length} prompts`,
      );
    } catch (err) {
      if (err instanceof LoadtestError) throw err;
      throw new LoadtestError(
        'DISCOVERY_FAILED',
        `init: discovery at ${target.url} failed: ${redactSecrets((err as Error).message, target)}`,
        {
          exitCode: EXIT.noSession,
        },
      );
    } finally {
      await conn.close(2000);
      await pool?.stop();
      // The server's stderr log is kept only when it may explain a failure.
      if (pool !== undefined && discovered) rmSync(pool.log.path, { force: true });
    }
  }
  try {
    // Complete or absent, like the report: a full disk must not leave half a config.
    writeToPath(path, Buffer.from(text, 'utf8'));
  } catch (error) {
    throw new LoadtestError(
      'REPORT_WRITE',
      `init: cannot write ${shown}: ${writeErrorReason(error)}`,
      {
        exitCode: EXIT.reportWrite,
        cause: error,
      },
    );
  }
  diag(out, `Created ${shown}`);
  diag(out, 'Edit the file to customize your load test scenario.');
  return EXIT.ok;
}
