import { describe, expect, it } from 'vitest';
import { serverCommandOption, splitServerCommand } from '../../src/cli/args.js';
import { commandLine, stdioTarget } from '../../src/protocol/stdio-command.js';
import { serverLogPath } from '../../src/pipeline/stdio-run.js';
import { stdioProfile } from '../../src/protocol/stdio-pool.js';

describe('run -- COMMAND', () => {
  it('takes everything after the first -- as the server command, its flags included', () => {
    expect(splitServerCommand(['--vus', '2', '--', 'node', 'server.js', '--vus', '--'])).toEqual({
      own: ['--vus', '2'],
      command: ['node', 'server.js', '--vus', '--'],
    });
  });

  it('has no server command without --', () => {
    expect(splitServerCommand(['http://127.0.0.1:1/mcp']).command).toBeUndefined();
  });

  it('rejects an empty command after --', () => {
    expect(() => serverCommandOption('run', undefined, [], undefined)).toThrow(
      'run: no server command after --; usage: mcp-loadtest run [options] -- COMMAND [ARGS...]',
    );
  });

  it('rejects a URL and a command together', () => {
    expect(() =>
      serverCommandOption('run', 'http://127.0.0.1:1/mcp', ['node', 's.js'], undefined),
    ).toThrow('run: got both a URL ("http://127.0.0.1:1/mcp") and a server command after --');
  });

  it('rejects --header with a stdio server', () => {
    expect(() => serverCommandOption('init', undefined, ['node'], ['A: b'])).toThrow(
      'init: --header applies to HTTP servers',
    );
  });

  it('names a stdio target by its command line, quoting arguments with spaces', () => {
    const command = { program: 'node', args: ['my server.js', 'stdio'] };
    expect(commandLine(command)).toBe('node "my server.js" stdio');
    expect(stdioTarget(command).url).toBe('stdio:node "my server.js" stdio');
  });

  it('refuses to pin the stateless 2026-07-28 revision over stdio', () => {
    expect(() => stdioProfile('2026-07-28', {})).toThrow(
      'protocol 2026-07-28 is not supported over stdio',
    );
    expect(stdioProfile('2025-06-18', {}).version).toBe('2025-06-18');
  });

  it('writes the server stderr log beside the report, or in the temp dir without one', () => {
    expect(serverLogPath('/reports/run-1.json')).toBe('/reports/run-1.server-stderr.log');
    expect(serverLogPath(null)).toMatch(/mcp-loadtest-server-\d+-\d+\.stderr\.log$/);
    expect(serverLogPath('-')).toMatch(/\.stderr\.log$/);
  });
});
