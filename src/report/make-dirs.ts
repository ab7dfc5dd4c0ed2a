/**
 * Creates `dir` and its missing parents one level at a time. Not `mkdirSync(dir, { recursive })`:
 * Node's loops forever where mkdir answers ENOENT under a parent that exists (/proc, some FUSE
 * mounts), which hung the CLI at the end of a run instead of failing.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export function makeDirs(dir: string): void {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // Created meanwhile by someone else: fine. A file of that name: the EEXIST stands.
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    if (!exists || statSync(dir, { throwIfNoEntry: false })?.isDirectory() !== true) throw error;
  }
}
