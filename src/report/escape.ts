/**
 * The one escaping of untrusted text for people: every string from a host dump (host names, paths, lines,
 * messages) or from a configuration file that reaches a terminal, a log or a text-like report goes through
 * here. Control characters, C1 controls (U+009B is a one-byte CSI on many terminals), DEL, the bidi
 * embedding/override/isolate characters of Trojan Source, zero-width and line/paragraph separators are
 * shown as `\xNN` / `\uNNNN`, never obeyed: no escape sequence retitles a terminal, no line break starts a
 * forged log line or a GitHub workflow command, no bidi override reorders what a reviewer reads.
 */

// C0 controls but tab and newline, DEL, C1 controls, ALM, zero-width and bidi marks, line/paragraph
// separators, bidi embeddings/overrides (U+202A–U+202E), word joiner to bidi isolates (U+2060–U+2069), BOM.
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEP_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// The same, newline included: for text that must stay on one line.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, "0")}` : `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** One line of untrusted text: every control, bidi and invisible format character escaped (tabs kept). */
export function printable(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}

/** Untrusted text that may span lines: as printable(), but `\n` kept (CR and every other control escaped). */
export function printableLines(s: string): string {
  return s.replace(UNSAFE_KEEP_NEWLINE, escapeChar);
}

/** True when `s` holds nothing printable() would escape (for tests and invariants). */
export function isPrintable(s: string, allowNewline = false): boolean {
  const re = allowNewline ? UNSAFE_KEEP_NEWLINE : UNSAFE;
  re.lastIndex = 0;
  const found = re.test(s);
  re.lastIndex = 0;
  return !found;
}
