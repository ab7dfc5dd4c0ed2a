import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeTarget, redactSecrets } from '../../src/protocol/target.js';

const TOKEN = 'tok_9f8e7d6c5b4a3f2e1d0c';
const target = makeTarget('http://127.0.0.1:3000/mcp', { Authorization: `Bearer ${TOKEN}` });

/** Text with none of the token's characters, so any piece of the token found came from it. */
const filler = fc.string({ unit: fc.constantFrom('X', 'Y', 'Z', ' ', '-', ':'), maxLength: 40 });

/** Every piece of the token at least `n` characters long. */
function pieces(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= TOKEN.length; i++) out.push(TOKEN.slice(i, i + n));
  return out;
}

describe('redactSecrets', () => {
  it('replaces the whole value and the token alone', () => {
    expect(redactSecrets(`got Bearer ${TOKEN} and ${TOKEN}.`, target)).toBe(
      'got [redacted] and [redacted].',
    );
  });

  it('scrubs the start of a token that a length limit cut off at the end of the text', () => {
    expect(redactSecrets(`invalid token: Bearer ${TOKEN.slice(0, 10)}`, target)).toBe(
      'invalid token: [redacted]',
    );
    expect(redactSecrets(`token ${TOKEN.slice(0, 6)}`, target)).toBe('token [redacted]');
  });

  it('leaves text that merely ends like the start of "Bearer" alone below four characters', () => {
    expect(redactSecrets('a Bea', target)).toBe('a Bea');
  });

  it('leaves no four-character piece of the token, wherever the text around it is cut', () => {
    fc.assert(
      fc.property(filler, fc.constantFrom('', 'Bearer '), filler, fc.nat(), (a, b, c, cutAt) => {
        const text = `${a}${b}${TOKEN}${c}`;
        const cut = text.slice(0, cutAt % (text.length + 1));
        const out = redactSecrets(cut, target);
        for (const piece of pieces(4)) expect(out).not.toContain(piece);
      }),
    );
  });
});
