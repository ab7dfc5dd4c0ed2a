/**
 * Setup for every test file: a promise rejected with no handler, or an exception thrown from a
 * callback, fails the test that was running (vitest alone reports it as a stray error of the
 * whole run, hard to trace back). Either one crashes a user's run of the CLI, so it is a failure
 * of the behaviour under test, never a warning.
 */
import { afterEach } from 'vitest';

const seen: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  seen.push(reason);
});
// The monitor only observes: vitest still handles the exception as it does without this file.
process.on('uncaughtExceptionMonitor', (error) => {
  seen.push(error);
});

afterEach(() => {
  if (seen.length === 0) return;
  const reasons = seen.splice(0);
  const first =
    reasons[0] instanceof Error ? (reasons[0].stack ?? reasons[0].message) : String(reasons[0]);
  throw new Error(
    `${reasons.length} unhandled rejection(s) or uncaught exception(s) during this test; the first: ${first}`,
  );
});
