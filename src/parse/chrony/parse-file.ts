/**
 * One chrony.conf (or *.sources) file → syntax tree + diagnostics, the way chronyd 4.3 reads it:
 * physical line by physical line, a line of 2047 characters or more is "String too long", and any
 * rejected line stops chronyd ("Fatal error : …"): it is a fatal diagnostic with chronyd's own wording.
 * Lines of a *.sources file (sourcedir) are read like chronyd's load_source_file: only server/pool/peer
 * lines count, and a bad one is skipped silently by chronyd (here: a non-fatal diagnostic).
 * The grammar (grammar/chrony.ne) decides what a line may be; this module turns failures into messages.
 */
import { evidenceText } from "../../model/diagnostic.js";
import type { ChronyDiagnostic, ChronyNode } from "../../model/chrony.js";
import grammar, { chronyLexerContext } from "../generated/chrony.js";
import { LineParser, type TokenNames } from "../line-parser.js";
import { splitLines } from "../ntp/text.js";
import { ARITY, CHRONY_DIRECTIVES, CHRONY_OBSOLETE } from "./values.js";
import { didYouMean } from "../did-you-mean.js";

export interface ParsedChronyFile {
  /** Accepted lines in file order. */
  nodes: ChronyNode[];
  diagnostics: ChronyDiagnostic[];
  /** Number of physical lines. */
  lines: number;
}

export const CHRONY_TOKEN_NAMES: TokenNames = {
  word: "word",
  kw: "option",
  unknown: "unknown directive",
  invalid: "input",
};

/** chronyd reads lines into a 2048-byte buffer (MAX_LINE_LENGTH): a line of 2047+ characters is "String too long". */
export const CHRONY_MAX_LINE = 2048;

const lineParser = new LineParser<ChronyNode>(grammar, CHRONY_TOKEN_NAMES);

export interface ParseChronyOptions {
  /** Read as a sourcedir *.sources file (chronyd ignores what it cannot use there). */
  sourcesFile?: boolean;
  /** The file's path on the host (for chronyd's message text); defaults to "/" + file. */
  hostPath?: string;
}

/** Parse one chrony file. `file` (host-relative, `/`-separated) is stamped into every location. */
export function parseChronyConf(text: string, file: string, options: ParseChronyOptions = {}): ParsedChronyFile {
  const lines = splitLines(text);
  const nodes: ChronyNode[] = [];
  const diagnostics: ChronyDiagnostic[] = [];
  const hostPath = options.hostPath ?? `/${file}`;
  const endsWithNewline = text.endsWith("\n");
  chronyLexerContext.file = file;
  try {
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      const lineNumber = i + 1;
      if (options.sourcesFile && i === lines.length - 1 && !endsWithNewline) {
        // load_source_file: "Require lines to be terminated" — an unterminated last line is not read.
        if (/\S/.test(raw)) {
          diagnostics.push(note(file, lineNumber, 1, raw, "chronyd does not read the last line of a *.sources file when it has no newline"));
        }
        break;
      }
      const physicalLength = raw.length + (i < lines.length - 1 || endsWithNewline ? 1 : 0);
      if (physicalLength >= CHRONY_MAX_LINE && !options.sourcesFile) {
        diagnostics.push(fatal(file, hostPath, lineNumber, 1, raw, "String too long", `line of ${raw.length} characters is longer than chronyd's limit of ${CHRONY_MAX_LINE - 2}`));
        continue;
      }
      // CPS_NormalizeLine: blank, or a comment when the first non-blank character is one of `! ; # %`.
      const first = /[^ \t\v\f\r]/.exec(raw);
      if (!first || "!;#%".includes(first[0])) continue;
      const result = parseLine(raw, lineNumber, file);
      if (result.ok) {
        const node = result.node;
        node.text = evidenceText(raw.trim());
        if (options.sourcesFile && node.kind !== "source") {
          diagnostics.push(note(file, lineNumber, node.location.column, raw, `chronyd ignores "${node.directive}" in a *.sources file (only server, pool and peer are read)`));
          continue;
        }
        if (node.kind === "directive" && CHRONY_OBSOLETE.has(node.directive)) {
          diagnostics.push(note(file, lineNumber, node.location.column, raw, `${firstWord(raw)} directive is no longer supported (chronyd ignores it)`));
        }
        if (node.kind === "access" && node.subnet.family === "hostname") {
          diagnostics.push(note(file, lineNumber, node.subnet.written!.location.column, raw,
            `${JSON.stringify(node.subnet.address)} is resolved when chronyd starts; if it does not resolve, chronyd will not start`));
        }
        const bad = node.kind === "access" ? badSubnet(node) : null;
        if (bad && node.kind === "access") {
          diagnostics.push({
            ...fatal(file, hostPath, lineNumber, node.subnet.written!.location.column, raw, bad, `prefix length ${node.subnet.bits} is longer than the address`),
            stage: "startup",
            daemonMessage: bad,
          });
          continue;
        }
        nodes.push(node);
        continue;
      }
      if (options.sourcesFile) {
        const word = firstWord(raw).toLowerCase();
        if (word === "server" || word === "pool" || word === "peer") {
          diagnostics.push(note(file, lineNumber, result.column, raw, `chronyd skips this line of a *.sources file: ${result.message}`));
        } else {
          diagnostics.push(note(file, lineNumber, 1, raw, `chronyd ignores "${firstWord(raw)}" in a *.sources file (only server, pool and peer are read)`));
        }
        continue;
      }
      const { wording, column } = chronydWording(raw, result);
      diagnostics.push(fatal(file, hostPath, lineNumber, column, raw, wording, wording === "Invalid directive" ? unknownDirective(raw) : result.message));
    }
  } finally {
    chronyLexerContext.file = "";
  }
  return { nodes, diagnostics, lines: lines.length };
}

