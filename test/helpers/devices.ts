/**
 * Device files for report-destination tests, made inside the test's own directory whenever
 * possible: a regression that replaced its target by a regular file (the defect these tests pin)
 * must not replace the system's /dev/full when the tests run as root, as in a CI container.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const isRoot = process.getuid?.() === 0;

/**
 * A "full" character device (1, 7: every write fails with ENOSPC): `<dir>/full` made with mknod
 * when running as root, else the system's /dev/full, which a non-root process cannot replace.
 */
export function fullDevice(dir: string): string {
  if (!isRoot) return '/dev/full';
  const path = join(dir, 'full');
  execFileSync('mknod', ['-m', '666', path, 'c', '1', '7']);
  return path;
}
