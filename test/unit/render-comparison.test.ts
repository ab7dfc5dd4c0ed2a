/**
 * The comparison with a baseline as users see it: in the run's summary and markdown, and as
 * `compare --markdown` prints it. Golden files pin the layout; the rest checks what each part says.
 */
import { describe, expect, it } from 'vitest';
import { colors } from '../../src/render/colors.js';
import {
  formatChange,
  formatComparisonLimit,
  formatPValue,
} from '../../src/render/comparison-format.js';
import { renderComparison, verdictLine } from '../../src/render/comparison-table.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import {
  MAX_COMPARISON_ROWS,
  renderComparisonMarkdown,
} from '../../src/render/markdown-comparison.js';
import { renderSummary } from '../../src/render/summary.js';
import type { ComparisonRow } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { comparedReport } from '../fixtures/reports/compared-report.js';
import { HOSTILE_TOOL_NAME } from '../fixtures/reports/sample-report.js';

/** Golden files in test/golden, rewritten by `vitest -u` (vitest's file snapshots). */
const expectGolden = (name: string, actual: string): Promise<void> =>
  expect(actual).toMatchFileSnapshot(`../golden/${name}`);

const ROW: ComparisonRow = {
  metric: 'p99_ms',
  scope: null,
  base: 10,
  head: 12.5,
  delta: 2.5,
  change_ratio: 0.25,
  limit: 0.15,
  beyond_limit: true,
  p_value: 0.0004,
  significant: true,
  regressed: true,
};

describe('comparison rendering', () => {
  it('pins the summary of a run 3× slower than its baseline', async () => {
    const report = comparedReport();
    expect(validateReport(report)).toEqual({ valid: true });
    await expectGolden(
      'summary-comparison.txt',
      renderSummary(report, { color: false, width: 100 }),
    );
  });

  it('pins the markdown of a run 3× slower than its baseline', async () => {
    await expectGolden('markdown-comparison.md', renderMarkdown(comparedReport()));
  });

  it('pins compare --markdown', async () => {
    await expectGolden(
      'compare-markdown.md',
      renderComparisonMarkdown(comparedReport().comparison!),
    );
  });

  it('shows a change with an arrow and a percentage, and an error rate in points', () => {
    expect(formatChange(ROW)).toBe('↑ 25.0%');
    expect(formatChange({ ...ROW, change_ratio: -0.5 })).toBe('↓ 50.0%');
    expect(formatChange({ ...ROW, change_ratio: 0.0001 })).toBe('= 0.0%');
    expect(formatChange({ ...ROW, metric: 'error_rate', delta: 0.012, change_ratio: null })).toBe(
      '↑ 1.2 pt',
    );
    expect(formatChange({ ...ROW, change_ratio: null })).toBe('-');
  });

  it('shows each limit in the direction it gates', () => {
    expect(formatComparisonLimit(ROW)).toBe('≤ +15%');
    expect(formatComparisonLimit({ ...ROW, metric: 'error_rate', limit: 0.01 })).toBe('≤ +1 pt');
    expect(formatComparisonLimit({ ...ROW, metric: 'throughput_rps', limit: 0.9 })).toBe('≥ 90%');
    expect(formatComparisonLimit({ ...ROW, metric: 'p50_ms', limit: null })).toBe('');
    expect(formatPValue(0.0004)).toBe('<0.001');
    expect(formatPValue(0.0421)).toBe('0.042');
  });

  it('names every regressed tool in the verdict line', () => {
    expect(verdictLine(comparedReport().comparison!, colors(false))).toBe(
      'comparison: regression in p99 (overall, add, divide, calc://constants, explain)',
    );
    expect(verdictLine(comparedReport(1).comparison!, colors(false))).toBe(
      'comparison: no regression (15 limits checked)',
    );
  });

  it('keeps a hostile tool name inert in the terminal and in markdown', () => {
    const comparison = comparedReport().comparison!;
    comparison.rows = comparison.rows.map((r) =>
      r.scope === 'add' ? { ...r, scope: HOSTILE_TOOL_NAME } : r,
    );
    const terminal = renderComparison(comparison, colors(false), 80).join('\n');
    expect(terminal).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    const markdown = renderComparisonMarkdown(comparison);
    expect(markdown).not.toContain('\u001b');
    expect(markdown.split('\n').filter((l) => l.includes('evil'))).toHaveLength(6);
  });

  it('bounds the markdown table and never cuts a regressed row', () => {
    const comparison = comparedReport().comparison!;
    const many = Array.from({ length: 100 }, (_, i) => ({
      ...ROW,
      scope: `tool-${i}`,
      regressed: false,
    }));
    comparison.rows = [...many, { ...ROW, scope: 'the-slow-one' }];
    const markdown = renderComparisonMarkdown(comparison);
    const rows = markdown.split('\n').filter((l) => l.startsWith('| <code>'));
    expect(rows).toHaveLength(MAX_COMPARISON_ROWS);
    expect(markdown).toContain('<code>the-slow-one</code>');
    expect(markdown).toContain(
      `| … ${101 - MAX_COMPARISON_ROWS} more rows (see the JSON report) |`,
    );
  });
});

describe('paired A/B comparison rendering', () => {
  const paired = () => {
    const report = comparedReport();
    report.comparison = {
      ...report.comparison!,
      baseline: {
        ...report.comparison!.baseline,
        source: null,
        target_url: 'http://127.0.0.1:3001/mcp',
      },
      paired: { rounds: 4, round_secs: 7.5, order: 'ABBAABBA' },
    };
    return report;
  };

  it('names the baseline server, the rounds and their order in the summary', () => {
    expect(validateReport(paired())).toEqual({ valid: true });
    expect(renderSummary(paired(), { color: false, width: 100 })).toContain(
      '  paired A/B with the baseline http://127.0.0.1:3001/mcp: 4 rounds of 7.5s each, order ABBAABBA',
    );
  });

  it('names the baseline server, the rounds and their order in the markdown', () => {
    expect(renderMarkdown(paired())).toMatch(
      /^Paired A\/B with the baseline server <code>http&#58;\/\/127\.0\.0\.1&#58;3001\/mcp<\/code>: 4 rounds of 7\.5 s each, order ABBAABBA · one-sided Mann–Whitney U/m,
    );
  });
});
