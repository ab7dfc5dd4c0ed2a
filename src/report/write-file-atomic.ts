/**
 * Writes a text output other than the JSON report (the HTML report) by the report's rules
 * (write-report.ts): complete or absent, every byte counted, a device / FIFO / pipe written
 * through, a symlink followed to its target. Errors are REPORT_WRITE with the same plain reasons.
 */
import { EXIT, LoadtestError } from '../errors.js';
import { probeWritable, writeErrorReason, writeToPath } from './write-report.js';

/** `what` names the file in errors ("HTML report"). Exit code 4: the run already happened. */
export function writeFileAtomic(path: string, text: string, what: string): void {
  try {
    writeToPath(path, Buffer.from(text, 'utf8'));
  } catch (error) {
    throw new LoadtestError(
      'REPORT_WRITE',
      `cannot write the ${what} ${path}: ${writeErrorReason(error)}`,
      { exitCode: EXIT.reportWrite, cause: error },
    );
  }
}

/**
 * Before a run: fails with the usage exit code when `path` cannot be written, so a long run does
 * not end in "cannot write". `hint` says what to pass instead.
 */
export function assertFileWritable(path: string, what: string, hint: string): void {
  try {
    probeWritable(path);
  } catch (error) {
    throw new LoadtestError(
      'REPORT_WRITE',
      `cannot write the ${what} to ${path}: ${writeErrorReason(error)}; ${hint}`,
      { exitCode: EXIT.usage, cause: error },
    );
  }
}
