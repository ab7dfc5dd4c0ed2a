/**
 * Where `--report` may point, run by the built CLI against the fault server: a full file system
 * (a small tmpfs when mount is allowed, /dev/full always), a device node, a FIFO, a symlink, a
 * process substitution, standard output. A report is complete or absent, a special file is never
 * replaced, and a failed write is exit 4 whatever ended the run.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import {
  CLI_PATH,
  closedPort,
  removeProjects,
  runCli,
  spawnCli,
  tempProject,
  waitFor,
} from '../helpers/run-cli.js';
import { fullDevice } from '../helpers/devices.js';
import { toml, toolStep } from '../helpers/run-load.js';

const CONFIG = toml({ virtual_users: 2, duration_secs: 1, timeout_ms: 2000 }, toolStep('ok'));
const STAGED = `${CONFIG}[[stage]]\ntarget_vus = 2\nduration_secs = 6\n`;
const ENOSPC_LINE = /^error: cannot write report .*: no space left on device \(ENOSPC\)$/m;
const isRoot = process.getuid?.() === 0;

/** Mounts a tmpfs of `bytes` at `dir`; false when the kernel or container refuses. */
function tryMountTmpfs(dir: string, bytes: number): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

describe('--report destinations', () => {
  let server: FaultServer;
  const dirs: string[] = [];
  const mounts: string[] = [];
  const project = () => {
    const dir = tempProject(CONFIG);
    dirs.push(dir);
    return dir;
  };
  const run = (dir: string, ...args: string[]) =>
    runCli(['run', server.url, '--iterations', '4', ...args], { cwd: dir });

  beforeAll(async () => (server = await startFaultServer()));
  afterAll(async () => {
    await server.close();
    for (const dir of mounts) execFileSync('umount', [dir]);
    removeProjects(dirs);
  });

  it('a full file system leaves no report and no temp file, and exits 4', async (ctx) => {
    const dir = project();
    const small = join(dir, 'small');
    mkdirSync(small);
    // One page: the probe file fits, the report (several KiB) does not.
    if (!isRoot || !tryMountTmpfs(small, 4096)) {
      ctx.skip(true, 'mount -t tmpfs is refused here (not root, or no CAP_SYS_ADMIN)');
      return;
    }
    mounts.push(small);
    writeFileSync(join(small, 'filler'), Buffer.alloc(1024));
    const r = await run(dir, '--report', join(small, 'report.json'));
    expect(r.stderr).toMatch(ENOSPC_LINE);
    expect(r.code).toBe(4);
    expect(readdirSync(small)).toEqual(['filler']);
  });

  it('a full device (/dev/full) is written through, reports ENOSPC and exits 4', async () => {
    const dir = project();
    const full = fullDevice(dir);
    const r = await run(dir, '--report', full);
    expect(r.stderr).toMatch(ENOSPC_LINE);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('mcp_req_duration');
    expect(statSync(full).isCharacterDevice()).toBe(true);
  });

  it('a failed report write beats a failed threshold: exit 4, not 1', async () => {
    const dir = project();
    const r = await run(dir, '--report', fullDevice(dir), '--p95-threshold-ms', '0.001');
    expect(r.stderr).toMatch(ENOSPC_LINE);
    expect(r.code).toBe(4);
  });

  it('a failed report write beats no session: exit 4, not 3', async () => {
    const port = await closedPort();
    const dir = project();
    const r = await runCli(['run', `http://127.0.0.1:${port}/mcp`, '--report', fullDevice(dir)], {
      cwd: dir,
    });
    expect(r.stderr).toMatch(ENOSPC_LINE);
    expect(r.code).toBe(4);
  });

  it('a failed report write on a second Ctrl+C exits 4, not 130', async () => {
    // Requests that take 8 s keep the first Ctrl+C draining, so the second one hard-stops.
    const dir = tempProject(
      toml({ virtual_users: 2, timeout_ms: 10_000 }, toolStep('slow', '{ ms = 8000 }')),
    );
    dirs.push(dir);
    const before = server.stats().toolCalls.slow ?? 0;
    const cli = spawnCli(['run', server.url, '--duration', '30', '--report', fullDevice(dir)], {
      cwd: dir,
    });
    await waitFor(() => (server.stats().toolCalls.slow ?? 0) > before, 10_000, 'a slow call');
    cli.child.kill('SIGINT');
    await waitFor(() => cli.stderr.includes('stopping:'), 10_000, 'the stopping line');
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.stderr).toMatch(ENOSPC_LINE);
    expect(r.code).toBe(4);
  });

  it('a character device made with mknod stays a device and gets the report', async (ctx) => {
    const dir = project();
    const device = join(dir, 'null-device');
    try {
      execFileSync('mknod', [device, 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      ctx.skip(true, 'mknod is refused here (not root)');
      return;
    }
    const r = await run(dir, '--report', device);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a FIFO with a reader gets the whole report and stays a FIFO', async () => {
    const dir = project();
    const fifo = join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on('data', (c) => chunks.push(c as Buffer));
    const ended = new Promise<void>((resolve) => reader.on('end', () => resolve()));
    const r = await run(dir, '--report', fifo);
    await ended;
    expect(r.code).toBe(0);
    expect(validateReport(JSON.parse(Buffer.concat(chunks).toString()))).toEqual({ valid: true });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a FIFO nobody reads fails with ENXIO and exit 4 instead of hanging', async () => {
    const dir = project();
    const fifo = join(dir, 'lonely.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await run(dir, '--report', fifo);
    expect(r.stderr).toMatch(
      /^error: cannot write report .*lonely\.fifo: no process is reading from the FIFO \(ENXIO\)$/m,
    );
    expect(r.code).toBe(4);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a symlink is followed: its target is replaced whole and the link stays a link', async () => {
    const dir = project();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'report.json'), 'old');
    symlinkSync(join('real', 'report.json'), join(dir, 'link.json'));
    const r = await run(dir, '--report', 'link.json');
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.json'))).toBe(join('real', 'report.json'));
    const report = JSON.parse(readFileSync(join(dir, 'real', 'report.json'), 'utf8'));
    expect(validateReport(report)).toEqual({ valid: true });
    expect(readdirSync(join(dir, 'real'))).toEqual(['report.json']);
  });

  it('a dangling symlink creates its target', async () => {
    const dir = project();
    symlinkSync('made.json', join(dir, 'dangling.json'));
    const r = await run(dir, '--report', 'dangling.json');
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'dangling.json')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, 'made.json'))).toBe(true);
  });

  it('--report - writes the JSON alone on stdout and the summary on stderr', async () => {
    const r = await run(project(), '--report', '-');
    expect(r.code).toBe(0);
    expect(validateReport(JSON.parse(r.stdout))).toEqual({ valid: true });
    expect(r.stderr).toContain('mcp_req_duration');
  });

  // /proc/self/fd/1 rather than /dev/stdout: a regression cannot replace anything under /proc.
  it('--report /proc/self/fd/1 writes to the descriptor, a socket here', async () => {
    const r = await run(project(), '--report', '/proc/self/fd/1');
    expect(r.code).toBe(0);
    const json = r.stdout.slice(r.stdout.indexOf('{'), r.stdout.lastIndexOf('}\n') + 2);
    expect(validateReport(JSON.parse(json))).toEqual({ valid: true });
  });

  it('a process substitution (/dev/fd/63) receives the report', async () => {
    const dir = project();
    const out = join(dir, 'from-pipe.json');
    const script = `"${process.execPath}" "${CLI_PATH}" run "${server.url}" --iterations 4 --report >(cat > "${out}"); echo "rc=$?"; wait`;
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', script], { cwd: dir });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', () => resolve({ stdout, stderr }));
    });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.stdout).toContain('rc=0');
    await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').endsWith('}\n'), 5000, 'cat');
    expect(validateReport(JSON.parse(readFileSync(out, 'utf8')))).toEqual({ valid: true });
  });
});

