/**
 * Untrusted text in the HTML report. Tool names, URIs, error messages and server info are chosen
 * by the server under test, so every such string is sanitised as for the terminal (no controls,
 * no line breaks) and then entity-escaped before it reaches the page; the charts get their data
 * as JSON inside a non-executable `<script type="application/json">`, with every `<`, `>` and
 * `&` written as a \u escape so no string can close the element (HTML §13.1.2.6 "Restrictions on
 * the contents of raw text elements").
 */
import { sanitizeForTerminal } from '../format.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Server-chosen text: sanitised to one printable line, then escaped. */
export function untrustedHtml(text: string): string {
  return escapeHtml(sanitizeForTerminal(text).replace(/ {2,}/g, ' ').trim());
}

/** A value as JSON that is safe inside `<script type="application/json">`. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** An inlined library's script text, with any `</script` written so it cannot end the element. */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
