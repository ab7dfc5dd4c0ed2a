import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoadtestError } from '../../src/errors.js';
import { DEFAULTS, findConfig, loadConfigFile, parseConfig } from '../../src/config/load-config.js';
import type { LoadConfig } from '../../src/config/types.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/configs');
const CHAPTER_FIXTURES = readdirSync(FIXTURES).filter((name) => name.endsWith('.toml'));

const SETTINGS = '[settings]\nvirtual_users = 10\nduration_secs = 60\ntimeout_ms = 5000\n';
const STEP = '\n[[scenario]]\ntype = "tools/call"\ntool = "add"\n';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-loadtest-config-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function isDeeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen);
}

describe('loadConfigFile accepts every TOML example of the cargo pmcp loadtest documentation', () => {
  it('has the documentation examples as fixtures', () => {
    expect(CHAPTER_FIXTURES.length).toBeGreaterThanOrEqual(10);
  });

  it.each(CHAPTER_FIXTURES)('%s loads into a deep-frozen config', (name) => {
    const config = loadConfigFile(join(FIXTURES, name), {});
    expect(config.path).toBe(join(FIXTURES, name));
    expect(config.scenario.length).toBeGreaterThan(0);
    expect(isDeeplyFrozen(config)).toBe(true);
  });

  it('normalises the staging example to camelCase with defaults filled in', () => {
    const config = loadConfigFile(join(FIXTURES, 'chapter-staging.toml'), {});
    expect(config).toEqual<LoadConfig>({
      path: join(FIXTURES, 'chapter-staging.toml'),
      settings: {
        virtualUsers: 20,
        durationSecs: 120,
        timeoutMs: 10000,
        expectedIntervalMs: 200,
        requestIntervalMs: 0,
        maxResponseBytes: 10485760,
        headers: {},
        stopOnBreakingPoint: false,
        arrivalRate: null,
        maxVus: null,
        protocol: 'auto',
        transport: null,
      },
      scenario: [
        { type: 'tools/call', weight: 70, tool: 'search', arguments: { query: 'test query' } },
        { type: 'resources/read', weight: 20, uri: 'config://settings' },
        {
          type: 'prompts/get',
          weight: 10,
          prompt: 'summarize',
          arguments: { text: 'sample text for testing' },
        },
      ],
      stages: [],
      rateStages: [],
      thresholds: { failOnBreakingPoint: false, tools: {} },
      client: {},
    });
  });

  it('reads the stages of the breaking-point hunt in order', () => {
    const config = loadConfigFile(join(FIXTURES, 'chapter-breaking-point.toml'), {});
    expect(config.stages).toEqual([
      { targetVus: 10, durationSecs: 30 },
      { targetVus: 50, durationSecs: 60 },
      { targetVus: 100, durationSecs: 60 },
      { targetVus: 0, durationSecs: 30 },
    ]);
  });

  it('leaves arguments out of a step whose arguments line is commented out', () => {
    const config = loadConfigFile(join(FIXTURES, 'chapter-generated.toml'), {});
    expect(config.scenario.map((step) => 'arguments' in step)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads the optional settings of the cheat sheet', () => {
    const config = loadConfigFile(join(FIXTURES, 'cheat-sheet-optional-settings.toml'), {});
    expect(config.settings.expectedIntervalMs).toBe(100);
    expect(config.settings.requestIntervalMs).toBe(15000);
  });
});

describe('parseConfig normalises values', () => {
  it('exports the documented defaults', () => {
    expect(DEFAULTS).toMatchObject({
      expectedIntervalMs: 100,
      requestIntervalMs: 0,
      maxResponseBytes: 10485760,
    });
  });

  it('resolves the path it is given to an absolute path', () => {
    expect(parseConfig(SETTINGS + STEP, 'conf/load.toml', {}).path).toBe(resolve('conf/load.toml'));
  });

  it('gives an omitted weight the default 1', () => {
    expect(parseConfig(SETTINGS + STEP, 'x.toml', {}).scenario[0]?.weight).toBe(1);
  });

  it('accepts a weight of 0 on one step when the total is positive', () => {
    const text = `${SETTINGS}${STEP}weight = 0\n${STEP}weight = 2.5\n`;
    expect(parseConfig(text, 'x.toml', {}).scenario.map((s) => s.weight)).toEqual([0, 2.5]);
  });

  it('accepts a fractional duration', () => {
    const text = SETTINGS.replace('duration_secs = 60', 'duration_secs = 0.5') + STEP;
    expect(parseConfig(text, 'x.toml', {}).settings.durationSecs).toBe(0.5);
  });

  it('turns TOML dates in tool arguments into ISO strings, at any depth', () => {
    const text = `${SETTINGS}${STEP}arguments = { at = 1979-05-27T07:32:00Z, day = 1979-05-27, list = [{ t = 07:32:00 }] }\n`;
    const step = parseConfig(text, 'x.toml', {}).scenario[0];
    expect(step?.type === 'tools/call' && step.arguments).toEqual({
      at: '1979-05-27T07:32:00.000Z',
      day: '1979-05-27',
      list: [{ t: '07:32:00.000' }],
    });
  });

  it('keeps tool arguments of every JSON type', () => {
    const text = `${SETTINGS}${STEP}[scenario.arguments]\ns = "x"\ni = -3\nf = 1.5\nb = true\na = [1, "two", [3]]\nt = { nested = { deep = 1 } }\n`;
    const step = parseConfig(text, 'x.toml', {}).scenario[0];
    expect(step?.type === 'tools/call' && step.arguments).toEqual({
      s: 'x',
      i: -3,
      f: 1.5,
      b: true,
      a: [1, 'two', [3]],
      t: { nested: { deep: 1 } },
    });
  });

  it('keeps a __proto__ argument as data, not as a prototype', () => {
    const text = `${SETTINGS}${STEP}arguments = { __proto__ = { polluted = true } }\n`;
    const step = parseConfig(text, 'x.toml', {}).scenario[0];
    const args = step?.type === 'tools/call' ? step.arguments : undefined;
    expect(JSON.stringify(args)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('fills ${VAR} references in headers from the given environment', () => {
    const text = `${SETTINGS}[settings.headers]\nAuthorization = "Bearer \${TOKEN}"\nX-Env = "\${A}-\${B}"\nX-Literal = "$\${NOT_A_VAR} costs $5"\n${STEP}`;
    const config = parseConfig(text, 'x.toml', { TOKEN: 'abc', A: 'one', B: '' });
    expect(config.settings.headers).toEqual({
      Authorization: 'Bearer abc',
      'X-Env': 'one-',
      'X-Literal': '${NOT_A_VAR} costs $5',
    });
  });

  it('reads headers from process.env when no environment is given', () => {
    process.env.MCP_LOADTEST_CONFIG_TEST = 'from-process';
    try {
      const text = `${SETTINGS}[settings.headers]\nX-Test = "\${MCP_LOADTEST_CONFIG_TEST}"\n${STEP}`;
      expect(parseConfig(text, 'x.toml').settings.headers).toEqual({ 'X-Test': 'from-process' });
    } finally {
      delete process.env.MCP_LOADTEST_CONFIG_TEST;
    }
  });

  it('does not take inherited properties of the environment for variables', () => {
    const text = `${SETTINGS}[settings.headers]\nX-Test = "\${constructor}"\n${STEP}`;
    expect(() => parseConfig(text, 'x.toml', {})).toThrow(/environment variable constructor/);
  });

  it('tolerates a byte-order mark', () => {
    expect(parseConfig(`\uFEFF${SETTINGS}${STEP}`, 'x.toml', {}).settings.virtualUsers).toBe(10);
  });

  it('reads CRLF files with the right line numbers', () => {
    const text = `${SETTINGS}${STEP}weight = -1\n`.replaceAll('\n', '\r\n');
    expect(() => parseConfig(text, 'x.toml', {})).toThrow(/^x\.toml:9:1: scenario\[0\]\.weight /);
  });
});

describe('parseConfig reads [thresholds] and stop_on_breaking_point', () => {
  const RESOURCE = '\n[[scenario]]\ntype = "resources/read"\nuri = "calc://constants"\n';

  it('defaults to no thresholds and no stop at the breaking point', () => {
    const config = parseConfig(SETTINGS + STEP, 'x.toml', {});
    expect(config.thresholds).toEqual({ failOnBreakingPoint: false, tools: {} });
    expect(config.settings.stopOnBreakingPoint).toBe(false);
  });

  it('reads stop_on_breaking_point = true', () => {
    const config = parseConfig(`${SETTINGS}stop_on_breaking_point = true\n${STEP}`, 'x.toml', {});
    expect(config.settings.stopOnBreakingPoint).toBe(true);
  });

  it('normalises every threshold to camelCase and keeps only the limits that were set', () => {
    const text =
      SETTINGS +
      STEP +
      RESOURCE +
      '\n[thresholds]\np50_ms = 100\np95_ms = 250.5\np99_ms = 500\nerror_rate = 0\n' +
      'min_throughput_rps = 20\nfail_on_breaking_point = true\n' +
      '\n[thresholds.tools.add]\np99_ms = 50\n' +
      '\n[thresholds.tools."calc://constants"]\nerror_rate = 0.01\nmin_throughput_rps = 1\n';
    const config = parseConfig(text, 'x.toml', {});
    expect(config.thresholds).toStrictEqual({
      p50Ms: 100,
      p95Ms: 250.5,
      p99Ms: 500,
      errorRate: 0,
      minThroughputRps: 20,
      failOnBreakingPoint: true,
      tools: {
        add: { p99Ms: 50 },
        'calc://constants': { errorRate: 0.01, minThroughputRps: 1 },
      },
    });
    expect(isDeeplyFrozen(config)).toBe(true);
  });

  it('accepts per-tool limits written as a dotted key or an inline table', () => {
    const dotted = `${SETTINGS}${STEP}\n[thresholds]\ntools.add.p95_ms = 80\n`;
    const inline = `${SETTINGS}${STEP}\n[thresholds]\ntools = { add = { p95_ms = 80 } }\n`;
    for (const text of [dotted, inline]) {
      expect(parseConfig(text, 'x.toml', {}).thresholds.tools).toStrictEqual({
        add: { p95Ms: 80 },
      });
    }
  });

  it('matches a prompt scope by its prompt name', () => {
    const text =
      SETTINGS +
      '\n[[scenario]]\ntype = "prompts/get"\nprompt = "explain"\n' +
      '\n[thresholds.tools.explain]\np50_ms = 5\n';
    expect(parseConfig(text, 'x.toml', {}).thresholds.tools).toStrictEqual({
      explain: { p50Ms: 5 },
    });
  });
});

describe('loadConfigFile reports unreadable files', () => {
  it('reports a missing file as CONFIG_NOT_FOUND', () => {
    const path = join(tempDir(), 'missing.toml');
    const error = catchError(() => loadConfigFile(path, {}));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.exitCode).toBe(2);
    expect(error.file).toBe(path);
    expect(error.message).toBe(
      `${path}: config file not found; accepted: the path of an existing TOML file, such as .pmcp/loadtest.toml`,
    );
  });

  it('reports a directory as CONFIG_UNREADABLE', () => {
    const path = tempDir();
    const error = catchError(() => loadConfigFile(path, {}));
    expect(error.code).toBe('CONFIG_UNREADABLE');
    expect(error.message).toBe(
      `${path}: config file is a directory, not a file; accepted: a readable TOML file`,
    );
  });

  it.skipIf(process.getuid?.() === 0)(
    'reports a file without read permission as CONFIG_UNREADABLE',
    () => {
      const path = join(tempDir(), 'locked.toml');
      writeFileSync(path, SETTINGS + STEP, { mode: 0o000 });
      const error = catchError(() => loadConfigFile(path, {}));
      expect(error.code).toBe('CONFIG_UNREADABLE');
      expect(error.message).toBe(
        `${path}: config file cannot be read (permission denied); accepted: a readable TOML file`,
      );
    },
  );

  it('reports the path in syntax errors as it was given', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.toml'), '[settings\n');
    const error = catchError(() => loadConfigFile(join(dir, 'bad.toml'), {}));
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message.startsWith(`${join(dir, 'bad.toml')}:1:10: invalid TOML: `)).toBe(true);
  });
});

describe('findConfig', () => {
  it('finds .pmcp/loadtest.toml in the start directory', () => {
    const root = tempDir();
    mkdirSync(join(root, '.pmcp'));
    writeFileSync(join(root, '.pmcp', 'loadtest.toml'), SETTINGS + STEP);
    expect(findConfig(root)).toBe(join(root, '.pmcp', 'loadtest.toml'));
  });

  it('walks up to the nearest ancestor that has one', () => {
    const root = tempDir();
    mkdirSync(join(root, '.pmcp'));
    writeFileSync(join(root, '.pmcp', 'loadtest.toml'), SETTINGS + STEP);
    mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
    expect(findConfig(join(root, 'a', 'b', 'c'))).toBe(join(root, '.pmcp', 'loadtest.toml'));
  });

  it('prefers the nearest config over one further up', () => {
    const root = tempDir();
    for (const dir of [root, join(root, 'a')]) {
      mkdirSync(join(dir, '.pmcp'), { recursive: true });
      writeFileSync(join(dir, '.pmcp', 'loadtest.toml'), SETTINGS + STEP);
    }
    mkdirSync(join(root, 'a', 'b'));
    expect(findConfig(join(root, 'a', 'b'))).toBe(join(root, 'a', '.pmcp', 'loadtest.toml'));
  });

  it('accepts a relative start directory and returns an absolute path', () => {
    const root = tempDir();
    mkdirSync(join(root, '.pmcp'));
    writeFileSync(join(root, '.pmcp', 'loadtest.toml'), SETTINGS + STEP);
    const relativeDir = relative(process.cwd(), root);
    expect(isAbsolute(relativeDir)).toBe(false);
    expect(findConfig(relativeDir)).toBe(join(root, '.pmcp', 'loadtest.toml'));
  });

  it('skips a .pmcp/loadtest.toml that is a directory', () => {
    const root = tempDir();
    mkdirSync(join(root, '.pmcp', 'loadtest.toml'), { recursive: true });
    expect(findConfig(root)).not.toBe(join(root, '.pmcp', 'loadtest.toml'));
  });

  it('returns undefined when no ancestor has one', () => {
    const root = tempDir();
    mkdirSync(join(root, 'deep', 'er'), { recursive: true });
    // The temp dir's ancestors (/tmp, /) are assumed to have no .pmcp/loadtest.toml.
    expect(findConfig(join(root, 'deep', 'er'))).toBeUndefined();
  });
});

function catchError(run: () => unknown): LoadtestError {
  try {
    run();
  } catch (error) {
    if (error instanceof LoadtestError) return error;
    throw error;
  }
  throw new Error('expected a LoadtestError');
}
