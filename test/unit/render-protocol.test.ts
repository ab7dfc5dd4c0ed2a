import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/render/summary.js';
import { renderMarkdown } from '../../src/render/markdown.js';
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
    expect(text).toContain('protocol 2026-07-28 (stateless)');
    expect(text).toContain('  protocol: 4 input_required rounds · 3 tasks (9 polls)');
  });

  it('keeps the handshake figures in the 2025 era and marks a pinned revision', () => {
    const legacy = sampleReport({
      protocol: { version: '2025-11-25', era: 'legacy', selection: '2025-11-25' },
    });
    const text = renderSummary(legacy, { color: false, width: 120 });
    expect(text).toContain('mcp_handshake_duration');
    expect(text).toContain('protocol 2025-11-25 (pinned)');
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

describe('the transport in the report, the summary and the markdown', () => {
  const SSE = sampleReport({
    protocol: {
      version: '2025-11-25',
      era: 'legacy',
      selection: 'auto',
      transport: 'sse',
      transport_detected: true,
    },
  });

  it('a report over HTTP+SSE is valid against the schema', () => {
    expect(validateReport(SSE)).toEqual({ valid: true });
  });

  it('names HTTP+SSE and that it was detected, in the summary and the markdown', () => {
    const label = 'sse (HTTP+SSE 2024-11-05, detected)';
    expect(renderSummary(SSE, { color: false, width: 80 })).toContain(`\n  transport: ${label}\n`);
    expect(renderMarkdown(SSE)).toContain(`· transport ${label}`);
  });

  it('says nothing of Streamable HTTP, the default', () => {
    const http = sampleReport({
      protocol: { version: '2025-11-25', era: 'legacy', transport: 'streamable-http' },
    });
    expect(renderSummary(http, { color: false, width: 200 })).not.toContain('transport');
    expect(renderMarkdown(http)).not.toContain('transport');
  });

  it('refuses a transport the schema does not know', () => {
    const bad = sampleReport({ protocol: { transport: 'websocket' as 'sse' } });
    expect(validateReport(bad).valid).toBe(false);
  });
});
