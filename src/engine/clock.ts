/**
 * Time as executors see it: a millisecond clock on the same base as `performance.now()` (which
 * the exchange uses for send and end times) and one-shot timers. Executors take it as a
 * parameter so their schedules can be tested with a fake clock, with no sleeping.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
