/**
 * Reading nft ruleset files: cut the token stream into statements, keep track of blocks, substitute
 * `$variables`, follow `include`s, and hand each statement to the grammar and then to the ruleset builder.
 *
 * Statements. nft ends a statement at a newline or ';' — but not inside braces of an expression
 * (`{ 22, 80 }` may span lines). A '{' opens a BLOCK when it ends the header of a table, chain, set, map or
 * stateful object (`table inet f {`, `add chain inet f c {`, `set s {`); every other '{' is an expression
 * brace. A '}' at expression depth 0 closes the innermost block.
 *
 * Includes (nft(8) "include"): an absolute path is taken from the host root; a relative one is searched in
 * nft's default include directory `/etc` (nft does not look beside the including file); wildcards are
 * expanded in sorted order and may match nothing; a plain name that does not exist is an error. Files are
 * read only through discover/host-files.ts, so nothing outside the host directory is ever opened.
 * The included text is read in the block where the include stands, as nft does.
 *
 * Variables: `define`/`redefine`/`undefine`, scoped to the block they are written in (and visible in
 * included files). A use substitutes the definition's tokens at the place of use.
 *
 * Statements the grammar rejects are retried as long sets (long-set.ts) or item by item (rule-recovery.ts).
 */
import type { Diagnostic } from "../../model/diagnostic.js";
import { evidenceText } from "../../model/diagnostic.js";
import type { NftRuleset } from "../../model/nft.js";
import { readHostFile, resolveInHost } from "../../discover/host-files.js";
import { globInHost, hasMagic } from "../../discover/host-glob.js";
import { tokenize, type NftToken } from "../generated/nft.js";
import { RulesetBuilder } from "./builder.js";
import { parseLongSet, type ElementError } from "./long-set.js";
import { flatRule, isFlatRule, segmentRule } from "./rule-recovery.js";
import { parseStatement, type NftContext, type StatementNode } from "./statement-parser.js";
import { isWord, location } from "./tokens.js";

/** nft's MAX_INCLUDE_DEPTH. */
export const MAX_INCLUDE_DEPTH = 16;
/** More files than any real configuration includes; stops include bombs. */
export const MAX_INCLUDED_FILES = 1000;

const BLOCK_OBJECTS_TOP = new Set(["table", "chain", "set", "map", "flowtable", "counter", "quota", "limit", "ct", "secmark", "synproxy"]);
const BLOCK_OBJECTS_TABLE = new Set(["chain", "set", "map", "flowtable", "counter", "quota", "limit", "ct", "secmark", "synproxy"]);
const VERBS = new Set(["add", "create"]);
/** Statements of a chain block that are not rules. */
const CHAIN_PROPERTIES = new Set(["type", "policy", "devices", "flags"]);

/** A block on the stack: the grammar context inside it, or "opaque" (objects, and blocks whose header failed). */
interface Block {
  context: NftContext | "opaque";
  /** Variables defined in this block. */
  defines: Map<string, NftToken[]>;
}

export interface NftReadOptions {
  /** The host directory `include` paths are resolved in; without it includes are reported, not followed. */
  hostRoot?: string;
}

export class NftReader {
  private readonly builder = new RulesetBuilder();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly files: string[] = [];
  /** Each file's text, split into lines only when a diagnostic quotes one. */
  private readonly texts = new Map<string, string | string[]>();
  private readonly stack: Block[] = [{ context: "top", defines: new Map() }];

  constructor(private readonly options: NftReadOptions = {}) {}

  /** Read a file's text (host-relative `file` names it in locations). */
  readText(text: string, file: string, depth = 0): void {
    this.files.push(file);
    this.texts.set(file, text);
    const tokens = tokenize(text, file);
    let current: NftToken[] = [];
    let depthInExpr = 0;
    for (const token of tokens) {
      switch (token.type) {
        case "nl":
          if (depthInExpr === 0) current = this.flush(current, depth);
          continue;
        case "semi":
          if (depthInExpr === 0) current = this.flush(current, depth);
          else current.push(token);
          continue;
        case "lbrace":
          current.push(token);
          if (depthInExpr === 0 && this.opensBlock(current)) current = this.flush(current, depth);
          else depthInExpr++;
          continue;
        case "rbrace":
          if (depthInExpr > 0) {
            depthInExpr--;
            current.push(token);
            continue;
          }
          current = this.flush(current, depth);
          this.closeBlock(token);
          continue;
        default:
          current.push(token);
      }
    }
    if (depthInExpr > 0 && current.length > 0) {
      this.syntax(current[0]!, "unbalanced '{': the statement is not closed before the end of the file");
      current = [];
    }
    this.flush(current, depth);
  }

