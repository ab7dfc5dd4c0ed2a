import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import schema from '../../schema/report.schema.json' with { type: 'json' };
import { OPERATION_TYPES } from '../../src/config/types.js';
import { LoadtestError } from '../../src/errors.js';
import { ERROR_KINDS } from '../../src/protocol/outcome.js';
import { REPORT_SCHEMA_VERSION } from '../../src/report/types.js';
import { assertValidReport, validateReport } from '../../src/report/validate-report.js';
import {
  defaultReportPath,
  writeReportAtomic,
  writeReportAtomicSync,
} from '../../src/report/write-report.js';
import {
  sampleErrorReport,
  sampleReport,
  zeroRequestReport,
} from '../fixtures/reports/sample-report.js';

type Json = Record<string, unknown>;

/** The sample as plain JSON, so a test can break it freely. */
function mutable(): Json {
  return JSON.parse(JSON.stringify(sampleReport())) as Json;
}

function parentOf(root: Json, path: string[]): Json {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Json)[key];
  return node as Json;
}

function without(path: string): Json {
  const report = mutable();
  const keys = path.split('.');
  delete parentOf(report, keys)[keys.at(-1) ?? ''];
  return report;
}

function withValue(path: string, value: unknown): Json {
  const report = mutable();
  const keys = path.split('.');
  parentOf(report, keys)[keys.at(-1) ?? ''] = value;
  return report;
}

function errorsOf(report: unknown): string[] {
  const result = validateReport(report);
  return result.valid ? [] : result.errors;
}

