/**
 * Builds dist/cli.js once before any test file runs: the CLI tests spawn the real bundle, as a
 * user runs it, so a bundling mistake (a missing inline, a bad shim) fails them too.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}