  /** Finish: report unclosed blocks and dangling references, return the ruleset. */
  finish(): NftRuleset {
    if (this.stack.length > 1) {
      const file = this.files[0] ?? "";
      const lines = this.linesOf(file)?.length ?? 1;
      this.diagnostics.push({
        kind: "syntax",
        message: `${this.stack.length - 1} block(s) not closed: '}' expected before the end of the input`,
        location: { file, line: Math.max(1, lines), column: 1 },
      });
    }
    const ruleset = this.builder.finish();
    return { ...ruleset, diagnostics: [...this.diagnostics, ...ruleset.diagnostics], files: this.files };
  }

  private get block(): Block {
    return this.stack[this.stack.length - 1]!;
  }

  private opensBlock(tokens: NftToken[]): boolean {
    const context = this.block.context;
    if (context !== "top" && context !== "table") return false;
    let i = 0;
    if (context === "top" && VERBS.has(tokens[0]?.value ?? "")) i = 1;
    const head = tokens[i];
    if (!head || !isWord(head)) return false;
    return (context === "top" ? BLOCK_OBJECTS_TOP : BLOCK_OBJECTS_TABLE).has(head.value);
  }

  private closeBlock(token: NftToken): void {
    if (this.stack.length === 1) {
      this.syntax(token, "unexpected '}': no block is open");
      return;
    }
    const closed = this.stack.pop()!;
    if (closed.context !== "opaque") this.builder.close(closed.context);
  }

  /** Handle one statement; returns a fresh token list for the next. */
  private flush(tokens: NftToken[], depth: number): NftToken[] {
    if (tokens.length === 0) return [];
    const first = tokens[0]!;
    const block = this.block;
    const opens = tokens[tokens.length - 1]!.type === "lbrace" && this.opensBlock(tokens);
    const push = (context: Block["context"]): void => {
      this.stack.push({ context, defines: new Map() });
    };

    if (first.value === "include" && first.type === "word") {
      this.include(tokens, depth);
      return [];
    }
    if ((first.value === "define" || first.value === "redefine") && first.type === "word") {
      this.define(tokens);
      return [];
    }
    if (first.value === "undefine" && first.type === "word") {
      const name = tokens[1]?.value;
      if (tokens.length !== 2 || !name) this.syntax(first, "undefine takes one variable name");
      else if (!this.lookup(name)) this.syntax(tokens[1]!, `undefine of $${name}, which is not defined`);
      else for (const b of this.stack) b.defines.delete(name);
      return [];
    }
    if (block.context === "opaque") {
      if (opens) push("opaque");
      return [];
    }

    const expanded = this.substitute(tokens);
    const parsed = parseLongSet(block.context, expanded, this.elementError) ?? parseStatement(block.context, expanded);
    if (parsed.ok) {
      const node = parsed.node;
      this.builder.apply(block.context, node);
      if (opens) push(blockContext(node));
      return [];
    }
    if (block.context === "chain" && !CHAIN_PROPERTIES.has(first.value)) {
      this.builder.apply("chain", { s: "rule", items: segmentRule(expanded), loc: location(first) });
      return [];
    }
    if (block.context === "top" && isFlatRule(expanded)) {
      const rule = flatRule(expanded);
      if (rule) {
        this.builder.apply("top", rule);
        return [];
      }
    }
    // At the end of the statement the error is where the missing word should have been.
    const last = tokens[tokens.length - 1]!;
    const at = parsed.token ?? { ...last, col: last.col + last.text.length };
    this.diagnostics.push({
      kind: "syntax",
      message: parsed.message,
      location: location(at),
      text: this.lineText(at),
      expected: parsed.expected,
    });
    if (opens) push("opaque");
    return [];
  }

