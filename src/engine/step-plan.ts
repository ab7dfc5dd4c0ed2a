/**
 * The scenario compiled for the hot path: one request template per step, the index of its
 * metric key, and cumulative weights for the weighted choice. Steps with the same key (two
 * `add` steps with different arguments) share one metric key.
 */
import { stepKey, type ScenarioStep } from '../config/types.js';
import { requestTemplate, type RequestTemplate } from '../protocol/request-template.js';
import type { MetricKey } from '../metrics/run-metrics.js';

export interface StepPlan {
  readonly templates: readonly RequestTemplate[];
  /** Metric key index of each step. */
  readonly keyOf: Int32Array;
  readonly keys: readonly MetricKey[];
  /** cumulative[i] = sum of weights of steps 0..i. */
  readonly cumulative: Float64Array;
  readonly totalWeight: number;
}

/**
 * The progress token of `progress = true` steps. MCP "Progress" asks tokens to be unique across a
 * session's active requests: a virtual user has one request in flight on its own session (and in
 * the stateless era notifications come back on the request's own response stream), so one
 * constant token keeps the request body pre-built.
 */
export const PROGRESS_TOKEN = 'mcp-loadtest';

export function stepParams(step: ScenarioStep): Record<string, unknown> {
  switch (step.type) {
    case 'tools/call': {
      // No `arguments` key at all when the scenario has none (never null).
      const params: Record<string, unknown> =
        step.arguments === undefined
          ? { name: step.tool }
          : { name: step.tool, arguments: step.arguments };
      if (step.progress === true) params._meta = { progressToken: PROGRESS_TOKEN };
      return params;
    }
    case 'resources/read':
      return { uri: step.uri };
    case 'prompts/get':
      return step.arguments === undefined
        ? { name: step.prompt }
        : { name: step.prompt, arguments: step.arguments };
  }
}

export function planSteps(steps: readonly ScenarioStep[]): StepPlan {
  const keys: MetricKey[] = [];
  const index = new Map<string, number>();
  const keyOf = new Int32Array(steps.length);
  const cumulative = new Float64Array(steps.length);
  let total = 0;
  steps.forEach((step, i) => {
    const name = stepKey(step);
    const id = `${step.type}\u0000${name}`;
    let k = index.get(id);
    if (k === undefined) {
      k = keys.length;
      keys.push({ name, operation: step.type });
      index.set(id, k);
    }
    keyOf[i] = k;
    total += step.weight;
    cumulative[i] = total;
  });
  return {
    templates: steps.map((s) => requestTemplate(s.type, stepParams(s))),
    keyOf,
    keys,
    cumulative,
    totalWeight: total,
  };
}

/** Index of the step whose cumulative weight range holds `r` in [0, totalWeight). */
export function pickStep(plan: StepPlan, r: number): number {
  const c = plan.cumulative;
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r < c[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** mulberry32: a tiny seeded PRNG, good enough to make a step mix reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
