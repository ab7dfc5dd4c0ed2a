import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { discover, type Discovery } from '../../src/init/discover.js';
import {
  commentText,
  generateConfig,
  offReasons,
  stepWeights,
  tomlKey,
  tomlString,
} from '../../src/init/generate-config.js';
import { parseConfig } from '../../src/config/load-config.js';
import { stepKey, type OperationType } from '../../src/config/types.js';
import { LoadtestError } from '../../src/errors.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/discovery/server-everything.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const URL_ = 'http://127.0.0.1:3001/mcp';

interface TomlStep {
  type: OperationType;
  weight: number;
  tool?: string;
  uri?: string;
  prompt?: string;
  arguments?: Record<string, unknown>;
}
interface TomlConfig {
  settings: Record<string, unknown>;
  scenario: TomlStep[];
}

async function serverEverything(): Promise<Discovery> {
  return discover(async (method) => fixture[method], fixture.initialize);
}

function load(text: string): TomlConfig {
  return parse(text) as unknown as TomlConfig;
}

function discovery(partial: Partial<Discovery>): Discovery {
  return { tools: [], resources: [], prompts: [], ...partial };
}

const hostile = [
  'quote " and \\ backslash',
  'new\nline\r\n[[scenario]]\ntype = "resources/read"',
  ']] [[stage]]',
  'tab\tbell\u0007nul\u0000del\u007f',
  'unicode: 日本語 ✓ 🚀 e\u0301',
  'bidi \u202e gnp.exe \u2066x\u2069 zero\u200bwidth \ufeff line\u2028sep',
  '${X} and ${MCP_TOKEN}',
  "'single' \"\"\" '''",
  '# not a comment',
];

