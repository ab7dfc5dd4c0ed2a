/**
 * The JSON-RPC response to a request the server sent the client (2025-11-25 "Client Features";
 * "Utilities", ping): the `[client]` answer, or -32601 when there is none, so the tool call that
 * asked fails at once instead of waiting out its timeout. Counted in the profile's stats.
 */
import { answerFor } from './client-answers.js';
import type { ProtocolProfile } from './protocol-profile.js';

/** JSON-RPC 2.0 "Method not found". */
const METHOD_NOT_FOUND = -32601;

export function serverRequestResponse(
  request: Readonly<Record<string, unknown>>,
  profile: ProtocolProfile,
): string {
  const method = String(request.method);
  const { answers, stats } = profile;
  // A ping is a liveness check, not a question: answered with an empty result, not counted.
  const answer = method === 'ping' ? {} : answerFor(method, answers);
  if (method !== 'ping') {
    stats.count(answer === undefined ? stats.unanswered : stats.answered, method);
  }
  return JSON.stringify(
    answer === undefined
      ? {
          jsonrpc: '2.0',
          id: request.id,
          error: {
            code: METHOD_NOT_FOUND,
            message: `mcp-loadtest has no [client] answer for ${method}`,
          },
        }
      : { jsonrpc: '2.0', id: request.id, result: answer },
  );
}
