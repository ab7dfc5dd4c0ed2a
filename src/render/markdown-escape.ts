/**
 * Untrusted text (tool names, resource URIs, prompt names, error messages, server info — all
 * chosen by the server under test) made inert for GitHub-flavoured markdown and its HTML.
 *
 * The method: sanitise as for the terminal (escape sequences and controls removed, line breaks
 * and tabs become spaces, so nothing can start a new block or end a table row), cap the length,
 * then replace every character that markdown, HTML, GitHub's extensions (autolinks, emoji
 * shortcodes, math, mentions) or a table cell treat specially with its numeric HTML entity.
 * An entity is decoded only after block and table structure are parsed, so `&#124;` is a `|`
 * the reader sees but the table never splits on; and `<` never reaches the page as a tag.
 *
 * Names are shown inside `<code>`: GitHub does not turn `@user`, `#123` or URLs inside code into
 * mentions, references or links, and the monospace face matches how the names are configured.
 */
import { sanitizeForTerminal, truncateChars } from './format.js';

/** Length caps, in user-perceived characters, before escaping. */
export const MAX_NAME_CHARS = 80;
export const MAX_MESSAGE_CHARS = 200;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  '~': '&#126;',
  // Math ($…$), emoji shortcodes and scheme autolinks (:), mentions (@), issue references (#).
  $: '&#36;',
  ':': '&#58;',
  '@': '&#64;',
  '#': '&#35;',
};
const SPECIAL = /[&<>"'|`*_[\]\\~$:@#]/g;
// "www." starts an autolink without any scheme; breaking the dot is enough.
const WWW_DOT = /(www)\./gi;

/** One line of plain text, length-capped and escaped; '' when nothing printable is left. */
export function escapeText(text: string, maxChars: number): string {
  const line = sanitizeForTerminal(text).replace(/ {2,}/g, ' ').trim();
  return escapeMarkdown(truncateChars(line, maxChars));
}

/** `escapeText` inside `<code>`, or `fallback` (trusted markdown) when nothing is left. */
export function untrustedCode(text: string, maxChars: number, fallback = '(empty)'): string {
  const escaped = escapeText(text, maxChars);
  return escaped === '' ? fallback : `<code>${escaped}</code>`;
}

/** Entity-escapes an already sanitised single line. */
export function escapeMarkdown(line: string): string {
  return line.replace(SPECIAL, (c) => ENTITIES[c] ?? c).replace(WWW_DOT, '$1&#46;');
}
