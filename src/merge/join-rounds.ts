/**
 * The rounds of one target in a paired A/B run (pipeline/paired-run.ts) → one report of that
 * target, with counts and histograms added exactly as a shard merge adds them.
 *
 * Rounds run one after another, where shards run side by side, so they are merged as shards laid
 * end to end: each round is moved to start where the target's round before it ended (the other
 * target's rounds in between are left out of this target's time line). The merged duration is
 * then the rounds' sum and throughput is requests over it. What shards add but rounds do not is
 * set after the merge: the active duration is the rounds' sum, peak VUs the most of any round, and
 * the timeline is the rounds' samples one after another (each keeping its per-tool figures).
 *
 * All rounds ran the same config; their seeds differ by pair (seed + pair index), so the joined
 * report records the first pair's seed.
 */
import type { Thresholds } from '../config/types.js';
import type { Report, TimelineSample } from '../report/types.js';
import { mergeReports } from './merge-reports.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function joinRounds(rounds: readonly Report[], thresholds: Thresholds): Report {
  const first = rounds[0];
  if (first === undefined) throw new RangeError('joinRounds: no round');
  let startMs = Date.parse(first.started_at);
  const laidEnd = rounds.map((r, i) => {
    const moved: Report = {
      ...r,
      started_at: new Date(startMs).toISOString(),
      config: { ...r.config, seed: first.config.seed },
      shard: { index: i + 1, count: rounds.length },
    };
    startMs += r.duration_secs * 1000;
    return { source: `round ${i + 1}`, report: moved };
  });
  const joined = mergeReports(laidEnd, thresholds);
  const { merged_shards: _merged, ...report } = joined;

  let offsetSecs = 0;
  const timeline: TimelineSample[] = [];
  const timelineHistograms: string[] = [];
  for (const r of rounds) {
    for (const sample of r.timeline) {
      timeline.push({ ...sample, elapsed_secs: round3(offsetSecs + sample.elapsed_secs) });
    }
    timelineHistograms.push(...(r.histograms?.timeline ?? []));
    offsetSecs += r.duration_secs;
  }
  const activeSecs = rounds.reduce((sum, r) => sum + r.metrics.active_duration_secs, 0);
  const total = report.metrics.total_requests;
  return {
    ...report,
    started_at: first.started_at,
    config: {
      ...report.config,
      duration_secs: round3(sumOf(rounds, (r) => r.config.duration_secs)),
    },
    metrics: {
      ...report.metrics,
      active_duration_secs: round3(activeSecs),
      active_throughput_rps: round3(activeSecs > 0 ? total / activeSecs : 0),
    },
    handshake: {
      ...report.handshake,
      peak_vus: Math.max(...rounds.map((r) => r.handshake.peak_vus)),
    },
    timeline,
    ...(report.histograms === undefined
      ? {}
      : { histograms: { ...report.histograms, timeline: timelineHistograms } }),
  };
}

function sumOf(rounds: readonly Report[], pick: (r: Report) => number): number {
  return rounds.reduce((sum, r) => sum + pick(r), 0);
}
