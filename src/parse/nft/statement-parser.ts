/**
 * One nft statement (a token list cut out by the reader) → the node grammar/nft.ne builds for it, or a
 * located syntax error built from nearley's parse table (nearley's own message is never shown).
 */
import nearley from "nearley";
import grammar, { lexer, TOKEN_NAMES, type NftToken } from "../generated/nft.js";
import { expectedText, expectedTokens } from "../expected-tokens.js";

export type NftContext = "top" | "table" | "chain" | "set";

/** `element`: one element of a long set body, parsed on its own (see long-set.ts). */
const CONTEXT_TOKEN: Record<NftContext | "element", string> = { top: "ctxTop", table: "ctxTable", chain: "ctxChain", set: "ctxSet", element: "ctxElement" };

export type StatementParse =
  | { ok: true; node: StatementNode }
  | { ok: false; token: NftToken | null; message: string; expected: string[] };

/** The grammar's statement nodes (see grammar/nft.ne); `s` says which. */
export interface StatementNode {
  s: string;
  [key: string]: unknown;
}


const compiled = nearley.Grammar.fromCompiled(grammar as never);

/** The most parses any statement has had (tests assert it stays 1: the grammar is unambiguous). */
export const parseCounts = { max: 0 };

function quietReport(): string {
  return "syntax error";
}

export function parseStatement(context: NftContext | "element", tokens: NftToken[]): StatementParse {
  const first = tokens[0];
  const ctx: NftToken = {
    type: CONTEXT_TOKEN[context],
    value: "",
    text: "",
    offset: first?.offset ?? 0,
    line: first?.line ?? 1,
    col: first?.col ?? 1,
    file: first?.file ?? "",
  };
  const parser = new nearley.Parser(compiled);
  const internals = parser as unknown as { reportError: unknown; reportLexerError: unknown };
  internals.reportError = quietReport;
  internals.reportLexerError = quietReport;
  lexer.tokens = [ctx, ...tokens];
  try {
    parser.feed("");
  } catch (e) {
    const token = (e as { token?: NftToken }).token ?? null;
    const expected = expectedAt(parser, -2);
    return { ok: false, token, expected, message: `unexpected ${describe(token)}${expectedText(expected)}` };
  } finally {
    lexer.tokens = [];
  }
  const results = parser.results as StatementNode[];
  if (results.length === 0) {
    const expected = expectedAt(parser, -1);
    return { ok: false, token: null, expected, message: `unexpected end of statement${expectedText(expected)}` };
  }
  // More than one parse would be a grammar bug; the first is as good as any and tests keep it at one.
  parseCounts.max = Math.max(parseCounts.max, results.length);
  return { ok: true, node: results[0]! };
}

function expectedAt(parser: nearley.Parser, at: number): string[] {
  return expectedTokens(parser, at, (type) => (type.startsWith("ctx") ? null : (TOKEN_NAMES[type] ?? type)));
}

function describe(token: NftToken | null): string {
  if (!token) return "input";
  const shown = JSON.stringify(token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text);
  if (["word", "kw", "proto", "metakey", "verdict"].includes(token.type)) return `word ${shown}`;
  return `${TOKEN_NAMES[token.type] ?? token.type} ${shown}`;
}
