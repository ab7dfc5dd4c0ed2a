/**
 * The parts of a secret value (a header value, a URL's query value or userinfo) to hide: the
 * whole value, and each long word of it (a server may echo just the token of "Bearer …"). Values
 * under 4 characters are not hidden: masking them would blank every matching digit of a log.
 */
export function secretParts(value: string): string[] {
  const parts = value.length >= 4 ? [value] : [];
  for (const word of value.split(/\s+/)) if (word.length >= 8 && word !== value) parts.push(word);
  return parts;
}
