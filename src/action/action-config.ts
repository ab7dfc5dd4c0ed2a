/**
 * Which scenario the action runs: the TOML config when there is one, else — only when `config`
 * was left at its default — a built-in single-step config from the `tool` and `arguments` inputs,
 * so a first PR gate needs no file. A missing file named explicitly is an error (a typo must not
 * silently test something else); so is a missing default file without `tool`.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { stringify } from 'smol-toml';
import { loadConfigFile, parseConfig } from '../config/load-config.js';
import type { LoadConfig } from '../config/types.js';
import { LoadtestError } from '../errors.js';
import { usage, type ActionInputs } from './inputs.js';

/** The built-in config's settings: a short run, kind to CI minutes; inputs vus/duration override. */
export const BUILT_IN_SETTINGS = {
  virtual_users: 10,
  duration_secs: 30,
  timeout_ms: 5000,
} as const;

export function resolveActionConfig(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): LoadConfig {
  const shown = relative(inputs.workingDirectory, inputs.configPath) || inputs.configPath;
  if (existsSync(inputs.configPath) || !inputs.configIsDefault) {
    if (inputs.tool !== undefined) {
      warn(`input tool is ignored: the scenario comes from the config file ${shown}`);
    }
    return loadConfigFile(inputs.configPath, env);
  }
  if (inputs.tool === undefined) {
    throw new LoadtestError(
      'CONFIG_NOT_FOUND',
      `no config file at ${shown} (in working-directory ${inputs.workingDirectory}); ` +
        'add one (mcp-loadtest init <URL> writes it), point the config input at yours, ' +
        'or set the tool input (with arguments) for a single-tool run',
    );
  }
  return builtInConfig(inputs.tool, inputs.arguments);
}

/** One `tools/call` step, validated by the same loader as a file (so the same rules apply). */
export function builtInConfig(
  tool: string,
  args: Readonly<Record<string, unknown>> | undefined,
): LoadConfig {
  const step = {
    type: 'tools/call',
    weight: 1,
    tool,
    ...(args === undefined ? {} : { arguments: args }),
  };
  const nullAt = args === undefined ? undefined : findNull(args, '');
  if (nullAt !== undefined) {
    // TOML has no null, and dropping the key would silently send different arguments.
    throw usage('arguments', `holds null at ${nullAt}`, 'a JSON object without null values');
  }
  const text = stringify({ settings: { ...BUILT_IN_SETTINGS }, scenario: [step] });
  const config = parseConfig(text, 'the tool and arguments inputs', {});
  return { ...config, path: undefined };
}

/** The path of the first null in a JSON value ("b[1].c"), or undefined. */
function findNull(value: unknown, path: string): string | undefined {
  if (value === null) return path;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findNull(item, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const found = findNull(item, path === '' ? key : `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
