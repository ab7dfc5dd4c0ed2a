/**
 * The one set of header rules (protocol/header-rules.ts) as each input applies it: the config's
 * [settings.headers], `--header` and the action's `headers` input refuse the same names.
 */
import { describe, expect, it } from 'vitest';
import { readHeaderInput } from '../../src/action/headers.js';
import { headerOptions } from '../../src/cli/args.js';
import { parseConfig } from '../../src/config/load-config.js';
import { headerProblem } from '../../src/config/header-rules.js';
import { makeTarget, mergeHeaders } from '../../src/protocol/target.js';

const REFUSED = [
  'Keep-Alive',
  'Transfer-Encoding',
  'Upgrade',
  'Connection',
  'Expect',
  'Host',
  'Content-Length',
  'Accept',
  'Content-Type',
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'Mcp-Method',
  'Mcp-Name',
];
const BAD_VALUES = ['caf\u00e9 \u2603', 'a\u0001b', 'a\rb', 'a\nb', 'a\u0000b', 'a\u007fb'];

function configWith(name: string, value: string) {
  const text = `[settings]\nvirtual_users = 1\nduration_secs = 1\ntimeout_ms = 1000\n[settings.headers]\n${JSON.stringify(name)} = ${JSON.stringify(value)}\n[[scenario]]\ntype = "tools/call"\ntool = "x"\n`;
  return () => parseConfig(text, 'h.toml', {});
}

describe('header rules', () => {
  it.for(REFUSED)('%s is refused by the config, --header and the headers input alike', (name) => {
    expect(headerProblem(name, 'v')).toBe('managed');
    expect(configWith(name, 'v')).toThrow(/cannot be set in the config/);
    expect(() => headerOptions('run', [`${name}: v`])).toThrow(/cannot be set/);
    expect(() => readHeaderInput(`${name}: v`, () => {})).toThrow(/which (is set|is managed)/);
    expect(() => makeTarget('http://127.0.0.1:1/mcp', { [name]: 'v' })).toThrow(/cannot be set/);
  });

  it.for(BAD_VALUES)('value %j is refused by every input', (value) => {
    expect(headerProblem('X-Token', value)).toBe('value');
    expect(configWith('X-Token', value)).toThrow(/control character/);
    expect(() => headerOptions('run', [`X-Token: ${value}`])).toThrow(/control character/);
    expect(() =>
      readHeaderInput(`X-Token: ${value}`.replace(/[\r\n]/, '\u0001'), () => {}),
    ).toThrow(/control character/);
  });

  it('User-Agent may be overridden everywhere', () => {
    expect(headerProblem('User-Agent', 'mine/1')).toBeUndefined();
    expect(headerOptions('run', ['User-Agent: mine/1'])).toEqual({ 'User-Agent': 'mine/1' });
  });

  it('a header named __proto__ stays a header through --header, the input and the merge', () => {
    const cli = headerOptions('run', ['__proto__: a']);
    expect(Object.keys(cli)).toEqual(['__proto__']);
    const input = readHeaderInput('__proto__: b', () => {});
    expect(Object.keys(input)).toEqual(['__proto__']);
    const merged = mergeHeaders(cli, { 'X-A': 'c' });
    expect(Object.entries(merged)).toEqual([
      ['__proto__', 'a'],
      ['X-A', 'c'],
    ]);
    expect(makeTarget('http://127.0.0.1:1/mcp', merged).userHeaderNames).toEqual([
      '__proto__',
      'x-a',
    ]);
  });
});