type LineResult = { ok: true; node: ChronyNode } | { ok: false; column: number; message: string; expected: string[] };

/**
 * Line cache: the parse of a line is a pure function of its text apart from the file and line number in
 * its locations (columns come from the text), so a line seen before — the same `server`, `allow` or
 * `makestep` line on every host of a fleet — is answered by copying the earlier result with this
 * occurrence's file and line stamped in, and nearley runs once per distinct line.
 */
const MAX_CACHED_LINES = 20_000;
const lineCache = new Map<string, LineResult>();

function parseLine(code: string, lineNumber: number, file: string): LineResult {
  const hit = lineCache.get(code);
  if (hit !== undefined) return restamp(hit, file, lineNumber) as LineResult;
  let result: LineResult;
  try {
    result = lineParser.parse(code, lineNumber);
  } catch (e) {
    // An ambiguous grammar is a bug here, not in the file: report it without dropping the file.
    return { ok: false, column: 1, message: e instanceof Error ? e.message : String(e), expected: [] };
  }
  if (lineCache.size < MAX_CACHED_LINES) lineCache.set(code, restamp(result, "", 0) as LineResult);
  return result;
}

/** A deep copy whose locations ({file, line, column}) carry `file` and `line`. */
function restamp(value: unknown, file: string, line: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => restamp(v, file, line));
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) out[key] = restamp(obj[key], file, line);
  if (typeof obj["line"] === "number" && typeof obj["column"] === "number" && "file" in obj) {
    out["file"] = file;
    out["line"] = line;
  }
  return out;
}

/**
 * Why an unknown directive is one, in words: the grammar's list of every directive token it expected there
 * says nothing a reader can use, a near miss does.
 */
function unknownDirective(raw: string): string {
  const written = firstWord(raw);
  const near = didYouMean(written, [...CHRONY_DIRECTIVES].map((d) => JSON.stringify(d)));
  return `${JSON.stringify(written)} is not a chrony.conf directive${near ? `; did you mean ${JSON.stringify(near)}?` : ""}`;
}

function firstWord(raw: string): string {
  return /\S+/.exec(raw)?.[0] ?? "";
}

/** chronyd's message for a rejected line (conf.c), and the column it is about. */
function chronydWording(raw: string, result: { column: number; expected: string[] }): { wording: string; column: number } {
  const m = /\S+/.exec(raw)!;
  const written = m[0];
  const directive = written.toLowerCase();
  const directiveColumn = m.index + 1;
  if (!CHRONY_DIRECTIVES.has(directive)) return { wording: "Invalid directive", column: directiveColumn };
  const args = raw.slice(m.index + written.length).split(/[ \t\v\f\r]+/).filter((s) => s !== "");
  const counts = ARITY.get(directive);
  if (counts && !counts.includes(args.length)) {
    const checked = counts[0]!;
    if (args.length < checked) return { wording: `Missing arguments for ${written} directive`, column: raw.trimEnd().length + 1 };
    const extra = nthWordColumn(raw, checked + 1);
    return { wording: `Too many arguments for ${written} directive`, column: extra };
  }
  const unexpectedWordAsOption = result.expected.some((e) => e === '"poll"' || e === '"rawmeasurements"');
  if (directive === "refclock" && unexpectedWordAsOption) return { wording: "Invalid refclock option", column: result.column };
  if (directive === "log") return { wording: "Invalid log parameter", column: result.column };
  return { wording: `Could not parse ${written} directive`, column: result.column };
}

/** 1-based column of the n-th word after the directive. */
function nthWordColumn(raw: string, n: number): number {
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  let i = -1;
  while ((m = re.exec(raw)) !== null) {
    if (++i === n) return m.index + 1;
  }
  return raw.length + 1;
}

function badSubnet(node: Extract<ChronyNode, { kind: "access" }>): string | null {
  const { family, bits, address } = node.subnet;
  const width = family === "ipv4" ? 32 : family === "ipv6" ? 128 : null;
  if (width === null || bits <= width) return null;
  return `Bad subnet in ${address}/${bits}`;
}

function fatal(file: string, hostPath: string, line: number, column: number, raw: string, wording: string, detail: string): ChronyDiagnostic {
  const message = detail && detail !== wording ? `${wording} (${detail}); chronyd will not start` : `${wording}; chronyd will not start`;
  return {
    kind: "syntax",
    message,
    location: { file, line, column },
    text: evidenceText(raw),
    fatal: true,
    stage: "parse",
    daemonMessage: `${wording} at line ${line} in file ${hostPath}`,
  };
}

function note(file: string, line: number, column: number, raw: string, message: string): ChronyDiagnostic {
  return { kind: "syntax", message, location: { file, line, column }, text: evidenceText(raw), fatal: false, stage: "parse" };
}
