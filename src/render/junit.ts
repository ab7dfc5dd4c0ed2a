/**
 * The gate as JUnit XML, so CI test reporters (GitHub test-report actions, GitLab, Jenkins) show
 * each limit as a test: one `<testcase>` per evaluated threshold (suite "thresholds") and one per
 * gated comparison row (suite "comparison"), failed ones with a `<failure>` saying what was
 * measured. The format is the Ant/Surefire one CI reporters read (the tests validate it against
 * test/fixtures/junit/junit.xsd). Case names carry no figures, so a reporter can follow a case
 * from run to run; the figures are in the failure message and `<system-out>`.
 * Pure: report in, string out.
 */
import type { ComparisonRow, Report, ThresholdResult } from '../report/types.js';
import { describeRow, rowVerdict } from './comparison-format.js';
import { sanitizeForTerminal } from './format.js';
import { describeFailedThreshold } from './threshold-lines.js';

interface Case {
  readonly name: string;
  readonly classname: string;
  readonly failure: { message: string; type: string } | null;
  readonly out: string;
}

export function renderJunit(report: Report): string {
  const suites: { name: string; cases: Case[] }[] = [];
  if (report.thresholds.length > 0) {
    suites.push({ name: 'mcp-loadtest thresholds', cases: report.thresholds.map(thresholdCase) });
  }
  const gated = report.comparison?.rows.filter((row) => row.limit !== null) ?? [];
  if (gated.length > 0) {
    suites.push({ name: 'mcp-loadtest comparison', cases: gated.map(comparisonCase) });
  }
  const time = seconds(report.duration_secs);
  const count = (cases: readonly Case[]): [number, number] => [
    cases.length,
    cases.filter((c) => c.failure !== null).length,
  ];
  const all = suites.flatMap((s) => s.cases);
  const [tests, failures] = count(all);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mcp-loadtest" tests="${tests}" failures="${failures}" errors="0" time="${time}">`,
  ];
  for (const suite of suites) {
    const [n, failed] = count(suite.cases);
    lines.push(
      `  <testsuite name="${attr(suite.name)}" tests="${n}" failures="${failed}" errors="0" skipped="0" time="${time}" timestamp="${attr(report.started_at)}">`,
    );
    for (const c of suite.cases) lines.push(...caseLines(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function thresholdCase(t: ThresholdResult): Case {
  const scope = t.scope === null ? 'overall' : clean(t.scope);
  const observed = t.observed === null ? 'not measured' : String(t.observed);
  return {
    name: `${t.metric} ${scope}`,
    classname: 'mcp-loadtest.thresholds',
    failure: t.passed ? null : { message: describeFailedThreshold(t), type: 'threshold' },
    out: `${t.metric} (${scope}): observed ${observed}, limit ${t.limit}`,
  };
}

function comparisonCase(row: ComparisonRow): Case {
  const scope = row.scope === null ? 'overall' : clean(row.scope);
  const text = describeRow(row, row.scope === null ? 'the whole run' : scope);
  const verdict = rowVerdict(row);
  return {
    name: `${row.metric} ${scope} (against the baseline)`,
    classname: 'mcp-loadtest.comparison',
    failure: row.regressed ? { message: `regression: ${text}`, type: 'regression' } : null,
    out: verdict === 'within noise' ? `${text}: beyond the limit but not significant` : text,
  };
}

function caseLines(c: Case): string[] {
  const open = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}" time="0">`;
  const body = [];
  if (c.failure !== null) {
    body.push(
      `      <failure message="${attr(c.failure.message)}" type="${attr(c.failure.type)}">${text(c.failure.message)}</failure>`,
    );
  }
  body.push(`      <system-out>${text(c.out)}</system-out>`);
  return [open, ...body, '    </testcase>'];
}

/** Seconds with three decimals, as the JUnit `time` attribute (digits and a dot) expects. */
function seconds(secs: number): string {
  return Number.isFinite(secs) && secs >= 0 ? secs.toFixed(3) : '0';
}

/** Server text made printable on one line; XML 1.0 forbids most control characters outright. */
function clean(s: string): string {
  return sanitizeForTerminal(s)
    .replace(/[\ufffe\uffff]/g, '\ufffd')
    .trim();
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
