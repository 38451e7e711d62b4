/**
 * Code frames for the terminal: the lines a finding rests on, as its evidence carries them (the files are
 * never read again), with a gutter of line numbers, `>` at the finding's own line and a caret under its
 * column. Also the terminal-safety helpers: configuration text is untrusted, and an escape sequence or a
 * bidi override in a checked file must not reach the user's terminal as such.
 */
import type { Evidence } from "../model/finding.js";
import type { ReportFinding } from "../model/report.js";
import { printable } from "./escape.js";

export { printable };

export type Paint = (code: string, s: string) => string;

/** Evidence lines shown per finding; the rest are counted. */
export const MAX_FRAME_LINES = 8;

const TAB_STOP = 4;

/** printable(), with tabs expanded to spaces as well: for text laid out against a caret. */
export function displayText(s: string): string {
  let out = "";
  let width = 0;
  for (const ch of printable(s)) {
    if (ch === "\t") {
      const pad = TAB_STOP - (width % TAB_STOP);
      out += " ".repeat(pad);
      width += pad;
    } else {
      out += ch;
      width += charWidth(ch.codePointAt(0)!);
    }
  }
  return out;
}

/** Terminal columns the text takes (after displayText). */
export function displayWidth(s: string): number {
  let width = 0;
  for (const ch of s) width += charWidth(ch.codePointAt(0)!);
  return width;
}

const COMBINING = /^[\p{Mn}\p{Me}]$/u;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;

function charWidth(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || COMBINING.test(ch)) return 0; // joiner, variation selectors, marks
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff && PICTOGRAPHIC.test(ch)) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isWord = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/**
 * Where the caret goes in an evidence line, in UTF-16 units: `offset` from the start of `text` and the
 * `length` of the token there. Columns count in the physical line. Syntax diagnostics carry that line as
 * written; the evidence of a parsed directive is the directive's own text, which starts at its column
 * (leading blanks dropped). So the column is taken as a position in `text` when it lands on the start of a
 * token there (or just past its end, for "unexpected end of line"); otherwise the text is taken to start at
 * the column and the caret marks its first token. Null when neither fits.
 */
export function caretSpan(text: string, column: number): { offset: number; length: number } | null {
  if (text === "" || column < 1) return null;
  const at = column - 1;
  const tokenStart = at === 0 || (at < text.length && !isSpace(text[at]) && (isSpace(text[at - 1]) || isWord(text[at - 1]) !== isWord(text[at])));
  if (at === text.length) return { offset: at, length: 1 };
  if (at < text.length && tokenStart) return { offset: at, length: tokenLength(text, at) };
  if (at > text.length && text.endsWith("\u2026")) return null; // evidence cut short: the column is past what it kept
  if (!isSpace(text[0])) return { offset: 0, length: tokenLength(text, 0) };
  return null;
}

function tokenLength(text: string, from: number): number {
  let end = from;
  while (end < text.length && !isSpace(text[end])) end++;
  return Math.max(1, end - from);
}

interface FrameLine {
  evidence: Evidence;
  own: boolean;
}

/**
 * The frame for one finding, as lines without indentation: evidence in the finding's own file first, by
 * line, then evidence in other files under a `--> file` heading. At most MAX_FRAME_LINES lines (the
 * finding's own line always among them) and a count of the rest.
 */
export function codeFrame(f: ReportFinding, paint: Paint): string[] {
  const seen = new Set<string>();
  const all: FrameLine[] = [];
  for (const e of f.evidence) {
    if (e.text === "") continue;
    const key = `${e.location.file}\u0000${e.location.line}\u0000${e.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    all.push({ evidence: e, own: e.location.file === f.location.file && e.location.line === f.location.line });
  }
  if (all.length === 0) return [];
  const chosen = [...all.filter((l) => l.own), ...all.filter((l) => !l.own)].slice(0, MAX_FRAME_LINES);
  const byPlace = (a: FrameLine, b: FrameLine): number => {
    const fa = a.evidence.location.file === f.location.file ? "" : a.evidence.location.file;
    const fb = b.evidence.location.file === f.location.file ? "" : b.evidence.location.file;
    return fa < fb ? -1 : fa > fb ? 1 : a.evidence.location.line - b.evidence.location.line;
  };
  chosen.sort(byPlace);

  const width = Math.max(...chosen.map((l) => String(l.evidence.location.line).length));
  const gutter = (n: string): string => paint("2", `${n.padStart(width)} |`);
  const out: string[] = [];
  let file = f.location.file;
  let previous: number | null = null;
  let caretDone = false;
  for (const line of chosen) {
    const { location, text } = line.evidence;
    if (location.file !== file) {
      file = location.file;
      previous = null;
      out.push(`${" ".repeat(width)}${paint("2", "-->")} ${printable(file)}`);
    }
    if (previous !== null && location.line > previous + 1) out.push(`  ${paint("2", `${"…".padStart(width)}`)}`);
    previous = location.line;
    const marker = line.own ? paint("31;1", ">") : " ";
    out.push(`${marker} ${gutter(String(location.line))} ${displayText(text)}`.trimEnd());
    if (line.own && !caretDone) {
      caretDone = true;
      const span = caretSpan(text, f.location.column);
      if (span) {
        const pad = displayWidth(displayText(text.slice(0, span.offset)));
        const len = Math.max(1, displayWidth(displayText(text.slice(0, span.offset + span.length))) - pad);
        out.push(`  ${gutter("")} ${" ".repeat(pad)}${paint("31;1", "^".repeat(len))}`);
      }
    }
  }
  const more = all.length - chosen.length;
  if (more > 0) out.push(`  ${paint("2", `${"…".padStart(width)} and ${more} more line${more === 1 ? "" : "s"} of evidence`)}`);
  return out;
}
