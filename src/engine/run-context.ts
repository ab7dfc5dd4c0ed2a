/**
 * What a virtual user sees of its run: the shared plan, metrics, limits, and the callbacks by
 * which it reports its lifecycle. Implemented by `LoadRun`; kept small so VUs can be tested on
 * their own.
 */
import type { RunMetrics } from '../metrics/run-metrics.js';
import type { ServerInfo } from '../protocol/mcp-connection.js';
import type { ProtocolProfile } from '../protocol/protocol-profile.js';
import type { Target } from '../protocol/target.js';
import type { TransportPool } from '../protocol/shared-transport.js';
import type { StepPlan } from './step-plan.js';
import type { VirtualUser } from './virtual-user.js';

export interface RunContext {
  readonly target: Target;
  readonly plan: StepPlan;
  readonly metrics: RunMetrics;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly requestIntervalMs: number;
  /** What the connections speak, decided once per run; undefined: the 2025 era. */
  readonly protocol: ProtocolProfile | undefined;
  /** Shared transports the connections take one of (stdio server processes); undefined: HTTP. */
  readonly transports: TransportPool | undefined;
  readonly stopping: boolean;
  /**
   * Open model: VUs do not loop; each one is lent a step at a time by the executor and hands
   * itself back (`onVuIdle`) after its handshake and after each step.
   */
  readonly pooled: boolean;
  /** Claims one step of the --iterations budget; false when it is used up. */
  takeIteration(): boolean;
  /** The next step of the run's seeded stream: one per iteration taken, in the order taken. */
  nextStep(): number;
  onRequestStart(): void;
  onRequestEnd(endMs: number): void;
  onSession(protocolVersion: string, serverInfo: ServerInfo | null): void;
  /** A VU's session ended (expired, lost, or the VU finished). */
  onSessionEnd(): void;
  /** The run stopped at once: an exchange ending now is not recorded. */
  readonly hardStopped: boolean;
  onHandshakeFailed(vu: VirtualUser, detail: string): void;
  /** Open model: the VU has a session and nothing to do. */
  onVuIdle(vu: VirtualUser): void;
  onVuFinished(vu: VirtualUser): void;
  /** Scrubs header values out of a message before it is kept. */
  redact(text: string): string;
}
