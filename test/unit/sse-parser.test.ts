import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { SseParser } from '../../src/protocol/sse-parser.js';

/** Feeds `chunks` to a fresh parser and returns the data of every dispatched event. */
function parse(...chunks: (Buffer | string)[]): string[] {
  const out: string[] = [];
  const parser = new SseParser({ onSseData: (data) => void out.push(data) });
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return out;
}

/** The same bytes split at the given offsets. */
function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const sorted = [...new Set(cuts)].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of sorted) {
    parts.push(bytes.subarray(from, cut));
    from = cut;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

/** A real server-everything POST stream: priming event, two progress notifications, response. */
const LONGRUN = readFileSync(
  new URL('../fixtures/transcripts/server-everything-longrun.txt', import.meta.url),
  'utf8',
);

describe('SseParser', () => {
  it('skips the priming event, whose data is empty', () => {
    expect(parse('id: 1\ndata: \n\nid: 2\ndata: {"id":1}\n\n')).toEqual(['{"id":1}']);
  });

  it('skips comment lines such as keep-alives', () => {
    expect(parse(': keepalive\n\n: x\ndata: a\n: inside\n\n')).toEqual(['a']);
  });

  it('ignores event, id and retry fields and fields that only start with "data"', () => {
    expect(parse('event: message\nid: 7\nretry: 10\ndatax: no\ndata: yes\n\n')).toEqual(['yes']);
  });

  it('joins the lines of a multi-line data field with \\n', () => {
    expect(parse('data: {"a":\ndata: 1}\n\n')).toEqual(['{"a":\n1}']);
  });

  it('strips exactly one space after the colon, and accepts "data" without a colon', () => {
    expect(parse('data:x\n\ndata:  two\n\ndata\ndata: b\n\n')).toEqual(['x', ' two', '\nb']);
  });

  it('accepts CRLF line ends', () => {
    expect(parse('id: 1\r\ndata: a\r\n\r\ndata: b\r\n\r\n')).toEqual(['a', 'b']);
  });

  it('accepts lone CR line ends', () => {
    expect(parse('id: 1\rdata: a\rdata: b\r\rdata: c\r\r')).toEqual(['a\nb', 'c']);
  });

  it('treats a CRLF split between two chunks as one line end, not a blank line', () => {
    expect(parse('data: a\r', '\ndata: b\r\n\r\n')).toEqual(['a\nb']);
  });

  it('parses the longrun transcript into its three messages', () => {
    const messages = parse(LONGRUN).map((d) => JSON.parse(d) as Record<string, unknown>);
    expect(messages.map((m) => m.method ?? m.id)).toEqual([
      'notifications/progress',
      'notifications/progress',
      32,
    ]);
  });

  it.each([
    ['LF', (s: string) => s],
    ['CRLF', (s: string) => s.replace(/\n/g, '\r\n')],
    ['CR', (s: string) => s.replace(/\n/g, '\r')],
  ])(
    'gives the same messages for the longrun stream (%s) split at every byte position',
    (_name, lineEnds) => {
      const bytes = Buffer.from(lineEnds(LONGRUN));
      const whole = parse(bytes);
      expect(whole).toHaveLength(3);
      for (let i = 0; i <= bytes.length; i++) {
        expect(parse(...split(bytes, [i])), `split at byte ${i}`).toEqual(whole);
      }
    },
  );

  it('gives the same messages when the longrun stream arrives one byte at a time', () => {
    const bytes = Buffer.from(LONGRUN);
    const single = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(parse(...single)).toEqual(parse(bytes));
  });

  it('keeps a multi-byte UTF-8 character split across chunks intact', () => {
    const bytes = Buffer.from('data: {"text":"héllo 🎉 ✓"}\n\n');
    const emoji = bytes.indexOf(Buffer.from('🎉'));
    for (let cut = emoji; cut <= emoji + 4; cut++) {
      expect(parse(...split(bytes, [cut]))).toEqual(['{"text":"héllo 🎉 ✓"}']);
    }
  });

  it('does not dispatch an unfinished event at the end of the stream', () => {
    expect(parse('data: a\n\ndata: b\n')).toEqual(['a']);
    expect(parse('data: a\n\ndata: b')).toEqual(['a']);
  });

  it('forgets an unfinished event on reset()', () => {
    const out: string[] = [];
    const parser = new SseParser({ onSseData: (data) => void out.push(data) });
    parser.push(Buffer.from('data: stale\r'));
    parser.reset();
    parser.push(Buffer.from('\ndata: fresh\n\n'));
    expect(out).toEqual(['fresh']);
  });

  it("hands over each event's type with withEventTypes, for that event only", () => {
    const out: string[] = [];
    const parser = new SseParser(
      { onSseData: (data, event) => void out.push(`${event}|${data}`) },
      true,
    );
    parser.push(
      Buffer.from(
        'event: endpoint\ndata: /messages?sessionId=1\n\ndata: {}\n\nevent:message\r\ndata: x\r\n\r\n',
      ),
    );
    expect(out).toEqual(['endpoint|/messages?sessionId=1', '|{}', 'message|x']);
  });

  it('forgets the type of an event without data (WHATWG: the type applies to one event)', () => {
    const out: string[] = [];
    const parser = new SseParser(
      { onSseData: (data, event) => void out.push(`${event}|${data}`) },
      true,
    );
    parser.push(Buffer.from('event: endpoint\n\ndata: a\n\n'));
    expect(out).toEqual(['|a']);
  });

  it('reads no event type without withEventTypes (the hot path decodes no event: line)', () => {
    const out: string[] = [];
    const parser = new SseParser({ onSseData: (data, event) => void out.push(`${event}|${data}`) });
    parser.push(Buffer.from('event: endpoint\ndata: a\n\n'));
    expect(out).toEqual(['|a']);
  });

  it('stops reading a chunk when the sink returns true', () => {
    const out: string[] = [];
    const parser = new SseParser({ onSseData: (data) => out.push(data) === 1 });
    parser.push(Buffer.from('data: a\n\ndata: b\n\n'));
    expect(out).toEqual(['a']);
  });
});

// ---- properties ----

/** One field value: any text without line-end characters (they would end the line). */
const value = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' '));

