/**
 * Writes the JSON report. The file appears complete or not at all: the JSON goes to
 * `<path>.<pid>.tmp`, is flushed, then renamed over `<path>` (rename is atomic within one
 * directory), so a `jq` in a CI step never reads half a report. One write per run, so sync I/O.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT, LoadtestError } from '../errors.js';
import type { Report } from './types.js';
import { assertValidReport } from './validate-report.js';

/**
 * `<cwd>/.pmcp/reports/loadtest-2026-02-27T14-30-45.123Z.json`: the Rust tool's name, UTC, with
 * milliseconds so runs in the same second do not overwrite each other, `:` replaced for Windows.
 */
export function defaultReportPath(cwd: string, now: Date): string {
  return join(cwd, '.pmcp', 'reports', reportFileName(now));
}

/** `loadtest-2026-02-27T14-30-45.123Z.json`: the file name alone (the action's report-dir). */
export function reportFileName(now: Date): string {
  return `loadtest-${now.toISOString().replace(/:/g, '-')}.json`;
}

/** Validates, then writes atomically. Throws REPORT_INVALID or REPORT_WRITE (exit code 1). */
export function writeReportAtomic(path: string, report: Report): void {
  assertValidReport(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const tmpPath = `${path}.${process.pid}.tmp`;
  try {
    makeDirs(dirname(path));
    const fd = openSync(tmpPath, 'w');
    try {
      writeSync(fd, json);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmpPath, path);
  } catch (error) {
    removeQuietly(tmpPath);
    throw new LoadtestError('REPORT_WRITE', `cannot write report ${path}: ${reason(error)}`, {
      exitCode: 1,
      cause: error,
    });
  }
}

/**
 * Checks before a run that its report can be written at `path`: creates the directory, then a
 * probe file under the temp name the real write uses, and removes it. A long run must not end in
 * "cannot write report". Throws REPORT_WRITE with the usage exit code: nothing was sent yet.
 */
export function assertReportWritable(path: string): void {
  const tmpPath = `${path}.${process.pid}.tmp`;
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
      throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    }
    makeDirs(dirname(path));
    closeSync(openSync(tmpPath, 'w'));
    rmSync(tmpPath, { force: true });
  } catch (error) {
    removeQuietly(tmpPath);
    throw new LoadtestError(
      'REPORT_WRITE',
      `cannot write the report to ${path}: ${reason(error)}; pass --report with a writable path, or --no-report`,
      { exitCode: EXIT.usage, cause: error },
    );
  }
}

/**
 * Creates `dir` and its missing parents one level at a time. Not `mkdirSync(dir, { recursive })`:
 * Node's loops forever where mkdir answers ENOENT under a parent that exists (/proc, some FUSE
 * mounts), which hung the CLI at the end of a run instead of failing.
 */
export function makeDirs(dir: string): void {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // Created meanwhile by someone else: fine. A file of that name: the EEXIST stands.
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    if (!exists || statSync(dir, { throwIfNoEntry: false })?.isDirectory() !== true) throw error;
  }
}

/** Same as {@link writeReportAtomic}, which is already synchronous. */
export const writeReportAtomicSync = writeReportAtomic;

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The write error is the one worth reporting.
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'its directory does not exist and cannot be created',
  ENOTDIR: 'a parent of the path is not a directory',
  EISDIR: 'the path is a directory',
  EEXIST: 'a parent of the path is a file',
  ENAMETOOLONG: 'the path is too long',
};

export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && REASONS[code] !== undefined) return `${REASONS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
