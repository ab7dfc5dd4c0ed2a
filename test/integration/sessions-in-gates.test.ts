/**
 * Runs whose VUs cannot all get a session: they must never pass for healthy ones. An address
 * where nothing answers is no_session (exit 3) however the run ends; VUs refused by a server at
 * its connection limit count against the error-rate gate; the load generator's own file-
 * descriptor limit is named as such, with the fix, not blamed on the server.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startChildServer } from '../helpers/child-server.js';
import { CLI_PATH, readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';
import { spawnSync } from 'node:child_process';

const STALL_SERVER = new URL('../fixtures/stall-server.mjs', import.meta.url);
const dirs: string[] = [];
afterAll(() => removeProjects(dirs));

function project(settings: Record<string, number>): string {
  const dir = tempProject(toml(settings, toolStep('echo')));
  dirs.push(dir);
  return dir;
}

describe('no session was ever established', () => {
  it('ends no_session (exit 3) when the duration runs out with every handshake pending', async () => {
    // Accepts connections and never reads them: every initialize waits for its timeout.
    const sockets = new Set<Socket>();
    const hole: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(hole.address() as AddressInfo).port}/mcp`;
      const dir = project({ virtual_users: 2, timeout_ms: 3000 });
      const r = await runCli(['run', url, '--duration', '1', '--report', 'r.json'], { cwd: dir });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/error: no virtual user could initialize a session with /);
      const report = readReport(`${dir}/r.json`);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.stop_reason).toBe('no_session');
      expect(report.completed).toBe(false);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => hole.close(() => r()));
    }
  }, 30_000);
});

describe('VUs refused by a server at its connection limit', () => {
  it('count against the error-rate gate, and active VUs are the ones with a session', async () => {
    const server = await startChildServer(STALL_SERVER, ['--max-connections', '10']);
    try {
      const dir = project({ virtual_users: 40, timeout_ms: 2000 });
      const r = await runCli(
        [
          'run',
          server.url,
          '--duration',
          '3',
          '--error-rate-threshold',
          '0.05',
          '--report',
          'r.json',
          '--no-color',
        ],
        { cwd: dir, killAfterMs: 60_000 },
      );
      const report = readReport(`${dir}/r.json`);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.handshake.error_count).toBeGreaterThan(0);
      // The requests that were sent mostly succeeded; the refused VUs are what fails the gate.
      expect(report.metrics.gate_error_rate).toBeGreaterThan(report.metrics.error_rate);
      expect(report.metrics.gate_error_rate).toBeGreaterThan(0.05);
      expect(r.code).toBe(1);
      const gate = report.thresholds.find((t) => t.metric === 'error_rate')!;
      expect(gate).toMatchObject({ passed: false, observed: report.metrics.gate_error_rate });
      expect(report.handshake.vus_without_session).toBeGreaterThan(20);
      expect(report.handshake.vus_started).toBeGreaterThanOrEqual(40);
      expect(r.stdout).toMatch(
        /mcp_req_error_rate\.+: .*\(gate: .* counting \d+ failed handshakes, \d+ of \d+ VUs without a session\)/,
      );
      // Peak VUs are VUs with a session: at most the 10 connections the server keeps.
      expect(report.handshake.peak_vus).toBeLessThanOrEqual(10);
      expect(r.stdout).toMatch(/breaking point: none detected \(peak ([1-9]|10) VUs?\)/);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("the load generator's own file-descriptor limit", () => {
  it('is named as the generator’s problem with the fix (ulimit -n), not the server’s', async () => {
    const server = await startChildServer(STALL_SERVER);
    try {
      const dir = project({ virtual_users: 60, timeout_ms: 2000 });
      // 40 descriptors: node's own take about 20, so most of the 60 VUs cannot open a socket.
      const r = spawnSync(
        'bash',
        [
          '-c',
          `ulimit -n 40 && exec "${process.execPath}" "${CLI_PATH}" run "$0" --duration 2 --report r.json --no-color`,
          server.url,
        ],
        { cwd: dir, encoding: 'utf8', timeout: 60_000 },
      );
      const report = readReport(`${dir}/r.json`);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.metrics.generator.local_limit_errors).toBeGreaterThan(0);
      const samples = JSON.stringify({
        ...report.error_samples,
        ...report.handshake.error_samples,
      });
      expect(samples).toMatch(/EMFILE: load generator limit \(not the server\): .*ulimit -n/);
      expect(r.stdout).toMatch(/failed on this machine's own limits \(EMFILE/);
    } finally {
      await server.close();
    }
  }, 60_000);
});
