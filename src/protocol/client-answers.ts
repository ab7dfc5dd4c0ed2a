/**
 * What the client answers when a server asks it something: sampling (`sampling/createMessage`),
 * elicitation (`elicitation/create`) and roots (`roots/list`). The same canned answers serve both
 * eras: a 2025 server sends them as JSON-RPC requests on the SSE stream of a tool call (2025-11-25
 * "Client Features"), a 2026-07-28 server embeds them as `inputRequests` of an `input_required`
 * result (2026-07-28 "Multi Round-Trip Requests").
 *
 * A capability is declared only when its answer is configured, so a well-behaved server never
 * asks for what the load test cannot give.
 */
import { TASKS_EXTENSION } from './mcp-vocabulary.js';

/** Structurally the config's `[client]` table (src/config/types.ts ClientConfig). */
export interface ClientAnswers {
  readonly sampling?: { readonly text: string };
  readonly elicitation?: {
    readonly action: 'accept' | 'decline' | 'cancel';
    readonly content?: Readonly<Record<string, unknown>>;
  };
  readonly roots?: readonly string[];
}

export const SAMPLING = 'sampling/createMessage';
export const ELICITATION = 'elicitation/create';
export const ROOTS = 'roots/list';

/** The methods a server may ask of a client, in report order. */
export const SERVER_REQUEST_METHODS = [SAMPLING, ELICITATION, ROOTS] as const;

/** The model name reported in sampling answers: says where the text came from. */
const SAMPLING_MODEL = 'mcp-loadtest-canned';

/** `capabilities` for a 2025 `initialize`: one entry per configured answer. */
export function legacyCapabilities(answers: ClientAnswers): Record<string, unknown> {
  const caps: Record<string, unknown> = {};
  if (answers.sampling !== undefined) caps.sampling = {};
  if (answers.elicitation !== undefined) caps.elicitation = { form: {} };
  if (answers.roots !== undefined) caps.roots = { listChanged: false };
  return caps;
}

/**
 * `io.modelcontextprotocol/clientCapabilities` for 2026-07-28 requests: the configured answers,
 * plus the tasks extension, which this client always handles by polling.
 */
export function modernCapabilities(answers: ClientAnswers): Record<string, unknown> {
  return { ...legacyCapabilities(answers), extensions: { [TASKS_EXTENSION]: {} } };
}

/** The result answering `method`, or undefined when the config has no answer for it. */
export function answerFor(
  method: string,
  answers: ClientAnswers,
): Record<string, unknown> | undefined {
  switch (method) {
    case SAMPLING:
      return answers.sampling === undefined
        ? undefined
        : {
            role: 'assistant',
            content: { type: 'text', text: answers.sampling.text },
            model: SAMPLING_MODEL,
            stopReason: 'endTurn',
          };
    case ELICITATION: {
      const e = answers.elicitation;
      if (e === undefined) return undefined;
      return e.action === 'accept'
        ? { action: 'accept', content: e.content ?? {} }
        : { action: e.action };
    }
    case ROOTS:
      return answers.roots === undefined
        ? undefined
        : { roots: answers.roots.map((uri) => ({ uri })) };
    default:
      return undefined;
  }
}
