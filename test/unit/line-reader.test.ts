import { describe, expect, it } from 'vitest';
import { LineReader } from '../../src/protocol/line-reader.js';

function reader(maxBytes: number) {
  const lines: string[] = [];
  const tooLong: string[] = [];
  const r = new LineReader(maxBytes, {
    onLine: (line) => lines.push(line.toString()),
    onTooLong: (start) => tooLong.push(start.toString()),
  });
  return { r, lines, tooLong };
}

describe('LineReader (newline-delimited stdio messages)', () => {
  it('joins a line split across chunks and splits chunks holding several lines', () => {
    const { r, lines } = reader(1024);
    r.push(Buffer.from('{"a":'));
    r.push(Buffer.from('1}\n{"b":2}\n{"c"'));
    r.push(Buffer.from(':3}\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('skips empty lines', () => {
    const { r, lines } = reader(1024);
    r.push(Buffer.from('\n\n{"a":1}\n\n'));
    expect(lines).toEqual(['{"a":1}']);
  });

  it('hands over a line past maxBytes once, then skips the rest of it', () => {
    const { r, lines, tooLong } = reader(8);
    r.push(Buffer.from('{"id":7,"result":"'));
    r.push(Buffer.from('xxxxxxxxxxxxxxxxxxxx'));
    r.push(Buffer.from('"}\n{"ok":1}\n'));
    expect(tooLong).toEqual(['{"id":7,"result":"']);
    expect(lines).toEqual(['{"ok":1}']);
  });

  it('forgets a line in progress on reset (a restarted process)', () => {
    const { r, lines } = reader(1024);
    r.push(Buffer.from('{"half":'));
    r.reset();
    r.push(Buffer.from('{"whole":1}\n'));
    expect(lines).toEqual(['{"whole":1}']);
  });
});
