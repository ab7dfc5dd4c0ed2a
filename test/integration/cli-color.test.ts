/**
 * Colour only on a terminal, and never with NO_COLOR or --no-color (no-color.org). A pipe never
 * gets colour, so a test through a pipe could not fail: these runs get a real pseudo-terminal
 * from util-linux `script`, with stdout and stderr both on it.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/format.js';
import { startSdkServer, type FixtureServer } from '../fixtures/sdk-server.js';
import { baseEnv, CLI_PATH, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const ESC = '\u001b';
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal and returns everything it drew there. */
function runOnTerminal(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; columns?: number },
): Promise<{ code: number | null; screen: string }> {
  const cli = [process.execPath, CLI_PATH, ...args].map(shellQuote).join(' ');
  const command = options.columns === undefined ? cli : `stty cols ${options.columns}; ${cli}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: options.cwd,
    env: baseEnv({ TERM: 'xterm', ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (screen += s));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, screen });
    });
  });
}

describe('mcp-loadtest colour', () => {
  let server: FixtureServer;
  let dir: string;
  // Long enough for the live progress line to be drawn at least once (it ticks every second).
  const runArgs = () => ['run', server.url, '--no-report', '--duration', '1.5'];
  const screens: Record<string, { code: number | null; screen: string }> = {};

  beforeAll(async () => {
    server = await startSdkServer('stateful-json');
    dir = tempProject(toml({ virtual_users: 1 }, toolStep('echo', '{ message = "hi" }')));
    const [plain, noColorEnv, noColorFlag, narrow] = await Promise.all([
      runOnTerminal(runArgs(), { cwd: dir }),
      runOnTerminal(runArgs(), { cwd: dir, env: { NO_COLOR: '1' } }),
      runOnTerminal([...runArgs(), '--no-color'], { cwd: dir }),
      runOnTerminal([...runArgs(), '--no-color'], { cwd: dir, columns: 40 }),
    ]);
    Object.assign(screens, { plain, noColorEnv, noColorFlag, narrow });
  });
  afterAll(async () => {
    await server.close();
    removeProjects([dir]);
  });

  it('colours the summary on a terminal by default', () => {
    expect(screens.plain!.code).toBe(0);
    expect(screens.plain!.screen).toContain('mcp_req_duration');
    expect(screens.plain!.screen).toContain(`${ESC}[`);
  });

  it('writes no escape character at all on a terminal with NO_COLOR=1', () => {
    expect(screens.noColorEnv!.code).toBe(0);
    expect(screens.noColorEnv!.screen).toContain('mcp_req_duration');
    expect(screens.noColorEnv!.screen).toMatch(/\r {2}\d+\.\ds\/1\.5s/); // progress was drawn
    expect(screens.noColorEnv!.screen).not.toContain(ESC);
  });

  it('writes no escape character at all on a terminal with --no-color', () => {
    expect(screens.noColorFlag!.code).toBe(0);
    expect(screens.noColorFlag!.screen).toContain('mcp_req_duration');
    expect(screens.noColorFlag!.screen).not.toContain(ESC);
  });

  it('fits the live progress line to a narrow terminal, so redrawing it in place works', () => {
    const { code, screen } = screens.narrow!;
    expect(code).toBe(0);
    const summaryAt = screen.indexOf('mcp-loadtest');
    const progress = screen
      .slice(0, summaryAt)
      .split('\r')
      .map((s) => s.trimEnd())
      .filter((s) => /^ {2}\d+\.\ds/.test(s));
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) expect(displayWidth(line)).toBeLessThan(40);
  });

  it('writes no escape character through a pipe', async () => {
    const r = await runCli(['run', server.url, '--no-report', '--iterations', '20'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(ESC);
  });
});
