/** How much of an offending value an error message shows (#13: a 10 MB string gave a 10 MB error line). */
export const QUOTE_MAX_CHARS = 80;

/** Control characters, lone surrogates and U+FFFD (what invalid UTF-8 decodes to) shown escaped, never raw. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeText(s: string): string {
  return s.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  // Never cut a surrogate pair in half: the line would end in a broken character.
  let end = max;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${s.slice(0, end)}… (${s.length} chars)`;
}

/** Text from outside (a parser's message, a flag's argument) made safe for one line of an error: escaped and clipped. */
export function printable(text: string, max: number = QUOTE_MAX_CHARS): string {
  return clip(escapeText(text), max);
}

/**
 * A value as an error message may quote it: strings in double quotes with control and invalid
 * characters escaped, at most `max` characters of it; arrays and objects by their kind and size
 * (never walked, so a 5,000-deep value cannot overflow the stack); numbers as JavaScript prints them.
 */
export function quoteValue(value: unknown, max: number = QUOTE_MAX_CHARS): string {
  if (typeof value === 'string') return `"${clip(escapeText(value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')), max)}"`;
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return `an object with ${Object.keys(value).length} key${Object.keys(value).length === 1 ? '' : 's'}`;
  return typeof value;
}

