// Peak memory against concurrent sessions: how much RSS one `mcp-loadtest run` process needs to
// hold N virtual users, each with its own session and keep-alive connection.
//
//   node scripts/memory.mjs [--sessions 1,1000,5000,10000] [--duration S] [--interval MS] [--cli PATH]
//
// Method (see BENCHMARKS.md "Memory per session"): for each N, a fresh scripts/bench-server.mjs
// and one `node -r scripts/cpu-hook.cjs dist/cli.js run --vus N --duration S` (closed model, one
// `tools/call` step; each VU sends one every --interval ms, request_interval_ms, so N sessions are
// all busy while the load stays within what a shared 2-core machine serves: 10,000 sessions at
// 1000 ms are 10,000 requests per second). The figure is the run process's peak
// resident set size (getrusage ru_maxrss, recorded at exit by cpu-hook.cjs): start-up, N
// handshakes, the load and the report included. Every VU must hold a session (the report's
// sessions created and re-initialized are checked), so the figure is for N concurrent sessions. The cost per session
// is the slope between the largest and the smallest N; the base is the smallest N's figure less
// its sessions' share.
//
// A measurement, not a gate: exits 0 whatever the figures, 1 when a run failed, 2 on a bad flag.
// Everything listens on and sends to 127.0.0.1; every process is time-bounded.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const SERVER = join(ROOT, 'scripts', 'bench-server.mjs');
const HOOK = join(ROOT, 'scripts', 'cpu-hook.cjs');
const RUN_SLACK_MS = 120_000;
const USAGE = `usage: node scripts/memory.mjs [--sessions N,N,...] [--duration S]
  --sessions  comma-separated session counts, each 1-20000 (default 1,1000,5000,10000)
  --duration  seconds of load per run, 1-120 (default 20)
  --interval  ms each VU waits between its requests, 0-60000 (default 1000; 0: as fast as answered)
  --cli       the bundle to measure (default dist/cli.js), e.g. a copy of an earlier build`;

function usageError(message) {
  process.stderr.write(`memory: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseFlags() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        sessions: { type: 'string' },
        duration: { type: 'string' },
        cli: { type: 'string' },
        interval: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    usageError(err.message);
  }
  const sessions = (values.sessions ?? '1,1000,5000,10000').split(',').map((s) => s.trim());
  for (const s of sessions) {
    if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 20_000)
      usageError(`--sessions must list integers from 1 to 20000, got "${s}"`);
  }
  const duration = values.duration ?? '60';
  if (!/^\d+$/.test(duration) || Number(duration) < 1 || Number(duration) > 120)
    usageError(`--duration must be an integer from 1 to 120, got "${duration}"`);
  const interval = values.interval ?? '1000';
  if (!/^\d+$/.test(interval) || Number(interval) > 60_000)
    usageError(`--interval must be an integer from 0 to 60000, got "${interval}"`);
  return {
    intervalMs: Number(interval),
    sessions: sessions.map(Number).sort((a, b) => a - b),
    durationSecs: Number(duration),
    cli: values.cli === undefined ? CLI : resolve(values.cli),
  };
}

/** Runs a process to its end; SIGKILL past `timeoutMs`. */
function runProcess(args, env, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(args[0], args.slice(1), {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/** bench-server on a free port; resolves with its port and a stop function. */
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [SERVER, '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('bench-server did not start within 10 s'));
    }, 10_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /^listening (\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        const closed = new Promise((r) => child.on('close', r));
        resolve({ port: Number(m[1]), stop: () => (child.kill('SIGTERM'), closed) });
      }
    });
  });
}

async function measure(dir, { cli, intervalMs, durationSecs }, sessions) {
  const config = join(dir, `memory-${sessions}.toml`);
  const report = join(dir, `report-${sessions}.json`);
  const record = join(dir, `rss-${sessions}.json`);
  writeFileSync(
    config,
    [
      '[settings]',
      `virtual_users = ${sessions}`,
      `duration_secs = ${durationSecs}`,
      'timeout_ms = 30000',
      `request_interval_ms = ${intervalMs}`,
      '',
      '[[scenario]]',
      'type = "tools/call"',
      'weight = 1',
      'tool = "add"',
      'arguments = { a = 42, b = 17 }',
      '',
    ].join('\n'),
  );
  const server = await startServer();
  try {
    const args = ['node', '-r', HOOK, cli, 'run', `http://127.0.0.1:${server.port}/mcp`];
    args.push('--config', config, '--report', report, '--quiet', '--no-color');
    const env = { ...process.env, BENCH_CPU_FILE: record, NO_COLOR: '1' };
    const r = await runProcess(args, env, durationSecs * 1000 + RUN_SLACK_MS);
    if (r.code !== 0) {
      const tail = r.stderr.trim().split('\n').slice(-5).join('\n  ');
      throw new Error(
        `run with ${sessions} sessions failed (exit ${r.code ?? r.signal}):\n  ${tail}`,
      );
    }
  } finally {
    await server.stop();
  }
  const { metrics: m, handshake } = JSON.parse(readFileSync(report, 'utf8'));
  // Closed model: every VU keeps its session to the end unless one is lost, so N sessions
  // created, none re-initialized and no VU without one means N sessions held at once.
  if (
    handshake.sessions_created !== sessions ||
    handshake.reinitializations !== 0 ||
    handshake.vus_without_session !== 0 ||
    m.total_requests < sessions
  ) {
    throw new Error(
      `run with ${sessions} sessions: ${handshake.sessions_created} created, ${handshake.reinitializations} re-initialized, ${m.total_requests} requests (the machine may be too busy: try a longer --duration)`,
    );
  }
  const { maxRssKb } = JSON.parse(readFileSync(record, 'utf8'));
  return { sessions, rssMb: maxRssKb / 1024, requests: m.total_requests };
}

async function main() {
  const flags = parseFlags();
  const { sessions } = flags;
  const dir = mkdtempSync(join(tmpdir(), 'mcp-loadtest-memory-'));
  const rows = [];
  try {
    for (const n of sessions) {
      const row = await measure(dir, flags, n);
      rows.push(row);
      process.stdout.write(
        `${String(n).padStart(6)} sessions  peak RSS ${row.rssMb.toFixed(1).padStart(6)} MB  (${row.requests} requests)\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (rows.length >= 2) {
    const lo = rows[0];
    const hi = rows[rows.length - 1];
    const perSessionKb = ((hi.rssMb - lo.rssMb) * 1024) / (hi.sessions - lo.sessions);
    const baseMb = lo.rssMb - (perSessionKb * lo.sessions) / 1024;
    process.stdout.write(
      `per session ${perSessionKb.toFixed(1)} KB (slope ${lo.sessions} → ${hi.sessions}), base ${baseMb.toFixed(1)} MB\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`memory: ${err.message}\n`);
  process.exit(1);
});
