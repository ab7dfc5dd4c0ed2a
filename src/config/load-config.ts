/**
 * `.pmcp/loadtest.toml` → LoadConfig: find the file, read it, parse it with smol-toml and hand
 * the document to validate-config.ts. Every failure is a LoadtestError with exit code 2 and a
 * one-line message `file:line:column: what is wrong; what is accepted` (the position when known).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { EXIT, LoadtestError } from '../errors.js';
import { ConfigChecker } from './config-checker.js';
import { validateConfig } from './validate-config.js';
import type { LoadConfig } from './types.js';

export { DEFAULTS, LIMITS } from './config-rules.js';

/** Where `cargo pmcp loadtest` looks, relative to the working directory and each parent. */
export const CONFIG_RELATIVE_PATH = join('.pmcp', 'loadtest.toml');

const TOML_ACCEPTED = 'accepted: TOML 1.0 (https://toml.io/en/v1.0.0)';

/**
 * Walks up from `startDir` to the filesystem root looking for `.pmcp/loadtest.toml`, like git
 * looks for `.git`. Returns the absolute path of the nearest one, or undefined.
 */
export function findConfig(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, CONFIG_RELATIVE_PATH);
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile() === true) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads, parses and validates the config at `path` (shown in messages as given). */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): LoadConfig {
  let text: string;
  try {
    text = readCapped(path);
  } catch (error) {
    if (error instanceof LoadtestError) throw error;
    throw readError(path, error);
  }
  return parseConfig(text, path, env);
}

/** A config is a few KiB; reading stops past this, so `--config /dev/zero` ends at once. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads at most MAX_CONFIG_BYTES; a longer file (or an endless device) is refused. */
function readCapped(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buf.length) {
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_CONFIG_BYTES) {
      throw new LoadtestError(
        'CONFIG_UNREADABLE',
        `${path}: config file is larger than 1 MiB; accepted: a TOML file of at most ${MAX_CONFIG_BYTES} bytes`,
        { exitCode: EXIT.usage, file: path },
      );
    }
    return buf.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/** Parses and validates TOML `text`; `path` is used in messages and resolved for `LoadConfig.path`. */
export function parseConfig(
  text: string,
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): LoadConfig {
  // Editors on Windows may save a BOM; TOML forbids it, but it is not worth failing over.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let document: Record<string, unknown>;
  try {
    document = parse(source, { integersAsBigInt: 'asNeeded' });
  } catch (error) {
    throw syntaxError(path, error);
  }
  return validateConfig(new ConfigChecker(path, source), document, resolve(path), env);
}

function syntaxError(path: string, error: unknown): LoadtestError {
  // smol-toml's message is "Invalid TOML document: <what>\n\n<code block>". The code block quotes
  // source lines, which may hold header secrets, so only the first line is kept, and no cause.
  const raw = error instanceof Error ? error.message : String(error);
  const what = (raw.split(/\r?\n/, 1)[0] ?? '').replace(/^Invalid TOML document: /, '');
  if (error instanceof TomlError) {
    return new LoadtestError(
      'CONFIG_SYNTAX',
      `${path}:${error.line}:${error.column}: invalid TOML: ${what}; ${TOML_ACCEPTED}`,
      { exitCode: EXIT.usage, file: path, line: error.line, column: error.column },
    );
  }
  return new LoadtestError('CONFIG_SYNTAX', `${path}: invalid TOML: ${what}; ${TOML_ACCEPTED}`, {
    exitCode: EXIT.usage,
    file: path,
  });
}

function readError(path: string, error: unknown): LoadtestError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const options = { exitCode: EXIT.usage, file: path, cause: error };
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new LoadtestError(
      'CONFIG_NOT_FOUND',
      `${path}: config file not found; accepted: the path of an existing TOML file, such as ${CONFIG_RELATIVE_PATH}`,
      options,
    );
  }
  const reason =
    code === 'EISDIR'
      ? 'is a directory, not a file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read (permission denied)'
        : `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
  return new LoadtestError(
    'CONFIG_UNREADABLE',
    `${path}: config file ${reason}; accepted: a readable TOML file`,
    options,
  );
}