describe('generateConfig from the real server-everything discovery', () => {
  it('writes parseable TOML in the format of cargo pmcp loadtest with every safe tool, resource and prompt', async () => {
    const text = generateConfig(await serverEverything(), URL_);
    const toml = load(text);
    expect(
      text.startsWith(`# Generated from server: ${URL_}\n# Server: mcp-servers/everything 2.0.0\n`),
    ).toBe(true);
    expect(toml.settings).toEqual({ virtual_users: 10, duration_secs: 60, timeout_ms: 5000 });
    const count = (type: OperationType) => toml.scenario.filter((s) => s.type === type).length;
    expect([count('tools/call'), count('resources/read'), count('prompts/get')]).toEqual([9, 7, 4]);
  });

  it('never writes a weight below 1, and keeps the 70/20/10 mix', async () => {
    const toml = load(generateConfig(await serverEverything(), URL_));
    for (const step of toml.scenario)
      expect(Number.isInteger(step.weight) && step.weight >= 1).toBe(true);
    const share = (type: OperationType) =>
      toml.scenario.filter((s) => s.type === type).reduce((sum, s) => sum + s.weight, 0);
    const total = share('tools/call') + share('resources/read') + share('prompts/get');
    expect(share('tools/call') / total).toBeCloseTo(0.7, 1);
    expect(share('resources/read') / total).toBeCloseTo(0.2, 1);
    expect(share('prompts/get') / total).toBeCloseTo(0.1, 1);
  });

  it('gives every tool and prompt all of its required arguments', async () => {
    const d = await serverEverything();
    const toml = load(generateConfig(d, URL_));
    const step = (key: 'tool' | 'prompt', name: string) =>
      toml.scenario.find((s) => s[key] === name)!;
    expect(step('tool', 'echo').arguments).toEqual({ message: 'example' });
    expect(step('tool', 'get-sum').arguments).toEqual({ a: 1, b: 1 });
    expect(step('prompt', 'args-prompt').arguments).toEqual({ city: 'example' });
    for (const tool of d.tools.filter((t) => offReasons(t).length === 0)) {
      const required = ((tool.inputSchema as { required?: string[] }).required ?? []).sort();
      expect(Object.keys(step('tool', tool.name).arguments ?? {}).sort()).toEqual(required);
    }
    for (const prompt of d.prompts) {
      const required = (prompt.arguments ?? []).filter((a) => a.required).map((a) => a.name);
      expect(Object.keys(step('prompt', prompt.name).arguments ?? {})).toEqual(required);
    }
  });

  it('omits the arguments key of a tool that needs none', async () => {
    const toml = load(generateConfig(await serverEverything(), URL_));
    const tiny = toml.scenario.find((s) => s.tool === 'get-tiny-image')!;
    expect(Object.hasOwn(tiny, 'arguments')).toBe(false);
  });

  it('lists resource templates only as comments', async () => {
    const text = generateConfig(await serverEverything(), URL_);
    expect(text).toContain(
      '# template: demo://resource/dynamic/text/{resourceId}  (Dynamic Text Resource)',
    );
    expect(load(text).scenario.some((s) => s.uri?.includes('{'))).toBe(false);
  });

  it('writes the tool description as a comment above the step', async () => {
    const text = generateConfig(await serverEverything(), URL_);
    expect(text).toContain('# Echoes back the input string\n[[scenario]]\ntype = "tools/call"');
  });

  it('writes the tools the server marks state-changing or open-world commented out, with the reason', async () => {
    const text = generateConfig(await serverEverything(), URL_);
    const active = load(text).scenario.flatMap((s) => (s.tool === undefined ? [] : [s.tool]));
    for (const tool of [
      'gzip-file-as-resource',
      'toggle-simulated-logging',
      'simulate-research-query',
    ])
      expect(active).not.toContain(tool);
    expect(text).toContain(
      '# off by default: it changes state (readOnlyHint: false); it reaches outside systems (openWorldHint: true).\n' +
        '# [[scenario]]\n# type = "tools/call"\n# weight = 8\n# tool = "gzip-file-as-resource"\n',
    );
    expect(text).toContain(
      '# off by default: it changes state (readOnlyHint: false); it runs only as a task (execution.taskSupport: required).',
    );
    expect(text).toContain('remove the "# " before its\n# [[scenario]] lines');
  });

  it('keeps a read-only tool whose name suggests danger, with a caution', async () => {
    const text = generateConfig(await serverEverything(), URL_);
    const before = (tool: string) =>
      text
        .slice(0, text.indexOf(`tool = "${tool}"`))
        .split('[[scenario]]')
        .at(-2)!;
    expect(load(text).scenario.some((s) => s.tool === 'get-env')).toBe(true);
    expect(before('get-env')).toContain("# caution: the tool's name suggests");
    expect(before('echo')).not.toContain('caution');
  });

  it('turns off a tool the server marks destructive unless it is also read-only', () => {
    const text = generateConfig(
      discovery({
        tools: [
          { name: 'wipe', annotations: { destructiveHint: true } },
          { name: 'peek', annotations: { readOnlyHint: true, destructiveHint: true } },
        ],
      }),
      URL_,
    );
    expect(load(text).scenario.map((s) => s.tool)).toEqual(['peek']);
    expect(text).toContain('# off by default: the server marks it destructive (destructiveHint).');
  });

  it('turns off a tool listed only for a client capability and writes a commented [client] answer', () => {
    const text = generateConfig(
      discovery({ tools: [{ name: 'echo' }, { name: 'ask', needs: ['elicitation', 'roots'] }] }),
      URL_,
    );
    expect(load(text).scenario.map((s) => s.tool)).toEqual(['echo']);
    expect(text).toContain(
      "# off by default: it needs the client's elicitation capability ([client] elicitation); it needs the client's roots capability ([client] roots).",
    );
    expect(text).toContain(
      '# [client]\n# elicitation = { action = "accept", content = { name = "load test" } }\n# roots = ["file:///workspace"]\n',
    );
    expect(text).not.toContain('# sampling =');
  });

  it('turns off a prompt whose placeholder arguments the server refused, with its reason', () => {
    const text = generateConfig(
      discovery({
        tools: [{ name: 'echo' }],
        prompts: [
          { name: 'p', arguments: [{ name: 'kind', required: true }], refused: 'bad kind\nline' },
        ],
      }),
      URL_,
    );
    expect(load(text).scenario.map((s) => s.tool ?? s.prompt)).toEqual(['echo']);
    expect(text).toContain(
      '# off by default: the server refused the placeholder arguments (bad kind line).\n# [[scenario]]\n# type = "prompts/get"\n# weight = 13\n# prompt = "p"\n# check these arguments',
    );
  });

  it('writes a config whose every step is off, saying none is on', () => {
    const text = generateConfig(
      discovery({ tools: [{ name: 'set', annotations: { readOnlyHint: false } }] }),
      URL_,
    );
    expect(text).toContain('# Mix as generated: none on (every step below is commented out).');
    expect(text).toContain('# weight = 100\n# tool = "set"');
    expect((parse(text) as { scenario?: unknown }).scenario).toBeUndefined();
  });

  it('matches the golden file for server-everything with capability tools and a refused prompt', async () => {
    const d = await serverEverything();
    d.tools.push({ name: 'trigger-sampling-request', needs: ['sampling'] });
    d.prompts.find((p) => p.name === 'resource-prompt')!.refused =
      'prompts/get: JSON-RPC error -32603: Invalid resourceType: example. Must be Text or Blob.';
    await expect(generateConfig(d, URL_)).toMatchFileSnapshot(
      '../golden/init-server-everything.toml',
    );
  });

  it('leaves out what exclude rejects, naming it in a comment', async () => {
    const exclude = (kind: OperationType, name: string) =>
      kind === 'tools/call' && (name === 'get-env' || name === 'gzip-file-as-resource');
    const text = generateConfig(await serverEverything(), URL_, { exclude });
    const tools = load(text).scenario.flatMap((s) => (s.tool === undefined ? [] : [s.tool]));
    expect(tools).toHaveLength(8);
    expect(tools).not.toContain('get-env');
    expect(text).toContain('# excluded: tools/call get-env');
  });
});

