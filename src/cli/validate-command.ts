/** `mcp-loadtest validate [--config PATH]`: parse and validate only, for CI linting. */
import { relative } from 'node:path';
import { stepKey } from '../config/types.js';
import { EXIT } from '../errors.js';
import { plural } from '../render/markdown-sections.js';
import { parseCommand, type OptionSpec } from './args.js';
import { diag, type Output } from './output.js';
import { resolveConfig } from './run-command.js';

export const VALIDATE_OPTIONS: OptionSpec = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
};

export function validateCommand(argv: string[], out: Output): number {
  const { values } = parseCommand('validate', argv, VALIDATE_OPTIONS, 0);
  const config = resolveConfig('validate', values.config, out);
  const s = config.settings;
  const where =
    config.path === undefined ? 'config' : relative(out.cwd, config.path) || config.path;
  // With [[stage]] blocks the flat virtual_users / duration_secs are ignored (the Rust tool's
  // warning): the stages' peak and total are what a run will do.
  const load =
    config.stages.length > 0
      ? `up to ${plural(Math.max(...config.stages.map((st) => st.targetVus)), 'VU')}, ${Number(config.stages.reduce((sum, st) => sum + st.durationSecs, 0).toFixed(3))}s in ${plural(config.stages.length, 'stage')}`
      : `${plural(s.virtualUsers, 'VU')}, ${s.durationSecs}s`;
  out.stdout.write(
    `${where}: valid (${load}, timeout ${s.timeoutMs} ms, ${plural(config.scenario.length, 'step')})\n`,
  );
  for (const step of config.scenario)
    out.stdout.write(
      `  ${step.type.padEnd(15)} weight ${String(step.weight).padStart(4)}  ${quoted(stepKey(step))}\n`,
    );
  if (Object.keys(s.headers).length > 0)
    diag(out, `headers: ${Object.keys(s.headers).join(', ')} (values not shown)`);
  return EXIT.ok;
}

/**
 * A name as a JSON string, with the controls JSON leaves raw (DEL, C1, bidi overrides) escaped
 * too: `init` may have copied the name from a hostile server into the config.
 */
function quoted(name: string): string {
  return JSON.stringify(name).replace(
    /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
