/**
 * Bad input gets one clear line and exit code 2; `validate` and `init` (template) need no server.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const GOOD = toml({ virtual_users: 3 }, toolStep('echo', '{ message = "hi" }'));

const dirs: string[] = [];
function project(config?: string): string {
  const dir = tempProject(config);
  dirs.push(dir);
  return dir;
}
afterAll(() => removeProjects(dirs));

/** stderr as lines, without the trailing newline. */
const lines = (text: string) => text.trimEnd().split('\n');

describe('mcp-loadtest usage errors', () => {
  it('exits 2 with one line naming an unknown flag', async () => {
    const r = await runCli(['run', 'http://127.0.0.1:9/mcp', '--vuz', '3'], { cwd: project(GOOD) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: run: unknown option --vuz; accepted: .*--vus/);
  });

  it('exits 2 with one line when run has no URL', async () => {
    const r = await runCli(['run', '--vus', '2'], { cwd: project(GOOD) });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^error: run: missing the server URL/)]);
  });

  it('exits 2 with one line for an unknown command', async () => {
    const r = await runCli(['rnu'], { cwd: project() });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^error: unknown command "rnu"/)]);
  });

  it('exits 2 naming the search when there is no config file', async () => {
    const dir = project();
    const r = await runCli(['run', 'http://127.0.0.1:9/mcp'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('no .pmcp/loadtest.toml');
  });
});

describe('mcp-loadtest validate', () => {
  it('exits 0 and describes a good config', async () => {
    const r = await runCli(['validate'], { cwd: project(GOOD) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\.pmcp\/loadtest\.toml: valid \(3 VUs/);
    expect(r.stdout).toContain('"echo"');
  });

  it('exits 2 with file:line:column for a value of the wrong type', async () => {
    const dir = project(GOOD.replace('virtual_users = 3', 'virtual_users = "three"'));
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    const path = join(dir, '.pmcp', 'loadtest.toml');
    expect(r.stderr).toContain(`${path}:2:1: settings.virtual_users`);
  });

  it('exits 2 with file:line:column for a TOML syntax error', async () => {
    const dir = project();
    writeFileSync(join(dir, 'bad.toml'), '[settings]\nvirtual_users = = 3\n');
    const r = await runCli(['validate', '--config', 'bad.toml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.toml:2:\d+: invalid TOML/);
  });
});

describe('mcp-loadtest init (template)', () => {
  it('writes a template that validate accepts', async () => {
    const dir = project();
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Created .pmcp/loadtest.toml');
    expect(readFileSync(join(dir, '.pmcp', 'loadtest.toml'), 'utf8')).toContain('[[scenario]]');
    expect((await runCli(['validate'], { cwd: dir })).code).toBe(0);
  });

  it('refuses to overwrite an existing config without --force (exit 2, file unchanged)', async () => {
    const dir = project(GOOD);
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/already exists; pass --force/)]);
    expect(readFileSync(join(dir, '.pmcp', 'loadtest.toml'), 'utf8')).toBe(GOOD);
  });

  it('overwrites an existing config with --force', async () => {
    const dir = project(GOOD);
    const r = await runCli(['init', '--force'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, '.pmcp', 'loadtest.toml'), 'utf8')).not.toBe(GOOD);
  });
});
