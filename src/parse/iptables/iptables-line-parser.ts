/**
 * One physical line of an iptables dump → its syntax node and tokens. Lines are tokenised by
 * line-tokenizer.ts (the grammar's own moo lexer for lines it does not take); nearley (through the
 * shared LineParser) runs only for a token-type sequence not seen before (line-cache.ts says why that
 * is exact). Without the cache, every line goes through moo and nearley: the reference the tests
 * compare the fast path with.
 */
import grammar, { lexer, TOKEN_NAMES } from "../generated/iptables.js";
import { LineParser } from "../line-parser.js";
import { deepFreeze, LineNodeCache, typeSequenceKey } from "./line-cache.js";
import { scanLine } from "./line-tokenizer.js";
import type { LineNode, LineToken } from "./syntax.js";

export type LineResult =
  | { ok: true; node: LineNode; tokens: LineToken[] }
  | { ok: false; column: number; message: string; expected: string[] };

/** The tokens of a line as the grammar's moo lexer (the one nearley reads) gives them. */
export function lexLine(text: string, lineNumber: number): LineToken[] {
  lexer.reset(text, { line: lineNumber, col: 1 });
  const tokens: LineToken[] = [];
  for (let t = lexer.next(); t !== undefined; t = lexer.next()) tokens.push({ type: t.type!, text: t.text, col: t.col });
  return tokens;
}

export class IptablesLineParser {
  private readonly parser = new LineParser<LineNode>(grammar as never, TOKEN_NAMES);
  private readonly cache = new LineNodeCache();
  /** Lines answered from the cache / by nearley (for benchmarks and tests). */
  hits = 0;
  misses = 0;

  constructor(private readonly useCache = true) {}

  parse(text: string, lineNumber: number): LineResult {
    const tokens = (this.useCache ? scanLine(text) : null) ?? lexLine(text, lineNumber);
    const key = this.useCache ? typeSequenceKey(tokens) : null;
    if (key !== null) {
      const hit = this.cache.get(key);
      if (hit !== undefined) {
        this.hits++;
        return { ok: true, node: hit, tokens };
      }
    }
    this.misses++;
    let result;
    try {
      result = this.parser.parse(text, lineNumber);
    } catch (e) {
      // Only an ambiguous grammar throws: a bug in ntp-policy, reported on the line rather than crashing.
      return { ok: false, column: 1, message: (e as Error).message, expected: [] };
    }
    if (!result.ok) return result;
    const node = key !== null ? this.cache.set(key, result.node) : deepFreeze(result.node);
    return { ok: true, node, tokens };
  }
}
