/**
 * Step names that are Object.prototype members (`toString`, `constructor`, `__proto__`,
 * `valueOf`) as a tool name, resource URI or prompt name: each is counted under its own name in
 * per_tool and its per-tool thresholds find its requests (issue: they were filed under renamed
 * keys and every threshold on them failed with "no request").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml } from '../helpers/run-load.js';

const NAMES = ['toString', 'constructor', '__proto__', 'valueOf'];

describe('Object.prototype names as step names', () => {
  let server: FaultServer;
  const dirs: string[] = [];
  beforeAll(async () => (server = await startFaultServer()));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it.for([
    ['prompts/get', 'prompt'],
    ['resources/read', 'uri'],
    ['tools/call', 'tool'],
  ] as const)('%s steps keep their names in per_tool and in thresholds', async ([type, field]) => {
    const steps = NAMES.map((n) => `[[scenario]]\ntype = "${type}"\n${field} = "${n}"\n`);
    // The fault server answers an unknown tool with isError, so tools/call gates on error_rate 1.
    const limit = type === 'tools/call' ? 'error_rate = 1' : 'error_rate = 0';
    const gates = NAMES.map((n) => `[thresholds.tools."${n}"]\n${limit}\n`);
    const dir = tempProject(
      toml({ virtual_users: 2, duration_secs: 1 }, ...steps) + '\n' + gates.join('\n'),
    );
    dirs.push(dir);
    const r = await runCli(['run', server.url, '--iterations', '40', '--report', 'r.json'], {
      cwd: dir,
    });
    expect(r.stderr).not.toContain('threshold failed');
    expect(r.code).toBe(0);
    const report = readReport(`${dir}/r.json`);
    expect(Object.keys(report.per_tool).sort()).toEqual([...NAMES].sort());
    const total = NAMES.reduce((sum, n) => sum + report.per_tool[n]!.total_requests, 0);
    expect(total).toBe(report.metrics.total_requests);
    expect(report.thresholds.map((t) => t.scope).sort()).toEqual([...NAMES].sort());
    expect(report.thresholds.every((t) => t.passed && t.observed !== null)).toBe(true);
  });
});