const event = fc.record({
  id: fc.option(fc.stringMatching(/^[0-9a-f-]{1,12}$/), { nil: undefined }),
  comment: fc.option(value, { nil: undefined }),
  data: fc.array(value, { maxLength: 3 }),
});

type Event = { id: string | undefined; comment: string | undefined; data: string[] };

function serialize(events: readonly Event[], ends: readonly string[]): Buffer {
  let text = '';
  let n = 0;
  const end = () => ends[n++ % ends.length]!;
  for (const e of events) {
    if (e.comment !== undefined) text += `:${e.comment}${end()}`;
    text += `event: message${end()}`;
    if (e.id !== undefined) text += `id: ${e.id}${end()}`;
    for (const d of e.data) text += `data: ${d}${end()}`;
    // A blank line ended by LF right after a CR would read as one CRLF: not a blank line at all.
    const blank = end();
    text += text.endsWith('\r') && blank === '\n' ? '\r\n' : blank;
  }
  return Buffer.from(text);
}

/** What a correct parser dispatches: joined data of every event whose data is non-empty. */
function expected(events: readonly Event[]): string[] {
  return events
    .filter((e) => e.data.length > 0)
    .map((e) => e.data.join('\n'))
    .filter((d) => d);
}

/** Bytes drawn from SSE syntax and UTF-8 lead/continuation bytes, to hit the parser's branches. */
const sseLikeBytes = fc
  .array(fc.constantFrom(...Buffer.from('data: \r\n\r\n:id'), 0xf0, 0x9f, 0x8e, 0xc3, 0xff), {
    maxLength: 64,
  })
  .map((bytes) => Uint8Array.from(bytes));

