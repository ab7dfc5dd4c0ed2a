/** The action's merge-reports glob: which files it names, in a temp directory tree. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globFiles } from '../../src/action/glob-files.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mcp-loadtest-glob-'));
  for (const file of ['a/r1.json', 'a/r2.json', 'a/notes.txt', 'b/c/r3.json', 'top.json']) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '{}');
  }
  // A link back up the tree: ** must not follow it round.
  symlinkSync(root, join(root, 'b', 'loop'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const rel = (files: string[]): string[] => files.map((f) => f.slice(root.length + 1));

describe('globFiles', () => {
  it('matches * within one directory level, sorted', () => {
    expect(rel(globFiles('a/*.json', root, 100))).toEqual(['a/r1.json', 'a/r2.json']);
  });

  it('matches ** across any number of directories, none included', () => {
    expect(rel(globFiles('**/*.json', root, 100))).toEqual([
      'a/r1.json',
      'a/r2.json',
      'b/c/r3.json',
      'top.json',
    ]);
  });

  it('matches ? as one character and a literal path as itself', () => {
    expect(rel(globFiles('a/r?.json', root, 100))).toEqual(['a/r1.json', 'a/r2.json']);
    expect(rel(globFiles('./b/c/r3.json', root, 100))).toEqual(['b/c/r3.json']);
  });

  it('takes an absolute pattern as it is, whatever the directory', () => {
    expect(globFiles(join(root, 'a', '*.txt'), '/', 100)).toEqual([join(root, 'a', 'notes.txt')]);
  });

  it('names no directory and nothing that does not exist', () => {
    expect(globFiles('a', root, 100)).toEqual([]);
    expect(globFiles('missing/**/*.json', root, 100)).toEqual([]);
  });

  it('treats regular-expression characters in a name literally', () => {
    // Unescaped, `r?+json` would be the expression r[^/]+json and match r1.json.
    expect(globFiles('a/r?+json', root, 100)).toEqual([]);
    expect(globFiles('a/r1.jso?', root, 100)).toHaveLength(1);
  });
});
