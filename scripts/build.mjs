// Bundles the CLI (dist/cli.js), the GitHub Action (dist/index.js) and the worker thread of both
// (dist/worker.js) into self-contained ESM files under dist/.
// The runner installs nothing, so every dependency is inlined; CommonJS dependencies get a
// `require` shim because an ESM bundle has none of its own.
//
// First it regenerates src/report/generated/ from the report schema (scripts/generate.mjs: the
// validator and the types), so the bundle never carries a validator older than the schema.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { chartAssetDefines } from './chart-assets.mjs';
import { generate } from './generate.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  charset: 'utf8',
  define: { __MCP_LOADTEST_VERSION__: JSON.stringify(pkg.version), ...chartAssetDefines() },
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

await generate();

await build({
  ...shared,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node\n' + shared.banner.js },
});

// The worker threads of `run --workers N` (src/engine/worker-fleet.ts): both bundles above start
// dist/worker.js from beside themselves, so it is one file for the CLI and the action.
await build({
  ...shared,
  entryPoints: ['src/engine/worker-thread.ts'],
  outfile: 'dist/worker.js',
});

// The action (action.yml `main: dist/index.js`). A separate entry, so dist/cli.js never carries
// @actions/* (src/action is the only importer) and the action needs no node_modules on the runner.
await build({
  ...shared,
  entryPoints: ['src/action/main.ts'],
  outfile: 'dist/index.js',
});
