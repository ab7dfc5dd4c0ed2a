/**
 * The validated, normalised load-test configuration. Produced by `load-config.ts` from
 * `.pmcp/loadtest.toml` (the format of `cargo pmcp loadtest`), frozen, and never mutated after.
 * Field names are camelCase with units; the TOML and the report keep the snake_case names.
 */

// The operation names are protocol vocabulary; re-exported because every step type keys on them.
export { OPERATION_TYPES, type OperationType } from '../protocol/mcp-vocabulary.js';
import type { TransportKind } from '../protocol/mcp-vocabulary.js';

export interface ToolCallStep {
  readonly type: 'tools/call';
  readonly weight: number;
  readonly tool: string;
  /** Absent when the TOML has no `arguments`: the request then carries no `arguments` key. */
  readonly arguments?: Readonly<Record<string, unknown>>;
  /** `progress = true`: the request asks for progress notifications (`_meta.progressToken`). */
  readonly progress?: true;
}

export interface ResourceReadStep {
  readonly type: 'resources/read';
  readonly weight: number;
  readonly uri: string;
}

export interface PromptGetStep {
  readonly type: 'prompts/get';
  readonly weight: number;
  readonly prompt: string;
  readonly arguments?: Readonly<Record<string, string>>;
}

export type ScenarioStep = ToolCallStep | ResourceReadStep | PromptGetStep;

/** A closed-model stage: the VU count moves linearly to `targetVus`. */
export interface Stage {
  readonly targetVus: number;
  readonly durationSecs: number;
}

/** An open-model stage (`target_rate`): the arrival rate moves linearly to `targetRate`. */
export interface RateStage {
  readonly targetRate: number;
  readonly durationSecs: number;
}

export interface Settings {
  readonly virtualUsers: number;
  readonly durationSecs: number;
  readonly timeoutMs: number;
  /** Coordinated-omission interval (default 100 ms, as `cargo pmcp loadtest`). */
  readonly expectedIntervalMs: number;
  /** Pause each VU takes after a request completes; 0 = back to back. */
  readonly requestIntervalMs: number;
  /** Responses larger than this are cut off and counted as `response_too_large`. */
  readonly maxResponseBytes: number;
  /** Header name → value after `${ENV}` interpolation. Values are secrets: never print them. */
  readonly headers: Readonly<Record<string, string>>;
  /** End the run when the breaking point is detected (saves CI minutes). Default false. */
  readonly stopOnBreakingPoint: boolean;
  /** Steps per second: selects the open model. null = the closed model (VUs). */
  readonly arrivalRate: number | null;
  /** Open model: most sessions the pool may hold; null = the default (see resolve-plan). */
  readonly maxVus: number | null;
  /** "auto" (era detection, the default) or a pinned MCP revision such as "2026-07-28". */
  readonly protocol: string;
  /** "streamable-http" or "sse" (2024-11-05 HTTP+SSE); null: not set (detected under auto). */
  readonly transport: TransportKind | null;
}

/**
 * `[client]`: how the client answers a server's sampling, elicitation and roots requests (2025
 * era: requests on the SSE stream; 2026-07-28: `inputRequests` of an `input_required` result).
 * A capability is declared only when its answer is configured.
 */
export interface ClientConfig {
  readonly sampling?: { readonly text: string };
  readonly elicitation?: {
    readonly action: 'accept' | 'decline' | 'cancel';
    readonly content?: Readonly<Record<string, unknown>>;
  };
  readonly roots?: readonly string[];
}

/** Limits for one scope (the whole run, or one tool / resource URI / prompt). */
export interface ThresholdLimits {
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  /** Maximum error rate, 0..1. */
  readonly errorRate?: number;
  readonly minThroughputRps?: number;
  /** Against a baseline: the p99 may grow by at most this ratio (0.15 = 15%). */
  readonly maxP99Regression?: number;
  /** Against a baseline: the error rate may rise by at most this many points (0..1). */
  readonly maxErrorRateIncrease?: number;
  /** Against a baseline: the throughput may fall to no less than this share of it (0..1]. */
  readonly minThroughputRatio?: number;
}

/** `[thresholds]` and `[thresholds.tools."<name>"]`. */
export interface Thresholds extends ThresholdLimits {
  /** A detected breaking point fails the gate. Default false. */
  readonly failOnBreakingPoint: boolean;
  readonly tools: Readonly<Record<string, ThresholdLimits>>;
}

export interface LoadConfig {
  /** Absolute path of the TOML file, or undefined for a config built from flags alone. */
  readonly path: string | undefined;
  readonly settings: Settings;
  readonly scenario: readonly ScenarioStep[];
  /** `[[stage]] target_vus` blocks (closed model). */
  readonly stages: readonly Stage[];
  /** `[[stage]] target_rate` blocks (open model, with `arrival_rate`). */
  readonly rateStages: readonly RateStage[];
  readonly thresholds: Thresholds;
  readonly client: ClientConfig;
}

/** The name a step is reported under in `per_tool`: tool name, resource URI or prompt name. */
export function stepKey(step: ScenarioStep): string {
  switch (step.type) {
    case 'tools/call':
      return step.tool;
    case 'resources/read':
      return step.uri;
    case 'prompts/get':
      return step.prompt;
  }
}
