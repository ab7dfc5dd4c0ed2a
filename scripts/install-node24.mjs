// Installs the Node.js that action.yml declares (`runs.using: node24`) so the action's tests can
// run dist/index.js under it, and prints the binary's path on stdout.
//
//   node scripts/install-node24.mjs        → node_modules/.cache/node24/<version>/bin/node
//
// The binary comes from the npm registry: the `node-<platform>-<arch>` packages (what the `node`
// package installs) hold the official build. `npm pack` fetches the tarball through npm's own
// cache and settings, runs no install script, and needs no package.json; tar unpacks it. The
// version is pinned so every run tests the same runtime. Idempotent: a complete earlier install
// is reused (the directory is renamed into place only once unpacked).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE24_VERSION = '24.21.0';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'node24');

export function node24Path() {
  return join(CACHE, NODE24_VERSION, 'bin', 'node');
}

export function installNode24() {
  const target = join(CACHE, NODE24_VERSION);
  const binary = node24Path();
  if (existsSync(binary)) return binary;
  const pkg = `node-${process.platform}-${process.arch}@${NODE24_VERSION}`;
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, 'tmp-'));
  try {
    // npm on Windows is npm.cmd; the action's runtime tests run on Linux and macOS only.
    execFileSync('npm', ['pack', pkg, '--pack-destination', work, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${pkg} produced no tarball`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/bin/node'], {
      stdio: 'inherit',
    });
    const version = execFileSync(join(work, 'package', 'bin', 'node'), ['--version'], {
      encoding: 'utf8',
    }).trim();
    if (version !== `v${NODE24_VERSION}`) {
      throw new Error(`${pkg} holds node ${version}, expected v${NODE24_VERSION}`);
    }
    try {
      renameSync(join(work, 'package'), target);
    } catch (error) {
      // Another process installed it meanwhile (rename onto a non-empty directory fails).
      if (!existsSync(binary)) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${installNode24()}\n`);
}
