/**
 * One pass over TOML source text that reports the offset of every key it sees: table headers
 * (`[settings]`, and `[[scenario]]`, whose occurrences are counted per array so the third is
 * `scenario[2]`), `key = value` lines, dotted keys (`settings.timeout_ms = 5`) and keys inside
 * inline tables and arrays (`arguments = { a = 1 }` gives `…arguments.a`). Strings, including
 * multi-line ones, are skipped so their contents never look like keys.
 *
 * Invariants: it never throws and always terminates, whatever the text. It is only used on text
 * smol-toml accepted, but it is fuzzed on arbitrary input; every loop advances at least one char.
 */
import type { KeyPath } from './toml-position.js';

export type RecordKey = (path: KeyPath, offset: number, explicit: boolean) => void;

interface KeyPart {
  readonly name: string;
  readonly offset: number;
}

const BARE_KEY_CHAR = /[A-Za-z0-9_-]/;
/** Deeper than smol-toml's default maxDepth (1000): past it, values are skipped flat. */
const MAX_DEPTH = 1100;
const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
};

/** Reports every key of `source` to `record`. */
export function scanKeys(source: string, record: RecordKey): void {
  new Scanner(source, record).run();
}

/** A path as a map key: `"scenario"[2]"tool"`. */
export function pathId(path: KeyPath): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : JSON.stringify(s))).join('');
}

class Scanner {
  private i = 0;
  private readonly arrayCounts = new Map<string, number>();

  constructor(
    private readonly s: string,
    private readonly record: RecordKey,
  ) {}

  run(): void {
    const s = this.s;
    let table: (string | number)[] = [];
    while (this.i < s.length) {
      const start = this.i;
      this.skipSpaces();
      const c = s[this.i];
      if (c === '[') table = this.header() ?? table;
      else if (c !== '#' && c !== '\n' && c !== '\r' && c !== undefined) this.keyValue(table, 0);
      this.skipToNextLine();
      if (this.i === start) this.i++;
    }
  }

  /** `[a.b]` or `[[a.b]]`: returns the resolved table path, e.g. `["scenario", 2]`. */
  private header(): (string | number)[] | undefined {
    const s = this.s;
    const open = this.i;
    const isArray = s[open + 1] === '[';
    this.i += isArray ? 2 : 1;
    const keys = this.key();
    if (keys.length === 0) return undefined;
    const resolved: (string | number)[] = [];
    keys.forEach((part, k) => {
      resolved.push(part.name);
      const last = k === keys.length - 1;
      this.record(resolved, open, last);
      const id = pathId(resolved);
      const count = this.arrayCounts.get(id);
      if (last && isArray) {
        this.arrayCounts.set(id, (count ?? 0) + 1);
        resolved.push(count ?? 0);
        this.record(resolved, open, true);
      } else if (count !== undefined) {
        resolved.push(count - 1);
      }
    });
    return resolved;
  }

  private keyValue(base: readonly (string | number)[], depth: number): void {
    const keys = this.key();
    if (keys.length === 0) return;
    this.skipSpaces();
    if (this.s[this.i] !== '=') return;
    this.i++;
    this.skipSpaces();
    const path = [...base];
    keys.forEach((part, k) => {
      path.push(part.name);
      this.record(path, part.offset, k === keys.length - 1);
    });
    this.value(path, depth + 1);
  }

  private value(path: (string | number)[], depth: number): void {
    const c = this.s[this.i];
    if (c === '"' || c === "'") this.string();
    else if (c === '[' && depth < MAX_DEPTH) this.array(path, depth);
    else if (c === '{' && depth < MAX_DEPTH) this.inlineTable(path, depth);
    else this.scalar();
  }

