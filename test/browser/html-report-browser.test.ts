/**
 * The HTML report as a person sees it: written by the real bundle (dist/cli.js `report-html` and
 * `run --html`), opened in headless Chromium. The page renders, its charts are drawn, tool names
 * are shown as text (a hostile one included), the per-tool table sorts, and nothing is logged as
 * an error or fetched from anywhere.
 *
 * Skipped only on a developer machine without /usr/bin/chromium; under CI (CI set) a missing
 * browser fails the file, since .ci/run installs it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { sanitizeForTerminal } from '../../src/render/format.js';
import type { Report } from '../../src/report/types.js';
import {
  HOSTILE_TOOL_NAME,
  sampleErrorReport,
  zeroRequestReport,
} from '../fixtures/reports/sample-report.js';
import { rampTimeline, withThresholds, withTimeline } from '../fixtures/reports/timeline.js';
import { Browser, CHROMIUM_PATH, type OpenedPage } from '../helpers/browser.js';
import { DEMO_CONFIG } from '../helpers/run-action.js';
import { removeProjects, runCli, tempProject } from '../helpers/run-cli.js';

const haveChromium = existsSync(CHROMIUM_PATH);
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

/** A tool name that would run script if it reached the page as markup. */
const INJECTION_NAME =
  '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>';

/** The troubled sample report: errors, a breaking point, hostile names, thresholds, a timeline. */
function troubledReport(): Report {
  const report = withTimeline(sampleErrorReport(), rampTimeline(20, 50));
  const injected = report.per_tool.add;
  if (injected !== undefined) report.per_tool[INJECTION_NAME] = { ...injected, total_requests: 5 };
  report.breaking_point.elapsed_secs = 30;
  return withThresholds(report, [
    { metric: 'p99_ms', scope: null, limit: 50, observed: 98.6, passed: false },
    { metric: 'error_rate', scope: INJECTION_NAME, limit: 0.05, observed: 0, passed: true },
  ]);
}

// The page's globals, as far as the functions run in it by page.evaluate use them (tsconfig has
// no DOM lib: everything else here runs in Node).
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}
declare const document: { querySelectorAll(selector: 'canvas'): ArrayLike<PageCanvas> };
declare const window: { __pwned?: number };

/** Pixels with any opacity, per canvas on the page. */
async function paintedPixels(page: OpenedPage['page']): Promise<number[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const ctx = canvas.getContext('2d');
      if (ctx === null || canvas.width === 0 || canvas.height === 0) return 0;
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
      return painted;
    }),
  );
}

describe.skipIf(!haveChromium && !inCi)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let demo: DemoServer;
  const projects: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) {
      throw new Error(`${CHROMIUM_PATH} is missing under CI: .ci/run installs Debian's chromium`);
    }
    browser = await Browser.launch();
    demo = await startDemoServer();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    removeProjects(projects);
  });

  function project(config?: string): string {
    const dir = tempProject(config);
    projects.push(dir);
    return dir;
  }

  /** report-html of the troubled report, through the bundle; returns the HTML file's path. */
  async function troubledPage(): Promise<string> {
    const dir = project();
    writeFileSync(join(dir, 'report.json'), JSON.stringify(troubledReport()));
    const result = await runCli(['report-html', 'report.json', '--out', 'out/report.html'], {
      cwd: dir,
    });
    expect(result.stderr).toContain('HTML report: out/report.html');
    expect(result.code).toBe(0);
    return join(dir, 'out', 'report.html');
  }

  it('draws the four charts of a troubled run with no console error and no request', async () => {
    const { page, errors, requests } = await browser.open(await troubledPage());
    await page.locator('#chart-distribution canvas').waitFor();
    const painted = await paintedPixels(page);
    expect(painted).toHaveLength(4);
    for (const count of painted) expect(count).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('shows hostile tool names as text and runs none of their markup', async () => {
    const { page, errors } = await browser.open(await troubledPage());
    const names = await page.locator('#per-tool tbody td:first-child').allTextContents();
    const hostileShown = sanitizeForTerminal(HOSTILE_TOOL_NAME).replace(/ {2,}/g, ' ').trim();
    expect(names).toContain(hostileShown);
    expect(names).toContain(INJECTION_NAME);
    expect(names).toContain('add');
    expect(await page.getByText('search', { exact: true }).isVisible()).toBe(true);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(await page.locator('main img').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('sorts the per-tool table by the column header clicked', async () => {
    const { page } = await browser.open(await troubledPage());
    const requests = async (): Promise<number[]> =>
      (await page.locator('#per-tool tbody td:nth-child(3)').allTextContents()).map((t) =>
        Number(t.replace(/,/g, '')),
      );
    const header = page.locator('#per-tool th', { hasText: 'requests' });
    await header.click();
    const descending = await requests();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await header.click();
    const ascending = await requests();
    expect(ascending).toEqual([...descending].reverse());
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
  });

  it('marks the breaking point and shows the failed threshold in the verdict', async () => {
    const { page } = await browser.open(await troubledPage());
    const verdict = await page.locator('#verdict').innerText();
    expect(verdict).toContain('Failed');
    expect(verdict).toContain('1 of 2 thresholds failed');
    expect(await page.locator('#breaking-point').innerText()).toContain('detected at 42 VUs');
  });

  it('opens the report of a run that measured nothing, with no chart and no error', async () => {
    const dir = project();
    writeFileSync(join(dir, 'r.json'), JSON.stringify(zeroRequestReport()));
    const result = await runCli(['report-html', 'r.json', '--out', 'r.html'], { cwd: dir });
    expect(result.code).toBe(0);
    const { page, errors } = await browser.open(join(dir, 'r.html'));
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.locator('#verdict').innerText()).toContain('Incomplete');
    expect(errors).toEqual([]);
  });

  it('opens the report of a real run written by run --html', async () => {
    const dir = project(DEMO_CONFIG);
    const result = await runCli(
      [
        'run',
        demo.url,
        '--vus',
        '2',
        '--duration',
        '4.5',
        '--quiet',
        '--report',
        'r.json',
        '--html',
        'r.html',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const html = join(dir, 'r.html');
    const { page, errors, requests } = await browser.open(html);
    await page.locator('#chart-distribution canvas').waitFor();
    const painted = await paintedPixels(page);
    expect(painted.length).toBeGreaterThanOrEqual(3);
    for (const count of painted) expect(count).toBeGreaterThan(1000);
    expect(await page.locator('#per-tool').innerText()).toContain('add');
    expect(await page.locator('#verdict').innerText()).toContain('Not gated');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(readFileSync(html, 'utf8')).not.toMatch(
      /<(script|link)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i,
    );
  });
});
