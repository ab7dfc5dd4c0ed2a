import { describe, expect, it } from 'vitest';
import { withThresholds } from '../../src/gate/thresholds.js';
import type { Report } from '../../src/report/types.js';
import { displayWidth } from '../../src/render/format.js';
import { renderSummary } from '../../src/render/summary.js';
import { validateReport } from '../../src/report/validate-report.js';
import {
  HOSTILE_TOOL_NAME,
  sampleErrorReport,
  sampleReport,
  zeroRequestReport,
} from '../fixtures/reports/sample-report.js';

/** Golden files pin what users see (vitest file snapshots: `npx vitest run -u` rewrites them). */
const expectGolden = (name: string, actual: string): Promise<void> =>
  expect(actual).toMatchFileSnapshot(`../golden/${name}`);

const HOSTILE_NAMES = [
  HOSTILE_TOOL_NAME,
  `long_${'a'.repeat(195)}`,
  '全角ツール名前テストとても長い名前です',
  '👨‍👩‍👧‍👦 family 🇯🇵',
  'bidi\u202eesrever\u202c',
  'cr\rforged\u001b[2K\u001b[1Gline',
  '\n  mcp_req_error_count.........: 0',
];

function hostileReport(): Report {
  const report = sampleErrorReport();
  const template = report.per_tool.search!;
  report.per_tool = Object.fromEntries(
    HOSTILE_NAMES.map((name, i) => [name, { ...template, total_requests: 1000 - i }]),
  );
  report.protocol.server_info = {
    name: 'srv\u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007',
    version: '1.0\n\u001b[31mPWNED',
  };
  report.error_samples.timeout = 'first line\n  mcp_req_error_count.........: 0\u001b[0m';
  report.target_url = 'http://localhost:3000/mcp?\u001b[8mhidden';
  return report;
}

/** The sample run gated: overall pass and fail, the breaking point, per-tool pass, fail and null. */
function gatedReport(): Report {
  return withThresholds(sampleReport(), {
    p50Ms: 1,
    p99Ms: 1,
    errorRate: 0.05,
    minThroughputRps: 100,
    failOnBreakingPoint: true,
    tools: {
      divide: { errorRate: 0.001 },
      'calc://constants': { p99Ms: 10 },
      ghost: { p95Ms: 5 },
    },
  });
}

/** The thresholds block: from its title to the blank line (or the end) after it. */
function thresholdLines(summary: string): string[] {
  const lines = summary.split('\n');
  const start = lines.findIndex((line) => line.startsWith('  thresholds:'));
  const end = lines.indexOf('', start);
  return start === -1 ? [] : lines.slice(start, end);
}