describe('report schema', () => {
  it('accepts the sample, the error and the zero-request fixtures', () => {
    expect(validateReport(sampleReport())).toEqual({ valid: true });
    expect(validateReport(sampleErrorReport())).toEqual({ valid: true });
    expect(validateReport(zeroRequestReport())).toEqual({ valid: true });
  });

  it('accepts the report after a JSON round trip', () => {
    expect(validateReport(JSON.parse(JSON.stringify(sampleErrorReport())))).toEqual({
      valid: true,
    });
  });

  // Every 1.1 field users query with jq, then the 1.2 additions.
  it.each([
    'schema_version',
    'timestamp',
    'target_url',
    'duration_secs',
    'config',
    'config.virtual_users',
    'config.duration_secs',
    'config.timeout_ms',
    'config.expected_interval_ms',
    'config.scenario',
    'metrics',
    'metrics.total_requests',
    'metrics.success_count',
    'metrics.error_count',
    'metrics.error_rate',
    'metrics.throughput_rps',
    'metrics.latency',
    'metrics.latency.p50_ms',
    'metrics.latency.p95_ms',
    'metrics.latency.p99_ms',
    'metrics.latency.error_p50_ms',
    'metrics.latency.error_p95_ms',
    'metrics.latency.error_p99_ms',
    'metrics.operation_counts',
    'metrics.operation_errors',
    'errors',
    'errors.timeout',
    'errors.jsonrpc',
    'errors.http',
    'errors.connection',
    'per_tool',
    'per_tool.add.total_requests',
    'per_tool.add.success_count',
    'per_tool.add.error_count',
    'per_tool.add.error_rate',
    'per_tool.add.latency',
    'per_tool.add.latency.p50_ms',
    'per_tool.add.latency.p95_ms',
    'per_tool.add.latency.p99_ms',
    'per_tool.add.latency.min_ms',
    'per_tool.add.latency.max_ms',
    'per_tool.add.latency.mean_ms',
    'per_tool.add.errors',
    'breaking_point',
    'breaking_point.detected',
    // 1.2
    'config.request_interval_ms',
    'config.max_response_bytes',
    'config.iterations',
    'config.seed',
    'config.headers',
    'config.stages',
    'config.config_path',
    'metrics.active_duration_secs',
    'metrics.in_flight_at_stop',
    'metrics.latency.count',
    'metrics.latency.p90_ms',
    'metrics.latency.p999_ms',
    'metrics.latency_uncorrected',
    'metrics.operation_latency',
    'errors.tool',
    'errors.session_expired',
    'errors.protocol',
    'errors.response_too_large',
    'error_samples',
    'per_tool.add.operation',
    'per_tool.add.throughput_rps',
    'per_tool.add.latency_uncorrected',
    'tool',
    'tool.version',
    'started_at',
    'completed',
    'stop_reason',
    'protocol',
    'protocol.version',
    'protocol.server_info',
    'protocol.response_types',
    'handshake',
    'handshake.attempts',
    'handshake.sessions_created',
    'handshake.latency',
    'handshake.errors',
  ])('rejects a report without %s, naming its path', (path) => {
    expect(errorsOf(without(path))).toContain(`/${path.replace(/\./g, '/')} is required`);
  });

  it.each<[string, unknown, string]>([
    ['schema_version', '1.1', '/schema_version must be "1.2"'],
    ['timestamp', '2026-02-27 14:31:45', '/timestamp must match pattern'],
    ['timestamp', '2026-02-27T14:31:45+01:00', '/timestamp must match pattern'],
    ['duration_secs', '60', '/duration_secs must be number'],
    ['config.virtual_users', 2.5, '/config/virtual_users must be integer'],
    ['config.iterations', -1, '/config/iterations must be >= 0'],
    [
      'config.headers',
      { Authorization: 'Bearer s3cret' },
      '/config/headers/Authorization must be "[redacted]"',
    ],
    ['metrics.total_requests', -1, '/metrics/total_requests must be >= 0'],
    ['metrics.error_rate', 1.5, '/metrics/error_rate must be <= 1'],
    ['metrics.latency.p99_ms', -0.001, '/metrics/latency/p99_ms must be >= 0'],
    ['metrics.latency.p99_ms', null, '/metrics/latency/p99_ms must be number'],
    ['errors.timeout', 0.5, '/errors/timeout must be integer'],
    ['per_tool.add.operation', 'tools/list', '/per_tool/add/operation must be one of'],
    ['per_tool.add.latency.p50_ms', '12ms', '/per_tool/add/latency/p50_ms must be number'],
    ['breaking_point.detected', 'yes', '/breaking_point/detected must be boolean'],
    ['stop_reason', 'crashed', '/stop_reason must be one of'],
    ['completed', 1, '/completed must be boolean'],
    ['tool.name', 'cargo-pmcp', '/tool/name must be "mcp-loadtest"'],
    ['error_samples.tool', 'x'.repeat(301), '/error_samples/tool must NOT have more than 300'],
    ['protocol.server_info', 'server', '/protocol/server_info must be null'],
  ])('rejects %s = %j', (path, value, message) => {
    expect(errorsOf(withValue(path, value)).join('\n')).toContain(message);
  });

  it('rejects an error-counts object that lacks one of the eight kinds', () => {
    const report = without('per_tool.add.errors.response_too_large');
    expect(errorsOf(report)).toContain('/per_tool/add/errors/response_too_large is required');
  });

  it('rejects unknown properties on objects the report owns', () => {
    expect(errorsOf(withValue('metrics.p99', 1))).toContain(
      '/metrics/p99 is not allowed (unknown property)',
    );
    expect(errorsOf(withValue('errors.dns', 1))).toContain(
      '/errors/dns is not allowed (unknown property)',
    );
  });

  it('accepts any string as a per_tool key and any arguments object', () => {
    const report = mutable();
    const perTool = report.per_tool as Json;
    perTool['weird/na~me \u001b[31m 🧮'] = perTool.add;
    (report.config as { scenario: Json[] }).scenario[0]!.arguments = {
      nested: { deep: [1, null] },
    };
    expect(errorsOf(report)).toEqual([]);
  });

  it('escapes control characters and JSON-pointer characters of keys in messages', () => {
    const report = mutable();
    (report.per_tool as Json)['a/b~\u001b[2J'] = {};
    const messages = errorsOf(report);
    expect(messages).toContain('/per_tool/a~1b~0\\u001b[2J/operation is required');
    expect(messages.join('')).not.toContain('\u001b');
  });

  it('rejects breaking-point details when detected is false', () => {
    expect(errorsOf(withValue('breaking_point', { detected: false, vus: 42 }))).toContain(
      '/breaking_point/vus must be absent here',
    );
  });

  it('requires every detail of a detected breaking point, and accepts them all', () => {
    expect(errorsOf(withValue('breaking_point', { detected: true }))).toContain(
      '/breaking_point/vus is required',
    );
    expect(
      errorsOf(
        withValue('breaking_point', {
          detected: true,
          vus: 42,
          reason: 'latency_degradation',
          detail: 'P99 450ms exceeds 3.0x baseline 120ms',
          timestamp: '2026-02-27T14:31:15.456789Z',
          elapsed_secs: 96.2,
          stage: 2,
          target_vus: 44,
          stopped_run: false,
        }),
      ),
    ).toEqual([]);
  });

  it('requires the name key matching each scenario step type', () => {
    const step = { type: 'resources/read', weight: 1, tool: 'add' };
    const messages = errorsOf(withValue('config.scenario', [step]));
    expect(messages).toContain('/config/scenario/0/uri is required');
    expect(messages).toContain('/config/scenario/0/tool must be absent here');
  });

  it('lists the same error kinds as ERROR_KINDS', () => {
    const counts = schema.definitions.errorCounts;
    expect(counts.required).toEqual([...ERROR_KINDS]);
    expect(Object.keys(counts.properties)).toEqual([...ERROR_KINDS]);
    expect(Object.keys(schema.properties.error_samples.properties)).toEqual([...ERROR_KINDS]);
  });

  it('lists the same operation types and version as the code', () => {
    expect(schema.definitions.operationType.enum).toEqual([...OPERATION_TYPES]);
    expect(schema.properties.schema_version.const).toBe(REPORT_SCHEMA_VERSION);
  });

  it('requires every top-level property the sample report has', () => {
    expect([...schema.required].sort()).toEqual(Object.keys(sampleReport()).sort());
  });
});

