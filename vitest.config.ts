import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { chartAssetDefines } from './scripts/chart-assets.mjs';

/**
 * Two groups. "suite" runs the files side by side. "alone" holds the few files whose assertions
 * are measurements of timing (an open-model p99 against a stalling server, 20,000 requests on a
 * 10 s schedule): they run after the suite, one file at a time, so no other test shares the two
 * cores with them. Name such a file `*.alone.test.ts`.
 */
const ALONE = 'test/**/*.alone.test.ts';

export default defineConfig({
  // The HTML report's inlined chart library, as in the bundle (scripts/build.mjs).
  define: chartAssetDefines(),
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds dist/cli.js once: the CLI tests spawn the real bundle.
    globalSetup: ['test/helpers/global-setup.ts'],
    // An unhandled rejection or uncaught exception fails the test that was running.
    setupFiles: ['test/helpers/fail-on-unhandled.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: [ALONE],
          // At least two forks (vitest's default is cores − 1, so one on a 2-core machine): most
          // files wait on timers and servers, and the one 60 s test (faults-memory) then
          // overlaps the rest.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: [ALONE],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
