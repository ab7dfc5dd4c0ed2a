/**
 * The tutorial of the `cargo pmcp loadtest` documentation, as a newcomer follows it: `serve-demo
 * --port N` in one terminal, the tutorial's calculator config in `.pmcp/loadtest.toml`, `run <URL>`
 * in another.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import {
  closedPort,
  readReport,
  removeProjects,
  reportFiles,
  runCli,
  spawnCli,
  tempProject,
  waitFor,
} from '../helpers/run-cli.js';

const CHAPTER_CONFIG = readFileSync(
  new URL('../fixtures/configs/chapter-calculator-arguments.toml', import.meta.url),
  'utf8',
);

describe("the Rust tool's calculator tutorial", () => {
  const dirs: string[] = [];
  afterAll(() => removeProjects(dirs));

  it('runs the calculator config against serve-demo with 0 errors and a valid report', async () => {
    const port = await closedPort();
    const server = spawnCli(['serve-demo', '--port', String(port)], {
      cwd: process.cwd(),
      killAfterMs: 30_000,
    });
    try {
      await waitFor(() => server.stdout.includes('listening on'), 10_000, 'serve-demo');
      expect(server.stdout).toContain(`http://127.0.0.1:${port}/mcp`);
      const dir = tempProject(CHAPTER_CONFIG);
      dirs.push(dir);
      const r = await runCli(['run', `http://127.0.0.1:${port}/mcp`, '--duration', '2'], {
        cwd: dir,
      });
      expect(r.code).toBe(0);
      for (const tool of ['add', 'subtract', 'multiply', 'divide']) {
        expect(r.stdout).toMatch(new RegExp(`^  ${tool} +\\d+ `, 'm'));
      }
      const report = readReport(reportFiles(dir)[0]!);
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.metrics.error_count).toBe(0);
      expect(report.metrics.total_requests).toBeGreaterThan(100);
      expect(Object.keys(report.per_tool).sort()).toEqual([
        'add',
        'divide',
        'multiply',
        'subtract',
      ]);
    } finally {
      server.child.kill('SIGINT');
      const end = await server.done;
      expect(end.code).toBe(0); // serve-demo stops cleanly on Ctrl+C
    }
  });
});