describe('init writes its config complete or not at all', () => {
  const dirs: string[] = [];
  afterAll(() => removeProjects(dirs));

  it('init --force onto /dev/full fails with ENOSPC and exit 4, not an internal error', async () => {
    const dir = tempProject();
    dirs.push(dir);
    const full = fullDevice(dir);
    const r = await runCli(['init', '--force', '--config', full], { cwd: dir });
    expect(r.stderr).toBe(
      `error: init: cannot write ${full.startsWith(dir) ? 'full' : full}: no space left on device (ENOSPC)\n`,
    );
    expect(statSync(full).isCharacterDevice()).toBe(true);
    expect(r.code).toBe(4);
  });

  it('init through a symlink writes the target and keeps the link', async () => {
    const dir = tempProject();
    dirs.push(dir);
    symlinkSync('real.toml', join(dir, 'link.toml'));
    const r = await runCli(['init', '--config', 'link.toml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'link.toml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.toml'), 'utf8')).toContain('[settings]');
  });
});

describe('closed output pipes', () => {
  let server: FaultServer;
  const dirs: string[] = [];
  beforeAll(async () => (server = await startFaultServer()));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  /** Runs the CLI with one of its pipes closed by the reader after the first line. */
  async function runWithClosed(stream: 'stdout' | 'stderr', dir: string) {
    const child = spawn(process.execPath, [CLI_PATH, 'run', server.url, '--report', 'r.json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const closing = child[stream];
    let seen = '';
    closing.on('data', (c: Buffer) => {
      seen += c.toString();
      if (seen.includes('\n')) closing.destroy();
    });
    const other = stream === 'stdout' ? child.stderr : child.stdout;
    let otherText = '';
    other.on('data', (c: Buffer) => (otherText += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, otherText };
  }

  it('a stderr closed after one line (| head -1) stops that output, not the run', async () => {
    // A staged config prints its note line at once, then a progress line at 5 s: the second one
    // meets the closed pipe while the run is still going.
    const dir = tempProject(STAGED);
    dirs.push(dir);
    const { code, otherText } = await runWithClosed('stderr', dir);
    expect(code).toBe(0);
    expect(otherText).toContain('mcp_req_duration');
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.completed).toBe(true);
  });

  it('a stdout closed before the summary still leaves the report and exit 0', async () => {
    const dir = tempProject(CONFIG);
    dirs.push(dir);
    // The summary is the only stdout: close the pipe at once instead of after a line.
    const child = spawn(
      process.execPath,
      [CLI_PATH, 'run', server.url, '--iterations', '4', '--report', 'r.json'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(0);
    expect(validateReport(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')))).toEqual({
      valid: true,
    });
  });
});
