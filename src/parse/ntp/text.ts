/**
 * Physical-line helpers shared by the ntp.conf parser and the template detector. They follow ntpd's
 * scanner: `#` starts a comment anywhere outside a quoted string, a quoted string runs to the closing
 * quote or to the end of the line (no escapes), and bytes above 127 are skipped.
 */

/** Physical lines without their `\n` (and a trailing `\r`); a final newline does not start a line. */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** Index of the `#` that starts the comment, or -1. Linear, so megabyte lines are fine. */
export function commentStart(line: string): number {
  let from = 0;
  let hash = line.indexOf("#");
  while (hash !== -1) {
    const quote = line.indexOf('"', from);
    if (quote === -1 || hash < quote) return hash;
    const close = line.indexOf('"', quote + 1);
    if (close === -1) return -1; // an unterminated quote runs to the end of the line, '#' included
    from = close + 1;
    if (hash < from) hash = line.indexOf("#", from);
  }
  return -1;
}

/** The line without its comment. */
export function codePart(line: string): string {
  const hash = commentStart(line);
  return hash === -1 ? line : line.slice(0, hash);
}

/** True when the text holds only blanks (ntpd's isspace, plus bytes it skips). */
export function isBlank(code: string): boolean {
  return !/\S/.test(code);
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * ntpd skips every byte above 127 (lex_getch), so `ser\u00e9ver` reads as `server`. Returns the line
 * without them and, for each kept character, its index in the original line; null when the line is ASCII.
 */
export function stripNonAscii(line: string): { text: string; columns: number[] } | null {
  if (!NON_ASCII.test(line)) return null;
  let text = "";
  const columns: number[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line.charCodeAt(i) > 127) continue;
    text += line[i];
    columns.push(i);
  }
  return { text, columns };
}

/** Maps a 1-based column of the stripped text back to the original line. */
export function originalColumn(columns: number[], column: number): number {
  const i = column - 1;
  if (i < columns.length) return columns[i]! + 1;
  if (columns.length === 0) return column;
  return columns[columns.length - 1]! + 2 + (i - columns.length);
}

/** ntpd keeps at most 1024 characters of a word (MAX_LEXEME) and refuses to start on a longer one. */
export const MAX_WORD_CHARS = 1024;

/**
 * The first word longer than ntpd's limit: its 0-based start index and length in characters as ntpd
 * counts them (quotes excluded), or null. Only called for long lines.
 */
export function overlongWord(code: string): { index: number; length: number } | null {
  let i = 0;
  const n = code.length;
  while (i < n) {
    while (i < n && isBlankChar(code.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let length = 0;
    while (i < n && !isBlankChar(code.charCodeAt(i))) {
      if (code.charCodeAt(i) === 34) {
        const close = code.indexOf('"', i + 1);
        const end = close === -1 ? n : close;
        length += end - i - 1;
        i = close === -1 ? n : close + 1;
        continue;
      }
      length++;
      i++;
    }
    if (length > MAX_WORD_CHARS) return { index: start, length };
  }
  return null;
}

function isBlankChar(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
