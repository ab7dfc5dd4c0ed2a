/**
 * `run --junit`: the gate as JUnit XML, validated against the Jenkins/Ant JUnit schema with
 * xmllint, one test case per threshold and per gated comparison row.
 */
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/render/junit.js';
import type { Report } from '../../src/report/types.js';
import { HOSTILE_TOOL_NAME, sampleReport } from '../fixtures/reports/sample-report.js';
import { comparedReport } from '../fixtures/reports/compared-report.js';
import { withThresholds } from '../fixtures/reports/timeline.js';
import { validateJunitXml } from '../helpers/xmllint.js';

function thresholdReport(): Report {
  return withThresholds(sampleReport(), [
    { metric: 'p99_ms', scope: null, limit: 500, observed: 1.2, passed: true },
    { metric: 'error_rate', scope: null, limit: 0.001, observed: 0.0021, passed: false },
    { metric: 'p95_ms', scope: 'add', limit: 0.5, observed: 0.774, passed: false },
    { metric: 'p50_ms', scope: 'explain', limit: 10, observed: null, passed: false },
  ]);
}

describe('renderJunit', () => {
  it('writes one valid test case per threshold, failed ones with a <failure>', () => {
    const xml = renderJunit(thresholdReport());
    expect(validateJunitXml(xml)).toEqual({ valid: true, output: '- validates\n' });
    expect(xml).toContain(
      '<testsuites name="mcp-loadtest" tests="4" failures="3" errors="0" time="60.418">',
    );
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain(
      '<failure message="error_rate 0.0021 &gt; 0.001 (overall)" type="threshold">',
    );
    expect(xml).toContain('<testcase name="p50_ms explain" classname="mcp-loadtest.thresholds"');
    expect(xml).toContain('p50_ms not measured');
  });

  it('writes one valid test case per gated comparison row, regressions failed', () => {
    const report = comparedReport();
    const xml = renderJunit(report);
    expect(validateJunitXml(xml)).toEqual({ valid: true, output: '- validates\n' });
    const gated = report.comparison!.rows.filter((r) => r.limit !== null);
    const regressed = gated.filter((r) => r.regressed);
    expect(regressed.map((r) => [r.metric, r.scope])).toEqual([
      ['p99_ms', null],
      ['p99_ms', 'add'],
      ['p99_ms', 'divide'],
      ['p99_ms', 'calc://constants'],
      ['p99_ms', 'explain'],
    ]);
    expect(xml).toContain(
      `<testsuite name="mcp-loadtest comparison" tests="${gated.length}" failures="5"`,
    );
    expect(xml).toContain(
      '<testcase name="p99_ms add (against the baseline)" classname="mcp-loadtest.comparison" time="0">',
    );
    expect(xml).toMatch(
      /<failure message="regression: p99 of add [^"]+ \(↑ 200\.0%, limit ≤ \+15%, p 0\.004\)" type="regression">/,
    );
  });

  it('keeps a hostile tool name inert and the document valid', () => {
    const report = withThresholds(sampleReport(), [
      {
        metric: 'p99_ms',
        scope: `${HOSTILE_TOOL_NAME} <x a="1"> & '`,
        limit: 1,
        observed: 2,
        passed: false,
      },
    ]);
    const xml = renderJunit(report);
    expect(validateJunitXml(xml)).toEqual({ valid: true, output: '- validates\n' });
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain('&lt;x a=&quot;1&quot;&gt; &amp; &apos;');
  });

  it('writes a valid, empty document when nothing gates the run', () => {
    const xml = renderJunit(sampleReport());
    expect(validateJunitXml(xml)).toEqual({ valid: true, output: '- validates\n' });
    expect(xml).toContain('tests="0" failures="0"');
  });

  it('is rejected by the schema when a required attribute is missing (the check can fail)', () => {
    const xml = renderJunit(thresholdReport())
      .replace(/ tests="4"/, '')
      .replace(/<testsuite name="[^"]*"/, '<testsuite');
    expect(validateJunitXml(xml).valid).toBe(false);
  });
});
