import { describe, expect, it } from 'vitest';
import { reportSamples, SAMPLE_MAX_CHARS } from '../../src/report/error-samples.js';

const codePoints = (s: string) => Array.from(s).length;

describe('reportSamples', () => {
  it('keeps a short, clean message as it is', () => {
    expect(reportSamples({ http: 'add: HTTP 500: Internal Server Error' })).toEqual({
      http: 'add: HTTP 500: Internal Server Error',
    });
  });

  it('strips escape sequences and line breaks a server put in its message', () => {
    expect(
      reportSamples({ jsonrpc: 'x: \u001b[31mred\u001b[0m\nforged\u001b]0;title\u0007' }),
    ).toEqual({
      jsonrpc: 'x: red forged',
    });
  });

  it('cuts a 10 kB message to the schema’s 300 characters, ending in "…"', () => {
    const out = reportSamples({ tool: `t: ${'y'.repeat(10_000)}` }).tool!;
    expect(codePoints(out)).toBe(SAMPLE_MAX_CHARS);
    expect(out.endsWith('…')).toBe(true);
  });

  it('counts code points as the schema does: emoji sequences cannot push it past 300', () => {
    const family = '👨‍👩‍👧‍👦'; // 7 code points, one grapheme
    const out = reportSamples({ protocol: family.repeat(100) }).protocol!;
    expect(codePoints(out)).toBeLessThanOrEqual(SAMPLE_MAX_CHARS);
  });
});
