import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/config/did-you-mean.js';
import { formatKeyPath, TomlPositions } from '../../src/config/toml-position.js';

const locate = (text: string, path: (string | number)[]) => TomlPositions.of(text).locate(path);

describe('TomlPositions', () => {
  const doc = [
    '# comment [[scenario]]', // 1
    '[settings]', // 2
    '  virtual_users = 10', // 3
    '[settings.headers]', // 4
    '"X-Token" = "${T}"', // 5
    '', // 6
    '[[scenario]]', // 7
    'type = "tools/call"', // 8
    'note = """', // 9
    '[[scenario]]', // 10: inside a multi-line string, not a header
    'tool = "x"', // 11: likewise
    '"""', // 12
    '[[scenario]]', // 13
    'tool = "b"', // 14
    'arguments = { a = 1, nested = { b = [1, { c = 2 }] } }', // 15
    '[scenario.arguments2]', // 16
    'k.l = 1', // 17
    'list = [', // 18
    '  { x = 1 },  # first', // 19
    '  { x = 2 },', // 20
    ']', // 21
  ].join('\n');

  it.each([
    [['settings'], 2, 1],
    [['settings', 'virtual_users'], 3, 3],
    [['settings', 'headers'], 4, 1],
    [['settings', 'headers', 'X-Token'], 5, 1],
    [['scenario'], 7, 1],
    [['scenario', 0], 7, 1],
    [['scenario', 0, 'type'], 8, 1],
    [['scenario', 1], 13, 1],
    [['scenario', 1, 'tool'], 14, 1],
    [['scenario', 1, 'arguments', 'a'], 15, 15],
    [['scenario', 1, 'arguments', 'nested', 'b', 1, 'c'], 15, 43],
    [['scenario', 1, 'arguments2'], 16, 1],
    [['scenario', 1, 'arguments2', 'k', 'l'], 17, 3],
    [['scenario', 1, 'arguments2', 'list', 1, 'x'], 20, 5],
  ] as [(string | number)[], number, number][])('locates %j at %i:%i', (path, line, column) => {
    expect(locate(doc, path)).toEqual({ line, column });
  });

  it('falls back to the nearest located ancestor for a missing key', () => {
    expect(locate(doc, ['scenario', 1, 'weight'])).toEqual({ line: 13, column: 1 });
    expect(locate(doc, ['settings', 'timeout_ms'])).toEqual({ line: 2, column: 1 });
  });

  it('returns undefined when nothing on the path is in the text', () => {
    expect(locate(doc, ['stage', 0, 'target_vus'])).toBeUndefined();
    expect(locate(doc, [])).toBeUndefined();
  });

  it('prefers an explicit [settings] header over one implied by [settings.headers]', () => {
    const text = '[settings.headers]\nA = "b"\n[settings]\nvirtual_users = 1\n';
    expect(locate(text, ['settings', 'timeout_ms'])).toEqual({ line: 3, column: 1 });
  });

  it('locates dotted keys at the top level', () => {
    expect(locate('settings.timeout_ms = 5\n', ['settings', 'timeout_ms'])).toEqual({
      line: 1,
      column: 10,
    });
  });

  it('decodes escapes in quoted keys and reads literal keys', () => {
    const text = '[a]\n"caf\\u00e9" = 1\n\'lit.key\' = 2\n';
    expect(locate(text, ['a', 'café'])).toEqual({ line: 2, column: 1 });
    expect(locate(text, ['a', 'lit.key'])).toEqual({ line: 3, column: 1 });
  });

  it('counts nested arrays of tables per parent element', () => {
    const text = '[[a]]\n[[a.b]]\n[[a]]\n[[a.b]]\n[[a.b]]\nx = 1\n';
    expect(locate(text, ['a', 1, 'b', 1, 'x'])).toEqual({ line: 6, column: 1 });
    expect(locate(text, ['a', 0, 'b', 0])).toEqual({ line: 2, column: 1 });
  });

  it('skips a multi-line literal string ending in extra quotes', () => {
    const text = "s = '''x''''\n[t]\nk = 1\n";
    expect(locate(text, ['t', 'k'])).toEqual({ line: 3, column: 1 });
  });

  it('locates keys under quoted per-tool threshold tables', () => {
    const text = [
      '[thresholds]', // 1
      'p99_ms = 500', // 2
      '[thresholds.tools."a b"]', // 3
      'p50_ms = 1', // 4
      '  p99_ms = 2', // 5
      '[thresholds.tools."calc://constants"]', // 6
      'error_rate = 0.1', // 7
      "[thresholds.tools.'lit.eral']", // 8
      'p95_ms = 3', // 9
    ].join('\n');
    expect(locate(text, ['thresholds', 'tools', 'a b'])).toEqual({ line: 3, column: 1 });
    expect(locate(text, ['thresholds', 'tools', 'a b', 'p99_ms'])).toEqual({ line: 5, column: 3 });
    expect(locate(text, ['thresholds', 'tools', 'calc://constants', 'error_rate'])).toEqual({
      line: 7,
      column: 1,
    });
    expect(locate(text, ['thresholds', 'tools', 'lit.eral', 'p95_ms'])).toEqual({
      line: 9,
      column: 1,
    });
    expect(formatKeyPath(['thresholds', 'tools', 'a b', 'p99_ms'])).toBe(
      'thresholds.tools."a b".p99_ms',
    );
  });

  it('locates a quoted per-tool key written as a dotted key or in an inline table', () => {
    const dotted = '[thresholds]\ntools."a b".p99_ms = 5\n';
    const inline = '[thresholds]\ntools = { "c d" = { p50_ms = 1 } }\n';
    expect(locate(dotted, ['thresholds', 'tools', 'a b', 'p99_ms'])).toEqual({
      line: 2,
      column: 13,
    });
    expect(locate(inline, ['thresholds', 'tools', 'c d', 'p50_ms'])).toEqual({
      line: 2,
      column: 21,
    });
  });

  it('keeps columns right on CRLF lines', () => {
    expect(locate('[s]\r\n  k = 1\r\n', ['s', 'k'])).toEqual({ line: 2, column: 3 });
  });
});

describe('formatKeyPath', () => {
  it('writes indices in brackets and quotes keys that are not bare', () => {
    expect(formatKeyPath(['scenario', 2, 'arguments', 'a.b', 'ok'])).toBe(
      'scenario[2].arguments."a.b".ok',
    );
  });

  it('keeps a quoted key on one line', () => {
    expect(formatKeyPath(['a\nb\u2028'])).toBe('"a\\nb\\u2028"');
  });
});

describe('didYouMean', () => {
  const SETTINGS = ['virtual_users', 'duration_secs', 'timeout_ms', 'headers'];

  it.each([
    ['virtual_user', 'virtual_users'],
    ['timout_ms', 'timeout_ms'],
    ['tiemout_ms', 'timeout_ms'],
    ['Duration_Secs', 'duration_secs'],
    ['header', 'headers'],
    ['virtual', 'virtual_users'],
    ['timeout', 'timeout_ms'],
  ])('suggests %s → %s', (input, expected) => {
    expect(didYouMean(input, SETTINGS)).toBe(expected);
  });

  it.each(['x', 'thresholds', 'stop_on_breaking_point', ''])('suggests nothing for %j', (input) => {
    expect(didYouMean(input, SETTINGS)).toBeUndefined();
  });

  it('suggests tools/call for tools/cal', () => {
    expect(didYouMean('tools/cal', ['tools/call', 'resources/read', 'prompts/get'])).toBe(
      'tools/call',
    );
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