describe('generateConfig: weights', () => {
  it.each([
    [{ 'tools/call': 4, 'resources/read': 0, 'prompts/get': 0 }, { 'tools/call': 25 }],
    [
      { 'tools/call': 2, 'resources/read': 1, 'prompts/get': 0 },
      { 'tools/call': 39, 'resources/read': 22 },
    ],
    [
      { 'tools/call': 0, 'resources/read': 1, 'prompts/get': 1 },
      { 'resources/read': 67, 'prompts/get': 33 },
    ],
    [
      { 'tools/call': 50, 'resources/read': 50, 'prompts/get': 50 },
      { 'tools/call': 7, 'resources/read': 2, 'prompts/get': 1 },
    ],
  ])('%j steps weigh %j each', (counts, expected) => {
    expect(stepWeights(counts)).toMatchObject(expected);
  });

  it('keeps every present kind at ≥ 1 and within 2 points of its share, for any counts', () => {
    const count = fc.integer({ min: 0, max: 500 });
    fc.assert(
      fc.property(count, count, count, (t, r, p) => {
        fc.pre(t + r + p > 0);
        const counts = { 'tools/call': t, 'resources/read': r, 'prompts/get': p };
        const w = stepWeights(counts);
        const kinds = (Object.keys(counts) as OperationType[]).filter((k) => counts[k] > 0);
        const total = kinds.reduce((s, k) => s + counts[k] * w[k], 0);
        const shares = { 'tools/call': 70, 'resources/read': 20, 'prompts/get': 10 };
        const shareTotal = kinds.reduce((s, k) => s + shares[k], 0);
        for (const k of kinds) {
          expect(Number.isInteger(w[k]) && w[k] >= 1).toBe(true);
          expect(Math.abs((counts[k] * w[k]) / total - shares[k] / shareTotal)).toBeLessThanOrEqual(
            0.02 + 1e-9,
          );
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('generateConfig: limits and edge cases', () => {
  it('writes at most 50 steps of a kind and says how many it left out', () => {
    const tools = Array.from({ length: 60 }, (_, i) => ({ name: `t${i}` }));
    const text = generateConfig(discovery({ tools }), URL_);
    expect(load(text).scenario).toHaveLength(50);
    expect(text).toContain('# 10 more tools omitted (at most 50 per kind).');
  });

  it('writes one step per name when the server lists a name twice', () => {
    const text = generateConfig(discovery({ tools: [{ name: 'a' }, { name: 'a' }] }), URL_);
    expect(load(text).scenario).toHaveLength(1);
  });

  it('fails with DISCOVERY_FAILED when there is nothing to test', () => {
    expect(() => generateConfig(discovery({}), URL_)).toThrow(LoadtestError);
    expect(() => generateConfig(discovery({}), URL_)).toThrow(
      `${URL_} lists no tools, resources or prompts to test; run \`mcp-loadtest init\` without a URL for a template to fill in`,
    );
  });

  it('asks the user to check arguments it could not fully derive, dropping values TOML cannot hold', () => {
    const inputSchema = {
      type: 'object',
      properties: { n: { type: 'null' }, s: { type: 'string' }, any: {} },
      required: ['n', 's', 'any'],
    };
    const text = generateConfig(discovery({ tools: [{ name: 't', inputSchema }] }), URL_);
    expect(text).toContain('# check these arguments');
    expect(load(text).scenario[0]!.arguments).toEqual({ s: 'example', any: 'example' });
  });

  it('masks credentials in the URL it records', () => {
    const text = generateConfig(
      discovery({ tools: [{ name: 't' }] }),
      'https://user:hunter2@mcp.example.com/mcp?api_key=s3cret&region=eu',
    );
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('region=eu');
  });

  it('records a URL without credentials exactly as given', () => {
    const text = generateConfig(discovery({ tools: [{ name: 't' }] }), 'http://LOCALHOST:3000');
    expect(text.split('\n')[0]).toBe('# Generated from server: http://LOCALHOST:3000');
  });
});

describe('generateConfig: hostile names round-trip exactly', () => {
  it.each(hostile.map((s) => [s]))(
    '%j as tool, argument key and value, resource and prompt',
    (s) => {
      const d = discovery({
        tools: [
          {
            name: s,
            description: `desc ${s}`,
            inputSchema: {
              type: 'object',
              properties: { [s]: { type: 'string', default: s } },
              required: [s],
            },
          },
        ],
        resources: [{ uri: s }],
        prompts: [{ name: s, description: s, arguments: [{ name: s, required: true }] }],
        resourceTemplates: [{ uriTemplate: s, name: s }],
      });
      const toml = load(generateConfig(d, s));
      expect(toml.scenario).toEqual([
        { type: 'tools/call', weight: 70, tool: s, arguments: { [s]: s } },
        { type: 'resources/read', weight: 20, uri: s },
        { type: 'prompts/get', weight: 10, prompt: s, arguments: { [s]: 'example' } },
      ]);
    },
  );

  it('round-trips any well-formed string as a value or a key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(parse(`${tomlKey(s)} = ${tomlString(s)}`)).toEqual({ [s]: s });
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no control, bidi or invisible character unescaped in the file', () => {
    const s = hostile.join('');
    const text = generateConfig(discovery({ tools: [{ name: s, description: s }] }), s);
    expect(text).not.toMatch(
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/,
    );
  });

  it('flattens comment text to one printable line of at most 100 characters', () => {
    expect(commentText('a\nb\r\n\tc\u202ed')).toBe('a b c d');
    const long = commentText('x'.repeat(99) + '🚀🚀');
    expect([...long]).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });

  it('skips a name with a lone surrogate, which TOML cannot hold', () => {
    const text = generateConfig(
      discovery({ tools: [{ name: 'bad\ud800' }, { name: 'ok' }] }),
      URL_,
    );
    expect(load(text).scenario.map((s) => s.tool)).toEqual(['ok']);
    expect(text).toContain('# skipped (not valid Unicode): tools/call bad');
  });
});

describe('generateConfig output and the validating loader', () => {
  it('passes parseConfig for server-everything', async () => {
    const config = parseConfig(generateConfig(await serverEverything(), URL_), 'x.toml', {});
    expect(config.scenario).toHaveLength(20);
    expect(config.scenario.find((s) => s.type === 'tools/call' && s.tool === 'get-sum')).toEqual({
      type: 'tools/call',
      weight: 8,
      tool: 'get-sum',
      arguments: { a: 1, b: 1 },
    });
  });

  it('passes parseConfig with hostile names, keeping them exactly', () => {
    const s = hostile.join(' ');
    const d = discovery({
      tools: [
        {
          name: s,
          inputSchema: { type: 'object', properties: { [s]: { const: s } }, required: [s] },
        },
      ],
      resources: [{ uri: s }],
      prompts: [{ name: s, arguments: [{ name: s, required: true }] }],
    });
    const config = parseConfig(generateConfig(d, URL_), 'x.toml', { X: 'interpolated' });
    expect(config.scenario.map(stepKey)).toEqual([s, s, s]);
    expect(config.scenario[0]).toMatchObject({ arguments: { [s]: s } });
  });
});
