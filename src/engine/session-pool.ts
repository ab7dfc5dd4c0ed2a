/**
 * The open model's sessions: VUs lent one step at a time (k6's `GetPlannedVU`/`ReturnVU`).
 *
 * A due step takes an idle session at once. With none idle it waits in line (FIFO, keeping its
 * due time, so the wait counts in its latency) for the first session to come free, a busy one
 * finishing or a new one. Below `maxVus` the pool starts new sessions for the line, at most
 * INIT_AT_ONCE handshakes at a time, so a burst (or a stall) cannot turn into thousands of
 * simultaneous handshakes that would saturate the generator and the server alike; and only for
 * a step that has waited GROW_AFTER_MS while other sessions are busy, because at a high rate a
 * busy session frees within a fraction of a millisecond, and a new session (connection,
 * initialize, DELETE) for every momentary line would cost more than it saves. At `maxVus`
 * a step waits only for a session already on its way; otherwise it is dropped and counted:
 * never silently skipped.
 *
 * Invariants: the line is never longer than `maxVus`; at `maxVus`, `waiting ≤ initializing`.
 */
import type { ExecutorVu } from './executor.js';

/** Most handshakes the pool runs at once while growing (at least the pre-allocated count). */
const INIT_AT_ONCE = 8;
/** How long a step waits for a busy session before the pool starts a new one for it. */
export const GROW_AFTER_MS = 5;

export interface PoolHooks {
  /** Starts a new session (it calls `onIdle` once initialized). */
  spawn(): ExecutorVu;
  dropped(): void;
  /** The clock's time, and a one-shot timer on it. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
}

export class SessionPool {
  /** VUs alive in the pool: initializing, idle or busy. */
  size = 0;
  private readonly idle: ExecutorVu[] = [];
  private readonly initializing = new Set<ExecutorVu>();
  private waitingSteps: number[] = [];
  private waitingDue: number[] = [];
  /** Clock time each waiting step joined the line. */
  private waitingAt: number[] = [];
  private recheck: unknown = undefined;
  private readonly recheckBound = (): void => {
    this.recheck = undefined;
    this.growForLine();
  };
  private waitingHead = 0;
  private closed = false;
  private initCap = INIT_AT_ONCE;

  constructor(
    readonly maxVus: number,
    private readonly hooks: PoolHooks,
  ) {}

  get idleCount(): number {
    return this.idle.length;
  }

  /** Sessions running a step (or re-initializing after losing their session). */
  get busyCount(): number {
    return this.size - this.idle.length - this.initializing.size;
  }

  get initializingCount(): number {
    return this.initializing.size;
  }

  get waitingCount(): number {
    return this.waitingSteps.length - this.waitingHead;
  }

  /** Starts `n` sessions ahead of the load (the pre-allocated `virtual_users`). */
  warm(n: number): void {
    this.initCap = Math.max(INIT_AT_ONCE, n);
    for (let i = 0; i < n && this.size < this.maxVus; i++) this.grow();
  }

  /** True when a step due now would run or wait for a session rather than be dropped. */
  hasRoom(): boolean {
    if (this.idle.length > 0) return true;
    return this.size < this.maxVus
      ? this.waitingCount < this.maxVus
      : this.waitingCount < this.initializing.size;
  }

  /** A step due at `dueMs`; the caller checked `hasRoom()`. */
  offer(step: number, dueMs: number): void {
    const vu = this.idle.pop();
    if (vu !== undefined) return vu.runStep(step, dueMs);
    this.waitingSteps.push(step);
    this.waitingDue.push(dueMs);
    this.waitingAt.push(this.hooks.now());
    this.growForLine();
  }

  /** A session is free: it takes the oldest waiting step, or waits itself. */
  onIdle(vu: ExecutorVu): void {
    this.initializing.delete(vu);
    if (this.closed) return vu.endIdle();
    if (this.waitingCount > 0) {
      const step = this.waitingSteps[this.waitingHead]!;
      const due = this.waitingDue[this.waitingHead]!;
      this.waitingHead++;
      if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waitingSteps.length)
        this.compact();
      vu.runStep(step, due);
    } else {
      this.idle.push(vu);
    }
    this.growForLine();
  }

  /** A session failed to initialize and retries: it is still on its way. */
  onHandshakeFailed(_vu: ExecutorVu): void {}

  /** A VU ended (lost, or the run stopping). */
  onFinished(vu: ExecutorVu): void {
    this.size--;
    this.initializing.delete(vu);
    const at = this.idle.indexOf(vu);
    if (at !== -1) this.idle.splice(at, 1);
    if (this.closed) return;
    this.growForLine();
  }

  /** The run is stopping: waiting steps never ran (dropped); idle sessions end now. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let i = this.waitingCount; i > 0; i--) this.hooks.dropped();
    this.waitingSteps = [];
    this.waitingDue = [];
    this.waitingAt = [];
    this.waitingHead = 0;
    for (const vu of this.idle.splice(0)) vu.endIdle();
  }

  /**
   * New sessions for the line: one per waiting step not yet covered by a session on its way,
   * INIT_AT_ONCE at a time, once that step has waited GROW_AFTER_MS for a busy session (at once
   * when no session is busy: none will come free). A timer rechecks when nothing else will.
   */
  private growForLine(): void {
    while (
      !this.closed &&
      this.size < this.maxVus &&
      this.initializing.size < this.initCap &&
      this.waitingCount > this.initializing.size
    ) {
      const waitedMs =
        this.hooks.now() - this.waitingAt[this.waitingHead + this.initializing.size]!;
      if (this.busyCount > 0 && waitedMs < GROW_AFTER_MS) {
        this.recheck ??= this.hooks.setTimeout(this.recheckBound, GROW_AFTER_MS - waitedMs);
        return;
      }
      this.grow();
    }
  }

  /** `spawn()` must not call `onIdle` before it returns (a handshake is always asynchronous). */
  private grow(): void {
    this.size++;
    this.initializing.add(this.hooks.spawn());
  }

  private compact(): void {
    this.waitingSteps = this.waitingSteps.slice(this.waitingHead);
    this.waitingDue = this.waitingDue.slice(this.waitingHead);
    this.waitingAt = this.waitingAt.slice(this.waitingHead);
    this.waitingHead = 0;
  }
}
