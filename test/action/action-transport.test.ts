/**
 * The action's protocol and transport inputs, as GitHub runs the action (node dist/index.js,
 * INPUT_* variables, real @actions/core) against server-everything over the 2024-11-05 HTTP+SSE
 * transport on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.js';
import { runAction } from '../helpers/run-action.js';
import { removeProjects, tempProject } from '../helpers/run-cli.js';

const CONFIG = `[settings]
virtual_users = 2
duration_secs = 30
timeout_ms = 5000

[[scenario]]
type = "tools/call"
weight = 1
tool = "echo"
arguments = { message = "hi" }
`;

let everything: ServerEverything;
const projects: string[] = [];

beforeAll(async () => {
  everything = await startServerEverything('sse');
});

afterAll(async () => {
  await everything.close();
  removeProjects(projects);
});

function project(): string {
  const dir = tempProject(CONFIG);
  projects.push(dir);
  return dir;
}

describe('action protocol and transport inputs', () => {
  it('runs over the transport and pinned revision the inputs name, and the report says so', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: { url: everything.url, iterations: '40', transport: 'sse', protocol: '2024-11-05' },
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(result.outputs['report-path']!, 'utf8')) as Report;
    expect(report.config.transport).toBe('sse');
    expect(report.protocol).toMatchObject({
      transport_detected: false,
      selection: '2024-11-05',
      version: '2024-11-05',
    });
    expect(report.metrics.success_count).toBe(40);
    expect(report.metrics.error_count).toBe(0);
    expect(result.summary).toContain('(sessions) (pinned) over sse');
  });

  it('refuses transport sse with protocol 2026-07-28 in one line, before any load', async () => {
    const result = await runAction({
      cwd: project(),
      event: 'push',
      inputs: { url: everything.url, iterations: '40', transport: 'sse', protocol: '2026-07-28' },
    });
    expect(result.code).toBe(1);
    expect(result.commands).toEqual([
      expect.stringMatching(
        /^::error::transport "sse" .* cannot carry protocol 2026-07-28; accepted with it: /,
      ),
    ]);
    expect(result.outputs['report-path'] ?? '').toBe('');
  });
});
