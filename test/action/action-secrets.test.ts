/**
 * Secrets in the `headers` input, with the action run as GitHub runs it: masked before anything
 * else happens, and absent from everything the action prints, writes or sends to GitHub.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { DEMO_CONFIG, runAction } from '../helpers/run-action.js';
import { removeProjects, tempProject } from '../helpers/run-cli.js';

let demo: DemoServer;
let github: FakeGitHub;
const projects: string[] = [];

beforeAll(async () => {
  demo = await startDemoServer();
  github = await FakeGitHub.start();
});

afterAll(async () => {
  await demo.close();
  await github.close();
  removeProjects(projects);
});

function project(): string {
  const dir = tempProject(DEMO_CONFIG);
  projects.push(dir);
  return dir;
}

function gateInputs(extra: Record<string, string>): Record<string, string> {
  return { url: demo.url, iterations: '300', 'github-token': 'test-token', ...extra };
}

describe('action secrets', () => {
  const SECRET = 'Bearer s3cr3t-t0ken-abcdef123456';
  const API_KEY = 'key-0123456789abcdef';

  it('masks header values first and never prints or stores them', async () => {
    const cwd = project();
    const result = await runAction({
      cwd,
      apiUrl: github.url,
      inputs: gateInputs({
        headers: `Authorization: ${SECRET}\n\nX-Api-Key: ${API_KEY}\n`,
        'report-dir': 'reports',
      }),
    });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `::add-mask::${SECRET}`,
      '::add-mask::s3cr3t-t0ken-abcdef123456',
      `::add-mask::${API_KEY}`,
    ]);
    const report = readFileSync(result.outputs['report-path']!, 'utf8');
    expect(JSON.parse(report).config.headers).toEqual({
      authorization: '[redacted]',
      'x-api-key': '[redacted]',
    });
    const published = [
      lines.filter((l) => !l.startsWith('::add-mask::')).join('\n'),
      result.stderr,
      result.summary,
      JSON.stringify(result.outputs),
      report,
      ...github.calls.map((c) => JSON.stringify(c.body ?? '')),
    ];
    expect(github.callsOf('create')).toHaveLength(1);
    for (const text of published) {
      expect(text).not.toContain('s3cr3t');
      expect(text).not.toContain(API_KEY);
    }
  });

  it('rejects a malformed header line without echoing it, after masking it', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: gateInputs({ headers: `Authorization ${SECRET}` }),
    });
    expect(result.code).toBe(1);
    expect(result.commands).toEqual([
      `::add-mask::Authorization ${SECRET}`,
      // No ":" means no telling name from value: the whole line and its long words are masked.
      '::add-mask::Authorization',
      '::add-mask::s3cr3t-t0ken-abcdef123456',
      expect.stringMatching(/^::error::input headers line 1 has no ":"; accepted: /),
    ]);
    expect(result.commands[3]).not.toContain('s3cr3t');
  });
});