describe('assertValidReport', () => {
  it('passes a valid report', () => {
    expect(() => assertValidReport(sampleReport())).not.toThrow();
  });

  it('throws REPORT_INVALID with exit code 1 naming at most three problems', () => {
    const report = mutable();
    delete report.timestamp;
    delete report.target_url;
    delete report.duration_secs;
    delete report.completed;
    let caught: unknown;
    try {
      assertValidReport(report);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LoadtestError);
    const error = caught as LoadtestError;
    expect(error.code).toBe('REPORT_INVALID');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      'internal error: the report does not match schema/report.schema.json: ' +
        '/timestamp is required; /target_url is required; /duration_secs is required',
    );
  });
});

describe('writing the report', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-loadtest-report-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the default path after the UTC time with milliseconds', () => {
    expect(defaultReportPath('/work', new Date(Date.UTC(2026, 1, 27, 14, 30, 45, 123)))).toBe(
      join('/work', '.pmcp', 'reports', 'loadtest-2026-02-27T14-30-45.123Z.json'),
    );
  });

  it('creates missing folders and writes 2-space JSON with a trailing newline', () => {
    const path = defaultReportPath(dir, new Date(Date.UTC(2026, 1, 27, 14, 30, 45, 123)));
    const report = sampleErrorReport();
    writeReportAtomic(path, report);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(JSON.parse(text)).toEqual(report);
  });

  it('leaves no temporary file behind', () => {
    const path = join(dir, 'report.json');
    writeReportAtomic(path, sampleReport());
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('replaces an existing report', () => {
    const path = join(dir, 'report.json');
    writeFileSync(path, 'old');
    writeReportAtomicSync(path, sampleReport());
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(sampleReport());
  });

  it('does not write an invalid report', () => {
    const path = join(dir, 'reports', 'report.json');
    const report = { ...sampleReport(), schema_version: '1.1' };
    expect(() => writeReportAtomic(path, report as never)).toThrow(
      expect.objectContaining({ code: 'REPORT_INVALID', exitCode: 1 }),
    );
    expect(existsSync(path)).toBe(false);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });

  it('reports a write failure as REPORT_WRITE naming the path and leaves no temporary file', () => {
    mkdirSync(join(dir, 'target.json'));
    const path = join(dir, 'target.json');
    let caught: unknown;
    try {
      writeReportAtomic(path, sampleReport());
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'REPORT_WRITE', exitCode: 4 });
    expect((caught as Error).message).toMatch(
      new RegExp(`^cannot write report ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
    );
    expect(readdirSync(dir)).toEqual(['target.json']);
  });

  it('reports a parent that is a file as REPORT_WRITE', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(() => writeReportAtomic(join(dir, 'file', 'report.json'), sampleReport())).toThrow(
      /^cannot write report .*report\.json: a parent of the path is (not a directory|a file)/,
    );
  });
});
