/**
 * What the demo server received, so a test can reconcile the load tester's counts with the
 * server's. Counted at arrival, before session checks: a message rejected for a dead session was
 * still received.
 */
import { METHOD } from '../protocol/mcp-vocabulary.js';

export interface DemoStats {
  /** POST requests to /mcp, whatever became of them (each carries at most one message). */
  requests: number;
  /** Parsed JSON-RPC requests and notifications by method. */
  byMethod: Record<string, number>;
  /** tools/call by tool name (as sent, even when unknown; "<missing>" when absent). */
  toolCalls: Record<string, number>;
  sessionsCreated: number;
  sessionsDeleted: number;
  activeSessions: number;
}

export class DemoStatsCounter {
  requests = 0;
  sessionsCreated = 0;
  sessionsDeleted = 0;
  // Maps, not objects: the keys come from clients and must not reach Object.prototype.
  private readonly byMethod = new Map<string, number>();
  private readonly toolCalls = new Map<string, number>();

  countMethod(method: string, params: unknown): void {
    this.byMethod.set(method, (this.byMethod.get(method) ?? 0) + 1);
    if (method !== METHOD.toolsCall) return;
    const name = (params as { name?: unknown } | undefined)?.name;
    const key = typeof name === 'string' ? name : '<missing>';
    this.toolCalls.set(key, (this.toolCalls.get(key) ?? 0) + 1);
  }

  snapshot(activeSessions: number): DemoStats {
    return {
      requests: this.requests,
      byMethod: Object.fromEntries(this.byMethod),
      toolCalls: Object.fromEntries(this.toolCalls),
      sessionsCreated: this.sessionsCreated,
      sessionsDeleted: this.sessionsDeleted,
      activeSessions,
    };
  }
}