  private array(path: (string | number)[], depth: number): void {
    const s = this.s;
    this.i++;
    for (let index = 0; this.i < s.length; index++) {
      this.skipBlank();
      if (s[this.i] === ']') {
        this.i++;
        return;
      }
      const before = this.i;
      this.value([...path, index], depth + 1);
      this.skipBlank();
      if (s[this.i] === ',') this.i++;
      if (this.i === before) this.i++;
    }
  }

  private inlineTable(path: (string | number)[], depth: number): void {
    const s = this.s;
    this.i++;
    while (this.i < s.length) {
      this.skipBlank();
      const c = s[this.i];
      if (c === '}') {
        this.i++;
        return;
      }
      const before = this.i;
      if (c !== ',') this.keyValue(path, depth);
      this.skipBlank();
      if (s[this.i] === ',') this.i++;
      if (this.i === before) this.i++;
    }
  }

  /** Numbers, booleans and dates (which may contain a space): up to a delimiter. */
  private scalar(): void {
    const s = this.s;
    while (this.i < s.length && !',]}#\n\r'.includes(s[this.i] ?? '')) this.i++;
  }

  private string(): void {
    const s = this.s;
    const quote = s[this.i] ?? '"';
    const escapes = quote === '"';
    if (s.startsWith(quote.repeat(3), this.i)) {
      this.i += 3;
      while (this.i < s.length) {
        if (escapes && s[this.i] === '\\') this.i += 2;
        else if (s.startsWith(quote.repeat(3), this.i)) {
          this.i += 3;
          // Up to two quotes may sit just inside the closing delimiter: `""""` ends `…"` + `"""`.
          for (let extra = 0; extra < 2 && s[this.i] === quote; extra++) this.i++;
          return;
        } else this.i++;
      }
      return;
    }
    this.i++;
    while (this.i < s.length && s[this.i] !== '\n') {
      const c = s[this.i];
      this.i += escapes && c === '\\' ? 2 : 1;
      if (c === quote) return;
    }
  }

  /** A possibly dotted, possibly quoted key; empty when none starts here. */
  private key(): KeyPart[] {
    const s = this.s;
    const parts: KeyPart[] = [];
    for (;;) {
      this.skipSpaces();
      const offset = this.i;
      const c = s[offset];
      let name: string;
      if (c === '"') name = this.basicKey();
      else if (c === "'") {
        const end = s.indexOf("'", offset + 1);
        const close = end === -1 ? s.length : end;
        name = s.slice(offset + 1, close);
        this.i = close + 1;
      } else if (c !== undefined && BARE_KEY_CHAR.test(c)) {
        while (this.i < s.length && BARE_KEY_CHAR.test(s[this.i] ?? '')) this.i++;
        name = s.slice(offset, this.i);
      } else break;
      parts.push({ name, offset });
      this.skipSpaces();
      if (s[this.i] !== '.') break;
      this.i++;
    }
    return parts;
  }

  /** A `"quoted"` key with its escapes decoded, so it matches smol-toml's key. */
  private basicKey(): string {
    const s = this.s;
    let name = '';
    this.i++;
    while (this.i < s.length && s[this.i] !== '"' && s[this.i] !== '\n') {
      const c = s[this.i] ?? '';
      if (c !== '\\') {
        name += c;
        this.i++;
        continue;
      }
      const e = s[this.i + 1] ?? '';
      const hexLength = e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hexLength > 0) {
        const code = Number.parseInt(s.slice(this.i + 2, this.i + 2 + hexLength), 16);
        name += Number.isInteger(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
        this.i += 2 + hexLength;
      } else {
        name += ESCAPES[e] ?? e;
        this.i += 2;
      }
    }
    this.i++;
    return name;
  }

  private skipSpaces(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  /** Whitespace, newlines and comments, as allowed between array and inline-table items. */
  private skipBlank(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '#') while (this.i < s.length && s[this.i] !== '\n') this.i++;
      else return;
    }
  }

  private skipToNextLine(): void {
    const end = this.s.indexOf('\n', this.i);
    this.i = end === -1 ? this.s.length : end + 1;
  }
}
