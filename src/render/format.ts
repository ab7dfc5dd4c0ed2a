/**
 * Number and text formatting shared by the terminal summary, the progress line and markdown.
 * Pure functions; every one returns "-" for a value that cannot be shown (NaN, ±Infinity,
 * negative durations) so no "NaN" or "Infinity" ever reaches a user.
 */

/**
 * Milliseconds with three significant figures, in the unit that puts the number in [1, 1000):
 *
 *   below 1 ms   whole microseconds   0.0123 → "12µs", 0.4567 → "457µs" (the report's precision)
 *   below 10 ms  two decimals         1.234 → "1.23ms"
 *   below 100 ms one decimal          12.34 → "12.3ms"
 *   below 1 s    whole milliseconds   123.4 → "123ms"
 *   from 1 s     seconds, 3 figures   4500 → "4.50s", 45_000 → "45.0s", 450_000 → "450s"
 *
 * The unit is picked after rounding, so 0.9996 is "1.00ms", not "1000µs", and 999.6 is "1.00s".
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const us = Math.round(ms * 1000);
  if (us < 1000) return `${us}µs`;
  const msText = threeFigures(ms);
  if (msText !== undefined) return `${msText}ms`;
  const secs = ms / 1000;
  return `${threeFigures(secs) ?? Math.round(secs).toString()}s`;
}

/** Three significant figures for a value in [1, 1000) after rounding, else undefined. */
function threeFigures(value: number): string | undefined {
  for (const [limit, decimals] of [
    [10, 2],
    [100, 1],
    [1000, 0],
  ] as const) {
    const text = value.toFixed(decimals);
    if (Number(text) < limit) return text;
  }
  return undefined;
}

/** Seconds as the Rust tool's documentation writes a configured duration: "60s", "1.5s". */
export function formatSecs(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) return '-';
  return Number.isInteger(secs) ? `${secs}s` : `${secs.toFixed(1)}s`;
}

/** Elapsed seconds with one decimal, as `mcp_req_elapsed` shows it: "60.0s". */
export function formatElapsed(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) return '-';
  return `${secs.toFixed(1)}s`;
}

/**
 * Requests per second without a unit: one decimal ("80.3"), two below 0.1 so a trickle is not
 * shown as zero ("0.04"), none from 1000 ("12345").
 */
export function formatRate(ratePerSec: number): string {
  if (!Number.isFinite(ratePerSec) || ratePerSec < 0) return '-';
  if (ratePerSec === 0) return '0.0';
  if (ratePerSec < 0.1) return ratePerSec < 0.005 ? '<0.01' : ratePerSec.toFixed(2);
  if (ratePerSec < 1000) {
    const text = ratePerSec.toFixed(1);
    if (Number(text) < 1000) return text;
  }
  return Math.round(ratePerSec).toString();
}

/**
 * A 0–1 ratio as a percentage with one decimal. Only an exact 0 is "0.0%" and only an exact 1 is
 * "100.0%": a few errors in many requests show as "<0.1%", nearly all as ">99.9%", so rounding
 * never hides that something failed (or that something succeeded).
 */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio < 0) return '-';
  if (ratio === 0) return '0.0%';
  const pct = ratio * 100;
  if (pct < 0.05) return '<0.1%';
  if (pct < 100 && pct >= 99.95) return '>99.9%';
  return `${pct.toFixed(1)}%`;
}

/** An integer with thousands separators: 4944 → "4,944". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** User-perceived characters: an emoji with modifiers or a letter with accents is one. */
export function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (part) => part.segment);
}

/**
 * At most `n` characters (grapheme clusters, never bytes or UTF-16 units, so a surrogate pair or
 * an emoji sequence is never split), the last one "…" when something was cut.
 */
export function truncateChars(s: string, n: number): string {
  if (n <= 0) return '';
  const chars = graphemes(s);
  if (chars.length <= n) return s;
  return `${chars.slice(0, n - 1).join('')}…`;
}

// East Asian Wide and Fullwidth ranges (UAX #11) that terminals draw two cells wide.
const WIDE =
  /^[\u1100-\u115f\u231a\u231b\u2329\u232a\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{16fe0}-\u{16fe4}\u{17000}-\u{18cff}\u{1b000}-\u{1b2ff}\u{1f200}-\u{1f2ff}\u{20000}-\u{2fffd}\u{30000}-\u{3fffd}]/u;
const EMOJI = /\p{Emoji_Presentation}|\uFE0F/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\u200b]+$/u;

/** Terminal cells one grapheme takes: 2 for CJK and emoji, 0 for lone combining marks. */
function graphemeWidth(g: string): number {
  if (ZERO_WIDTH.test(g)) return 0;
  if (WIDE.test(g) || EMOJI.test(g)) return 2;
  return 1;
}

/** Terminal cells a (sanitised) string takes. */
export function displayWidth(s: string): number {
  let width = 0;
  for (const g of graphemes(s)) width += graphemeWidth(g);
  return width;
}

/**
 * Fits `s` into `cols` terminal cells: cut by whole characters with "…" when too wide, then padded
 * with spaces (on the right, or on the left for `align: 'right'`) to exactly `cols` cells.
 */
export function fitWidth(
  s: string,
  cols: number,
  align: 'left' | 'right' = 'left',
  cut: 'end' | 'middle' = 'end',
): string {
  if (cols <= 0) return '';
  let text = s;
  let width = displayWidth(s);
  if (width > cols) {
    // A middle cut keeps the end, where URIs differ (demo://…/architecture.md): 2/5 head.
    const headCols = cut === 'middle' ? Math.floor(((cols - 1) * 2) / 5) : cols - 1;
    const chars = graphemes(s);
    const head = takeCols(chars, headCols);
    const tailCols = cut === 'middle' ? cols - 1 - head.width : 0;
    const tail = takeCols([...chars].reverse(), tailCols);
    text = head.text + '…' + [...tail.parts].reverse().join('');
    width = head.width + 1 + tail.width;
  }
  const pad = ' '.repeat(cols - width);
  return align === 'left' ? text + pad : pad + text;
}

/** The leading graphemes of `chars` that fit in `cols` cells. */
function takeCols(chars: string[], cols: number): { text: string; parts: string[]; width: number } {
  const parts: string[] = [];
  let width = 0;
  for (const g of chars) {
    const w = graphemeWidth(g);
    if (width + w > cols) break;
    parts.push(g);
    width += w;
  }
  return { text: parts.join(''), parts, width };
}

// Kept here too for the renderers' imports; the rule lives in text/sanitize.ts.
export { sanitizeForTerminal } from '../text/sanitize.js';
