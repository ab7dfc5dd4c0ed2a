/**
 * Writes the JSON report. A report appears complete or not at all, wherever it goes:
 *
 * - a regular file (or a new path): the JSON goes to `<path>.<pid>.tmp` beside it, every byte is
 *   counted as written, it is flushed, then renamed over `<path>` (rename is atomic within one
 *   directory), so a `jq` in a CI step never reads half a report. A symlink is followed to its
 *   target, which is replaced atomically; the link itself stays a link.
 * - anything else that exists (a character device such as /dev/null or /dev/full, a FIFO, the
 *   pipe of a process substitution `>(jq .)` seen as /dev/fd/63, /dev/stdout): written through,
 *   never replaced: renaming a temp file over /dev/null as root would replace the system's own.
 * - `-`: standard output (the CLI then prints its summary on stderr).
 *
 * A short write (full disk), ENOSPC from /dev/full or EPIPE from a closed pipe is a
 * REPORT_WRITE error with its own exit code (EXIT.reportWrite). One write per run, so sync I/O.
 */
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  accessSync,
  fstatSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EXIT, LoadtestError } from '../errors.js';
import type { Report } from './types.js';
import { assertValidReport } from './validate-report.js';
import { makeDirs } from './make-dirs.js';

/** `--report -`: the report goes to standard output. */
export const REPORT_TO_STDOUT = '-';

/**
 * `<project>/.pmcp/reports/loadtest-2026-02-27T14-30-45.123Z.json`: the Rust tool's name, UTC, with
 * milliseconds so runs in the same second do not overwrite each other, `:` replaced for Windows.
 */
export function defaultReportPath(projectDir: string, now: Date): string {
  return join(projectDir, '.pmcp', 'reports', reportFileName(now));
}

/** `loadtest-2026-02-27T14-30-45.123Z.json`: the file name alone (the action's report-dir). */
export function reportFileName(now: Date): string {
  return `loadtest-${now.toISOString().replace(/:/g, '-')}.json`;
}

/** Validates, then writes complete-or-absent. Throws REPORT_INVALID or REPORT_WRITE. */
export function writeReportAtomic(path: string, report: Report): void {
  assertValidReport(report);
  const bytes = Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8');
  const where = path === REPORT_TO_STDOUT ? 'to standard output' : path;
  try {
    if (path === REPORT_TO_STDOUT) writeAll(1, bytes);
    else writeToPath(path, bytes);
  } catch (error) {
    throw new LoadtestError(
      'REPORT_WRITE',
      `cannot write report ${where}: ${writeErrorReason(error)}`,
      {
        exitCode: EXIT.reportWrite,
        cause: error,
      },
    );
  }
}

/** Same as {@link writeReportAtomic}, which is already synchronous. */
export const writeReportAtomicSync = writeReportAtomic;

/**
 * Writes `bytes` to `path` complete or not at all, by the rules above (atomic rename for a
 * regular file, write-through for anything else). Throws the system error; callers word it.
 */
export function writeToPath(path: string, bytes: Buffer): void {
  const fd = ownDescriptor(path);
  if (fd !== undefined) {
    writeAll(fd, bytes);
    return;
  }
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory() === true) throw errno('EISDIR', path);
  if (existing !== undefined && (!existing.isFile() || isDescriptorAlias(path))) {
    writeThrough(path, bytes);
    return;
  }
  const real = followLinks(path);
  const tmpPath = `${real}.${process.pid}.tmp`;
  try {
    makeDirs(dirname(real));
    const fd = openSync(tmpPath, 'w', existing?.mode ?? 0o666);
    try {
      writeAll(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmpPath, real);
  } catch (error) {
    removeQuietly(tmpPath);
    throw error;
  }
}

/**
 * A device, FIFO or pipe: opened for writing without create or truncate. A FIFO nobody reads
 * would block `open` forever, so a FIFO is opened non-blocking, which fails at once with ENXIO
 * when there is no reader; that same descriptor is written (a full pipe answers EAGAIN, which
 * writeAll waits out). Closing a probe descriptor and reopening would hand the reader an EOF.
 */
