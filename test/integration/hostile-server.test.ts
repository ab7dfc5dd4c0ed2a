/**
 * A hostile server: tool, resource and prompt names, serverInfo and error messages carrying ANSI
 * colours, OSC titles and hyperlinks, C1 controls, bidi overrides, forged lines, markdown, HTML
 * and 10 kB of text. With --no-color the CLI writes no escape sequence of its own, so any ESC (or
 * other control character but the line feed) in its output came from the server: a failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/format.js';
import { validateReport } from '../../src/report/validate-report.js';
import {
  HOSTILE_PROMPT,
  HOSTILE_RESOURCE,
  HOSTILE_SERVER_INFO,
  HOSTILE_TOOLS,
} from '../fixtures/fault-hostile.js';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { readReport, removeProjects, runCli, tempProject } from '../helpers/run-cli.js';

/** Any C0 control but the line feed, DEL, any C1 control, the bidi overrides and isolates. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A TOML basic string: JSON's escapes (\uXXXX, \n, \", \\) are all valid TOML. */
const tomlString = (s: string) => JSON.stringify(s);

const HOSTILE_CONFIG = [
  '[settings]',
  'virtual_users = 2',
  'duration_secs = 5',
  'timeout_ms = 2000',
  '',
  ...HOSTILE_TOOLS.map((tool) => `[[scenario]]\ntype = "tools/call"\ntool = ${tomlString(tool)}\n`),
  `[[scenario]]\ntype = "resources/read"\nuri = ${tomlString(HOSTILE_RESOURCE)}\n`,
  `[[scenario]]\ntype = "prompts/get"\nprompt = ${tomlString(HOSTILE_PROMPT)}\n`,
  '[[scenario]]\ntype = "tools/call"\ntool = "ok"\n',
].join('\n');
const STEPS = HOSTILE_TOOLS.length + 3;

/** The per-tool table: from its header to the blank line after it. */
function tableLines(summary: string): string[] {
  const lines = summary.split('\n');
  const start = lines.findIndex((line) => line.startsWith('  tool '));
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

describe('mcp-loadtest against a hostile server', () => {
  let server: FaultServer;
  const dirs: string[] = [];
  const project = (config?: string) => {
    const dir = tempProject(config);
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => (server = await startFaultServer({ serverInfo: HOSTILE_SERVER_INFO })));
  afterAll(async () => {
    await server.close();
    removeProjects(dirs);
  });

  it('prints a summary with no control character from the server, its table aligned', async () => {
    const dir = project(HOSTILE_CONFIG);
    const reportPath = join(dir, 'report.json');
    const r = await runCli(
      [
        'run',
        server.url,
        '--iterations',
        '60',
        '--seed',
        '3',
        '--no-color',
        '--report',
        reportPath,
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
    // serverInfo is printed, defanged: the text stays, the escapes and the line break go.
    expect(r.stdout).toMatch(/^ {2}server: fault-server 6\.6\.6 PWNED · /m);
    // One row per step, all as wide as the header: no name pushed the numbers out of line.
    const table = tableLines(r.stdout);
    expect(table).toHaveLength(2 + STEPS);
    const widths = new Set(table.map((line) => displayWidth(line)));
    expect(widths.size).toBe(1);
    // No forged metric line: the one the resource name carries stays inside its table cell.
    expect(r.stdout.match(/^ {2}mcp_req_error_count\.+:/gm)).toHaveLength(1);
    // Every step ran and failed as its server answer says (the ok step aside).
    const report = readReport(reportPath);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(Object.keys(report.per_tool)).toHaveLength(STEPS);
    expect(report.errors.tool + report.errors.jsonrpc + report.errors.http).toBe(
      report.metrics.error_count,
    );
    // The report keeps the names exactly (it is JSON: escaping is its consumers' job) and its
    // error samples within the schema's 300 characters, sanitised.
    expect(report.per_tool[HOSTILE_RESOURCE]).toBeDefined();
    for (const sample of Object.values(report.error_samples)) {
      expect([...sample].length).toBeLessThanOrEqual(300);
      expect(sample).not.toMatch(CONTROL);
    }
  });

  it('prints its no-session error as one clean line when initialize fails with escapes', async () => {
    const dir = project(HOSTILE_CONFIG);
    const r = await runCli(['run', `${server.origin}/init-hostile`, '--no-color', '--no-report'], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL);
    const errorLines = r.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('JSON-RPC error -32600: initialize failed in red | forged |');
    // Cut to the first 2 KiB of the server's message, not 10 kB.
    expect(errorLines[0]!.length).toBeLessThan(2300);
  });

  it('discovers hostile names with init into a config that validate accepts and lists cleanly', async () => {
    const dir = project();
    const init = await runCli(['init', server.url], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stdout + init.stderr).not.toMatch(CONTROL);
    const generated = readFileSync(join(dir, '.pmcp', 'loadtest.toml'), 'utf8');
    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.code).toBe(0);
    expect(validate.stdout + validate.stderr).not.toMatch(CONTROL);
    // The generated file names the hostile tool exactly, escaped as TOML.
    expect(generated).toContain(tomlString(HOSTILE_TOOLS[0]!).slice(1, -1));
  });
});
