/**
 * How a connection's exchanges continue past one HTTP request (exchange.ts ExchangeDriver):
 * - 2026-07-28 `input_required` (2026-07-28 "Multi Round-Trip Requests"): the inputRequests are
 *   answered from `[client]` and the original request is retried with a new id, the answers in
 *   `inputResponses` and the `requestState` echoed;
 * - tasks (tasks extension, "Task Polling"): `tasks/get` with the task's id;
 * - 2025 server requests on a response stream (2025-11-25 "Client Features"): answered with a POST
 *   on a second connection, since the first is busy with the very stream the request came on.
 */
// The Client module alone, as in mcp-connection.ts.
import Client from 'undici/lib/dispatcher/client.js';
import { DISCARD } from './discard-handler.js';
import { answerFor } from './client-answers.js';
import { rulesFor } from './classify-response.js';
import type { ExchangeDriver, FollowUp, McpRequest } from './exchange.js';
import type { McpConnection } from './mcp-connection.js';
import { metadataHeaders, retryBody, taskGetBody, type ModernRequest } from './modern-request.js';
import { METHOD } from './mcp-vocabulary.js';
import { PREFIX } from './request-template.js';

const TASKS_GET_RULES = rulesFor(METHOD.tasksGet, true);

export class ConnectionDriver implements ExchangeDriver {
  /** The modern request last started: what an `input_required` round retries. */
  current: ModernRequest | null = null;
  /** The second connection, made on the first server request. */
  private side: Client | null = null;

  constructor(private readonly conn: McpConnection) {}

  nextRound(result: Readonly<Record<string, unknown>>): FollowUp | string {
    const request = this.current;
    if (request === null) return 'an input_required result to a request that cannot be retried';
    const responses: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const asked = result.inputRequests;
    if (asked !== undefined) {
      if (asked === null || typeof asked !== 'object' || Array.isArray(asked)) {
        return 'inputRequests is not an object';
      }
      for (const [key, raw] of Object.entries(asked as Record<string, unknown>)) {
        const method = (raw as { method?: unknown } | null)?.method;
        const answer =
          typeof method === 'string' ? answerFor(method, this.conn.profile.answers) : undefined;
        if (answer === undefined) {
          // MRTR: a server must not ask for what the client did not declare; ours declares only
          // what [client] answers.
          return `input request "${key}" asks for ${typeof method === 'string' ? method : 'an unknown method'}, which the client did not declare (configure it in [client])`;
        }
        responses[key] = answer;
      }
    }
    const state = result.requestState;
    if (state !== undefined && typeof state !== 'string') return 'requestState is not a string';
    this.conn.profile.stats.inputRounds++;
    const id = this.conn.takeId();
    return this.resend(request, id, retryBody(request, id, responses, state));
  }

  pollTask(taskId: string, first: boolean): FollowUp {
    const stats = this.conn.profile.stats;
    if (first) stats.tasks++;
    stats.taskPolls++;
    const id = this.conn.takeId();
    return {
      id,
      rules: TASKS_GET_RULES,
      request: {
        path: this.conn.target.path,
        method: 'POST',
        // The SDK's server validation asks Mcp-Name of tasks/* requests, from params.taskId.
        headers: metadataHeaders(
          this.conn.target.baseHeaders,
          this.conn.profile.version,
          METHOD.tasksGet,
          taskId,
        ),
        body: taskGetBody(id, taskId, this.conn.profile.metaJson),
        driver: this,
      } as McpRequest,
    };
  }

  /**
   * A server request on a response stream (2025 era, "Client Features"): answered at once from
   * `[client]` with a POST of the JSON-RPC response, or refused with -32601 when the config has
   * no answer, so the server's tool call fails fast instead of waiting for a timeout.
   */
  onServerRequest(message: Readonly<Record<string, unknown>>): string | null {
    const method = String(message.method);
    if (this.conn.profile.era === 'modern') {
      // 2026-07-28 "Streamable HTTP": the server MUST NOT send requests on a response stream,
      // and the client MUST NOT POST responses.
      return `the server sent a ${method.slice(0, 60)} request on the response stream, which 2026-07-28 forbids (it travels as an input_required result)`;
    }
    const answer = answerFor(method, this.conn.profile.answers);
    const stats = this.conn.profile.stats;
    stats.count(answer === undefined ? stats.unanswered : stats.answered, method);
    const body = JSON.stringify(
      answer === undefined
        ? {
            jsonrpc: '2.0',
            id: message.id,
            error: { code: -32601, message: `mcp-loadtest has no [client] answer for ${method}` },
          }
        : { jsonrpc: '2.0', id: message.id, result: answer },
    );
    // A transport with a channel of its own (the HTTP+SSE endpoint) carries the answer.
    const send = this.conn.client.send;
    if (send !== undefined) {
      send.call(this.conn.client, body);
      return null;
    }
    this.side ??= new Client(this.conn.target.origin, {
      pipelining: 1,
      connect: { timeout: this.conn.options.timeoutMs },
      headersTimeout: this.conn.options.timeoutMs,
      bodyTimeout: this.conn.options.timeoutMs,
    });
    this.side.dispatch(
      { path: this.conn.target.path, method: 'POST', headers: this.conn.sessionHeaders(), body },
      DISCARD,
    );
    return null;
  }

  /**
   * 2026-07-28 "Versioning": after -32022 the client may retry with a version the server lists.
   * This client speaks one 2026-era revision, so the retry is the same request with a new id,
   * made only when the list names that revision (the refusal came from an instance that did not
   * take it, which a load balancer may route differently next time); else none.
   */
  retryVersion(errorData: unknown): FollowUp | null {
    const request = this.current;
    const profile = this.conn.profile;
    if (profile.era !== 'modern' || request === null) return null;
    const supported = (errorData as { supported?: unknown } | null)?.supported;
    if (!Array.isArray(supported) || !supported.includes(profile.version)) return null;
    profile.stats.versionRetries++;
    const id = this.conn.takeId();
    return this.resend(request, id, PREFIX + id + request.suffix);
  }

  /** `request` sent again (same headers and rules) with a new id and body. */
  private resend(request: ModernRequest, id: number, body: string): FollowUp {
    return {
      id,
      rules: request.rules,
      request: {
        path: this.conn.target.path,
        method: 'POST',
        headers: request.headers,
        body,
        driver: this,
      } as McpRequest,
    };
  }

  async close(): Promise<void> {
    if (this.side !== null) await this.side.destroy().catch(() => undefined);
  }
}
