// `npm run bench`: CPU cost per completed request of our engine, side by side with autocannon.
//
//   node scripts/bench.mjs [--rounds N] [--duration S] [--connections C] [--rate R] [--workers W]
//                          [--sse]
//
// Two tables: the closed model (C virtual users / connections, as fast as the server answers)
// and the open model (R requests per second on a fixed schedule: our `run --rate R` beside
// autocannon's `-R R`), each with its CPU-per-request ratio. The closed table has a third row,
// our `run --workers W` (W worker threads, pinned to cores 1..W when the machine has them, else
// all to core 1), so the cost of threads shows beside one thread.
//
// Method (see BENCHMARKS.md): each round starts a fresh scripts/bench-server.mjs pinned to core 0
// and runs one load tool pinned to core 1 for S seconds with C connections / virtual users, then
// restarts the server and runs the other tool; the order alternates between rounds. Both tools
// run under `node -r scripts/cpu-hook.cjs`, which records the whole process's user + system CPU
// time at exit (start-up, handshakes and report writing included). The figure compared is
// CPU µs per completed request: a load generator's own ceiling on one core is 1e6 / that.
// Each tool's completed count is checked against the tools/call requests the server answered.
//
// A measurement, not a gate: exits 0 whatever the ratio, 1 when something failed to run,
// 2 on a bad flag. Everything listens on and sends to 127.0.0.1; every process is time-bounded.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const SERVER = join(ROOT, 'scripts', 'bench-server.mjs');
const HOOK = join(ROOT, 'scripts', 'cpu-hook.cjs');
const AUTOCANNON = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');

const PROTOCOL_VERSION = '2025-11-25';
const SESSION_ID = 'bench-session';
// The body our engine sends for the `add` step, byte for byte, with a fixed id (autocannon
// cannot vary it without -I, whose random string ids would add cost to its side only).
const TOOL_CALL_BODY =
  '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":42,"b":17}}}';
const SERVER_START_MS = 10_000;
const STOP_GRACE_MS = 5_000;
/** Slack on top of --duration for a tool run: start-up, handshakes, drain, report. */
const RUN_SLACK_MS = 60_000;
/** Above this share of the machine going to other processes during a run, say so. */
const OTHER_WARN_PCT = 5;

const USAGE = `usage: node scripts/bench.mjs [--rounds N] [--duration S] [--connections C] [--rate R] [--sse]
  --rounds N       rounds, each running both tools once (1-20, default 3)
  --duration S     seconds per tool run (1-300, default 10)
  --connections C  connections / virtual users, the same for both tools (1-1000, default 8)
  --rate R         requests per second of the open-model table (1-100000, default 5000)
  --workers W      worker threads of the closed table's third row (1-64, default 2; 1: no row)
  --sse            also run a table where the server answers tools/call as SSE`;

// ---------------------------------------------------------------- flags

