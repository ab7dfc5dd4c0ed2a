/**
 * `report-html` through the real bundle: a JSON report in, one HTML file out; bad input gets one
 * line and exit code 2, and writes nothing. (The page itself is tested in test/browser.)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleReport } from '../fixtures/reports/sample-report.js';
import { DEMO_CONFIG } from '../helpers/run-action.js';
import { closedPort, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';

const projects: string[] = [];
afterAll(() => removeProjects(projects));

function project(files: Record<string, string> = {}): string {
  const dir = tempProject();
  projects.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('run --html', () => {
  it('refuses an unwritable --html path before sending anything, exit 2', async () => {
    const dir = project({ 'a-file': '', 'c.toml': DEMO_CONFIG });
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const result = await runCli(
      ['run', url, '-c', 'c.toml', '--no-report', '--html', 'a-file/r.html'],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /error: cannot write the HTML report to .*a-file\/r\.html: a parent of the path is (a file|not a directory).*; pass --html a writable path\n$/,
    );
  });
});

describe('report-html', () => {
  it('writes the HTML page of a JSON report, creating the directory of --out', async () => {
    const dir = project({ 'r.json': JSON.stringify(sampleReport()) });
    const result = await runCli(['report-html', 'r.json', '--out', 'html/r.html'], { cwd: dir });
    expect(result.code).toBe(0);
    const html = readFileSync(join(dir, 'html', 'r.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('var uPlot=');
  });

  it('says a missing report file is missing, exit 2', async () => {
    const dir = project();
    const result = await runCli(['report-html', 'nope.json', '--out', 'r.html'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: report-html: cannot read nope.json: no such file\n');
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
  });

  it('says a JSON file that is not a report is not one, exit 2', async () => {
    const dir = project({ 'other.json': '{"name": "package"}' });
    const result = await runCli(['report-html', 'other.json', '--out', 'r.html'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: report-html: other\.json is not an mcp-loadtest report \(schema\/report\.schema\.json\): .+\n$/,
    );
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
  });

  it('says a file that is not JSON is not JSON, exit 2', async () => {
    const dir = project({ 'r.json': '<html>' });
    const result = await runCli(['report-html', 'r.json', '--out', 'r.html'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: report-html: r\.json is not JSON \(.+\); pass a report written by mcp-loadtest run\n$/,
    );
  });

  it('asks for --out when it is missing, exit 2', async () => {
    const dir = project({ 'r.json': JSON.stringify(sampleReport()) });
    const result = await runCli(['report-html', 'r.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('report-html: needs a JSON report and --out');
  });
});