describe('SseParser properties', () => {
  it('gives the model output for any stream of events under any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 8 }),
        fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (events, ends, rawCuts) => {
          const bytes = serialize(events, ends);
          const cuts = rawCuts.map((c) => c % (bytes.length + 1));
          expect(parse(bytes)).toEqual(expected(events));
          expect(parse(...split(bytes, cuts))).toEqual(expected(events));
        },
      ),
      { seed: 20261125, numRuns: 500 },
    );
  });

  it('never throws on arbitrary bytes in arbitrary chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), sseLikeBytes), { maxLength: 10 }),
        (chunks) => {
          const out = parse(...chunks.map((c) => Buffer.from(c)));
          for (const data of out) expect(typeof data).toBe('string');
        },
      ),
      { seed: 20261125, numRuns: 1000 },
    );
  });
});

describe('SseParser: byte order mark and long lines', () => {
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  const stream = Buffer.concat([BOM, Buffer.from('data: {"id":1}\n\ndata: b\n\n')]);

  it('skips a UTF-8 BOM at the start of the stream, wherever the chunks split it', () => {
    for (let i = 0; i <= stream.length; i++) {
      for (let j = i; j <= Math.min(stream.length, i + 4); j++) {
        expect(parse(...split(stream, [i, j])), `split at ${i}, ${j}`).toEqual(['{"id":1}', 'b']);
      }
    }
  });

  it('skips only the first BOM: one later in the stream is data', () => {
    const bomData = Buffer.concat([BOM, Buffer.from('data: x\n\n'), Buffer.from('data: '), BOM]);
    expect(parse(Buffer.concat([bomData, Buffer.from('\n\n')]))).toEqual(['x', '\uFEFF']);
  });

  it('gives back bytes that start like a BOM but are not one', () => {
    // EF BB then "d": not a BOM, so a field named "\uFFFDdata" and nothing dispatched…
    expect(parse(Buffer.from([0xef, 0xbb]), 'data: a\n\n')).toEqual([]);
    // …while a stream starting with a plain "data" line is unaffected.
    expect(parse('d', 'ata: a\n\n')).toEqual(['a']);
  });

  it('skips the BOM again after reset(), for the next response', () => {
    const out: string[] = [];
    const parser = new SseParser({ onSseData: (data) => void out.push(data) });
    parser.push(stream);
    parser.reset();
    parser.push(stream);
    expect(out).toEqual(['{"id":1}', 'b', '{"id":1}', 'b']);
  });

  it('joins a 300 KB line sent in 100-byte chunks once: work linear in its length', () => {
    const value = 'x'.repeat(300_000);
    const bytes = Buffer.from(`data: ${value}\n\n`);
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const out = parse(
        ...split(
          bytes,
          Array.from({ length: 3000 }, (_, i) => (i + 1) * 100),
        ),
      );
      expect(out).toEqual([value]);
      const copiedBytes = concat.mock.calls.reduce(
        (sum, [list]) => sum + list.reduce((n, b) => n + b.length, 0),
        0,
      );
      // Each byte is copied at most once into the joined line (re-joining the tail on every
      // chunk copied about 450 MB here).
      expect(copiedBytes).toBeLessThanOrEqual(bytes.length);
    } finally {
      concat.mockRestore();
    }
  });

  it('finds each of many LF-ended lines in one chunk without rescanning for CR', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `data: ${i}\n\n`).join('');
    const indexOf = vi.spyOn(Buffer.prototype, 'indexOf');
    try {
      const out = parse(lines);
      expect(out).toHaveLength(5000);
      const crSearches = indexOf.mock.calls.filter(([needle]) => needle === 13).length;
      expect(crSearches).toBeLessThanOrEqual(2);
    } finally {
      indexOf.mockRestore();
    }
  });

  it('a BOM and any event stream give the model output under any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' ')),
          {
            maxLength: 6,
          },
        ),
        fc.array(fc.nat(), { maxLength: 10 }),
        (datas, cuts) => {
          const body = datas.map((d) => `data: ${d}\n\n`).join('');
          const bytes = Buffer.concat([BOM, Buffer.from(body)]);
          const expected = datas.filter((d) => d !== '');
          expect(
            parse(
              ...split(
                bytes,
                cuts.map((c) => c % (bytes.length + 1)),
              ),
            ),
          ).toEqual(expected);
        },
      ),
    );
  });
});
