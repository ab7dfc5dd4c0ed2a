import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RepeatResponses, topLevelIdSpan } from '../../src/protocol/repeat-response.js';

const RULES = 4;
const b = (text: string): Buffer => Buffer.from(text);

/** A fresh cache that has learnt `text` as the response to `id`. */
function learnt(text: string, id: number, rules = RULES): RepeatResponses {
  const repeats = new RepeatResponses();
  repeats.learn(b(text), id, rules);
  return repeats;
}

const ok = (id: number | string): string =>
  `{"result":{"content":[{"type":"text","text":"59"}]},"jsonrpc":"2.0","id":${id}}`;

describe('RepeatResponses', () => {
  it('knows a learnt success again under any other id, and nothing else', () => {
    const repeats = learnt(ok(1), 1);
    expect(repeats.matches(b(ok(2)), 2, RULES)).toBe(true);
    expect(repeats.matches(b(ok(123456)), 123456, RULES)).toBe(true);
    // The id in the body is not the one asked for.
    expect(repeats.matches(b(ok(2)), 3, RULES)).toBe(false);
    expect(repeats.matches(b(ok(12)), 21, RULES)).toBe(false);
    // Other rules, other bytes, a longer or shorter body.
    expect(repeats.matches(b(ok(2)), 2, RULES | 1)).toBe(false);
    expect(repeats.matches(b(ok(2).replace('59', '60')), 2, RULES)).toBe(false);
    expect(repeats.matches(b(ok(2).replace('"2.0"', '"2.0" ')), 2, RULES)).toBe(false);
    expect(repeats.matches(b(ok(2).replace('"59"', '"5"')), 2, RULES)).toBe(false);
  });

  it('learns nothing when the top-level id cannot be located for sure', () => {
    const refused = [
      // A second top-level id (JSON.parse keeps the last), one spelt with an escape.
      '{"id":1,"result":{},"id":1}',
      '{"id":1,"result":{},"\\u0069d":7}',
      // An escaped string at the top level could hide a key.
      '{"jsonrpc":"2\\u002e0","id":1,"result":{}}',
      // Not a plain integer.
      '{"result":{},"id":1.0}',
      '{"result":{},"id":1e0}',
      '{"result":{},"id":"1"}',
      // No top-level id at all (a batch holds its responses one level down).
      '[{"id":1,"result":{}}]',
      '{"result":{"id":1}}',
    ];
    for (const text of refused) {
      const repeats = learnt(text, 1);
      expect(repeats.matches(b(text), 1, RULES), text).toBe(false);
    }
  });

  it('locates the top-level id past nested ids, ids in strings, and whitespace', () => {
    const text = '{ "result" : {"id":5,"text":"\\"id\\":5"} ,\n "id" :\t5 }';
    const span = topLevelIdSpan(b(text));
    expect(span).not.toBeNull();
    expect(text.slice(span![0], span![1])).toBe('5');
    expect(span![0]).toBe(text.lastIndexOf('5'));
    const repeats = learnt(text, 5);
    const next = text.slice(0, span![0]) + '77' + text.slice(span![1]);
    expect(repeats.matches(b(next), 77, RULES)).toBe(true);
    // The nested id changed instead of the top-level one: not a repeat.
    expect(repeats.matches(b(text.replace('"id":5,', '"id":77,')), 77, RULES)).toBe(false);
  });

  // The soundness property: whenever a body is taken for a repeat, it is valid JSON whose
  // top-level id is the one asked for and which is, id aside, the very document learnt.
  it('never takes a body for a repeat unless it is the learnt document with the new id', () => {
    const key = fc.constantFrom('id', 'result', 'jsonrpc', 'x', 'i\\u0064', 'error');
    const leaf = fc.oneof(
      fc.integer({ min: 0, max: 99 }),
      fc.constantFrom('id', '"id":1', '\\', 'é'),
      fc.boolean(),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(key, tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    const spaced = fc.constantFrom('', ' ', '\n');
    let taken = 0;
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { maxKeys: 4 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        spaced,
        fc.array(fc.nat(), { maxLength: 3 }),
        (doc, id1, id2, space, edits) => {
          const learntDoc = { ...doc, id: id1 };
          const text = JSON.stringify(learntDoc, null, space === '' ? undefined : space);
          const repeats = learnt(text, id1);
          // Candidates: the same text with the learnt digits replaced wherever they occur, and
          // byte edits of it.
          const candidates = [text.split(String(id1)).join(String(id2))];
          for (const at of edits) {
            const i = at % text.length;
            candidates.push(text.slice(0, i) + text.slice(i + 1));
            candidates.push(text.slice(0, i) + String(id2) + text.slice(i));
          }
          for (const candidate of candidates) {
            if (!repeats.matches(b(candidate), id2, RULES)) continue;
            taken++;
            const parsed = JSON.parse(candidate) as Record<string, unknown>;
            expect(parsed.id).toBe(id2);
            expect({ ...parsed, id: id1 }).toEqual(JSON.parse(text));
          }
        },
      ),
      { numRuns: 400 },
    );
    // The property said something: many bodies were taken for repeats.
    expect(taken).toBeGreaterThan(100);
  });

  it('keeps at most eight templates, the newest replacing the oldest', () => {
    const repeats = new RepeatResponses();
    const body = (n: number, id: number): string => `{"result":{"n":${n}},"id":${id}}`;
    // learn() tries once every 16 misses: feed each template 16 times.
    for (let n = 0; n < 9; n++) for (let i = 0; i < 16; i++) repeats.learn(b(body(n, 1)), 1, 0);
    expect(repeats.matches(b(body(0, 9)), 9, 0)).toBe(false);
    for (let n = 1; n < 9; n++) expect(repeats.matches(b(body(n, 9)), 9, 0)).toBe(true);
  });
});
