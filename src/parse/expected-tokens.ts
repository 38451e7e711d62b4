/**
 * "expected …" lists for syntax errors, read from a nearley parser's Earley table: the terminals the
 * states of one column were waiting for. Shared by the per-line driver (ntp.conf, iptables-save, chrony)
 * and the nft statement parser.
 */
import type nearley from "nearley";

interface EarleyState {
  rule: { symbols: Array<string | { type?: string; literal?: string }> };
  dot: number;
}

/**
 * The terminals expected at column `at` of the parse table (negative counts from the end), sorted.
 * `nameOf` words a token type; null leaves the type out (e.g. internal context tokens).
 */
export function expectedTokens(parser: nearley.Parser, at: number, nameOf: (type: string) => string | null): string[] {
  const table = (parser as unknown as { table: Array<{ states: EarleyState[] }> }).table;
  const column = table.at(at);
  if (!column) return [];
  const seen = new Set<string>();
  for (const state of column.states) {
    const symbol = state.rule.symbols[state.dot];
    if (symbol === undefined || typeof symbol === "string") continue; // non-terminals
    if (symbol.literal !== undefined) seen.add(JSON.stringify(symbol.literal));
    else if (symbol.type !== undefined) {
      const name = nameOf(symbol.type);
      if (name !== null) seen.add(name);
    }
  }
  return [...seen].sort();
}

/** The "; expected …" tail of a syntax error message (at most twelve alternatives shown). */
export function expectedText(expected: string[]): string {
  if (expected.length === 0) return "";
  if (expected.length === 1) return `; expected ${expected[0]}`;
  const shown = expected.length > 12 ? [...expected.slice(0, 12), "…"] : expected;
  return `; expected one of ${shown.join(", ")}`;
}