function writeThrough(path: string, bytes: Buffer): void {
  const flags = statSync(path).isFIFO()
    ? constants.O_WRONLY | constants.O_NONBLOCK
    : constants.O_WRONLY;
  const fd = openSync(path, flags);
  try {
    writeAll(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Writes every byte or throws: a short write is retried, a write of 0 bytes is ENOSPC. */
function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) {
    let written: number;
    try {
      written = writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      // A non-blocking pipe (stdout under some parents) that is full: wait for the reader.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(SLEEPER, 0, 0, 5);
      continue;
    }
    if (written <= 0) throw errno('ENOSPC', 'write');
    offset += written;
  }
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** `/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/3`: a name for an open descriptor, never replaced. */
function isDescriptorAlias(path: string): boolean {
  return /^\/(dev\/(std(in|out|err)|fd\/\d+)|proc\/(self|\d+)\/fd\/\d+)$/.test(path);
}

/**
 * The descriptor number a path names in this process (`/dev/stdout` → 1, `/dev/fd/63` → 63),
 * written to directly: a socket (what a parent process often passes as stdout) cannot be opened
 * by its /proc name at all.
 */
function ownDescriptor(path: string): number | undefined {
  const std = /^\/dev\/std(out|err)$/.exec(path);
  if (std !== null) return std[1] === 'out' ? 1 : 2;
  const fd =
    /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path) ?? /^\/proc\/(\d+)\/fd\/(\d+)$/.exec(path);
  if (fd === null) return undefined;
  if (fd.length === 3) return Number(fd[1]) === process.pid ? Number(fd[2]) : undefined;
  return Number(fd[1]);
}

/** The file a chain of symlinks ends at (which may not exist yet); a loop is ELOOP. */
function followLinks(path: string): string {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const st = lstatSync(current, { throwIfNoEntry: false });
    if (st === undefined || !st.isSymbolicLink()) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw errno('ELOOP', path);
}

/**
 * Checks before a run that its report can be written at `path`: creates the directory, then a
 * probe file under the temp name the real write uses, and removes it; a device, FIFO or pipe
 * must be writable. A long run must not end in "cannot write report". Throws REPORT_WRITE with
 * the usage exit code: nothing was sent yet.
 */
export function assertReportWritable(path: string): void {
  if (path === REPORT_TO_STDOUT) return;
  try {
    probeWritable(path);
  } catch (error) {
    throw new LoadtestError(
      'REPORT_WRITE',
      `cannot write the report to ${path}: ${writeErrorReason(error)}; pass --report with a writable path, or --no-report`,
      { exitCode: EXIT.usage, cause: error },
    );
  }
}

/**
 * Checks that `path` can be written by {@link writeToPath}, leaving nothing behind; throws the
 * system error. Used before a run for every output it will write.
 */
export function probeWritable(path: string): void {
  let tmpPath: string | undefined;
  try {
    const fd = ownDescriptor(path);
    if (fd !== undefined) {
      fstatSync(fd); // EBADF when the descriptor is not open
      return;
    }
    const existing = statSync(path, { throwIfNoEntry: false });
    if (existing?.isDirectory() === true) throw errno('EISDIR', path);
    if (existing !== undefined && (!existing.isFile() || isDescriptorAlias(path))) {
      accessSync(path, constants.W_OK);
      return;
    }
    const real = followLinks(path);
    tmpPath = `${real}.${process.pid}.tmp`;
    makeDirs(dirname(real));
    closeSync(openSync(tmpPath, 'w'));
    rmSync(tmpPath, { force: true });
  } catch (error) {
    if (tmpPath !== undefined) removeQuietly(tmpPath);
    throw error;
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The write error is the one worth reporting.
  }
}

function errno(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

const REASONS = new Map<string, string>([
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['EROFS', 'read-only file system'],
  ['ENOSPC', 'no space left on device'],
  ['EDQUOT', 'disk quota exceeded'],
  ['EFBIG', 'the file is too large for its file system'],
  ['EIO', 'an I/O error on the device'],
  ['ENOENT', 'its directory does not exist and cannot be created'],
  ['ENOTDIR', 'a parent of the path is not a directory'],
  ['EISDIR', 'the path is a directory'],
  ['EEXIST', 'a parent of the path is a file'],
  ['ENAMETOOLONG', 'the path is too long'],
  ['ELOOP', 'too many levels of symbolic links'],
  ['ENXIO', 'no process is reading from the FIFO'],
  ['EPIPE', 'the reading end of the pipe is closed'],
  ['EBADF', 'the descriptor is not open for writing'],
]);

/** "no space left on device (ENOSPC)": a write error as one phrase for a message. */
export function writeErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const text = code === undefined ? undefined : REASONS.get(code);
  if (text !== undefined) return `${text} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
