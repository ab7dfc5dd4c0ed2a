/**
 * The built-in demo MCP server: a calculator on plain node:http speaking Streamable HTTP
 * (protocol revision 2025-11-25) on one endpoint, `/mcp`, bound to loopback only. It is what a
 * newcomer load-tests first (`mcp-loadtest demo`) and the tutorial's target (`serve-demo`).
 *
 * It ships inside the CLI bundle and shares the machine with the load generator, so it uses only
 * Node built-ins and keeps per-request work small (see demo-endpoint.ts). Connections are kept
 * alive and never closed by the server, except by `close()`.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadtestError } from '../errors.js';
import { DemoEndpoint } from './demo-endpoint.js';
import {
  resolveDemoOptions,
  type DemoServerOptions,
  type ResolvedDemoOptions,
} from './demo-options.js';
import type { DemoStats } from './demo-stats.js';

export type { DemoServerOptions } from './demo-options.js';
export type { DemoStats } from './demo-stats.js';

export interface DemoServer {
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  url: string;
  port: number;
  stats(): DemoStats;
  /** Stops listening, drops idle and active connections, cancels delayed answers. */
  close(): Promise<void>;
}

const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startDemoServer(options?: DemoServerOptions): Promise<DemoServer> {
  const resolved = resolveDemoOptions(options);
  const endpoint = new DemoEndpoint(resolved);
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, endpoint.handle);
  // headersTimeout above keepAliveTimeout, so an idle kept-alive socket is never cut mid-header.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await listen(server, resolved);
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostInUrl}:${address.port}/mcp`,
    port: address.port,
    stats: () => endpoint.stats(),
    close: () =>
      new Promise<void>((resolve) => {
        endpoint.cancelPending();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, options: ResolvedDemoOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `${options.host}:${options.port}`;
      const message =
        error.code === 'EADDRINUSE'
          ? `Demo server cannot listen on ${where}: the port is in use (choose another with --port)`
          : `Demo server cannot listen on ${where}: ${error.message}`;
      reject(new LoadtestError('USAGE', message, { cause: error }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export interface ServeDemoArgs {
  port: number;
  responseMode: 'sse' | 'json';
  delayMs: number;
  errorRate: number;
  stateless: boolean;
  /** See DemoServerOptions.capacity (default 0 = unlimited). */
  capacity?: number;
}

/** `mcp-loadtest serve-demo`: start the server and say where it listens, in one line. */
export async function runServeDemo(
  args: ServeDemoArgs,
  out: NodeJS.WritableStream,
): Promise<DemoServer> {
  const server = await startDemoServer(args);
  const details = [args.responseMode === 'sse' ? 'SSE responses' : 'JSON responses'];
  if (args.stateless) details.push('stateless');
  if (args.delayMs > 0) details.push(`delay ${args.delayMs} ms`);
  if ((args.capacity ?? 0) > 0) details.push(`capacity ${args.capacity} at a time`);
  if (args.errorRate > 0) details.push(`error rate ${Math.round(args.errorRate * 1000) / 10}%`);
  out.write(`mcp-loadtest demo server listening on ${server.url} (${details.join(', ')})\n`);
  return server;
}
