/**
 * nft model elements written back in the nft language, the way `nft list ruleset` prints them. Used for
 * what has no source line of its own: rules read from `nft -j list ruleset` JSON, and the match a
 * reason names (`ip saddr @allowed`).
 */
import type { NftBaseChainSpec, NftRule, NftRuleItem, NftSelector, NftSetElement, NftValue, NftVerdict } from "../../model/nft.js";

export function renderSelector(s: NftSelector): string {
  switch (s.k) {
    case "payload":
      return `${s.protocol} ${s.field}`;
    case "meta":
      return ["iif", "iifname", "oif", "oifname", "mark"].includes(s.key) ? `meta ${s.key}` : `meta ${s.key}`;
    case "ct":
      return ["ct", s.dir, s.family, s.key].filter(Boolean).join(" ");
    case "fib":
      return `fib ${s.flags.join(" . ")} ${s.result}`;
    case "other":
      return `${s.name} ${s.key}`.trim();
    case "concat":
      return s.parts.map(renderSelector).join(" . ");
    case "binop":
      return `${renderSelector(s.left)} ${s.op} ${renderValue(s.right)}`;
  }
}

export function renderValue(v: NftValue | NftVerdict): string {
  switch (v.k) {
    case "value":
      return /^[\w.:/*-]+$/.test(v.text) ? v.text : JSON.stringify(v.text);
    case "list":
      return v.items.map(renderValue).join(",");
    case "concat":
      return v.parts.map(renderValue).join(" . ");
    case "set":
      return `{ ${v.elements.map(renderElement).join(", ")} }`;
    case "setref":
      return `@${v.name}`;
    case "unknown":
      return v.text;
    case "verdict":
      return renderVerdict(v);
  }
}

function renderElement(e: NftSetElement): string {
  return e.value ? `${renderValue(e.key)} : ${renderValue(e.value)}` : renderValue(e.key);
}

function renderVerdict(v: NftVerdict): string {
  return [v.verdict, v.target, ...(v.args ?? [])].filter((x) => x !== undefined && x !== "").join(" ");
}

export function renderItem(item: NftRuleItem): string {
  switch (item.k) {
    case "match":
      return `${renderSelector(item.left)} ${item.op === "==" ? "" : `${item.op} `}${renderValue(item.right)}`;
    case "vmap":
      return `${renderSelector(item.key)} vmap ${renderValue(item.map)}`;
    case "nat":
      return [item.kind, item.family, item.to !== undefined ? `to ${item.to}` : undefined, ...(item.flags ?? [])].filter(Boolean).join(" ");
    case "verdict":
      return renderVerdict(item);
    case "unknown":
      return item.text;
    default:
      return [item.k, ...item.args].join(" ");
  }
}

export function renderRule(rule: NftRule): string {
  return [...rule.items.map(renderItem), ...(rule.comment !== undefined ? [`comment ${JSON.stringify(rule.comment)}`] : [])].join(" ");
}

export function renderBaseChain(base: NftBaseChainSpec, policy: string | undefined): string {
  return `type ${base.type} hook ${base.hook} priority ${base.priorityText}; policy ${policy ?? "accept"};`;
}
