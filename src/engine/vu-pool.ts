/**
 * Keeping the live VU count on a target: spawn the missing ones, retire the surplus newest
 * first (LIFO, the Rust tool's ramp-down order). Called on every control tick, so a linear target
 * spreads spawns and retirements evenly over a stage.
 */
export interface VuPool {
  readonly liveCount: number;
  spawn(): void;
  retireNewest(): void;
}

export function reconcileVus(pool: VuPool, target: number): void {
  while (pool.liveCount < target) pool.spawn();
  while (pool.liveCount > target) pool.retireNewest();
}