function intFlag(values, name, min, max, fallback) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    usageError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function usageError(message) {
  process.stderr.write(`bench: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseFlags(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        rounds: { type: 'string' },
        duration: { type: 'string' },
        connections: { type: 'string' },
        rate: { type: 'string' },
        workers: { type: 'string' },
        sse: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    usageError(err.message.split('\n')[0]);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  return {
    rounds: intFlag(v, 'rounds', 1, 20, 3),
    durationSecs: intFlag(v, 'duration', 1, 300, 10),
    connections: intFlag(v, 'connections', 1, 1000, 8),
    rate: intFlag(v, 'rate', 1, 100_000, 5000),
    workers: intFlag(v, 'workers', 1, 64, 2),
    sse: v.sse === true,
  };
}

// ---------------------------------------------------------------- processes

const children = new Set();

/** Spawns a process and resolves when it ends; killed (TERM, then KILL) past `timeoutMs`. */
function run(cmd, args, { env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref();
    }, timeoutMs);
    const done = (code, signal, spawnError) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut, spawnError });
    };
    child.on('error', (err) => done(null, null, err));
    child.on('close', (code, signal) => done(code, signal, undefined));
  });
}

function hasTaskset() {
  const r = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Starts bench-server; resolves once it prints `listening <port>`. */
function startServer(ctx, sse) {
  return new Promise((resolve, reject) => {
    const cpuFile = ctx.nextFile('server-cpu.json');
    const args = ctx.pin(0, ['node', '-r', HOOK, SERVER, '0', ...(sse ? ['--sse'] : [])]);
    const child = spawn(args[0], args.slice(1), {
      cwd: ROOT,
      env: { ...process.env, BENCH_CPU_FILE: cpuFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    let port = 0;
    const exited = new Promise((res) => child.on('close', (code) => res(code)));
    exited.then(() => children.delete(child));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`bench-server did not print "listening <port>" within ${SERVER_START_MS} ms`),
      );
    }, SERVER_START_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      const m = /^listening (\d+)$/m.exec(stdout);
      if (port === 0 && m) {
        port = Number(m[1]);
        clearTimeout(timer);
        resolve({ port, stop });
      }
    });
    exited.then((code) => {
      if (port === 0) {
        clearTimeout(timer);
        reject(new Error(`bench-server exited (${code}) before listening: ${stderr.trim()}`));
      }
    });

    /** SIGTERM → the server prints `count <n>` and exits through process.exit. */
    async function stop() {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(kill);
      const m = /^count (\d+)$/m.exec(stdout);
      if (!m) throw new Error(`bench-server printed no "count <n>" on exit: ${stderr.trim()}`);
      return { count: Number(m[1]), cpu: readCpu(cpuFile) };
    }
  });
}

function readCpu(file) {
  if (!existsSync(file))
    throw new Error(`no CPU record in ${file} (the process did not exit normally)`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

function failure(what, r) {
  const why = r.spawnError
    ? r.spawnError.message
    : r.timedOut
      ? 'timed out'
      : `exit ${r.code ?? r.signal}`;
  const tail = (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n  ');
  return new Error(`${what} failed (${why})${tail ? ':\n  ' + tail : ''}`);
}

// ---------------------------------------------------------------- the two tools

/**
 * `rate`: the open model (`run --rate`); undefined: the closed model (VUs). `workers`: that many
 * worker threads (`run --workers`); undefined: one thread.
 */
async function runOurs(ctx, port, rate, workers) {
  const configFile = ctx.nextFile('bench.toml');
  const reportFile = ctx.nextFile('report.json');
  const cpuFile = ctx.nextFile('ours-cpu.json');
  writeFileSync(
    configFile,
    [
      '[settings]',
      `virtual_users = ${ctx.connections}`,
      `duration_secs = ${ctx.durationSecs}`,
      'timeout_ms = 5000',
      '',
      '[[scenario]]',
      'type = "tools/call"',
      'weight = 1',
      'tool = "add"',
      'arguments = { a = 42, b = 17 }',
      '',
    ].join('\n'),
  );
  const pinned = workers === undefined ? ctx.pin(1, []) : ctx.pinFrom(1, workers, []);
  const args = pinned.concat([
    'node',
    '-r',
    HOOK,
    CLI,
    'run',
    `http://127.0.0.1:${port}/mcp`,
    '--config',
    configFile,
    '--vus',
    String(ctx.connections),
    '--duration',
    String(ctx.durationSecs),
    ...(rate === undefined ? [] : ['--rate', String(rate)]),
    ...(workers === undefined ? [] : ['--workers', String(workers)]),
    '--report',
    reportFile,
    '--quiet',
    '--no-color',
  ]);
  const r = await run(args[0], args.slice(1), {
    env: { ...process.env, BENCH_CPU_FILE: cpuFile, NO_COLOR: '1' },
    timeoutMs: ctx.durationSecs * 1000 + RUN_SLACK_MS,
  });
  if (r.code !== 0) throw failure('mcp-loadtest run', r);
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const m = report.metrics;
  if (m.error_count !== 0) {
    const samples = JSON.stringify(report.error_samples);
    throw new Error(`mcp-loadtest counted ${m.error_count} errors (expected 0): ${samples}`);
  }
  if (m.dropped_iterations > 0) {
    throw new Error(
      `mcp-loadtest dropped ${m.dropped_iterations} steps at --rate ${rate} (expected 0)`,
    );
  }
  return {
    completed: m.total_requests,
    reqPerSec: m.throughput_rps,
    p50Ms: m.latency.p50_ms,
    p99Ms: m.latency.p99_ms,
    cpu: readCpu(cpuFile),
  };
}

