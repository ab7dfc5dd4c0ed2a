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
  // Long enough that each step (the rarest weighs ~3% of the mix) runs even on a loaded machine.
  const run = await runCli(['run', url, '--vus', '4', '--duration', '3', '--report', reportPath], {
    cwd: dir,
  });
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
 * server-everything's discovered tools. init writes the ones that change state or reach outside
 * (toggle-*, gzip-file-as-resource, simulate-research-query: annotations) and the ones it lists
 * only to clients declaring sampling, elicitation or roots commented out. Of the rest, two are
 * taken out by hand, as a user would: get-env prints the server's environment (never called
 * here), and trigger-long-running-operation takes 10 s per call with its default arguments.
 */
const OFF_BY_DEFAULT = [
  'gzip-file-as-resource',
  'toggle-simulated-logging',
  'toggle-subscriber-updates',
  'simulate-research-query',
];
const NEEDS_CAPABILITY = [
  'trigger-sampling-request',
  'trigger-elicitation-request',
  'get-roots-list',
];
const BY_HAND = new Set(['get-env', 'trigger-long-running-operation']);

describe('init <URL> then run, against server-everything', () => {
  let server: ServerEverything;
  const dirs: string[] = [];
  beforeAll(async () => (server = await startServerEverything()));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it('writes the state-changing tools and those needing a client capability commented out, with the reason', async () => {
    const dir = tempProject();
    dirs.push(dir);
    const init = await runCli(['init', server.url], { cwd: dir });
    expect(init.code).toBe(0);
    const text = readFileSync(join(dir, '.pmcp', 'loadtest.toml'), 'utf8');
    const active = (parse(text) as { scenario: Step[] }).scenario.flatMap((s) =>
      s.tool === undefined ? [] : [s.tool],
    );
    for (const tool of [...OFF_BY_DEFAULT, ...NEEDS_CAPABILITY]) {
      expect(active, tool).not.toContain(tool);
      expect(text, tool).toContain(`# tool = "${tool}"`);
    }
    expect(text).toMatch(
      /# off by default: it changes state \(readOnlyHint: false\)\.\n# \[\[scenario\]\]\n# type = "tools\/call"\n# weight = \d+\n# tool = "toggle-simulated-logging"/,
    );
    expect(text).toContain("it needs the client's sampling capability ([client] sampling)");
    expect(text).toContain('# sampling = { text = "canned model answer" }');
    expect(text).toContain('remove the "# " before its\n# [[scenario]] lines');
    // Its placeholder "example" is not a resourceType the server accepts: off, with its reason.
    expect(text).toMatch(
      /# off by default: the server refused the placeholder arguments \(prompts\/get: .*Invalid resourceType.*\n# \[\[scenario\]\]\n# type = "prompts\/get"\n# weight = \d+\n# prompt = "resource-prompt"/,
    );
    expect(active).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-env']));
    expect(init.stderr).toMatch(/; \d+ written commented out, off by default/);
  });

  it('generates a config that runs with no errors once get-env and the long-running tool are commented out by hand', async () => {
    const r = await initThenRun(server.url, (s) =>
      s.tool !== undefined && BY_HAND.has(s.tool) ? null : s,
    );
    dirs.push(r.dir);
    const tools = r.steps.flatMap((s) => (s.tool === undefined ? [] : [s.tool]));
    expect(tools).toContain('echo');
    expect(tools.some((t) => BY_HAND.has(t) || t === 'gzip-file-as-resource')).toBe(false);
    expect(r.run.code).toBe(0);
    expectNoErrors(r.report);
  });
});
