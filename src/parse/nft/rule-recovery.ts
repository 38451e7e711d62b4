/**
 * Rules the grammar cannot read as a whole. They are read item by item, splitting before each keyword,
 * and every part that still fails is kept as an `unknown` item (undecidable), so the known parts still
 * count and an unknown part is never taken as compliance.
 */
import type { NftRuleItem } from "../../model/nft.js";
import type { NftToken } from "../generated/nft.js";
import { parseStatement, type StatementNode } from "./statement-parser.js";
import { isWord, location } from "./tokens.js";

/** Rules longer than this are not split into items when the grammar fails (keeps bad input linear). */
const MAX_SEGMENTED_TOKENS = 400;

/** The items of a chain rule, unknown where no split of it parses. */
export function segmentRule(tokens: NftToken[]): NftRuleItem[] {
  if (tokens.length > MAX_SEGMENTED_TOKENS) return [unknownItem(tokens)];
  const starts: number[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (depth === 0 && i > 0 && t.type !== "word" && isWord(t)) starts.push(i);
    if (t.type === "lbrace" || t.type === "lparen") depth++;
    if ((t.type === "rbrace" || t.type === "rparen") && depth > 0) depth--;
  }
  starts.push(tokens.length);
  const items: NftRuleItem[] = [];
  let from = 0;
  while (from < tokens.length) {
    let parsedTo = -1;
    for (let s = starts.length - 1; s >= 0; s--) {
      const to = starts[s]!;
      if (to <= from) break;
      const attempt = parseStatement("chain", tokens.slice(from, to));
      if (attempt.ok && attempt.node.s === "rule") {
        items.push(...(attempt.node.items as NftRuleItem[]));
        parsedTo = to;
        break;
      }
    }
    if (parsedTo === -1) {
      const next = starts.find((s) => s > from) ?? tokens.length;
      const last = items[items.length - 1];
      const part = tokens.slice(from, next);
      // Adjacent unknown parts are one unknown item.
      if (last?.k === "unknown") last.text = `${last.text} ${part.map((t) => t.text).join(" ")}`;
      else items.push(unknownItem(part));
      parsedTo = next;
    }
    from = parsedTo;
  }
  return items;
}

/** True for `[add|create|insert|replace] rule …` written outside a chain block. */
export function isFlatRule(tokens: NftToken[]): boolean {
  const i = ["add", "create", "insert", "replace"].includes(tokens[0]!.value) ? 1 : 0;
  return tokens[i]?.value === "rule";
}

/** `add rule [family] table chain …` whose rule part the grammar cannot read. */
export function flatRule(tokens: NftToken[]): StatementNode | null {
  let i = ["add", "create", "insert", "replace"].includes(tokens[0]!.value) ? 1 : 0;
  const verb = i === 1 ? tokens[0]!.value : "add";
  i++; // "rule"
  let family: string | undefined;
  if (["ip", "ip6", "inet", "arp", "bridge", "netdev"].includes(tokens[i]?.value ?? "") && tokens.length > i + 3) {
    family = tokens[i]!.value;
    i++;
  }
  const table = tokens[i];
  const chain = tokens[i + 1];
  if (!table || !chain) return null;
  const rest = tokens.slice(i + 2);
  if (rest.length === 0) return null;
  return { s: "rule", verb, family, table: table.value, name: table.value, chain: chain.value, items: segmentRule(rest), loc: location(tokens[0]!) };
}

function unknownItem(tokens: NftToken[]): NftRuleItem {
  return { k: "unknown", text: tokens.map((t) => t.text).join(" "), loc: location(tokens[0]!) };
}