/** `rate`: a fixed overall rate (`-R`); undefined: as fast as the server answers. */
async function runAutocannon(ctx, port, rate) {
  const cpuFile = ctx.nextFile('autocannon-cpu.json');
  const args = ctx.pin(1, [
    'node',
    '-r',
    HOOK,
    AUTOCANNON,
    '-c',
    String(ctx.connections),
    '-d',
    String(ctx.durationSecs),
    '-m',
    'POST',
    // K=V form: autocannon keeps everything after the separator, so "K: V" would send " V".
    '-H',
    'Content-Type=application/json',
    '-H',
    'Accept=application/json, text/event-stream',
    '-H',
    `Mcp-Session-Id=${SESSION_ID}`,
    '-H',
    `MCP-Protocol-Version=${PROTOCOL_VERSION}`,
    '-b',
    TOOL_CALL_BODY,
    ...(rate === undefined ? [] : ['-R', String(rate)]),
    '--json',
    `http://127.0.0.1:${port}/mcp`,
  ]);
  const r = await run(args[0], args.slice(1), {
    env: { ...process.env, BENCH_CPU_FILE: cpuFile },
    timeoutMs: ctx.durationSecs * 1000 + RUN_SLACK_MS,
  });
  if (r.code !== 0) throw failure('autocannon', r);
  const line = r.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (line === undefined) throw failure('autocannon (no JSON result on stdout)', r);
  const result = JSON.parse(line);
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad !== 0) {
    throw new Error(
      `autocannon saw ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (expected 0)`,
    );
  }
  return {
    completed: result['2xx'],
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpu: readCpu(cpuFile),
  };
}

const TOOLS = {
  ours: { name: 'mcp-loadtest', run: (ctx, port) => runOurs(ctx, port) },
  autocannon: { name: 'autocannon', run: (ctx, port) => runAutocannon(ctx, port) },
  oursWorkers: {
    name: 'mcp-loadtest ×W',
    run: (ctx, port) => runOurs(ctx, port, undefined, ctx.workers),
  },
  oursOpen: { name: 'mcp-loadtest -R', run: (ctx, port) => runOurs(ctx, port, ctx.rate) },
  autocannonRate: { name: 'autocannon -R', run: (ctx, port) => runAutocannon(ctx, port, ctx.rate) },
};

// ---------------------------------------------------------------- rounds and tables

/** Busy CPU time of the whole machine, all cores (Linux /proc/stat), or null elsewhere. */
function machineBusyMs() {
  try {
    const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    // cpu  user nice system idle iowait irq softirq steal …  (in USER_HZ ticks, 100 per second)
    const [user, nice, system, , , irq, softirq] = first.trim().split(/\s+/).slice(1).map(Number);
    return ((user + nice + system + irq + softirq) * 1000) / 100;
  } catch {
    return null;
  }
}

async function measure(ctx, toolKey, sse) {
  const busy0 = machineBusyMs();
  const t0 = performance.now();
  const server = await startServer(ctx, sse);
  // Stop the server whatever happened, so no process outlives its round.
  const result = await TOOLS[toolKey].run(ctx, server.port).catch((err) => err);
  const seen = await server.stop().catch((err) => err);
  if (result instanceof Error) throw result;
  if (seen instanceof Error) throw seen;
  const busy1 = machineBusyMs();
  // CPU that went to anything but this server and this tool (other work on the machine, and
  // this script) while they ran, as a share of all cores: a perturbation indicator.
  const windowMs = performance.now() - t0;
  const otherMs = busy0 === null ? NaN : busy1 - busy0 - (result.cpu.cpuUs + seen.cpu.cpuUs) / 1000;
  const row = {
    tool: toolKey,
    ...result,
    cpuUsPerReq: result.completed > 0 ? result.cpu.cpuUs / result.completed : NaN,
    serverCount: seen.count,
    serverUsPerReq: seen.count > 0 ? seen.cpu.cpuUs / seen.count : NaN,
    otherPct: Math.max(0, (100 * otherMs) / (windowMs * ctx.cores)),
  };
  ctx.otherPcts.push(row.otherPct);
  const gap = seen.count - result.completed;
  if (Math.abs(gap) > ctx.connections) {
    ctx.warnings.push(
      `${TOOLS[toolKey].name}: completed ${result.completed} but the server answered ${seen.count} tools/call (gap ${gap} > ${ctx.connections} connections)`,
    );
  }
  return row;
}

const COLUMNS = [
  ['round', 5],
  ['tool', 15],
  ['req/s', 9],
  ['CPU µs/req', 10],
  ['usr/sys', 9],
  ['p50 ms', 7],
  ['p99 ms', 7],
  ['completed', 10],
  ['server saw', 10],
  ['srv µs/req', 10],
  ['wall s', 6],
  ['other %', 7],
];

function line(cells) {
  return cells
    .map((c, i) => (i < 2 ? String(c).padEnd(COLUMNS[i][1]) : String(c).padStart(COLUMNS[i][1])))
    .join('  ')
    .trimEnd();
}

