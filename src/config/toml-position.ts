/**
 * Where a key path sits in TOML source text, so validation errors can say `file:line:column`.
 *
 * smol-toml returns plain values without positions, so the source is scanned once (see
 * toml-key-scanner.ts) for the offset of every key; `locate` then answers for a path, falling back
 * to the nearest ancestor that was found (a missing `settings.timeout_ms` points at `[settings]`).
 * Explicit definitions (a header's last key, a key/value's leaf) win over implied ones
 * (`settings` implied by `[settings.headers]`). Lines and columns are 1-based and, like
 * smol-toml's, counted in UTF-16 code units.
 */
import { quoteText } from './describe-value.js';
import { pathId, scanKeys } from './toml-key-scanner.js';

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

export class TomlPositions {
  private readonly offsets = new Map<string, { offset: number; explicit: boolean }>();
  private readonly lineStarts: number[] = [0];

  private constructor(source: string) {
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') this.lineStarts.push(i + 1);
  }

  static of(source: string): TomlPositions {
    const positions = new TomlPositions(source);
    scanKeys(source, (path, offset, explicit) => positions.record(path, offset, explicit));
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
