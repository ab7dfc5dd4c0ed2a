/**
 * Responses that repeat: a load test calls the same tools with the same arguments, so a server's
 * answers to one step are byte for byte the same but for their JSON-RPC id. Once such an answer
 * has been parsed and judged a success, the next one is recognised by its bytes instead of being
 * decoded and parsed again (exchange.ts parseJsonBody).
 *
 * Why the verdict carries over: a template is learnt only from a body that JSON.parse accepted,
 * whose top-level object has exactly one `id` member, spelt without escapes, whose value is the
 * decimal number token at [idStart, idEnd), and which was judged a success that needs no
 * follow-up. A body equal to it outside that span, with the new id's digits inside it, is the
 * same JSON document with only the top-level id changed (one number token replaced by another),
 * so it parses, is the response to the new id, and gets the same verdict under the same rules.
 * A top-level member spelt with an escape could be a second `id` (JSON.parse keeps the last):
 * such a body is never learnt.
 */

/** Templates kept at most (steps of a run whose answers repeat); replaced oldest first. */
const MAX_TEMPLATES = 8;
/** A full parse that matched no template tries to learn once every this many. */
const LEARN_EVERY = 16;

interface Template {
  readonly prefix: Buffer;
  readonly suffix: Buffer;
  readonly rules: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

export class RepeatResponses {
  private readonly templates: Template[] = [];
  private next = 0;
  private misses = 0;

  /** `body` is a learnt success but for its id, which is `id`, under `rules`. */
  matches(body: Buffer, id: number, rules: number): boolean {
    const templates = this.templates;
    if (templates.length === 0) return false;
    const digits = decimalDigits(id);
    for (let t = 0; t < templates.length; t++) {
      const tpl = templates[t]!;
      const p = tpl.prefix.length;
      if (
        tpl.rules !== rules ||
        body.length !== p + digits + tpl.suffix.length ||
        body.compare(tpl.prefix, 0, p, 0, p) !== 0 ||
        body.compare(tpl.suffix, 0, tpl.suffix.length, p + digits) !== 0
      ) {
        continue;
      }
      let v = id;
      for (let k = p + digits - 1; k >= p; k--) {
        if (body[k] !== DIGIT_0 + (v % 10)) return false;
        v = Math.floor(v / 10);
      }
      return true;
    }
    return false;
  }

  /**
   * `body`, already parsed and judged a success needing nothing more, is the response to `id`
   * under `rules`: kept as a template when its top-level id can be located (not every time a
   * body is missed, so answers that never repeat cost little).
   */
  learn(body: Buffer, id: number, rules: number): void {
    if (++this.misses % LEARN_EVERY !== 1) return;
    const span = topLevelIdSpan(body);
    if (span === null) return;
    const [start, end] = span;
    if (end - start !== decimalDigits(id) || Number(body.toString('latin1', start, end)) !== id) {
      return;
    }
    const template: Template = {
      prefix: Buffer.from(body.subarray(0, start)),
      suffix: Buffer.from(body.subarray(end)),
      rules,
    };
    if (this.templates.length < MAX_TEMPLATES) this.templates.push(template);
    else {
      this.templates[this.next] = template;
      this.next = (this.next + 1) % MAX_TEMPLATES;
    }
  }
}

function decimalDigits(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/**
 * Where the number value of the top-level object's one `id` member is, in a body that is valid
 * JSON (already checked by JSON.parse); null when there is none, more than one, its value is not
 * a plain decimal integer, or any top-level string is spelt with an escape.
 */
export function topLevelIdSpan(body: Buffer): [number, number] | null {
  let depth = 0;
  let found: [number, number] | null = null;
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body[i]!;
    if (c === QUOTE) {
      // A string: find its end, noting escapes.
      let j = i + 1;
      let escaped = false;
      while (j < n && body[j] !== QUOTE) {
        if (body[j] === BACKSLASH) {
          escaped = true;
          j++;
        }
        j++;
      }
      if (depth === 1) {
        if (escaped) return null;
        // A key is followed by a colon (valid JSON: after optional whitespace).
        let k = j + 1;
        while (k < n && isWhitespace(body[k]!)) k++;
        if (body[k] === COLON && j - i - 1 === 2 && body[i + 1] === 0x69 && body[i + 2] === 0x64) {
          if (found !== null) return null;
          k++;
          while (k < n && isWhitespace(body[k]!)) k++;
          let e = k;
          while (e < n && body[e]! >= DIGIT_0 && body[e]! <= DIGIT_9) e++;
          // Only a plain integer: no sign, fraction or exponent, no leading zero.
          const next = body[e];
          if (e === k || next === 0x2e || next === 0x65 || next === 0x45) return null;
          if (body[k] === DIGIT_0 && e - k > 1) return null;
          found = [k, e];
        }
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    i++;
  }
  return found;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
