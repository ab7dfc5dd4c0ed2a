/**
 * `mcp-loadtest init [URL]`: without a URL, the commented template; with one, discovery through
 * tools/list, resources/list and prompts/list (same headers as `run`) and a generated config.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { CONFIG_RELATIVE_PATH } from '../config/load-config.js';
import { addCapabilityTools, PROBE_ANSWERS } from '../init/capability-probe.js';
import { discover, listTools, type DiscoveryRequest } from '../init/discover.js';
import { generateConfig, MAX_STEPS_PER_KIND, offReasons } from '../init/generate-config.js';
import { checkPrompts } from '../init/prompt-check.js';
import { configTemplate } from '../init/init-template.js';
import { EXIT, LoadtestError } from '../errors.js';
import { McpConnection } from '../protocol/mcp-connection.js';
import { detectProtocol } from '../protocol/detect-protocol.js';
import { OK } from '../protocol/outcome.js';
import type { Target } from '../protocol/target.js';
import { writeErrorReason, writeToPath } from '../report/write-report.js';
import { makeTarget, redactSecrets } from '../protocol/target.js';
import { stdioTarget } from '../protocol/stdio-command.js';
import {
  headerOptions,
  intOption,
  parseCommand,
  serverCommandOption,
  splitServerCommand,
  type OptionSpec,
} from './args.js';
import { initConnection } from './init-connection.js';
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

/** Discovery requests on a connection, JSON-RPC errors thrown with their code. */
function requestOn(conn: McpConnection, target: Target): DiscoveryRequest {
  return async (method, params) => {
    const r = await conn.probe(method, params);
    if (r.outcome === OK) return r.message?.result;
    const err = (r.message?.error ?? errorInBody(r.errorBody)) as { code?: unknown } | undefined;
    throw new RpcError(
      `${method}: ${redactSecrets(r.detail, target)}`,
      typeof err?.code === 'number' ? err.code : undefined,
    );
  };
}

/**
 * The JSON-RPC error of a non-2xx body: a 2026-07-28 server answers an unknown method with
 * HTTP 404 and -32601 (2026-07-28 "Streamable HTTP"), which discovery reads as "not offered".
 */
function errorInBody(body: string): unknown {
  if (body === '') return undefined;
  try {
    return (JSON.parse(body) as { error?: unknown } | null)?.error;
  } catch {
    return undefined;
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
    // The era and transport `run` would use (2026-07-28 "Versioning": decided once, then used).
    const detected =
      stdio === undefined
        ? await detectProtocol(target, {
            setting: 'auto',
            answers: {},
            timeoutMs,
            maxResponseBytes,
          })
        : null;
    const init = initConnection(target, stdio, {}, timeoutMs, maxResponseBytes, detected);
    const conn = init.conn;
    let discovered = false;
    try {
      const hs = await conn.handshake();
      if (!hs.ok) {
        const log = init.logPath === null ? '' : `; the server's stderr is in ${init.logPath}`;
        throw new LoadtestError(
          'DISCOVERY_FAILED',
          `init: cannot initialize a session with ${target.url}: ${redactSecrets(hs.detail, target)}${log}`,
          { exitCode: EXIT.noSession },
        );
      }
      const discovery = await discover(
        requestOn(conn, target),
        // 2026-07-28 has no initialize: the server's name came with server/discover.
        conn.initializeResult ??
          (detected?.serverInfo == null ? undefined : { serverInfo: detected.serverInfo }),
      );
      await checkPrompts(discovery, requestOn(conn, target), MAX_STEPS_PER_KIND, timeoutMs);
      if (discovery.tools.length > 0) {
        await addCapabilityTools(discovery, async (capability) => {
          const probe = initConnection(
            target,
            stdio,
            PROBE_ANSWERS[capability],
            timeoutMs,
            maxResponseBytes,
            detected,
          );
          try {
            if (!(await probe.conn.handshake()).ok) return [];
            return await listTools(requestOn(probe.conn, target));
          } finally {
            await probe.close(false);
          }
        });
      }
      text = generateConfig(discovery, target.url);
      discovered = true;
      const off =
        discovery.tools.filter((t) => offReasons(t).length > 0).length +
        discovery.prompts.filter((p) => p.refused !== undefined).length;
      diag(
        out,
        `Found ${discovery.tools.length} tools, ${discovery.resources.length} resources, ${discovery.prompts.length} prompts` +
          (off > 0 ? `; ${off} written commented out, off by default (the file says why)` : ''),
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
      // The server's stderr log is kept only when it may explain a failure.
      await init.close(!discovered);
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
