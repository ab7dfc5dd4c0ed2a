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

/**
 * Gets each of the first `max` prompts with required arguments once; records refusals. Checks
 * stop once `budgetMs` has passed (a server slow to render prompts must not hold `init` for
 * `max` timeouts): the prompts left unchecked are written as steps, as before.
 */
export async function checkPrompts(
  d: Discovery,
  request: DiscoveryRequest,
  max: number,
  budgetMs = Infinity,
): Promise<void> {
  const deadline = performance.now() + budgetMs;
  let checked = 0;
  for (const prompt of d.prompts) {
    const args = promptArguments(prompt);
    if (args === undefined) continue;
    if (checked++ >= max || performance.now() > deadline) break;
    try {
      await request(METHOD.promptsGet, { name: prompt.name, arguments: args });
    } catch (err) {
      prompt.refused = err instanceof Error ? err.message : String(err);
    }
  }
}
