/**
 * One ntp.conf file → syntax tree + diagnostics, the way ntpd reads it: physical line by physical line
 * (no continuation lines), a rejected line is dropped and reported while the rest is still read, and
 * `end` stops reading. The grammar (grammar/ntp.ne) decides what a line may be; this module handles
 * what lies around it: comments, CR, non-ASCII bytes, over-long words, templates.
 */
import { evidenceText, type Diagnostic } from "../../model/diagnostic.js";
import type { NtpNode } from "../../model/ntpconf.js";
import grammar, { NTP_KEYWORDS, ntpLexerContext } from "../generated/ntp.js";
import { LineParser, type TokenNames } from "../line-parser.js";
import { describeEngine, detectTemplate, type NtpTemplate } from "./template.js";
import { MAX_WORD_CHARS, codePart, isBlank, originalColumn, overlongWord, splitLines, stripNonAscii } from "./text.js";

export interface ParsedNtpFile {
  /** Accepted lines in file order (up to and including `end`). */
  nodes: NtpNode[];
  diagnostics: Diagnostic[];
  /** Set when the file is a template; then `nodes` is empty and there are no syntax diagnostics. */
  template: NtpTemplate | null;
  /** Number of physical lines in the file. */
  lines: number;
}

/** Words for token types in messages ("unexpected word "Server"; expected one of …"). */
export const NTP_TOKEN_NAMES: TokenNames = {
  word: "word",
  qstr: "quoted string",
  str: "string",
  fam: "-4/-6",
  int: "integer",
  uint: "unsigned integer",
  double: "decimal number",
  kw: "keyword",
  lparen: "opening parenthesis",
  rparen: "closing parenthesis",
  pipe: "vertical bar",
  eq: "equals sign",
  special: "punctuation",
  invalid: "input",
};

/**
 * Lines longer than this (without their comment) are not handed to the parser. ntpd has no line
 * limit, but no real configuration line comes near it, and a hostile megabyte line must not cost
 * megabytes of parser states.
 */
export const MAX_PARSED_LINE_CHARS = 16384;

const lineParser = new LineParser<NtpNode>(grammar, NTP_TOKEN_NAMES);

/** Parse one ntp.conf. `file` (host-relative, `/`-separated) is stamped into every location. */
export function parseNtpConf(text: string, file: string): ParsedNtpFile {
  const lines = splitLines(text);
  const template = detectTemplate(lines, file);
  if (template) {
    const diagnostic: Diagnostic = {
      kind: "template",
      message: `the file is ${describeEngine(template.engine)} (${JSON.stringify(template.marker)}); ntpd reads the rendered file, so this one is not checked as configuration`,
      location: template.location,
      text: evidenceText(lines[template.location.line - 1] ?? ""),
    };
    return { nodes: [], diagnostics: [diagnostic], template, lines: lines.length };
  }

  const nodes: NtpNode[] = [];
  const diagnostics: Diagnostic[] = [];
  ntpLexerContext.file = file;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const code = codePart(raw);
    if (isBlank(code)) continue;
    const lineNumber = i + 1;
    const syntax = (column: number, message: string, expected: string[]): void => {
      diagnostics.push({ kind: "syntax", message, location: { file, line: lineNumber, column }, text: evidenceText(raw), expected });
    };

    if (code.length > MAX_WORD_CHARS) {
      const long = overlongWord(code);
      if (long) {
        syntax(long.index + 1, `word of ${long.length} characters is longer than ntpd's limit of ${MAX_WORD_CHARS} (ntpd refuses to start)`, []);
        continue;
      }
      if (code.length > MAX_PARSED_LINE_CHARS) {
        syntax(1, `line of ${code.length} characters is too long to check (limit ${MAX_PARSED_LINE_CHARS})`, []);
        continue;
      }
    }

    const ascii = stripNonAscii(code);
    if (ascii && isBlank(ascii.text)) continue; // only bytes ntpd skips
    const result = parseLine(ascii ? ascii.text : code, lineNumber);
    if (result.ok) {
      const node = result.node;
      if (ascii) remapColumns(node, ascii.columns);
      node.text = evidenceText(code.trim());
      nodes.push(node);
      if (node.kind === "end") break; // ntpd flushes its input: nothing after `end` is read
    } else {
      const column = ascii ? originalColumn(ascii.columns, result.column) : result.column;
      // Nothing could follow: the command was complete and the word is one too many.
      const complete = result.expected.length === 0 && !result.internal;
      const message = complete ? `${result.message}; expected end of line` : result.message;
      syntax(column, message + caseHint(code, column), complete ? ["end of line"] : result.expected);
    }
  }
  ntpLexerContext.file = "";
  return { nodes, diagnostics, template: null, lines: lines.length };
}

/** `Server`, `RESTRICT`: ntpd's keywords are lower-case and case-sensitive; say so when that is the cause. */
function caseHint(code: string, column: number): string {
  const m = /\S+/.exec(code.slice(column - 1));
  if (!m || m.index !== 0) return "";
  const word = m[0];
  const lower = word.toLowerCase();
  return lower !== word && NTP_KEYWORDS.has(lower) ? ` (keywords are lower-case: "${lower}")` : "";
}

type LineResult =
  | { ok: true; node: NtpNode }
  | { ok: false; column: number; message: string; expected: string[]; internal?: boolean };

function parseLine(code: string, lineNumber: number): LineResult {
  try {
    return lineParser.parse(code, lineNumber);
  } catch (e) {
    // An ambiguous parse is a bug in the grammar, not in the file; report it without dropping the file.
    // (The corpus and fuzz tests keep this path unreachable.)
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, column: 1, message, expected: [], internal: true };
  }
}

/** Locations inside a node point into the ASCII-only text the parser saw; map them back. */
function remapColumns(value: unknown, columns: number[], seen = new Set<object>()): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) remapColumns(v, columns, seen);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj["line"] === "number" && typeof obj["column"] === "number") {
    obj["column"] = originalColumn(columns, obj["column"] as number);
    return;
  }
  for (const key of Object.keys(obj)) remapColumns(obj[key], columns, seen);
}
