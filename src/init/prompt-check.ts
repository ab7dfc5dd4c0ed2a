/**
 * Prompts declare argument names, never types (MCP "Prompts": `PromptArgument` has a name, a
 * description and `required`), so `init` can only write a placeholder for each required argument.
 * A server that checks its arguments refuses the placeholder on every call of the run. `init`
 * therefore gets each such prompt once with the placeholders it is about to write, and a prompt
 * the server refuses is written commented out with the server's reason. `prompts/get` only
 * renders a template, and the run would send it thousands of times anyway.
 */
import type { Discovery, DiscoveryRequest } from './discover.js';
import { METHOD } from '../protocol/mcp-vocabulary.js';

/** The placeholder written for each required argument: prompt arguments are strings. */
export const PROMPT_PLACEHOLDER = 'example';

/** The arguments `init` writes for a prompt, or undefined when it requires none. */
export function promptArguments(
  prompt: Discovery['prompts'][number],
): Record<string, string> | undefined {
  const required = (prompt.arguments ?? []).filter((a) => a.required === true);
  if (required.length === 0) return undefined;
  return Object.fromEntries(required.map((a) => [a.name, PROMPT_PLACEHOLDER]));
}

/** Gets each of the first `max` prompts with required arguments once; records refusals. */
export async function checkPrompts(
  d: Discovery,
  request: DiscoveryRequest,
  max: number,
): Promise<void> {
  let checked = 0;
  for (const prompt of d.prompts) {
    const args = promptArguments(prompt);
    if (args === undefined) continue;
    if (checked++ >= max) break;
    try {
      await request(METHOD.promptsGet, { name: prompt.name, arguments: args });
    } catch (err) {
      prompt.refused = err instanceof Error ? err.message : String(err);
    }
  }
}
