/**
 * Mission-audit items of `run` and `validate` (issue 12, item 10): where the default report goes
 * when the config is found in a parent directory, and what `validate` says about a staged config.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { removeProjects, reportFiles, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const CONFIG = toml({ virtual_users: 2, duration_secs: 1, timeout_ms: 2000 }, toolStep('ok'));
const dirs: string[] = [];
afterAll(() => removeProjects(dirs));

describe('the default report path', () => {
  let server: FaultServer;
  beforeAll(async () => (server = await startFaultServer()));
  afterAll(() => server.close());

  it('a config found in a parent directory puts the report under that project', async () => {
    const project = tempProject(CONFIG);
    dirs.push(project);
    const sub = join(project, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    const r = await runCli(['run', server.url, '--iterations', '4'], { cwd: sub });
    expect(r.code).toBe(0);
    expect(reportFiles(project)).toHaveLength(1);
    expect(existsSync(join(sub, '.pmcp'))).toBe(false);
    expect(r.stderr).toContain(`report: ${join(project, '.pmcp', 'reports', 'loadtest-')}`);
  });
});

describe('validate', () => {
  function validate(text: string) {
    const dir = tempProject();
    dirs.push(dir);
    writeFileSync(join(dir, 'c.toml'), text);
    return runCli(['validate', '--config', 'c.toml'], { cwd: dir });
  }

  it('a staged config shows the stages’ peak and total, not the ignored settings', async () => {
    const stages =
      '[[stage]]\ntarget_vus = 5\nduration_secs = 10\n\n[[stage]]\ntarget_vus = 20\nduration_secs = 30.5\n\n[[stage]]\ntarget_vus = 1\nduration_secs = 5\n';
    const r = await validate(`${CONFIG}${stages}`);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'c.toml: valid (up to 20 VUs, 45.5s in 3 stages, timeout 2000 ms, 1 step)',
    );
  });

  it('counts of one are singular: 1 VU, 1 stage, 1 step', async () => {
    const one = toml({ virtual_users: 1, duration_secs: 3, timeout_ms: 2000 }, toolStep('ok'));
    expect((await validate(one)).stdout.split('\n')[0]).toBe(
      'c.toml: valid (1 VU, 3s, timeout 2000 ms, 1 step)',
    );
    const staged = `${one}[[stage]]\ntarget_vus = 1\nduration_secs = 2\n`;
    expect((await validate(staged)).stdout.split('\n')[0]).toBe(
      'c.toml: valid (up to 1 VU, 2s in 1 stage, timeout 2000 ms, 1 step)',
    );
  });

  it('a flat config with several steps uses plurals', async () => {
    const r = await validate(
      toml({ virtual_users: 3, duration_secs: 2 }, toolStep('a'), toolStep('b')),
    );
    expect(r.stdout.split('\n')[0]).toBe('c.toml: valid (3 VUs, 2s, timeout 5000 ms, 2 steps)');
  });
});
