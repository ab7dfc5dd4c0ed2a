/**
 * Golden files pin what users see. They are (re)written only with UPDATE_GOLDEN=1; otherwise a
 * missing or different golden fails the test.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

export function expectGolden(name: string, actual: string): void {
  const url = new URL(`../golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(url, actual);
    return;
  }
  if (!existsSync(url)) {
    throw new Error(`golden test/golden/${name} is missing: rerun with UPDATE_GOLDEN=1`);
  }
  expect(actual).toBe(readFileSync(url, 'utf8'));
}
