/**
 * dist/index.js is what the runner executes, with no node_modules beside it: every dependency
 * must be inlined. dist/cli.js must not carry the action's @actions/* code.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

const read = (name: string): string =>
  readFileSync(new URL(`../../dist/${name}`, import.meta.url), 'utf8');

/** Module specifiers loaded at run time: static imports and require() calls (not in strings). */
function loadedModules(bundle: string): Set<string> {
  const specifiers = [
    ...bundle.matchAll(/^import [^;]*? from "([^"]+)";$/gm),
    ...bundle.matchAll(/(?<!['"])\brequire\("([^"]+)"\)/g),
  ].map((m) => m[1]!);
  return new Set(specifiers);
}

describe('bundles', () => {
  it('dist/index.js loads nothing but Node built-ins', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const external = [...loadedModules(read('index.js'))].filter((m) => !builtins.has(m));
    // node:sqlite is newer than @types/node's list; undici loads it lazily, Node has it.
    expect(external.filter((m) => m !== 'node:sqlite')).toEqual([]);
  });

  it('dist/cli.js carries no @actions/* code', () => {
    expect(read('cli.js')).not.toContain('node_modules/@actions/');
    expect(read('index.js')).toContain('node_modules/@actions/core/');
  });
});
