import { describe, expect, it } from 'vitest';
import { colors } from '../../src/render/colors.js';
import {
  displayWidth,
  fitWidth,
  formatCount,
  formatMs,
  formatPercent,
  formatRate,
  sanitizeForTerminal,
  truncateChars,
} from '../../src/render/format.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('formatMs', () => {
  it.each<[number, string]>([
    [0, '0µs'],
    [0.0004, '0µs'],
    [0.0123, '12µs'],
    [0.4567, '457µs'],
    [0.999, '999µs'],
    [0.9996, '1.00ms'],
    [1, '1.00ms'],
    [1.234, '1.23ms'],
    [9.994, '9.99ms'],
    [9.996, '10.0ms'],
    [12.34, '12.3ms'],
    [99.94, '99.9ms'],
    [99.96, '100ms'],
    [123.4, '123ms'],
    [999.4, '999ms'],
    [999.6, '1.00s'],
    [1000, '1.00s'],
    [4500, '4.50s'],
    [45_000, '45.0s'],
    [450_000, '450s'],
    [999_600, '1000s'],
    [3_600_000, '3600s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  it.each([NaN, Infinity, -Infinity, -0.5])('shows %d as "-"', (ms) => {
    expect(formatMs(ms)).toBe('-');
  });
});

describe('formatPercent', () => {
  it.each<[number, string]>([
    [0, '0.0%'],
    [0.0004, '<0.1%'],
    [0.0006, '0.1%'],
    [0.125, '12.5%'],
    [0.999, '99.9%'],
    [0.9999, '>99.9%'],
    [1, '100.0%'],
    [NaN, '-'],
    [Infinity, '-'],
  ])('formats %d as %s', (ratio, text) => {
    expect(formatPercent(ratio)).toBe(text);
  });
});

describe('formatRate', () => {
  it.each<[number, string]>([
    [0, '0.0'],
    [0.001, '<0.01'],
    [0.04, '0.04'],
    [80.33, '80.3'],
    [999.96, '1000'],
    [12_345.6, '12346'],
    [NaN, '-'],
    [-1, '-'],
  ])('formats %d req/s as %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
});

describe('formatCount', () => {
  it.each<[number, string]>([
    [0, '0'],
    [999, '999'],
    [4944, '4,944'],
    [1_234_567, '1,234,567'],
  ])('formats %d as %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });
});

describe('truncateChars', () => {
  it('keeps a string that fits', () => {
    expect(truncateChars('hello', 5)).toBe('hello');
  });

  it('cuts to n characters including the ellipsis', () => {
    expect(truncateChars('hello world', 5)).toBe('hell…');
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateChars('🧮🧮🧮🧮', 3);
    expect(cut).toBe('🧮🧮…');
    expect(cut).not.toMatch(LONE_SURROGATE);
  });

  it('keeps an emoji ZWJ sequence and a combining accent whole', () => {
    expect(truncateChars('a👨‍👩‍👧b', 3)).toBe('a👨‍👩‍👧b');
    expect(truncateChars('a👨‍👩‍👧bc', 3)).toBe('a👨‍👩‍👧…');
    expect(truncateChars('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
  });

  it('returns an empty string for n <= 0 and just the ellipsis for n = 1', () => {
    expect(truncateChars('abc', 0)).toBe('');
    expect(truncateChars('abc', 1)).toBe('…');
  });
});

describe('displayWidth and fitWidth', () => {
  it.each<[string, number]>([
    ['', 0],
    ['abc', 3],
    ['计算', 4],
    ['🧮', 2],
    ['👨‍👩‍👧', 2],
    ['e\u0301', 1],
    ['ｆｕｌｌ', 8],
  ])('measures %j as %d cells', (s, width) => {
    expect(displayWidth(s)).toBe(width);
  });

  it('cuts wide characters whole and pads to the exact width', () => {
    expect(fitWidth('计算器', 5)).toBe('计算…');
    expect(fitWidth('计算器', 6)).toBe('计算器');
    expect(fitWidth('计算器x', 6)).toBe('计算… ');
    expect(displayWidth(fitWidth('计算器x', 6))).toBe(6);
    expect(fitWidth('ab', 4, 'right')).toBe('  ab');
  });

  it('cuts in the middle on request, keeping the end where URIs differ', () => {
    const uri = 'demo://resource/static/document/architecture.md';
    expect(fitWidth(uri, 30, 'left', 'middle')).toBe('demo://reso…nt/architecture.md');
    expect(displayWidth(fitWidth(uri, 30, 'left', 'middle'))).toBe(30);
    expect(fitWidth('计算器计算器x', 8, 'left', 'middle')).toBe('计…算器x');
    expect(fitWidth('short', 30, 'left', 'middle')).toBe('short' + ' '.repeat(25));
  });
});

describe('sanitizeForTerminal', () => {
  it.each<[string, string, string]>([
    ['SGR colour', 'a\u001b[31mred\u001b[0m', 'ared'],
    ['cursor movement and clear screen', 'a\u001b[2J\u001b[1;1Hb', 'ab'],
    ['OSC window title ended by BEL', 'x\u001b]0;pwned\u0007y', 'xy'],
    ['OSC 8 hyperlink ended by ST', '\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['unterminated OSC', 'x\u001b]0;title', 'x'],
    ['unterminated CSI', 'abc\u001b[', 'abc'],
    ['charset designation', 'a\u001b(Bb', 'ab'],
    ['C1 CSI', 'a\u009b31mb', 'ab'],
    ['C1 OSC', 'a\u009d0;t\u009cb', 'ab'],
    ['newlines and tabs', 'line1\nline2\r\nx\ty', 'line1 line2  x y'],
    ['NUL, BEL, backspace and DEL', 'a\u0000b\u0007c\u0008d\u007f', 'abcd'],
    ['bidi override', 'abc\u202edcba\u202c', 'abcdcba'],
    ['a lone surrogate', 'a\ud83cb', 'a\ufffdb'],
    ['CJK, emoji and accents', '计算器 🧮 e\u0301', '计算器 🧮 e\u0301'],
  ])('handles %s', (_name, input, output) => {
    expect(sanitizeForTerminal(input)).toBe(output);
  });
});

describe('colors', () => {
  it('returns text unchanged when disabled', () => {
    expect(colors(false).red('x')).toBe('x');
  });

  it('wraps text in an SGR pair that resets only what it set', () => {
    expect(colors(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(colors(true).dim('x')).toBe('\u001b[2mx\u001b[22m');
  });
});
