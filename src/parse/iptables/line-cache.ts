/**
 * The cache behind IptablesLineParser: parses keyed on a line's sequence of token TYPES.
 *
 * grammar/iptables.ne only ever matches token types and its postprocessors only record token indices,
 * so the parse of a line is a pure function of its token-type sequence (the grammar file states this
 * contract; the corpus, kube and fuzz tests in test/parse/ compare cached with fresh parses). A kube-proxy dump
 * has ~135k lines but only a few dozen distinct type sequences, so nearley runs only for a sequence
 * not seen before. Syntax is still defined in one place; only the repeated Earley work is skipped.
 */
import type { LineNode, LineToken } from "./syntax.js";

/** Distinct type sequences kept; beyond this (an adversarial file) lines are still parsed, just not cached. */
const MAX_CACHE_ENTRIES = 20_000;

const typeCodes = new Map<string, number>();
function typeCode(type: string): number {
  let code = typeCodes.get(type);
  if (code === undefined) {
    code = 0x41 + typeCodes.size;
    typeCodes.set(type, code);
  }
  return code;
}

/** Reused between calls: the key is made in one step (appending char by char makes a rope per line). */
const codes: number[] = [];

/** Freeze a node and everything in it (nodes are shared between lines; see syntax.ts). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The cache key of a line's tokens; null when the line cannot be cached (it holds an invalid token). */
export function typeSequenceKey(tokens: readonly LineToken[]): string | null {
  codes.length = tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i]!.type;
    if (type === "invalid") return null;
    codes[i] = typeCode(type);
  }
  return String.fromCharCode.apply(null, codes);
}

/** Line nodes by type-sequence key. Stored nodes are frozen: one node serves many lines. */
export class LineNodeCache {
  private readonly nodes = new Map<string, LineNode>();

  get(key: string): LineNode | undefined {
    return this.nodes.get(key);
  }

  /** Freezes `node` (also when the cache is full) and returns it. */
  set(key: string, node: LineNode): LineNode {
    const frozen = deepFreeze(node);
    if (this.nodes.size < MAX_CACHE_ENTRIES) this.nodes.set(key, frozen);
    return frozen;
  }
}
