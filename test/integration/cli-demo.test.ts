/** `mcp-loadtest demo`: the first thing a newcomer runs must work out of the box. */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects, reportFiles, runCli, tempProject } from '../helpers/run-cli.js';

describe('mcp-loadtest demo', () => {
  const dir = tempProject();
  afterAll(() => removeProjects([dir]));

  it('runs against the built-in calculator and prints a summary with its tools, exit 0', async () => {
    const r = await runCli(['demo', '--duration', '2', '--no-report'], { cwd: dir });
    expect(r.stderr).toMatch(
      /demo server \(built-in calculator, SSE responses\) at http:\/\/127\.0\.0\.1:\d+\/mcp/,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mcp_req_duration');
    expect(r.stdout).toMatch(/mcp_req_error_count\.+: 0\n/);
    for (const key of ['add', 'subtract', 'multiply', 'divide', 'calculator://constants']) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${key.replace(/[/.]/g, '\\$&')} +\\d+ `, 'm'));
    }
    expect(reportFiles(dir)).toEqual([]);
  });
});
