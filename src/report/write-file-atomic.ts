/**
 * Writes a text output other than the JSON report (the HTML report) the way the report is
 * written (write-report.ts): to `<path>.<pid>.tmp`, flushed, then renamed, so the file is
 * complete or absent. Errors are REPORT_WRITE with the same plain reasons.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXIT, LoadtestError } from '../errors.js';
import { makeDirs, reason } from './write-report.js';

/** `what` names the file in errors ("HTML report"). Exit code 1: the run already happened. */
export function writeFileAtomic(path: string, text: string, what: string): void {
  const tmpPath = `${path}.${process.pid}.tmp`;
  try {
    makeDirs(dirname(path));
    const fd = openSync(tmpPath, 'w');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmpPath, path);
  } catch (error) {
    removeQuietly(tmpPath);
    throw new LoadtestError('REPORT_WRITE', `cannot write the ${what} ${path}: ${reason(error)}`, {
      exitCode: 1,
      cause: error,
    });
  }
}

/**
 * Before a run: fails with the usage exit code when `path` cannot be written, so a long run does
 * not end in "cannot write". `hint` says what to pass instead.
 */
export function assertFileWritable(path: string, what: string, hint: string): void {
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
      `cannot write the ${what} to ${path}: ${reason(error)}; ${hint}`,
      { exitCode: EXIT.usage, cause: error },
    );
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The write error is the one worth reporting.
  }
}
