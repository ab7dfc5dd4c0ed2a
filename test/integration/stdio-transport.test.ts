/**
 * The stdio transport (`run -- COMMAND`) against real servers: server-everything over stdio and
 * this repo's fault fixture (test/fixtures/stdio-server.mjs), through the real pipeline.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { toml, toolStep } from '../helpers/run-load.js';
import {
  alive,
  fixtureCommand,
  pidsIn,
  runStdio,
  serverEverythingCommand,
} from '../helpers/run-stdio.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-loadtest-stdio-'));
  dirs.push(dir);
  return dir;
}

const SAMPLING = '[client]\nsampling = { text = "canned model answer" }\n\n';

describe('stdio: server-everything', () => {
  it('runs a mix of echo and get-sum over two shared processes with 0 errors', async () => {
    const dir = tempDir();
    const { report, verdict } = await runStdio(
      serverEverythingCommand(),
      toml(
        { virtual_users: 4, duration_secs: 30, processes: 2 },
        toolStep('echo', '{ message = "hi" }', 3),
        toolStep('get-sum', '{ a = 1, b = 2 }'),
      ),
      { reportPath: join(dir, 'report.json'), iterations: 400 },
    );
    expect(verdict).toBe('passed');
    expect(report.metrics.total_requests).toBe(400);
    expect(report.metrics.error_count).toBe(0);
    expect(Object.keys(report.per_tool).sort()).toEqual(['echo', 'get-sum']);
    expect(report.config.transport).toBe('stdio');
    expect(report.protocol.stdio).toEqual({
      processes: 2,
      restarts: 0,
      stderr_log: join(dir, 'report.server-stderr.log'),
    });
    expect(report.protocol.server_info?.name).toBe('mcp-servers/everything');
    expect(validateReport(report)).toEqual({ valid: true });
    // Both processes logged to the one file, each line under its number.
    const log = readFileSync(join(dir, 'report.server-stderr.log'), 'utf8');
    expect(log).toContain('[1] [mcp-loadtest] started');
    expect(log).toContain('[2] [mcp-loadtest] started');
  });

  it('answers trigger-sampling-request from [client]: every call succeeds', async () => {
    const { report } = await runStdio(
      serverEverythingCommand(),
      SAMPLING +
        toml(
          { virtual_users: 2, duration_secs: 30 },
          toolStep('trigger-sampling-request', '{ prompt = "hi" }'),
        ),
      { iterations: 10 },
    );
    expect(report.handshake.error_samples).toEqual({});
    expect(report.metrics.total_requests).toBe(10);
    expect(report.metrics.error_count).toBe(0);
    expect(report.protocol.server_requests?.answered).toEqual({ 'sampling/createMessage': 10 });
  });

  it('answers trigger-elicitation-request from [client]: every call succeeds', async () => {
    const { report } = await runStdio(
      serverEverythingCommand(),
      '[client]\nelicitation = { action = "accept", content = { name = "load test" } }\n\n' +
        toml({ virtual_users: 2, duration_secs: 30 }, toolStep('trigger-elicitation-request')),
      { iterations: 6 },
    );
    expect(report.metrics.total_requests).toBe(6);
    expect(report.metrics.error_count).toBe(0);
    expect(report.protocol.server_requests?.answered).toEqual({ 'elicitation/create': 6 });
  });

  it('fails trigger-elicitation-request fast without [client]: no timeouts', async () => {
    const { report } = await runStdio(
      serverEverythingCommand(),
      toml(
        { virtual_users: 2, duration_secs: 30, timeout_ms: 20_000 },
        toolStep('trigger-elicitation-request'),
      ),
      { iterations: 4 },
    );
    expect(report.metrics.total_requests).toBe(4);
    expect(report.metrics.error_count).toBe(4);
    expect(report.errors.timeout).toBe(0);
    expect(report.errors.jsonrpc + report.errors.tool).toBe(4);
  });

  it('fails trigger-sampling-request fast without [client]: no timeouts', async () => {
    // Without the sampling capability declared, server-everything does not register the tool:
    // each call is an error at once. The run's duration only bounds a run that would hang.
    const { report } = await runStdio(
      serverEverythingCommand(),
      toml(
        { virtual_users: 2, duration_secs: 30, timeout_ms: 20_000 },
        toolStep('trigger-sampling-request', '{ prompt = "hi" }'),
      ),
      { iterations: 6 },
    );
    expect(report.metrics.total_requests).toBe(6);
    expect(report.metrics.error_count).toBe(6);
    expect(report.errors.timeout).toBe(0);
    expect(report.errors.jsonrpc + report.errors.tool).toBe(6);
  });
});

describe('stdio: one session per process', () => {
  it('never repeats a request id within a process, initialize included, across 4 VUs', async () => {
    const { report } = await runStdio(
      fixtureCommand(),
      toml({ virtual_users: 4, duration_secs: 30 }, toolStep('echo', '{ message = "hi" }')),
      { iterations: 400 },
    );
    expect(report.metrics.success_count).toBe(400);
    expect(report.errors.jsonrpc).toBe(0);
  });
});

describe('stdio: server requests on stdout', () => {
  it('are answered from [client] on stdin', async () => {
    const { report } = await runStdio(
      fixtureCommand(),
      SAMPLING + toml({ virtual_users: 2, duration_secs: 30 }, toolStep('ask')),
      { iterations: 8 },
    );
    expect(report.metrics.error_count).toBe(0);
    expect(report.protocol.server_requests).toEqual({
      answered: { 'sampling/createMessage': 8 },
      unanswered: {},
    });
  });

  it('get a JSON-RPC error at once without [client], so the tool call fails fast', async () => {
    const { report } = await runStdio(
      fixtureCommand(),
      toml({ virtual_users: 2, duration_secs: 30, timeout_ms: 20_000 }, toolStep('ask')),
      { iterations: 8 },
    );
    expect(report.errors.tool).toBe(8);
    expect(report.errors.timeout).toBe(0);
    expect(report.error_samples.tool).toContain(
      'mcp-loadtest has no [client] answer for sampling/createMessage',
    );
    expect(report.protocol.server_requests?.unanswered).toEqual({ 'sampling/createMessage': 8 });
  });
});

describe('stdio: what a server writes to stdout', () => {
  it('counts a response line over max_response_bytes as response_too_large', async () => {
    const { report } = await runStdio(
      fixtureCommand(),
      toml(
        { virtual_users: 2, duration_secs: 30, max_response_bytes: 2048 },
        toolStep('big', '{ bytes = 200000 }'),
      ),
      { iterations: 6 },
    );
    expect(report.errors.response_too_large).toBe(6);
    expect(report.metrics.error_count).toBe(6);
  });

  it('logs a line that is not JSON-RPC and answers the request after it', async () => {
    const dir = tempDir();
    const { report } = await runStdio(
      fixtureCommand(),
      toml({ virtual_users: 1, duration_secs: 30 }, toolStep('print', '{ message = "hi" }')),
      { iterations: 3, reportPath: join(dir, 'report.json') },
    );
    expect(report.metrics.success_count).toBe(3);
    const log = readFileSync(join(dir, 'report.server-stderr.log'), 'utf8');
    expect(log).toContain('[mcp-loadtest] stdout line is not JSON-RPC: debug: not JSON');
  });
});

describe('stdio: a server that exits mid-run', () => {
  it('counts the restart and the requests it cut, and keeps the run going', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pids');
    const { report } = await runStdio(
      fixtureCommand('--exit-after', '25', '--pid-file', pidFile),
      toml({ virtual_users: 2, duration_secs: 30 }, toolStep('echo', '{ message = "hi" }')),
      { iterations: 100 },
    );
    expect(report.protocol.stdio?.restarts).toBeGreaterThanOrEqual(1);
    expect(report.errors.connection).toBeGreaterThanOrEqual(1);
    expect(report.error_samples.connection).toContain('exited with code 3');
    // Survived: more successes than one process could give before it exited.
    expect(report.metrics.success_count).toBeGreaterThan(25);
    expect(pidsIn(pidFile).length).toBe((report.protocol.stdio?.restarts ?? 0) + 1);
    expect(report.errors.timeout).toBe(0);
  });

  it('treats a server that closes its stdout like one that exited', async () => {
    const { report } = await runStdio(
      fixtureCommand('--close-stdout-after', '10'),
      toml({ virtual_users: 1, duration_secs: 30 }, toolStep('echo', '{ message = "hi" }')),
      { iterations: 40 },
    );
    expect(report.protocol.stdio?.restarts).toBeGreaterThanOrEqual(1);
    expect(report.metrics.success_count).toBeGreaterThan(10);
    expect(report.error_samples.connection).toContain('closed its stdout');
  });
});

describe('stdio: no server process outlives the run', () => {
  it('stops servers that ignore the end of stdin with SIGTERM', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pids');
    await runStdio(
      fixtureCommand('--ignore-stdin-end', '--pid-file', pidFile),
      toml(
        { virtual_users: 2, duration_secs: 0.5, processes: 2 },
        toolStep('echo', '{ message = "hi" }'),
      ),
    );
    const pids = pidsIn(pidFile);
    expect(pids).toHaveLength(2);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('kills servers that ignore SIGTERM too, after the grace period', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pids');
    await runStdio(
      fixtureCommand('--ignore-stdin-end', '--ignore-sigterm', '--pid-file', pidFile),
      toml({ virtual_users: 1, duration_secs: 0.5 }, toolStep('echo', '{ message = "hi" }')),
    );
    const pids = pidsIn(pidFile);
    expect(pids).toHaveLength(1);
    expect(pids.filter(alive)).toEqual([]);
  });
});
