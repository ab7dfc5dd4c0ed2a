/**
 * The report as one self-contained HTML page: verdict, figures, charts (latency percentiles, VUs
 * and throughput, errors by kind over time; the latency distribution), thresholds, the per-tool
 * table, errors and, when the report has one, the baseline comparison.
 *
 * Self-contained: uPlot's script and stylesheet are inlined (chart-library.ts) and a Content
 * Security Policy of `default-src 'none'` tells the browser to load nothing from anywhere, so the
 * file opens offline, from an artifact or an e-mail, and looks the same in a year. Pure: report
 * in, string out.
 */
import type { Report } from '../../report/types.js';
import { formatElapsed } from '../format.js';
import { runShape } from '../markdown-sections.js';
import { chartData } from './html-chart-data.js';
import { UPLOT, type ChartLibrary } from './chart-library.js';
import { CLIENT_SCRIPT } from './html-client.js';
import { comparisonSection } from './html-comparison.js';
import { escapeHtml, inlineScript, jsonForScript, untrustedHtml } from './html-escape.js';
import {
  breakingPointSection,
  errorsSection,
  figuresSection,
  perToolSection,
  serverLine,
  thresholdsSection,
  verdictSection,
} from './html-sections.js';
import { PAGE_CSS } from './html-style.js';

const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export interface HtmlOptions {
  /** The page title; "mcp-loadtest report" when absent. */
  title?: string;
  /** The charting library; the inlined uPlot unless a test passes another. */
  library?: ChartLibrary;
}

export function renderHtmlReport(report: Report, options: HtmlOptions = {}): string {
  const library = options.library ?? UPLOT;
  const title = escapeHtml(options.title ?? 'mcp-loadtest report');
  const data = chartData(report);
  const charts = [
    data.elapsedSecs.length > 0 ? '<div class="chart" id="chart-latency"></div>' : '',
    data.elapsedSecs.length > 0 ? '<div class="chart" id="chart-load"></div>' : '',
    data.errorsByKind.length > 0 ? '<div class="chart" id="chart-errors"></div>' : '',
    data.distribution !== null ? '<div class="chart" id="chart-distribution"></div>' : '',
  ].filter((c) => c !== '');
  const shape = `${escapeHtml(runShape(report))} · ran ${formatElapsed(report.duration_secs)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>${library.css}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p>Target <code>${untrustedHtml(report.target_url)}</code> · ${shape}</p>
<p class="muted">Server ${serverLine(report)} · finished ${escapeHtml(report.timestamp)} · ${escapeHtml(report.tool.name)} ${escapeHtml(report.tool.version)} · seed ${report.config.seed}</p>
${verdictSection(report)}
</header>
<main>
<section id="figures"><h2>Figures</h2>${figuresSection(report)}</section>
<section id="charts"><h2>Over time</h2>${breakingPointSection(report)}${charts.length > 0 ? charts.join('\n') : '<p class="muted">No sample interval was recorded.</p>'}</section>
<section id="thresholds"><h2>Thresholds</h2>${thresholdsSection(report)}</section>
${comparisonSection(report)}
<section id="tools"><h2>Per tool</h2>${perToolSection(report)}</section>
<section id="errors"><h2>Errors</h2>${errorsSection(report)}</section>
</main>
<script type="application/json" id="chart-data">${jsonForScript(data)}</script>
<script>${inlineScript(library.js)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
