/**
 * `elements = { … }` / `add element … { … }` with many elements: the statement is parsed with an empty
 * body and each element on its own (same grammar rule, `elem`). A 100,000-element blocklist is then
 * 100,000 small parses instead of one Earley table of 200,000 columns, and a bad element is one
 * diagnostic while the others are kept. An element that is one word or one quoted string (an address, a
 * prefix, a range, a port: nearly every element of a real blocklist) can only be the grammar's
 * `elem -> value -> atom -> %word | %string`, so it is built here directly, as that rule builds it.
 */
import type { NftToken } from "../generated/nft.js";
import { parseStatement, type NftContext, type StatementParse } from "./statement-parser.js";

/** Set bodies with at least this many elements are parsed element by element. */
const LONG_SET_ELEMENTS = 64;

/** A bad element: the token to locate it at, the message, and what the grammar expected there. */
export type ElementError = (at: NftToken, message: string, expected?: string[]) => void;

/** The statement parsed element by element, or null when it is not a long set statement. */
export function parseLongSet(context: NftContext, tokens: NftToken[], onError: ElementError): StatementParse | null {
  const isElements = context === "set" && tokens[0]!.value === "elements";
  const isElementCmd = context === "top" && tokens.some((t, i) => i < 2 && t.value === "element");
  if (!isElements && !isElementCmd) return null;
  const open = tokens.findIndex((t) => t.type === "lbrace");
  const close = tokens.length - 1;
  if (open === -1 || tokens[close]!.type !== "rbrace") return null;
  // Element boundaries first (as token indices: no array per element), then the elements.
  const starts: number[] = [];
  const ends: number[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i]!;
    if (t.type === "lbrace" || t.type === "lparen") depth++;
    if (t.type === "rbrace" || t.type === "rparen") depth--;
    if (depth < 0) return null;
    if (depth === 0 && t.type === "comma") {
      starts.push(start);
      ends.push(i);
      start = i + 1;
    }
  }
  if (start < close) {
    starts.push(start);
    ends.push(close);
  }
  if (starts.length < LONG_SET_ELEMENTS) return null;
  const shell = parseStatement(context, [...tokens.slice(0, open + 1), tokens[close]!]);
  if (!shell.ok) return shell;
  const elements: unknown[] = [];
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k]!;
    const to = ends[k]!;
    const only = to - from === 1 ? tokens[from]! : null;
    if (only && (only.type === "word" || only.type === "string")) {
      elements.push({ key: { k: "value", text: only.value } });
      continue;
    }
    if (to === from) {
      onError(tokens[open]!, "empty element between commas");
      continue;
    }
    const chunk = tokens.slice(from, to);
    const one = parseStatement("element", chunk);
    if (one.ok) elements.push(one.node.element);
    else onError(one.token ?? chunk[chunk.length - 1]!, one.message, one.expected);
  }
  return { ok: true, node: { ...shell.node, elements } };
}
