/**
 * The drain interval: when the load stops, the engine closes one last, shorter timeline sample
 * with the requests that were still finishing (src/engine/run-timeline.ts `flush`). No VU is
 * active in it by then, so drawn as a VU level it shows a drop to 0 that never happened while the
 * load ran. Charts leave its VU value out; its requests and latencies stay.
 */
import type { TimelineSample } from '../report/types.js';

/** True for the last sample when it is shorter than the one before it and has no active VU. */
export function isDrainSample(timeline: readonly TimelineSample[], index: number): boolean {
  if (index !== timeline.length - 1 || index === 0) return false;
  const sample = timeline[index];
  const previous = timeline[index - 1];
  if (sample === undefined || previous === undefined) return false;
  return sample.active_vus === 0 && sample.interval_secs < previous.interval_secs;
}
