/**
 * A synthetic RunResult with known latencies, no server and no clock: the report builder, the
 * report size and the merge are checked on it. Latencies follow a seeded, long-tailed
 * distribution (most requests 1-20 ms, a tail to ~2 s), so the histograms hold as many distinct
 * buckets as a real run's.
 */
import { parseConfig } from '../../src/config/load-config.js';
import type { LoadConfig } from '../../src/config/types.js';
import type { LoadPlan } from '../../src/engine/load-plan.js';
import type { RunResult } from '../../src/engine/load-run.js';
import { keySample, SAMPLE_SECS, type TimelinePoint } from '../../src/engine/run-timeline.js';
import { seededRandom } from '../../src/engine/step-plan.js';
import { newHistogram, type Histogram } from '../../src/metrics/histogram.js';
import { RunMetrics } from '../../src/metrics/run-metrics.js';
import { ERROR_KINDS, OK } from '../../src/protocol/outcome.js';

export interface SyntheticRun {
  tools: number;
  durationSecs: number;
  requestsPerSec: number;
  vus: number;
  seed: number;
  startedAt: Date;
  /** Fraction of requests that fail (kind: timeout). */
  errorRatio?: number;
}

export function syntheticConfig(tools: number, vus: number, durationSecs: number): LoadConfig {
  const steps = Array.from(
    { length: tools },
    (_, i) => `[[scenario]]\ntype = "tools/call"\ntool = "tool-${i + 1}"\nweight = 1\n`,
  ).join('\n');
  const toml = `[settings]\nvirtual_users = ${vus}\nduration_secs = ${durationSecs}\ntimeout_ms = 5000\nexpected_interval_ms = 100\n\n${steps}`;
  return parseConfig(toml, 'synthetic.toml', {});
}

export function syntheticResult(spec: SyntheticRun, config: LoadConfig): RunResult {
  const random = seededRandom(spec.seed);
  const keys = config.scenario.map((s) => ({
    name: s.type === 'tools/call' ? s.tool : '',
    operation: s.type,
  }));
  const metrics = new RunMetrics(keys);
  const timeline: TimelinePoint[] = [];
  const samples = Math.ceil(spec.durationSecs / SAMPLE_SECS);
  const perSample = spec.requestsPerSec * SAMPLE_SECS;
  const timeoutKind = ERROR_KINDS.indexOf('timeout') + 1;
  for (let s = 0; s < samples; s++) {
    for (let r = 0; r < perSample; r++) {
      const key = Math.floor(random() * keys.length);
      const u = random();
      const ms = u < 0.95 ? 1 + 19 * random() : 20 + 2000 * random() ** 3;
      const failed = random() < (spec.errorRatio ?? 0);
      metrics.record(key, failed ? (timeoutKind as typeof OK) : OK, ms);
    }
    const f = metrics.takeInterval();
    timeline.push({
      elapsedSecs: (s + 1) * SAMPLE_SECS,
      intervalSecs: SAMPLE_SECS,
      activeVus: spec.vus,
      targetVus: spec.vus,
      targetRate: null,
      stageIndex: null,
      requests: f.requests,
      errors: f.errors,
      started: 0,
      dropped: 0,
      errorsByKind: f.errorsByKind,
      successes: f.successes,
      keySamples: f.perKey.map(keySample),
    });
  }
  for (let i = 0; i < spec.vus; i++) {
    metrics.recordHandshake(OK, 2 + random() * 5, false, true);
  }
  metrics.noteVuSessions(spec.vus, 0);
  metrics.noteLiveVus(spec.vus);
  const plan: LoadPlan = {
    executor: 'constant-vus',
    vus: spec.vus,
    durationSecs: spec.durationSecs,
    stages: [],
    ratePerSec: null,
    rateStages: [],
    maxVus: null,
    iterations: null,
    seed: spec.seed,
  };
  return {
    metrics,
    model: 'closed',
    plan,
    plannedVus: spec.vus,
    plannedSecs: spec.durationSecs,
    plannedPeakRate: null,
    startedAt: spec.startedAt,
    endedAt: new Date(spec.startedAt.getTime() + spec.durationSecs * 1000),
    durationSecs: spec.durationSecs,
    activeDurationSecs: spec.durationSecs,
    completed: true,
    stopReason: 'duration',
    inFlightAtStop: 0,
    protocolVersion: '2025-06-18',
    serverInfo: { name: 'synthetic', version: '1' },
    noSessionDetail: null,
    timeline,
    stageTotals: new Map(),
    breakingPoint: null,
    generator: {
      eventLoopDelayP99Ms: 1,
      eventLoopDelayMaxMs: 2,
      scheduleLagP99Ms: null,
      scheduleLagMaxMs: null,
      saturated: false,
    },
  };
}

/** Every success latency of a result, in one histogram (what a merge must reproduce). */
export function allSuccesses(result: RunResult): Histogram {
  const out = newHistogram();
  for (const h of result.metrics.keySuccess) out.add(h);
  return out;
}
