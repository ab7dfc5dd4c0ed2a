// Writes a generated file only when its bytes differ, so its mtime (and whatever watches it)
// moves only when the output does. Creates the folder on first use.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeIfChanged(file, text) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // not generated yet
  }
  if (current === text) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
