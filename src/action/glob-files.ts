/**
 * The files a glob names (the `merge-reports` input), sorted: `*` and `?` within one path
 * segment, `**` for any number of directories (none included). No braces, classes or negation:
 * the shard reports a matrix uploads are one directory level or two deep
 * (`reports/**\/*.json`). Symbolic links to directories are not followed by `**`, so a link
 * cycle cannot loop; a match must be a regular file (a link to one counts).
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export function globFiles(pattern: string, cwd: string, maxFiles: number): string[] {
  const absolute = isAbsolute(pattern);
  const parts = pattern.split('/').filter((p, i) => p !== '' && !(p === '.' && i > 0));
  const found = new Set<string>();
  const walk = (dir: string, i: number): void => {
    if (found.size > maxFiles) return;
    if (i === parts.length) {
      if (isFile(dir)) found.add(dir);
      return;
    }
    const part = parts[i]!;
    if (part === '**') {
      walk(dir, i + 1);
      for (const entry of entries(dir)) {
        if (entry.isDirectory()) walk(join(dir, entry.name), i);
      }
    } else if (!/[*?]/.test(part)) {
      walk(join(dir, part), i + 1);
    } else {
      const re = segmentRegExp(part);
      for (const entry of entries(dir)) {
        if (re.test(entry.name)) walk(join(dir, entry.name), i + 1);
      }
    }
  };
  walk(absolute ? '/' : resolve(cwd), 0);
  return [...found].sort();
}

function segmentRegExp(part: string): RegExp {
  const body = part
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
