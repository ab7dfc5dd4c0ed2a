import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds dist/cli.js once: the CLI tests spawn the real bundle.
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