  private define(tokens: NftToken[]): void {
    const [kw, name, eq, ...value] = tokens;
    if (!name || !isWord(name) || eq?.type !== "eq" || value.length === 0) {
      this.syntax(kw!, `${kw!.value}: expected NAME = VALUE`);
      return;
    }
    const existing = this.block.defines.has(name.value);
    if (kw!.value === "define" && existing) {
      this.syntax(name, `$${name.value} is already defined in this block (use redefine)`);
      return;
    }
    this.block.defines.set(name.value, this.substitute(value));
  }

  private lookup(name: string): NftToken[] | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const found = this.stack[i]!.defines.get(name);
      if (found) return found;
    }
    return undefined;
  }

  private substitute(tokens: NftToken[]): NftToken[] {
    if (!tokens.some((t) => t.type === "variable")) return tokens;
    const out: NftToken[] = [];
    for (const t of tokens) {
      if (t.type !== "variable") {
        out.push(t);
        continue;
      }
      const value = this.lookup(t.value.slice(1));
      if (!value) {
        this.syntax(t, `undefined variable ${t.value}`);
        out.push(t);
        continue;
      }
      // The definition's tokens, located at the place of use.
      for (const v of value) out.push({ ...v, file: t.file, line: t.line, col: t.col, offset: t.offset });
    }
    return out;
  }

  private include(tokens: NftToken[], depth: number): void {
    const [kw, target] = tokens;
    if (tokens.length !== 2 || target?.type !== "string") {
      this.syntax(kw!, "include: expected one quoted file name");
      return;
    }
    const fail = (reason: string): void => {
      this.diagnostics.push({
        kind: "include",
        message: `include ${JSON.stringify(target.value)} not followed: ${reason}`,
        location: location(kw!),
        text: this.lineText(kw!),
      });
    };
    const hostRoot = this.options.hostRoot;
    if (hostRoot === undefined) return fail("no host directory to resolve it in");
    if (depth + 1 >= MAX_INCLUDE_DEPTH) return fail(`nesting deeper than nft's limit of ${MAX_INCLUDE_DEPTH}`);
    const requested = target.value;
    const resolved = resolveInHost(hostRoot, requested, "etc");
    if (!resolved.ok) return fail(resolved.reason);
    const wildcard = hasMagic(requested);
    let paths = [resolved.relPath];
    if (wildcard) {
      const globbed = globInHost(hostRoot, resolved.relPath);
      // A wildcard through a directory that does not exist matches nothing, as in nft.
      if (!globbed.ok && !globbed.missing) return fail(globbed.reason);
      paths = globbed.ok ? globbed.matches.map((p) => p.slice(1)) : [];
    }
    for (const rel of paths) {
      if (this.files.length >= MAX_INCLUDED_FILES) return fail(`more than ${MAX_INCLUDED_FILES} files read`);
      const read = readHostFile(hostRoot, rel);
      if (!read.ok) {
        if (wildcard && read.reason === "not a regular file") continue;
        fail(`${rel}: ${read.reason}`);
        continue;
      }
      this.readText(read.text, rel, depth + 1);
    }
  }

  private readonly elementError: ElementError = (at, message, expected) => {
    if (expected === undefined) this.syntax(at, message);
    else this.diagnostics.push({ kind: "syntax", message, location: location(at), text: this.lineText(at), expected });
  };

  private syntax(token: NftToken, message: string): void {
    this.diagnostics.push({ kind: "syntax", message, location: location(token), text: this.lineText(token) });
  }

  private lineText(token: NftToken): string {
    return evidenceText(this.linesOf(token.file)?.[token.line - 1]?.replace(/\r$/, "") ?? "");
  }

  private linesOf(file: string): string[] | undefined {
    const text = this.texts.get(file);
    if (typeof text !== "string") return text;
    const lines = text.split("\n");
    this.texts.set(file, lines);
    return lines;
  }
}

function blockContext(node: StatementNode): Block["context"] {
  switch (node.s) {
    case "table":
      return "table";
    case "chain":
      return "chain";
    case "set":
      return "set";
    default:
      return "opaque";
  }
}
