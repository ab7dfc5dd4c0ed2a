import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/render/html/html-report.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderSummary } from '../../src/render/summary.js';
import { validateReport } from '../../src/report/validate-report.js';
import { sampleReport } from '../fixtures/reports/sample-report.js';

const MODERN = sampleReport({
  protocol: {
    version: '2026-07-28',
    era: 'modern',
    selection: 'auto',
    input_rounds: 4,
    tasks: 3,
    task_polls: 9,
    server_requests: { answered: {}, unanswered: {} },
  },
});

describe('the protocol era in the report and the summary', () => {
  it('a 2026-07-28 report with the protocol figures is valid against the schema', () => {
    expect(validateReport(MODERN)).toEqual({ valid: true });
  });

  it('says stateless instead of handshake figures in the 2026-07-28 era', () => {
    const text = renderSummary(MODERN, { color: false, width: 120 });
    expect(text).toContain(
      'mcp_session.................: stateless (MCP 2026-07-28: no handshake, no session)',
    );
    expect(text).not.toContain('mcp_handshake_duration');
    expect(text).toContain('protocol 2026-07-28 (stateless) over streamable-http');
    expect(text).toContain('  protocol: 4 input_required rounds · 3 tasks (9 polls)');
  });

  it('keeps the handshake figures in the 2025 era and marks a pinned revision', () => {
    const legacy = sampleReport({
      protocol: { version: '2025-11-25', era: 'legacy', selection: '2025-11-25' },
    });
    const text = renderSummary(legacy, { color: false, width: 120 });
    expect(text).toContain('mcp_handshake_duration');
    expect(text).toContain('protocol 2025-11-25 (sessions) (pinned) over streamable-http');
  });

  it('says the 2025 era with no session id, and the transport, alike in the summary, markdown and HTML', () => {
    const report = sampleReport({ config: { transport: 'sse' } });
    report.handshake.sessions_created = 0;
    const phrase = 'protocol 2025-11-25 (no session id) over sse';
    expect(validateReport(report)).toEqual({ valid: true });
    expect(renderSummary(report, { color: false, width: 120 })).toContain(phrase);
    expect(renderMarkdown(report)).toContain(
      phrase.replace('2025-11-25', '<code>2025-11-25</code>'),
    );
    expect(renderHtmlReport(report).replace(/<\/?code>/g, '')).toContain(phrase);
  });

  it('says how many requests were retried after a mid-run -32022', () => {
    const report = sampleReport({ protocol: { era: 'modern', version_retries: 2 } });
    expect(validateReport(report)).toEqual({ valid: true });
    expect(renderSummary(report, { color: false, width: 120 })).toContain(
      '  protocol: 2 requests retried after -32022',
    );
  });

  it('names the steps that got notifications, with first-byte and first-progress means', () => {
    const report = sampleReport();
    const tool = Object.keys(report.per_tool)[0]!;
    report.per_tool[tool]!.notifications = {
      progress: 12,
      logging: 4,
      first_byte: { count: 4, min_ms: 1, mean_ms: 1.5, max_ms: 2 },
      first_progress: { count: 4, min_ms: 90, mean_ms: 101, max_ms: 120 },
    };
    expect(validateReport(report)).toEqual({ valid: true });
    const phrase = `${tool}: 12 progress, 4 logging (first byte 1.50ms, first progress 101ms)`;
    expect(renderSummary(report, { color: false, width: 120 })).toContain(
      `  notifications: ${phrase}`,
    );
    expect(renderMarkdown(report)).toContain(
      `**Notifications:** <code>${tool}</code>${phrase.slice(tool.length)}`,
    );
  });

  it('names the server requests that went unanswered', () => {
    const refused = sampleReport({
      protocol: {
        era: 'legacy',
        server_requests: { answered: {}, unanswered: { 'sampling/createMessage': 12 } },
      },
    });
    expect(validateReport(refused)).toEqual({ valid: true });
    expect(renderSummary(refused, { color: false, width: 120 })).toContain(
      'server requests refused (no [client] answer): sampling/createMessage ×12',
    );
  });
});

describe('a transport detected under protocol auto', () => {
  const SSE = sampleReport({
    config: { transport: 'sse' },
    protocol: { version: '2025-11-25', era: 'legacy', selection: 'auto', transport_detected: true },
  });

  it('is valid against the schema', () => {
    expect(validateReport(SSE)).toEqual({ valid: true });
  });

  it('is said to be detected in the summary and the markdown', () => {
    expect(renderSummary(SSE, { color: false, width: 80 })).toContain(
      '  connection: protocol 2025-11-25 (sessions) over sse (detected)\n',
    );
    expect(renderMarkdown(SSE)).toContain('over sse (detected)');
  });

  it('shows no JSON/SSE response mix over HTTP+SSE, where every response is a stream event', () => {
    expect(renderSummary(SSE, { color: false, width: 200 })).not.toContain('responses:');
    expect(renderMarkdown(SSE)).not.toContain('responses:');
  });

  it('is not said of a configured transport', () => {
    const set = sampleReport({
      config: { transport: 'sse' },
      protocol: { transport_detected: false },
    });
    expect(renderSummary(set, { color: false, width: 200 })).not.toContain('(detected)');
  });
});
