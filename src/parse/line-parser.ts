/**
 * The per-line nearley driver shared by every grammar: one compiled grammar, a fresh parser per
 * physical line, absolute line:column positions, and structured errors built from the parse table
 * (nearley's own error text is huge and points at the wrong lines, so it is never shown).
 */
import { didYouMean } from "./did-you-mean.js";
import nearley from "nearley";

export type LineParse<T> =
  | { ok: true; node: T }
  | { ok: false; column: number; message: string; expected: string[] };

/** Words for token types in "expected …" lists; grammars register their own. */
export type TokenNames = Record<string, string>;

interface LexerToken {
  type?: string;
  text: string;
  col: number;
}

interface ParseError extends Error {
  token?: LexerToken;
}

interface EarleyState {
  rule: { symbols: Array<string | { type?: string; literal?: string; test?: unknown }> };
  dot: number;
}

export class LineParser<T> {
  private readonly grammar: nearley.Grammar;

  constructor(compiled: nearley.CompiledRules, private readonly names: TokenNames = {}) {
    this.grammar = nearley.Grammar.fromCompiled(compiled);
  }

  /** Parse one physical line (no newline). `lineNumber` is 1-based and lands in every token. */
  parse(text: string, lineNumber: number): LineParse<T> {
    const parser = new nearley.Parser(this.grammar);
    const internals = parser as unknown as { lexerState: unknown; reportError: unknown; reportLexerError: unknown };
    internals.lexerState = { line: lineNumber, col: 1 };
    // nearley formats a long "state stack" message on every failure; it is never shown (see below), and
    // skipping it makes rejected lines ~3x cheaper, which matters for hostile files full of them.
    internals.reportError = quietReport;
    internals.reportLexerError = quietReport;
    try {
      parser.feed(text);
    } catch (e) {
      const err = e as ParseError;
      const token = err.token;
      // After a failed token the last column of the table holds the states that were waiting for it.
      const expected = this.expected(parser, -2);
      const column = token?.col ?? 1;
      const suggestion = token ? didYouMean(token.text, expected) : null;
      const hint = suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : "";
      return { ok: false, column, expected, message: `unexpected ${this.describe(token)}${hint}${expectedText(expected)}` };
    }
    const results = parser.results as T[];
    if (results.length === 0) {
      const expected = this.expected(parser, -1);
      return {
        ok: false,
        column: text.replace(/[ \t\r]+$/, "").length + 1,
        expected,
        message: `unexpected end of line${expectedText(expected)}`,
      };
    }
    if (results.length > 1) {
      // An ambiguous grammar is a bug in ntp-policy, not in the user's file.
      throw new Error(`internal error: ambiguous grammar (${results.length} parses) at line ${lineNumber}`);
    }
    return { ok: true, node: results[0] as T };
  }

  private expected(parser: nearley.Parser, at: number): string[] {
    const table = (parser as unknown as { table: Array<{ states: EarleyState[] }> }).table;
    const column = table.at(at);
    if (!column) return [];
    const seen = new Set<string>();
    for (const state of column.states) {
      const symbol = state.rule.symbols[state.dot];
      if (symbol === undefined || typeof symbol === "string") continue; // non-terminals
      if (symbol.type !== undefined) seen.add(this.names[symbol.type] ?? symbol.type);
      else if (symbol.literal !== undefined) seen.add(JSON.stringify(symbol.literal));
    }
    return [...seen].sort();
  }

  private describe(token: LexerToken | undefined): string {
    if (!token) return "input";
    const shown = JSON.stringify(token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text);
    if (!token.type || token.type === "invalid") return `input ${shown}`;
    return `${this.names[token.type] ?? token.type} ${shown}`;
  }
}

function quietReport(): string {
  return "syntax error";
}

function expectedText(expected: string[]): string {
  if (expected.length === 0) return "";
  if (expected.length === 1) return `; expected ${expected[0]}`;
  const shown = expected.length > 12 ? [...expected.slice(0, 12), "…"] : expected;
  return `; expected one of ${shown.join(", ")}`;
}
