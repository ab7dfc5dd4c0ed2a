/**
 * Tools a server offers only to clients that declare a capability. Servers built on the MCP SDKs
 * may register a tool after `initialize` only when the client declared what the tool will ask of
 * it (server-everything's `trigger-sampling-request` needs `sampling`, `get-roots-list` needs
 * `roots`): a discovery that declares nothing never sees them, and a run that declares nothing
 * cannot serve them (2025-11-25 "Client Features": a server must not send requests for a
 * capability the client did not declare).
 *
 * `init` lists the tools once more per capability, declaring that one alone, and records on each
 * tool that appears only then which capabilities made it appear. Those steps are written
 * commented out: `run` declares a capability only when `[client]` configures its answer.
 */
import type { ClientAnswers } from '../protocol/client-answers.js';
import { CLIENT_CAPABILITIES, type ClientCapability, type Discovery } from './discover.js';

/**
 * Lists the tools under each capability with `listWith` and adds those `d` lacks, with `needs`.
 * A probe that fails (the server refused the session, a list broke) adds nothing: the base
 * discovery already succeeded, and a tool it cannot see stays out of the config.
 */
export async function addCapabilityTools(
  d: Discovery,
  listWith: (capability: ClientCapability) => Promise<Discovery['tools']>,
): Promise<void> {
  const known = new Set(d.tools.map((t) => t.name));
  const added = new Map<string, Discovery['tools'][number]>();
  for (const capability of CLIENT_CAPABILITIES) {
    let tools: Discovery['tools'];
    try {
      tools = await listWith(capability);
    } catch {
      continue;
    }
    for (const tool of tools) {
      if (known.has(tool.name)) continue;
      const seen = added.get(tool.name);
      if (seen === undefined) added.set(tool.name, { ...tool, needs: [capability] });
      else if (!seen.needs!.includes(capability)) seen.needs!.push(capability);
    }
  }
  d.tools.push(...added.values());
}

/** The canned answers a probe declares: enough to declare the capability, never sent. */
export const PROBE_ANSWERS: Readonly<Record<ClientCapability, ClientAnswers>> = {
  sampling: { sampling: { text: 'probe' } },
  elicitation: { elicitation: { action: 'decline' } },
  roots: { roots: [] },
};
