/**
 * Per-line parsing of iptables dumps with a cache keyed on the line's sequence of token TYPES.
 *
 * grammar/iptables.ne only ever matches token types and its postprocessors only record token indices,
 * so the parse of a line is a pure function of its token-type sequence (the grammar file states this
 * contract; test/parse/iptables-cache.test.ts checks cached against fresh parses). A kube-proxy dump
 * has ~135k lines but only a few dozen distinct type sequences: each line is tokenised by the
 * grammar's own moo lexer, and nearley (through the shared LineParser) runs only for a sequence not
 * seen before. Syntax is still defined in one place; only the repeated Earley work is skipped.
 */
import grammar, { lexer, TOKEN_NAMES } from "../generated/iptables.js";
import { LineParser } from "../line-parser.js";
import type { LineNode, LineToken } from "./syntax.js";

export type LineResult =
  | { ok: true; node: LineNode; tokens: LineToken[] }
  | { ok: false; column: number; message: string; expected: string[] };

/** Distinct type sequences kept; beyond this (an adversarial file) lines are still parsed, just not cached. */
const MAX_CACHE_ENTRIES = 20_000;

const typeCodes = new Map<string, string>();
function typeCode(type: string): string {
  let code = typeCodes.get(type);
  if (code === undefined) {
    code = String.fromCharCode(0x41 + typeCodes.size);
    typeCodes.set(type, code);
  }
  return code;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export class IptablesLineParser {
  private readonly parser = new LineParser<LineNode>(grammar as never, TOKEN_NAMES);
  private readonly cache = new Map<string, LineNode>();
  /** Lines answered from the cache / by nearley (for benchmarks and tests). */
  hits = 0;
  misses = 0;

  constructor(private readonly useCache = true) {}

  parse(text: string, lineNumber: number): LineResult {
    lexer.reset(text, { line: lineNumber, col: 1 });
    const tokens: LineToken[] = [];
    let key = "";
    let cacheable = this.useCache;
    for (let t = lexer.next(); t !== undefined; t = lexer.next()) {
      tokens.push(t as LineToken);
      if (t.type === "invalid") cacheable = false;
      else key += typeCode(t.type!);
    }
    if (cacheable) {
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
    const node = deepFreeze(result.node);
    if (cacheable && this.cache.size < MAX_CACHE_ENTRIES) this.cache.set(key, node);
    return { ok: true, node, tokens };
  }
}
