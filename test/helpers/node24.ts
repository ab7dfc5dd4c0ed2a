/**
 * The Node.js 24 binary the action runs on (action.yml `runs.using: node24`). .ci/run installs it
 * and exports MCP_LOADTEST_NODE24; elsewhere scripts/install-node24.mjs installs it on first use
 * (from the npm registry, into node_modules/.cache). Never skipped: if it cannot be had, the test
 * that needs it fails.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function node24Binary(): string {
  const fromEnv = process.env.MCP_LOADTEST_NODE24;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return execFileSync(process.execPath, ['scripts/install-node24.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300_000,
  }).trim();
}
