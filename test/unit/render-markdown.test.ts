import { describe, expect, it } from 'vitest';
import { ERROR_KINDS } from '../../src/protocol/outcome.js';
import { commentMarker, MAX_MARKDOWN_CHARS, renderMarkdown } from '../../src/render/markdown.js';
import { MAX_POINTS } from '../../src/render/markdown-chart.js';
import type { Report, ThresholdResult } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import {
  HOSTILE_TOOL_NAME,
  sampleErrorReport,
  sampleReport,
  zeroRequestReport,
} from '../fixtures/reports/sample-report.js';
import { rampTimeline, withThresholds, withTimeline } from '../fixtures/reports/timeline.js';

const PASSED: ThresholdResult[] = [
  { metric: 'p99_ms', scope: null, limit: 50, observed: 1.074, passed: true },
  { metric: 'error_rate', scope: null, limit: 0.01, observed: 0.000825, passed: true },
  { metric: 'min_throughput_rps', scope: null, limit: 50, observed: 80.767, passed: true },
  { metric: 'p95_ms', scope: 'divide', limit: 5, observed: 0.812, passed: true },
];

const FAILED: ThresholdResult[] = [
  { metric: 'p99_ms', scope: null, limit: 20, observed: 44.2, passed: false },
  { metric: 'error_rate', scope: null, limit: 0.01, observed: 0.044792, passed: false },
  { metric: 'p95_ms', scope: 'add', limit: 5, observed: 0.871, passed: true },
  { metric: 'error_rate', scope: 'search', limit: 0.05, observed: 0.088235, passed: false },
  { metric: 'breaking_point', scope: null, limit: 0, observed: 1, passed: false },
];

/** Names a hostile server could advertise, each aimed at one way out of a table cell. */
const HOSTILE_NAMES = [
  'pipe | breaks | the | row',
  'tick`s and ``code``',
  '**bold** _it_ ~~strike~~',
  '[click me](https://evil.example/phish)',
  '![pixel](https://evil.example/track.png)',
  '<img src=x onerror=alert(1)>',
  '</code><script>alert(1)</script>',
  '&amp; &lt;entity&gt; &#124;',
  'new\nline | forged | row |\n| --- |',
  '@octocat please look at #1',
  'https://evil.example www.evil.example',
  '$\\huge{BIG}$ :smile:',
  '"quoted" --> ] end',
  'back\\|slash\\',
  '<!-- mcp-loadtest:default -->',
  '```mermaid',
  HOSTILE_TOOL_NAME,
  'bidi\u202eesrever\u202c',
  `long_${'a'.repeat(300)}`,
];

function hostileReport(): Report {
  const report = sampleErrorReport();
  const template = report.per_tool.search!;
  report.per_tool = Object.fromEntries(
    HOSTILE_NAMES.map((name, i) => [name, { ...template, total_requests: 1000 - i }]),
  );
  report.protocol.server_info = {
    name: '<b>srv</b> [x](https://evil.example)',
    version: '1.0\n| injected |',
  };
  report.protocol.version = '2025-11-25`<i>';
  report.error_samples.timeout = 'first `line`\n| forged | row |<img src=x>';
  report.error_samples.jsonrpc = '@everyone [a](b) **x**';
  report.target_url = 'http://localhost:3000/mcp?q=<script>|x';
  return withThresholds(report, [
    { metric: 'p99_ms', scope: HOSTILE_NAMES[5]!, limit: 1, observed: 2, passed: false },
    { metric: 'error_rate', scope: HOSTILE_NAMES[0]!, limit: 0.5, observed: 0.1, passed: true },
  ]);
}

/** A row of the error table: a category, then a count. */
const ERROR_ROW = new RegExp(`^\\| \`(${ERROR_KINDS.join('|')})\` \\| \\d`);

/** The table rows of a markdown string: lines that start with "|". */
function tableRows(md: string): string[] {
  return md.split('\n').filter((line) => line.startsWith('|'));
}

