/**
 * The rounds of one target in a paired A/B run joined into one report: counts and histograms add
 * exactly, time adds up round after round (duration, active duration, timeline), and the figures
 * rounds do not add (peak VUs) are the most of any round.
 */
import { describe, expect, it } from 'vitest';
import { joinRounds } from '../../src/merge/join-rounds.js';
import { corrected, merged } from '../../src/metrics/histogram.js';
import { buildReport } from '../../src/report/build-report.js';
import { latencyStats } from '../../src/metrics/latency-stats.js';
import { validateReport } from '../../src/report/validate-report.js';
import { allSuccesses, syntheticConfig, syntheticResult } from '../helpers/synthetic-run.js';

const START = Date.parse('2026-11-30T18:00:00Z');
const ROUND_SECS = 8;
const config = syntheticConfig(3, 4, ROUND_SECS);

/** Round i: seed 7 + i (one per pair), started after the rounds before and the other target's. */
function round(i: number, peakVus = 4) {
  const result = syntheticResult(
    {
      tools: 3,
      durationSecs: ROUND_SECS,
      requestsPerSec: 50 + 10 * i,
      vus: 4,
      seed: 7 + i,
      startedAt: new Date(START + i * 2 * ROUND_SECS * 1000),
    },
    config,
  );
  const report = buildReport({
    result,
    config,
    url: 'http://127.0.0.1:1/mcp',
    iterations: null,
    seed: 7 + i,
    headerNames: [],
  });
  // A round whose VUs were replaced mid-run peaks above the planned count.
  report.handshake.peak_vus = peakVus;
  return { result, report };
}

describe('joinRounds', () => {
  const rounds = [round(0), round(1, 6), round(2)];
  const joined = joinRounds(
    rounds.map((r) => r.report),
    { ...config.thresholds, p99Ms: 1_000_000 },
  );

  it('validates against the schema, with no shard or merge fields', () => {
    expect(validateReport(joined)).toEqual({ valid: true });
    expect(joined.shard).toBeUndefined();
    expect(joined.merged_shards).toBeUndefined();
  });

  it('adds the requests and the success histograms exactly', () => {
    const total = rounds.reduce((n, r) => n + r.report.metrics.total_requests, 0);
    expect(joined.metrics.total_requests).toBe(total);
    const all = merged(rounds.map((r) => allSuccesses(r.result)));
    const interval = joined.histograms!.correction_interval_us!;
    expect(joined.metrics.latency.p99_ms).toBe(latencyStats(corrected(all, interval)).p99_ms);
  });

  it("adds the rounds' time: duration, active duration, throughput over their sum", () => {
    const secs = 3 * ROUND_SECS;
    expect(joined.duration_secs).toBe(secs);
    expect(joined.metrics.active_duration_secs).toBe(secs);
    expect(joined.metrics.throughput_rps).toBeCloseTo(joined.metrics.total_requests / secs, 2);
    expect(joined.config.duration_secs).toBe(secs);
    expect(joined.started_at).toBe(rounds[0]!.report.started_at);
  });

  it("lays the rounds' samples one after another, each with its per-tool figures", () => {
    const samples = rounds.flatMap((r) => r.report.timeline);
    expect(joined.timeline).toHaveLength(samples.length);
    expect(joined.histograms!.timeline).toHaveLength(samples.length);
    expect(joined.timeline.map((s) => s.elapsed_secs)).toEqual(samples.map((_, i) => 2 * (i + 1)));
    expect(joined.timeline.map((s) => s.per_tool)).toEqual(samples.map((s) => s.per_tool));
    expect(Object.keys(joined.timeline[0]!.per_tool!)).toEqual(['tool-1', 'tool-2', 'tool-3']);
  });

  it("takes the most VUs of any round as the peak, and the first pair's seed", () => {
    expect(joined.handshake.peak_vus).toBe(6);
    expect(joined.config.seed).toBe(7);
  });

  it('evaluates the thresholds it is given on the joined figures', () => {
    expect(joined.thresholds).toEqual([
      {
        metric: 'p99_ms',
        scope: null,
        limit: 1_000_000,
        observed: joined.metrics.latency.p99_ms,
        passed: true,
      },
    ]);
  });
});
