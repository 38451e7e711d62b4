/**
 * Applying TextEdits to a file's text, keeping what the operator wrote: the file's line ending (LF or CRLF) is used
 * for every inserted line, and the presence or absence of a final newline is kept.
 */
import type { TextEdit } from "../model/edit.js";

export class EditConflict extends Error {}

/** Offsets of the start of each line (1-based line n starts at starts[n - 1]); one more for the end of the text. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

export function lineEnding(text: string): "\r\n" | "\n" {
  const lf = text.indexOf("\n");
  return lf > 0 && text[lf - 1] === "\r" ? "\r\n" : "\n";
}

/** The text with the edits applied (all for this file; non-overlapping, in any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const eol = lineEnding(text);
  const offset = (line: number, column: number): number => {
    if (line === starts.length + 1 && column === 1) return text.length; // just past a file that ends without "\n"
    const base = starts[line - 1];
    if (base === undefined) throw new EditConflict(`line ${line} is past the end of the file`);
    return Math.min(base + column - 1, text.length);
  };
  const ranges = edits
    .map((e) => ({ from: offset(e.start.line, e.start.column), to: offset(e.end.line, e.end.column), text: e.text.replace(/\r?\n/g, eol) }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.from < ranges[i - 1]!.to) throw new EditConflict("two changes overlap");
  }
  let out = "";
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.from) + r.text;
    at = r.to;
  }
  return out + text.slice(at);
}

/** The physical lines of a text, without their line endings (a final newline adds no empty line). */
export function linesOf(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** An edit that inserts whole lines before line `line` (`line` = number of lines + 1: at the end). */
export function insertLines(file: string, line: number, lines: readonly string[]): TextEdit {
  return { file, start: { line, column: 1 }, end: { line, column: 1 }, text: lines.map((l) => `${l}\n`).join("") };
}

/** An edit that replaces the whole of line `line` (its ending kept). */
export function replaceLine(file: string, line: number, oldText: string, newText: string): TextEdit {
  return { file, start: { line, column: 1 }, end: { line, column: oldText.length + 1 }, text: newText };
}

/** An edit that removes line `line` with its ending. */
export function deleteLine(file: string, line: number): TextEdit {
  return { file, start: { line, column: 1 }, end: { line: line + 1, column: 1 }, text: "" };
}