/** Cells of a GFM table row: the row is split on every "|" not escaped with a backslash. */
function cellCount(row: string): number {
  return row.split(/(?<!\\)\|/).length - 2;
}

/** Golden files pin what users see (vitest file snapshots: `npx vitest run -u` rewrites them). */
const expectGolden = (name: string, actual: string): Promise<void> =>
  expect(actual).toMatchFileSnapshot(`../golden/${name}`);

describe('renderMarkdown golden files', () => {
  it('renders a passed run without a breaking point or chart (empty timeline)', async () => {
    await expectGolden(
      'markdown-passed.md',
      renderMarkdown(withThresholds(sampleReport(), PASSED)),
    );
  });

  it('renders failed thresholds, a breaking point and an interrupted run', async () => {
    const report = withThresholds(sampleErrorReport(), FAILED);
    await expectGolden('markdown-failed.md', renderMarkdown(report, { commentKey: 'node-20' }));
  });

  it('renders hostile server-provided names inert', async () => {
    await expectGolden('markdown-hostile.md', renderMarkdown(hostileReport()));
  });

  it('renders a timeline chart of p99 latency and active VUs', async () => {
    const report = withTimeline(withThresholds(sampleReport(), PASSED), rampTimeline(30));
    await expectGolden('markdown-timeline.md', renderMarkdown(report, { title: 'calculator' }));
  });

  it('renders a run with no session: nothing measured', async () => {
    await expectGolden('markdown-zero-requests.md', renderMarkdown(zeroRequestReport()));
  });

  it('uses fixtures that are valid reports', () => {
    for (const report of [
      withThresholds(sampleErrorReport(), FAILED),
      withTimeline(sampleReport(), rampTimeline(30)),
      hostileReport(),
    ]) {
      expect(validateReport(report)).toEqual({ valid: true });
    }
  });
});

describe('renderMarkdown verdict', () => {
  it('says not gated, never passed, when no threshold was set', () => {
    const md = renderMarkdown(sampleReport());
    expect(md).toContain('➖ **Not gated:** the run completed; no thresholds were set');
    expect(md).not.toContain('✅');
  });

  it('shows no ✅ for a run where every request failed and no threshold was set', () => {
    const report = sampleReport();
    const total = report.metrics.total_requests;
    report.metrics = { ...report.metrics, error_count: total, success_count: 0, error_rate: 1 };
    const md = renderMarkdown(report);
    expect(md).not.toContain('✅');
    expect(md).toContain(
      `⚠️ **Errors:** ${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} requests failed (100.0%)`,
    );
  });

  it('names the head commit (short SHA) and links the workflow run when given', () => {
    const md = renderMarkdown(sampleReport(), {
      source: {
        sha: '0123456789abcdef0123456789abcdef01234567',
        runUrl: 'https://github.com/owner/repo/actions/runs/42',
      },
    });
    expect(md).toContain(
      'Commit `0123456` · [workflow run](https://github.com/owner/repo/actions/runs/42)',
    );
  });

  it('leaves out a run link that could break out of the markdown link', () => {
    const md = renderMarkdown(sampleReport(), {
      source: { runUrl: 'https://x/actions/runs/1)[click](https://evil' },
    });
    expect(md).not.toContain('workflow run');
  });

  it('says passed with the number of thresholds met', () => {
    const md = renderMarkdown(withThresholds(sampleReport(), PASSED));
    expect(md).toContain('✅ **Passed:** all 4 thresholds met');
    expect(md).not.toContain('❌');
  });

  it('lists each failed threshold with metric, observed value and limit', () => {
    const md = renderMarkdown(withThresholds(sampleReport(), FAILED));
    const verdict = md.split('\n').find((line) => line.startsWith('❌'));
    expect(verdict).toContain('4 of 5 thresholds failed');
    expect(verdict).toContain('`p99_ms` 44.2ms (limit ≤ 20.0ms)');
    expect(verdict).toContain('`error_rate` 4.48% (limit ≤ 1%)');
    expect(verdict).toContain('`error_rate` of <code>search</code> 8.82% (limit ≤ 5%)');
    expect(verdict).not.toContain('`p95_ms`');
  });

  it('warns when the run did not complete', () => {
    const report = sampleReport({ completed: false, stop_reason: 'interrupted' });
    expect(renderMarkdown(report)).toContain('⚠️ **Incomplete:** the run was interrupted');
  });

  it('names the peak VUs when no breaking point was detected', () => {
    expect(renderMarkdown(sampleReport())).toContain(
      '**Breaking point:** none detected at 10 VUs peak',
    );
  });

  it('lists error categories by count with the first message in a code span', () => {
    const md = renderMarkdown(sampleErrorReport());
    const rows = tableRows(md).filter((row) => ERROR_ROW.test(row));
    expect(rows.map((row) => row.split(' ')[1])).toEqual([
      '`timeout`',
      '`tool`',
      '`jsonrpc`',
      '`http`',
      '`protocol`',
      '`response_too_large`',
    ]);
    expect(rows[0]).toContain('<code>no complete response within 5000 ms</code>');
  });
});

