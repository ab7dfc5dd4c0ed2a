/**
 * The HTML report as a string (the browser test opens it): escaping of server-chosen text, the
 * chart data, the verdict, the optional comparison, and the promise of no network reference.
 */
import { describe, expect, it } from 'vitest';
import { chartData } from '../../src/render/html/html-chart-data.js';
import { jsonForScript } from '../../src/render/html/html-escape.js';
import { renderHtmlReport } from '../../src/render/html/html-report.js';
import { sampleErrorReport, sampleReport } from '../fixtures/reports/sample-report.js';
import { rampTimeline, withThresholds, withTimeline } from '../fixtures/reports/timeline.js';

const INJECTION = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';

/** The page's markup without the inlined library and client script (their text is trusted). */
function markup(html: string): string {
  return html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
}

describe('renderHtmlReport', () => {
  it('entity-escapes a tool name that holds markup', () => {
    const report = sampleReport();
    report.per_tool[INJECTION] = report.per_tool.add!;
    const html = markup(renderHtmlReport(report));
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;');
    expect(html).not.toContain('<img');
    expect(html.match(/<script\b/g)).toHaveLength(3);
  });

  it('escapes a target URL, error message and server name that hold markup', () => {
    const report = sampleErrorReport({
      target_url: `http://127.0.0.1/mcp?x=${INJECTION}`,
      error_samples: { timeout: INJECTION },
      protocol: { server_info: { name: INJECTION, version: '1' } },
    });
    const html = markup(renderHtmlReport(report));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('alert(2)</script>');
  });

  it('inlines the chart library and references no script or style by URL', () => {
    const html = renderHtmlReport(withTimeline(sampleReport(), rampTimeline(5)));
    expect(html).toContain('var uPlot=');
    expect(html).toContain('.u-legend');
    expect(html).not.toMatch(
      /<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i,
    );
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(html).toContain(`content="default-src 'none';`);
  });

  it('says not gated, not passed, for a run with no threshold', () => {
    const html = renderHtmlReport(sampleReport());
    expect(html).toContain('class="verdict not-gated"');
    expect(html).not.toContain('class="verdict passed"');
  });

  it('says failed with the count of failed thresholds', () => {
    const report = withThresholds(sampleReport(), [
      { metric: 'p99_ms', scope: null, limit: 1, observed: 2, passed: false },
      { metric: 'error_rate', scope: 'add', limit: 0.5, observed: 0, passed: true },
    ]);
    expect(renderHtmlReport(report)).toMatch(
      /class="verdict failed"[^>]*><strong>Failed<\/strong> · 1 of 2 thresholds failed/,
    );
  });

  it('renders a comparison section only when the report has one', () => {
    expect(renderHtmlReport(sampleReport())).not.toContain('id="comparison"');
    const withComparison = {
      ...sampleReport(),
      comparison: { verdict: 'regressed', tools: [{ name: INJECTION, p99_change: 2.5 }] },
    };
    const html = markup(renderHtmlReport(withComparison));
    expect(html).toContain('id="comparison"');
    expect(html).toContain('regressed');
    expect(html).toContain('<th>p99_change</th>');
    expect(html).not.toContain('<img');
  });

  it('makes every per-tool column sortable, with a sort key in each cell', () => {
    const html = renderHtmlReport(sampleErrorReport());
    const table = /<table class="sortable" id="per-tool">[\s\S]*?<\/table>/.exec(html)![0];
    expect(table.match(/<th data-column=/g)).toHaveLength(10);
    expect(table.match(/<td[^>]*data-sort=/g)).toHaveLength(10 * 3);
  });
});

describe('HTML chart data', () => {
  it('leaves the VU level of the final partial (drain) interval out', () => {
    const timeline = rampTimeline(3, 6);
    const drain = { ...timeline[2]!, elapsed_secs: 6.3, interval_secs: 0.3, active_vus: 0 };
    const data = chartData(withTimeline(sampleReport(), [...timeline, drain]));
    expect(data.activeVus).toEqual([...timeline.map((s) => s.active_vus), null]);
    expect(data.throughputRps).toHaveLength(4);
  });

  it('leaves the latency of an interval with no success out rather than drawing 0', () => {
    const timeline = rampTimeline(2);
    const failedAll = {
      ...timeline[1]!,
      requests: 10,
      errors: { ...timeline[1]!.errors, http: 10 },
    };
    const data = chartData(withTimeline(sampleReport(), [timeline[0]!, failedAll]));
    expect(data.p99Ms).toEqual([timeline[0]!.p99_ms, null]);
  });

  it('draws only the error kinds that occurred', () => {
    const data = chartData(withTimeline(sampleReport(), rampTimeline(20)));
    expect(data.errorsByKind.map((e) => e.kind)).toEqual(['timeout']);
  });

  it('marks the breaking point at its elapsed time and VUs', () => {
    const data = chartData(sampleErrorReport());
    expect(data.breakingPoint).toEqual({ elapsedSecs: 30.262, label: 'breaking point at 42 VUs' });
  });

  it('puts the percentiles on a nines axis: p90 at 1, p99 at 2, p99.9 at 3', () => {
    const { distribution } = chartData(sampleReport());
    expect(distribution!.labels).toEqual(['min', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max']);
    expect(distribution!.x.filter((_, i) => [2, 4, 5].includes(i))).toEqual([1, 2, 3]);
  });
});

describe('jsonForScript', () => {
  it('cannot close its script element and parses back to the same value', () => {
    const value = { name: '</script><script>alert(1)</script><!--', amp: 'a&b' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
