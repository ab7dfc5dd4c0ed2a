/**
 * Shard stage reports → merged ones: counts and peaks add (shards run their stages at the same
 * time), a stage completed when it did in every shard, and the percentiles come from the merged
 * timeline samples of that stage (a run's stage figures are the sum of its samples too; a sample
 * that straddles two stages counts in the later one).
 */
import { merged } from '../metrics/histogram.js';
import { latencyStats } from '../metrics/latency-stats.js';
import type { StageReport } from '../report/types.js';
import type { MergedSample } from './merge-timeline.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function mergeStages(
  shards: readonly (readonly StageReport[])[],
  timeline: readonly MergedSample[],
): StageReport[] {
  const first = shards[0] ?? [];
  return first.map((stage, i) => {
    const parts = shards.map((s) => s[i]).filter((s) => s !== undefined);
    const requests = parts.reduce((n, s) => n + s.requests, 0);
    const errors = parts.reduce((n, s) => n + s.errors, 0);
    const ranSecs = Math.max(...parts.map((s) => s.ran_secs));
    const l = latencyStats(
      merged(timeline.filter((t) => t.sample.stage === stage.index).map((t) => t.histogram)),
    );
    return {
      ...stage,
      ran_secs: ranSecs,
      peak_active_vus: parts.reduce((n, s) => n + s.peak_active_vus, 0),
      requests,
      errors,
      error_rate: requests > 0 ? errors / requests : 0,
      throughput_rps: ranSecs > 0 ? round3(requests / ranSecs) : 0,
      p50_ms: l.p50_ms,
      p95_ms: l.p95_ms,
      p99_ms: l.p99_ms,
      completed: parts.every((s) => s.completed),
    };
  });
}