describe('renderMarkdown comment marker', () => {
  it('starts with the default marker when no comment key is given', () => {
    expect(renderMarkdown(sampleReport()).startsWith('<!-- mcp-loadtest:default -->\n')).toBe(true);
  });

  it('starts with the marker of the comment key', () => {
    const md = renderMarkdown(sampleReport(), { commentKey: 'ubuntu / node 24' });
    expect(md.startsWith('<!-- mcp-loadtest:ubuntu / node 24 -->\n')).toBe(true);
  });

  it('cannot be closed early by a key holding "-->"', () => {
    expect(commentMarker('x --> <img src=x>')).toBe('<!-- mcp-loadtest:x --_ _img src=x_ -->');
  });
});

describe('renderMarkdown escaping', () => {
  const md = renderMarkdown(hostileReport());

  it('keeps every table row to its column count', () => {
    const perTool = tableRows(md).filter((row) => row.startsWith('| <code>'));
    expect(perTool).toHaveLength(HOSTILE_NAMES.length);
    for (const row of perTool) expect(cellCount(row)).toBe(7);
    const errors = tableRows(md).filter((row) => ERROR_ROW.test(row));
    expect(errors).toHaveLength(6);
    for (const row of errors) expect(cellCount(row)).toBe(3);
  });

  it('lets no HTML tag through but its own code, sub, details and marker', () => {
    const tags = md.match(/<[^>]*>/g) ?? [];
    const own = new Set([
      ...['<code>', '</code>', '<sub>', '</sub>', '<!-- mcp-loadtest:default -->'],
      ...['<details>', '</details>', '<summary>', '</summary>', '<b>', '</b>'],
    ]);
    expect(tags.filter((tag) => !own.has(tag))).toEqual([]);
  });

  it('lets no link, image, mention, autolink or emphasis through', () => {
    expect(md).not.toMatch(/\]\(|!\[|https?:\/\/evil|www\.evil|@octocat|@everyone|\*\*bold/);
    expect(md).not.toMatch(/[^&]#1/);
    expect(md).not.toContain(':smile:');
  });

  it('keeps hostile line breaks from starting a new line', () => {
    expect(md).not.toMatch(/^\| forged/m);
    expect(md).not.toMatch(/^```mermaid/m);
  });

  it('strips escape sequences and bidirectional overrides', () => {
    expect(md).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it('caps a long name', () => {
    expect(md).toContain(`long&#95;${'a'.repeat(74)}…`);
    expect(md).not.toContain('a'.repeat(80));
  });
});

describe('renderMarkdown timeline chart', () => {
  it('folds the charts into a collapsible details block', () => {
    const md = renderMarkdown(withTimeline(sampleReport(), rampTimeline(4, 10)));
    const open = md.indexOf('<details><summary><b>Latency and load over time</b></summary>');
    const close = md.indexOf('</details>');
    expect(open).toBeGreaterThan(-1);
    expect(md.indexOf('```mermaid')).toBeGreaterThan(open);
    expect(md.lastIndexOf('```mermaid')).toBeLessThan(close);
  });

  it('draws no 0-VU bar for the final partial (drain) interval', () => {
    const timeline = rampTimeline(4, 10);
    const drain = { ...timeline[3]!, elapsed_secs: 8.4, interval_secs: 0.4, active_vus: 0 };
    const md = renderMarkdown(withTimeline(sampleReport(), [...timeline, drain]));
    const bars = md.split('\n').find((l) => l.startsWith('  bar ['))!;
    expect(bars.slice('  bar ['.length, -1).split(', ').map(Number)).toEqual(
      timeline.map((s) => s.active_vus),
    );
  });

  it('omits the chart with no sample or one sample', () => {
    expect(renderMarkdown(withTimeline(sampleReport(), []))).not.toContain('mermaid');
    expect(renderMarkdown(withTimeline(sampleReport(), rampTimeline(1)))).not.toContain('mermaid');
  });

  it('draws p99 and VUs as two xychart-beta blocks from two samples on', () => {
    const md = renderMarkdown(withTimeline(sampleReport(), rampTimeline(2, 10)));
    expect(md.match(/```mermaid\nxychart-beta\n/g)).toHaveLength(2);
    expect(md).toContain('  line [1.2, 61.2]');
    expect(md).toContain('  bar [2, 10]');
    expect(md).toContain('  x-axis "elapsed (s)" 2 --> 4');
  });

  it(`downsamples a long run to at most ${MAX_POINTS} points, keeping the worst p99`, () => {
    const timeline = rampTimeline(1800, 200);
    const md = renderMarkdown(withTimeline(sampleReport(), timeline));
    const line = md.split('\n').find((l) => l.startsWith('  line ['))!;
    const values = line.slice('  line ['.length, -1).split(', ').map(Number);
    expect(values.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(Math.max(...values)).toBe(Math.max(...timeline.map((s) => s.p99_ms)));
    expect(md).toContain('  x-axis "elapsed (s)" 60 --> 3600');
  });
});

describe('renderMarkdown size cap', () => {
  function manyTools(count: number): Report {
    const report = sampleReport();
    const template = report.per_tool.add!;
    report.per_tool = {};
    for (let i = 0; i < count; i++) {
      report.per_tool[`tool_${String(i).padStart(5, '0')}_${'|'.repeat(60)}`] = {
        ...template,
        total_requests: count - i,
      };
    }
    return report;
  }

  it(`stays within ${MAX_MARKDOWN_CHARS} characters by trimming per-tool rows first`, () => {
    const failed: ThresholdResult = {
      metric: 'p99_ms',
      scope: null,
      limit: 1,
      observed: 2,
      passed: false,
    };
    const md = renderMarkdown(withThresholds(manyTools(5000), [failed]));
    expect(md.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
    expect(md).toMatch(/\| … [\d,]+ more \(see the JSON report\) \|/);
    expect(md).toContain('tool&#95;00000');
    expect(md).toContain('❌ **Failed:**');
    expect(md).toContain('**Server:**');
  });

  it('trims passed thresholds before failed ones when they alone are too many', () => {
    const results: ThresholdResult[] = [];
    for (let i = 0; i < 3000; i++) {
      const scope = `t${i}_${'<'.repeat(70)}`;
      results.push({ metric: 'p99_ms', scope, limit: 5, observed: 1, passed: true });
    }
    results.push({ metric: 'error_rate', scope: null, limit: 0, observed: 0.5, passed: false });
    const md = renderMarkdown(withThresholds(manyTools(10), results));
    expect(md.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
    expect(md).toContain('| `error_rate` | all requests | ≤ 0% | 50% | ❌ |');
    expect(md).toMatch(/\| … [\d,]+ more \| \| \| \| \|/);
  });
});
