/**
 * The JSON report's types, GENERATED FROM THE SCHEMA: to add or change a report field, edit
 * `schema/report.schema.json` (the published contract) and run `npm run generate` (also run by
 * `npm ci`, typecheck, test and build). Do not write report fields here.
 *
 * `./generated/report-types.ts` is json-schema-to-typescript's output (scripts/gen-report-types.mjs);
 * this file only gives its parts the names the code uses and checks that the schema's lists of
 * error kinds and operation types are the ones the code records. The report is schema_version
 * "1.2": every field of `cargo pmcp loadtest`'s 1.1 report keeps its name and meaning (so
 * `jq '.metrics.latency.p99_ms'` keeps working); everything else is additive.
 */
import type { ErrorKind } from '../protocol/outcome.js';
import type { OperationType } from '../protocol/mcp-vocabulary.js';
import type * as Generated from './generated/report-types.js';

export type {
  Comparison,
  ComparisonRow,
  ErrorCounts,
  LatencyStats,
  OverallLatency,
  PerKeyMetrics,
  Report,
  StageReport,
  ThresholdResult,
  TimelineSample,
  TimeSummary,
  ToolIntervalSample,
} from './generated/report-types.js';

type Report = Generated.Report;

export const REPORT_SCHEMA_VERSION: Report['schema_version'] = '1.2';

export type ScenarioStepReport = Generated.ScenarioStep;
export type StopReason = Report['stop_reason'];
export type BreakingPoint = Report['breaking_point'];
export type ThresholdMetric = Generated.ThresholdResult['metric'];
export type ComparedMetric = Generated.ComparisonRow['metric'];
export type SseLinger = NonNullable<Report['protocol']['sse_linger']>;
export type LoadModel = Report['config']['model'];
export type ExecutorName = Report['config']['executor'];
export type GeneratorReport = Report['metrics']['generator'];
export type ReportHistograms = NonNullable<Report['histograms']>;
export type ShardInfo = NonNullable<Report['shard']>;
export type NotificationStats = Generated.Notifications;
export type ReportTransport = NonNullable<Report['config']['transport']>;
export type PairedComparison = NonNullable<Generated.Comparison['paired']>;

// The schema lists error kinds and operation types by name; the code records them from
// protocol/outcome.ts and protocol/mcp-vocabulary.ts. A kind added on one side only fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
type _ErrorKindsAgree = Expect<Same<keyof Generated.ErrorCounts, ErrorKind>>;
type _ErrorSampleKindsAgree = Expect<Same<keyof Report['error_samples'], ErrorKind>>;
type _OperationTypesAgree = Expect<Same<Generated.OperationType, OperationType>>;