function formatRow(round, row, note = '') {
  return (
    line([
      round,
      TOOLS[row.tool].name,
      Math.round(row.reqPerSec),
      row.cpuUsPerReq.toFixed(1),
      `${(row.cpu.userUs / row.completed).toFixed(1)}/${(row.cpu.systemUs / row.completed).toFixed(1)}`,
      fmtMs(row.p50Ms),
      fmtMs(row.p99Ms),
      row.completed,
      row.serverCount,
      row.serverUsPerReq.toFixed(1),
      (row.cpu.wallMs / 1000).toFixed(1),
      Number.isNaN(row.otherPct) ? '-' : row.otherPct.toFixed(1),
    ]) + note
  );
}

function fmtMs(ms) {
  return typeof ms === 'number' ? String(ms) : '-';
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `open`: the open-model pair at --rate R (JSON only); else the closed-model pair. */
async function table(ctx, sse, open = false) {
  const [oursKey, acKey] = open ? ['oursOpen', 'autocannonRate'] : ['ours', 'autocannon'];
  const threadsKey = !open && ctx.workers > 1 ? 'oursWorkers' : null;
  const notes = {
    [oursKey]: '',
    [acKey]: sse ? '  (does not parse SSE)' : '',
    oursWorkers:
      ctx.workerCores < ctx.workers
        ? `  (${ctx.workers} threads on ${ctx.workerCores} core${ctx.workerCores === 1 ? '' : 's'})`
        : '',
  };
  const shape = open
    ? `open model at ${ctx.rate} req/s (our --rate, autocannon -R), ${ctx.connections} pre-allocated connections`
    : `closed model, ${ctx.connections} connections`;
  process.stdout.write(
    `\n${sse ? 'SSE responses (text/event-stream)' : 'JSON responses (application/json)'}: ` +
      `${ctx.rounds} round${ctx.rounds === 1 ? '' : 's'} × ${ctx.durationSecs} s, ${shape}\n`,
  );
  process.stdout.write(line(COLUMNS.map((c) => c[0])) + '\n');
  const rows = { [oursKey]: [], [acKey]: [], oursWorkers: [] };
  for (let round = 1; round <= ctx.rounds; round++) {
    const pair = round % 2 === 1 ? [oursKey, acKey] : [acKey, oursKey];
    // The threads' row goes first, between or last in turn: no tool always follows another.
    const order = threadsKey === null ? pair : [...pair];
    if (threadsKey !== null) order.splice((round - 1) % 3, 0, threadsKey);
    for (const tool of order) {
      const row = await measure(ctx, tool, sse);
      rows[tool].push(row);
      process.stdout.write(formatRow(round, row, notes[tool]) + '\n');
    }
  }
  rows.ours = rows[oursKey];
  rows.autocannon = rows[acKey];
  const oursUs = median(rows.ours.map((r) => r.cpuUsPerReq));
  const acUs = median(rows.autocannon.map((r) => r.cpuUsPerReq));
  const oursRate = median(rows.ours.map((r) => r.reqPerSec));
  const acRate = median(rows.autocannon.map((r) => r.reqPerSec));
  process.stdout.write(
    `median  mcp-loadtest ${oursUs.toFixed(1)} CPU µs/req at ${Math.round(oursRate)} req/s` +
      ` (1 core ÷ that ≈ ${Math.round(1e6 / oursUs)} req/s);` +
      ` autocannon ${acUs.toFixed(1)} CPU µs/req at ${Math.round(acRate)} req/s` +
      ` (≈ ${Math.round(1e6 / acUs)} req/s)${notes[acKey]}\n`,
  );
  if (threadsKey !== null) {
    const threadsUs = median(rows.oursWorkers.map((r) => r.cpuUsPerReq));
    const threadsRate = median(rows.oursWorkers.map((r) => r.reqPerSec));
    const perRound = rows.oursWorkers.map((r, i) =>
      (r.cpuUsPerReq / rows.ours[i].cpuUsPerReq).toFixed(2),
    );
    process.stdout.write(
      `median  mcp-loadtest --workers ${ctx.workers} ${threadsUs.toFixed(1)} CPU µs/req at ${Math.round(threadsRate)} req/s` +
        `${notes.oursWorkers}: ${(threadsUs / oursUs).toFixed(2)} × one thread's CPU per request` +
        ` (per round ${perRound.join(', ')}), ${(threadsUs / acUs).toFixed(2)} × autocannon's\n`,
    );
  }
  const ratios = rows.ours.map((r, i) => r.cpuUsPerReq / rows.autocannon[i].cpuUsPerReq);
  // Rounds in which neither run shared the machine with other work: the least perturbed pairs.
  const clean = ratios.filter(
    (_, i) =>
      !(rows.ours[i].otherPct > OTHER_WARN_PCT) && !(rows.autocannon[i].otherPct > OTHER_WARN_PCT),
  );
  const ratio = (oursUs / acUs).toFixed(2);
  const n = ctx.rounds;
  const perRound = `per-round ratios: ${ratios.map((r) => r.toFixed(2)).join(', ')}; rounds with other processes ≤ ${OTHER_WARN_PCT}% in both runs: ${clean.length} of ${n}${clean.length > 0 ? `, median ratio ${median(clean).toFixed(2)}` : ''}`;
  process.stdout.write(perRound + '\n');
  if (sse) {
    process.stdout.write(
      `SSE ratio (informational; autocannon does not parse the stream): ${ratio} (median of ${n} round${n === 1 ? '' : 's'})\n`,
    );
    return null;
  }
  const model = open ? `open model at ${ctx.rate} req/s` : 'closed model';
  return `ratio, ${model} (mcp-loadtest / autocannon CPU per request): ${ratio} (median of ${n} round${n === 1 ? '' : 's'})`;
}

function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (!existsSync(CLI)) {
    process.stderr.write('bench: dist/cli.js is missing; run npm run build first\n');
    process.exit(1);
  }
  if (!existsSync(AUTOCANNON)) {
    process.stderr.write('bench: node_modules/autocannon is missing; run npm install first\n');
    process.exit(1);
  }
  const warnings = [];
  const srcDir = join(ROOT, 'src');
  if (existsSync(srcDir) && newestMtimeMs(srcDir) > statSync(CLI).mtimeMs) {
    warnings.push(
      'dist/cli.js is older than src/: these figures are for the last build (npm run build)',
    );
  }
  const cores = availableParallelism();
  TOOLS.oursWorkers.name = `mcp-loadtest ×${flags.workers}`;
  const taskset = hasTaskset() && cores >= 2;
  if (!taskset) {
    warnings.push(
      cores < 2
        ? 'only one CPU: server and load tool are not pinned and share it'
        : 'taskset not found: server and load tool run unpinned (figures are noisier)',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'mcp-bench-'));
  let seq = 0;
  const ctx = {
    ...flags,
    warnings,
    otherPcts: [],
    cores,
    pin: (core, argv) => (taskset ? ['taskset', '-c', String(core), ...argv] : argv),
    // Cores from..from+count−1, as many as the machine has beside the server's core 0.
    workerCores: taskset ? Math.max(1, Math.min(flags.workers, cores - 1)) : flags.workers,
    pinFrom: (from, count, argv) => {
      if (!taskset) return argv;
      const last = Math.min(cores - 1, from + count - 1);
      return ['taskset', '-c', last > from ? `${from}-${last}` : String(from), ...argv];
    },
    nextFile: (name) => join(dir, `${++seq}-${name}`),
  };
  process.stdout.write(
    `mcp-loadtest bench: node ${process.version}, ${cores} CPUs, ` +
      (taskset ? 'server pinned to core 0, load tool to core 1' : 'unpinned') +
      `; CPU = user+system of the whole load-tool process, start-up included\n`,
  );
  for (const w of warnings.splice(0)) process.stdout.write(`warning: ${w}\n`);
  const headlines = [];
  try {
    headlines.push(await table(ctx, false));
    headlines.push(await table(ctx, false, true));
    if (flags.sse) await table(ctx, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const perturbed = ctx.otherPcts.filter((p) => p > OTHER_WARN_PCT);
  if (perturbed.length > 0) {
    warnings.push(
      `in ${perturbed.length} of ${ctx.otherPcts.length} runs other processes used more than ${OTHER_WARN_PCT}% of the machine (up to ${Math.max(...perturbed).toFixed(0)}%): those figures are perturbed (column "other %"); rerun on a quiet machine`,
    );
  }
  process.stdout.write('\n');
  for (const w of warnings) process.stdout.write(`warning: ${w}\n`);
  for (const headline of headlines) process.stdout.write(headline + '\n');
}

function killChildren() {
  for (const child of children) child.kill('SIGKILL');
}
process.once('SIGINT', () => {
  killChildren();
  process.exit(130);
});

main().catch((err) => {
  killChildren();
  process.stderr.write(`bench: ${err.message}\n`);
  process.exit(1);
});
