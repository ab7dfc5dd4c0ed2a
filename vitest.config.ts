import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { chartAssetDefines } from './scripts/chart-assets.mjs';

export default defineConfig({
  // The HTML report's inlined chart library, as in the bundle (scripts/build.mjs).
  define: chartAssetDefines(),
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // At least two forks (vitest's default is cores − 1, so one on a 2-core machine): most files
    // wait on timers and servers, and the one 60 s test (faults-memory) then overlaps the rest.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Builds dist/cli.js once: the CLI tests spawn the real bundle.
    globalSetup: ['test/helpers/global-setup.ts'],
    // An unhandled rejection or uncaught exception fails the test that was running.
    setupFiles: ['test/helpers/fail-on-unhandled.ts'],
  },
});
