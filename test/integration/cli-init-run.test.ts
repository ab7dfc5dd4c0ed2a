/**
 * `init <URL>` then `run`: the generated config must run error-free against the server it was
 * generated from, once the steps that cannot succeed by design are taken out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { validateReport } from '../../src/report/validate-report.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';

type Step = { type: string; tool?: string; prompt?: string; arguments?: Record<string, unknown> };

/** Rewrites the generated config: `edit` each step (return null to drop it). */
function editScenario(path: string, edit: (step: Step) => Step | null): Step[] {
  const doc = parse(readFileSync(path, 'utf8')) as { scenario: Step[] };
  doc.scenario = doc.scenario.map(edit).filter((s): s is Step => s !== null);
  writeFileSync(path, stringify(doc));
  return doc.scenario;
}

async function initThenRun(url: string, edit: (step: Step) => Step | null) {
  const dir = tempProject();
  const init = await runCli(['init', url], { cwd: dir });
  expect(init.stderr).toMatch(/Found \d+ tools/);
  expect(init.code).toBe(0);
  const configPath = join(dir, '.pmcp', 'loadtest.toml');
  const steps = editScenario(configPath, edit);
  const reportPath = join(dir, 'report.json');
  const run = await runCli(
    ['run', url, '--vus', '2', '--duration', '1.5', '--report', reportPath],
    { cwd: dir },
  );
  return { dir, init, run, steps, report: run.code === null ? null : readReport(reportPath) };
}

function expectNoErrors(report: Report | null): void {
  expect(report).not.toBeNull();
  expect(validateReport(report)).toEqual({ valid: true });
  expect(report!.error_samples).toEqual({});
  expect(report!.metrics.error_count).toBe(0);
  // Every kept step ran, so "no errors" covers each of them.
  for (const [key, m] of Object.entries(report!.per_tool))
    expect(m.total_requests, key).toBeGreaterThan(0);
}

describe('init <URL> then run, against the SDK server', () => {
  let server: FixtureServer;
  const dirs: string[] = [];
  beforeAll(async () => (server = await startSdkServer('stateful-sse')));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it('generates a config that runs with no errors (the always-failing "fail" tool removed)', async () => {
    // `fail` is the fixture's tool that answers isError on purpose: it can never succeed.
    const r = await initThenRun(server.url, (s) => (s.tool === 'fail' ? null : s));
    dirs.push(r.dir);
    expect(r.run.code).toBe(0);
    expectNoErrors(r.report);
    expect(r.steps.map((s) => s.tool ?? s.type)).toEqual(
      expect.arrayContaining(['echo', 'add', 'slow', 'progress', 'resources/read']),
    );
  });
});

/**
 * server-everything's discovered tools, and why some are taken out before the run:
 * - get-env prints the server's environment, gzip-file-as-resource fetches a URL from the
 *   internet: never called here;
 * - simulate-research-query is a task tool (taskSupport "required"): without the client's tasks
 *   capability it answers isError "-32601 … requires task augmentation";
 * - trigger-long-running-operation is generated without arguments, and its defaults (10 s) are
 *   longer than the generated 5 s timeout: it is kept, with a 50 ms duration;
 * - the prompt resource-prompt gets the placeholder "example" for arguments the server checks
 *   (resourceType must be "Text" or "Blob", resourceId a positive integer): given real values.
 * The trigger-sampling / trigger-elicitation tools are not offered at all: the server registers
 * them only for clients that declare those capabilities, and ours declares none.
 */
const NEVER_CALL = new Set(['get-env', 'gzip-file-as-resource']);
const NEEDS_TASKS = new Set(['simulate-research-query']);

describe('init <URL> then run, against server-everything', () => {
  let server: ServerEverything;
  const dirs: string[] = [];
  beforeAll(async () => (server = await startServerEverything()));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it('generates a config that runs with no errors once the unsafe and task-only tools are removed', async () => {
    const r = await initThenRun(server.url, (s) => {
      if (s.tool !== undefined && (NEVER_CALL.has(s.tool) || NEEDS_TASKS.has(s.tool))) return null;
      if (s.tool === 'trigger-long-running-operation')
        return { ...s, arguments: { duration: 0.05, steps: 1 } };
      if (s.prompt === 'resource-prompt')
        return { ...s, arguments: { resourceType: 'Text', resourceId: '1' } };
      return s;
    });
    dirs.push(r.dir);
    const tools = r.steps.flatMap((s) => (s.tool === undefined ? [] : [s.tool]));
    expect(tools).toContain('echo');
    expect(tools.some((t) => NEVER_CALL.has(t))).toBe(false);
    expect(r.run.code).toBe(0);
    expectNoErrors(r.report);
  });
});
