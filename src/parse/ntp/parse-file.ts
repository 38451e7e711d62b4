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
 * Lines longer than this (without their comment) are not handed to the parser. ntpd's scanner reads
 * character by character and limits only words (MAX_LEXEME, 1024 characters: ntp_scanner.c in ntpd 4.2.8
 * and ntpsec alike), not lines; the longest line in the shared corpus of real configurations has 111
 * characters. Earley parsing of one line grows faster than its length (a 14 KB line takes ~50 ms), so
 * the cap is twice ntpd's word limit: room for any one legal word with its keyword and options. A longer
 * line is reported as not checked (PARSE004), never passed.
 */
export const MAX_PARSED_LINE_CHARS = 2 * MAX_WORD_CHARS;

const lineParser = new LineParser<NtpNode>(grammar, NTP_TOKEN_NAMES);

/**
 * Parse results per line text, shared by every file: generated and hostile files repeat lines (an
 * include fan-out reads the same file hundreds of times), and nearley then runs once per distinct
 * line. A result is a pure function of the text apart from the file and line stamped into its
 * locations, which are re-stamped on every hit (see withLocation).
 */
const lineCache = new Map<string, LineResult>();
/** Distinct lines kept (each ≤ MAX_PARSED_LINE_CHARS); beyond this the cache starts afresh. */
const MAX_CACHED_LINES = 20_000;

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
    const notChecked = (message: string): void => {
      diagnostics.push({ kind: "not-checked", message, location: { file, line: lineNumber, column: 1 }, text: evidenceText(raw) });
    };

    if (code.length > MAX_WORD_CHARS) {
      const long = overlongWord(code);
      if (long) {
        syntax(long.index + 1, `word of ${long.length} characters is longer than ntpd's limit of ${MAX_WORD_CHARS} (ntpd refuses to start)`, []);
        continue;
      }
      if (code.length > MAX_PARSED_LINE_CHARS) {
        notChecked(`line of ${code.length} characters is too long to check (limit ${MAX_PARSED_LINE_CHARS}); ntpd would read it`);
        continue;
      }
    }

    const ascii = stripNonAscii(code);
    if (ascii && isBlank(ascii.text)) continue; // only bytes ntpd skips
    const result = cachedParseLine(ascii ? ascii.text : code, lineNumber, file);
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

/** Forget every cached line (tests compare cached with fresh parses). */
export function clearLineCache(): void {
  lineCache.clear();
}

function cachedParseLine(code: string, lineNumber: number, file: string): LineResult {
  const hit = lineCache.get(code);
  if (hit !== undefined) return hit.ok ? { ok: true, node: withLocation(structuredClone(hit.node), file, lineNumber) } : hit;
  const result = parseLine(code, lineNumber);
  if (lineCache.size >= MAX_CACHED_LINES) lineCache.clear();
  // The cached copy is never handed out: callers get clones, and may annotate their nodes freely.
  lineCache.set(code, result.ok ? { ok: true, node: structuredClone(result.node) } : result);
  return result;
}

/** Every location in a node (an object with numeric `line` and `column`) set to this file and line. */
function withLocation<T>(value: T, file: string, line: number, seen = new Set<object>()): T {
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) withLocation(v, file, line, seen);
    return value;
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj["line"] === "number" && typeof obj["column"] === "number") {
    obj["line"] = line;
    if ("file" in obj) obj["file"] = file;
    return value;
  }
  for (const key of Object.keys(obj)) withLocation(obj[key], file, line, seen);
  return value;
}

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
