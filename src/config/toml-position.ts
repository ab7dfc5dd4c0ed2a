/**
 * Where a key path sits in TOML source text, so validation errors can say `file:line:column`.
 *
 * smol-toml returns plain values without positions, so on the error path the source is parsed a
 * second time with toml-eslint-parser, whose syntax tree carries a location for every key and
 * value (and resolves `[[array]]` headers to their element index). `locate` answers for a path,
 * falling back to the nearest ancestor that was found (a missing `settings.timeout_ms` points at
 * `[settings]`; `ids[1]` points at `ids`). Explicit definitions (a header's last key, a
 * key/value's leaf) win over implied ones (`settings` implied by `[settings.headers]`). Lines and
 * columns are 1-based and, like smol-toml's, counted in UTF-16 code units.
 */
import { parseTOML, type AST } from 'toml-eslint-parser';
import { quoteText } from './describe-value.js';

export type KeyPath = readonly (string | number)[];

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** `scenario[2].arguments."a.b"`: how paths are shown to users. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = BARE_KEY.test(segment) ? segment : quoteText(segment);
      out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}

/** A path as a map key: `"scenario"[2]"tool"`. */
function pathId(path: KeyPath): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : JSON.stringify(s))).join('');
}

const keyName = (part: AST.TOMLBare | AST.TOMLQuoted): string =>
  part.type === 'TOMLBare' ? part.name : part.value;

export class TomlPositions {
  private readonly offsets = new Map<string, { offset: number; explicit: boolean }>();
  private readonly lineStarts: number[] = [0];

  private constructor(source: string) {
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') this.lineStarts.push(i + 1);
  }

  /** Positions of every key of `source`; none when it is not TOML (then `locate` finds nothing). */
  static of(source: string): TomlPositions {
    const positions = new TomlPositions(source);
    let program: AST.TOMLProgram;
    try {
      // "latest" is TOML 1.1, which smol-toml reads too (`\e`, newlines in inline tables).
      program = parseTOML(source, { tomlVersion: 'latest' });
    } catch {
      return positions;
    }
    for (const node of program.body[0].body) {
      if (node.type === 'TOMLTable') positions.table(node);
      else positions.keyValue(node, []);
    }
    return positions;
  }

  /** Position of `path`, or of its nearest ancestor that has one; undefined for none. */
  locate(path: KeyPath): SourcePosition | undefined {
    for (let length = path.length; length > 0; length--) {
      const hit = this.offsets.get(pathId(path.slice(0, length)));
      if (hit !== undefined) return this.toPosition(hit.offset);
    }
    return undefined;
  }

  /** `[a.b]` or `[[a.b]]`: the header stands for its path and implies each prefix. */
  private table(table: AST.TOMLTable): void {
    const path = table.resolvedKey;
    const offset = table.range[0];
    for (let length = 1; length <= path.length; length++) {
      this.record(path.slice(0, length), offset, length === path.length);
    }
    for (const kv of table.body) this.keyValue(kv, path);
  }

  /** `a.b = value`: each key part at its own offset, the last one explicit. */
  private keyValue(kv: AST.TOMLKeyValue, base: KeyPath): void {
    const path = [...base];
    kv.key.keys.forEach((part, i) => {
      path.push(keyName(part));
      this.record(path, part.range[0], i === kv.key.keys.length - 1);
    });
    this.value(kv.value, path);
  }

  private value(node: AST.TOMLContentNode, path: KeyPath): void {
    if (node.type === 'TOMLInlineTable') {
      for (const kv of node.body) this.keyValue(kv, path);
    } else if (node.type === 'TOMLArray') {
      // Elements themselves are not recorded: an error in `ids[1]` points at `ids`.
      node.elements.forEach((element, i) => this.value(element, [...path, i]));
    }
  }

  private record(path: KeyPath, offset: number, explicit: boolean): void {
    const id = pathId(path);
    const existing = this.offsets.get(id);
    if (existing === undefined || (explicit && !existing.explicit)) {
      this.offsets.set(id, { offset, explicit });
    }
  }

  private toPosition(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }
}