/** The per-tool table: from its header to the blank line after it. */
function tableLines(summary: string): string[] {
  const lines = summary.split('\n');
  const start = lines.findIndex((line) => line.startsWith('  tool '));
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

describe('renderSummary', () => {
  it('renders the sample run as the Rust tool lays it out', async () => {
    await expectGolden('summary-sample.txt', renderSummary(sampleReport(), { color: false }));
  });

  it('renders errors by kind, handshake failures, a breaking point and an interrupted stop', async () => {
    await expectGolden('summary-errors.txt', renderSummary(sampleErrorReport(), { color: false }));
  });

  it('renders a run with zero requests with "-" and no NaN or Infinity', async () => {
    const summary = renderSummary(zeroRequestReport(), { color: false });
    await expectGolden('summary-zero-requests.txt', summary);
    expect(summary).not.toMatch(/NaN|Infinity|undefined|null/);
  });

  it('renders hostile names without escapes, forged lines or broken columns', async () => {
    const report = hostileReport();
    expect(validateReport(report)).toEqual({ valid: true });
    const summary = renderSummary(report, { color: false });
    await expectGolden('summary-hostile.txt', summary);
    expect(summary).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(summary.match(/^ {2}mcp_req_error_count\.+: /gm)).toHaveLength(1);
    const table = tableLines(summary);
    expect(table).toHaveLength(2 + HOSTILE_NAMES.length);
    for (const line of table) expect(displayWidth(line)).toBe(80);
  });

  it('keeps the numbers of every row in the Rust tool columns', () => {
    const rows = tableLines(renderSummary(hostileReport(), { color: false })).slice(2);
    for (const row of rows) {
      expect(row.slice(-48)).toMatch(
        /^ {3,4}\d{3,4} {4}26\.5\/s {3}8\.8% {2}8\.10ms {2}42\.7ms {2}61\.3ms$/,
      );
    }
  });

  it('sorts tools by requests, busiest first', () => {
    const rows = tableLines(renderSummary(sampleErrorReport(), { color: false })).slice(2);
    expect(rows.map((row) => row.trim().split(/\s+/)[0])).toEqual(['add', 'search', 'evil']);
  });

  it('lists error kinds by count, highest first', () => {
    const summary = renderSummary(sampleErrorReport(), { color: false });
    const kinds = [...summary.matchAll(/^ {4}(\w+)\.+: (\d+)$/gm)].map((m) => m[1]);
    expect(kinds).toEqual([
      'timeout',
      'tool',
      'jsonrpc',
      'http',
      'protocol',
      'response_too_large',
      'connection',
      'session_expired',
    ]);
  });

  it('shows uncorrected latency only when its p99 differs from the corrected one', () => {
    const same = sampleReport();
    same.metrics.latency_uncorrected = { ...same.metrics.latency_uncorrected, p99_ms: 1.0741 };
    expect(renderSummary(same, { color: false })).not.toContain('mcp_req_duration_uncorrected');
    expect(renderSummary(sampleReport(), { color: false })).toContain(
      '  mcp_req_duration_uncorrected: p50=269µs  p95=741µs  p99=1.06ms',
    );
  });

  it('counts handshakes, not "0 sessions", for a server that gives no session id', () => {
    const report = sampleReport();
    report.handshake = { ...report.handshake, sessions_created: 0, success_count: 2 };
    const text = renderSummary(report, { color: false });
    expect(text).toMatch(/mcp_handshake_duration\.*: .*\(2 handshakes, no session id\)\n/);
    expect(text).not.toContain('0 sessions');
  });

  it('adds ANSI colours only when colour is on', () => {
    const report = sampleErrorReport();
    const coloured = renderSummary(report, { color: true });
    expect(coloured).toContain('\u001b[31m129\u001b[39m');
    expect(coloured).toContain('\u001b[2m');
    expect(renderSummary(report, { color: false })).not.toContain('\u001b');
    expect(renderSummary(hostileReport(), { color: false })).not.toContain('\u001b');
  });

  it('says why a run stopped early', () => {
    expect(renderSummary(sampleErrorReport(), { color: false })).toContain(
      '  Run interrupted (SIGINT/SIGTERM) after 38.5s: the results cover only the part that ran.\n' +
        '  7 requests still in flight at the stop (not counted).\n',
    );
    expect(renderSummary(sampleReport(), { color: false })).not.toMatch(/interrupted|stopped/i);
  });

  it('narrows the tool column to fit a narrow terminal', () => {
    const table = tableLines(renderSummary(sampleReport(), { color: false, width: 70 }));
    for (const line of table) expect(displayWidth(line)).toBe(70);
  });

  it('widens the tool column on a wide terminal only as far as the longest name needs', () => {
    const report = sampleReport({ per_tool: {} });
    report.per_tool = { [`tool_${'x'.repeat(45)}`]: sampleReport().per_tool.add! };
    const table = tableLines(renderSummary(report, { color: false, width: 200 }));
    expect(table[2]).toContain(`tool_${'x'.repeat(45)} `);
    for (const line of table) expect(displayWidth(line)).toBe(2 + 51 + 48);
  });

  it('renders the thresholds after the per-tool table, passed and failed', async () => {
    const summary = renderSummary(gatedReport(), { color: false });
    await expectGolden('summary-thresholds.txt', summary);
    expect(summary.indexOf('  thresholds:')).toBeGreaterThan(summary.indexOf('per-tool metrics:'));
    // The colons line up with the metric rows above.
    expect(summary).toContain('\n  mcp_req_duration............: ');
    expect(thresholdLines(summary)).toEqual([
      '  thresholds: 4 of 8 failed',
      '    ✓ p50_ms..................: 271µs <= 1ms',
      '    ✗ p99_ms..................: 1.07ms > 1ms',
      '    ✓ error_rate..............: 0.1% <= 5%',
      '    ✗ min_throughput_rps......: 80.8 req/s < 100 req/s',
      '    ✓ breaking_point..........: none detected',
      '    ✗ error_rate (divide).....: 0.2% > 0.1%',
      '    ✓ p99_ms (calc://constants): 843µs <= 10ms',
      '    ✗ p95_ms (ghost)..........: no successful request (limit 5ms)',
    ]);
  });

  it('says when every threshold passed', () => {
    const report = withThresholds(sampleReport(), {
      p99Ms: 5,
      failOnBreakingPoint: false,
      tools: {},
    });
    expect(thresholdLines(renderSummary(report, { color: false }))).toEqual([
      '  thresholds: all 1 passed',
      '    ✓ p99_ms..................: 1.07ms <= 5ms',
    ]);
  });

  it('omits the thresholds block when none was set', () => {
    expect(renderSummary(sampleReport(), { color: false })).not.toContain('thresholds:');
  });

  it('colours the threshold marks only when colour is on', () => {
    const coloured = renderSummary(gatedReport(), { color: true });
    expect(coloured).toContain('\u001b[32m✓\u001b[39m p50_ms');
    expect(coloured).toContain('\u001b[31m✗\u001b[39m p99_ms');
    expect(renderSummary(gatedReport(), { color: false })).not.toContain('\u001b');
  });

  it('cuts a long or hostile scope name so a threshold line fits the terminal', () => {
    const report = withThresholds(hostileReport(), {
      failOnBreakingPoint: false,
      tools: Object.fromEntries(HOSTILE_NAMES.map((name) => [name, { p99Ms: 100 }])),
    });
    const lines = thresholdLines(renderSummary(report, { color: false }));
    expect(lines).toHaveLength(1 + HOSTILE_NAMES.length);
    for (const line of lines) {
      expect(displayWidth(line)).toBeLessThanOrEqual(80);
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    }
  });

  it('says no breaking point was detected, with the peak VUs', () => {
    const report = sampleReport();
    report.handshake.peak_vus = 37;
    expect(renderSummary(report, { color: false })).toContain(
      '\n  breaking point: none detected (peak 37 VUs)\n',
    );
  });

  it('places a detected breaking point: VUs, time, stage, reason, and a stop it caused', () => {
    const report = sampleErrorReport();
    report.breaking_point = {
      ...report.breaking_point,
      stage: 2,
      stopped_run: true,
      reason: 'latency_degradation',
      detail: 'p99 310.0ms is 3.4x baseline 91.2ms',
    };
    expect(renderSummary(report, { color: false })).toContain(
      '\n  breaking point: detected at 42 VUs after 30.3s in stage 2 (latency_degradation: p99 310.0ms is 3.4x baseline 91.2ms); the run stopped there (stop_on_breaking_point)\n',
    );
  });

  it('omits the per-tool table when there is no per-tool data', () => {
    const report = { ...sampleReport(), per_tool: {} };
    expect(renderSummary(report, { color: false })).not.toContain('per-tool metrics:');
  });
});
