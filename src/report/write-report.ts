/**
 * Writes the JSON report. The file appears complete or not at all: the JSON goes to
 * `<path>.<pid>.tmp`, is flushed, then renamed over `<path>` (rename is atomic within one
 * directory), so a `jq` in a CI step never reads half a report. One write per run, so sync I/O.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LoadtestError } from '../errors.js';
import type { Report } from './types.js';
import { assertValidReport } from './validate-report.js';

/**
 * `<cwd>/.pmcp/reports/loadtest-2026-02-27T14-30-45.123Z.json`: the chapter's name, UTC, with
 * milliseconds so runs in the same second do not overwrite each other, `:` replaced for Windows.
 */
export function defaultReportPath(cwd: string, now: Date): string {
  const stamp = now.toISOString().replace(/:/g, '-');
  return join(cwd, '.pmcp', 'reports', `loadtest-${stamp}.json`);
}

/** Validates, then writes atomically. Throws REPORT_INVALID or REPORT_WRITE (exit code 1). */
export function writeReportAtomic(path: string, report: Report): void {
  assertValidReport(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const tmpPath = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
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
  ENOTDIR: 'a parent of the path is not a directory',
  EISDIR: 'the path is a directory',
  EEXIST: 'a parent of the path is a file',
  ENAMETOOLONG: 'the path is too long',
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && REASONS[code] !== undefined) return `${REASONS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
