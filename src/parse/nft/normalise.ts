/**
 * A ruleset without what differs between the two input forms of one ruleset but means nothing to the
 * analysis: locations, handles, how a priority was spelled, the arguments of counters, limits and mangling
 * statements (nft prints defaults in JSON it omits in text), element options, `reject with icmp type x`
 * versus `reject with icmp x`, hex versus decimal numbers, set key types (`typeof` sets), and base chain
 * devices (nft 1.0.x does not print them in JSON). Text and JSON of one kernel ruleset give equal normalised rulesets
 * (test/parse/nft-json-equivalence.test.ts).
 */
import type { NftRuleItem, NftRuleset, NftSelector, NftSetElement, NftValue, NftVerdict } from "../../model/nft.js";

export interface NormalisedRuleset {
  tables: unknown[];
}

export function normaliseRuleset(ruleset: NftRuleset): NormalisedRuleset {
  return {
    tables: ruleset.tables.map((t) => ({
      family: t.family,
      name: t.name,
      chains: t.chains.map((c) => ({
        name: c.name,
        ...(c.base
          ? // No devices: nft 1.0.x leaves a netdev chain's device out of its JSON.
            { base: { type: c.base.type, hook: c.base.hook, priority: c.base.priority }, policy: c.policy ?? "accept" }
          : {}),
        rules: c.rules.map((r) => ({ items: r.items.map(item), comment: r.comment ?? null })),
      })),
      sets: t.sets.map((s) => ({
        name: s.name,
        map: s.map,
        // No key type: a `typeof` set lists its selector in text and its data type in JSON.
        dataType: s.typeof ? null : (s.dataType ?? null),
        // A set with a timeout has the timeout flag (text omits it, JSON lists it).
        // …and `dynamic` is printed in text only.
        flags: [...new Set([...s.flags, ...(s.timeout !== undefined ? ["timeout"] : [])])].filter((f) => f !== "dynamic").sort(),
        elements: s.elements.map(element),
      })),
    })),
  };
}

function item(i: NftRuleItem): unknown {
  switch (i.k) {
    case "match":
      return { k: "match", left: selector(i.left), op: i.op, right: value(i.right) };
    case "vmap":
      return { k: "vmap", key: selector(i.key), map: value(i.map) };
    case "verdict":
      return verdict(i);
    case "nat":
      return { k: "nat", kind: i.kind, family: i.family ?? null, to: i.to ?? null, flags: i.flags ?? [] };
    case "log": {
      const pairs: string[] = [];
      for (let n = 0; n + 1 < i.args.length; n += 2) {
        const key = i.args[n]!;
        const val = i.args[n + 1]!;
        // `flags tcp options flags ip options` (text) is `"flags": ["tcp options", "ip options"]` (JSON).
        for (const part of key === "flags" ? val.split(",") : [val]) pairs.push(`${key}=${part.trim()}`);
      }
      return { k: "log", args: pairs.sort() };
    }
    case "unknown":
      return { k: "unknown" };
    default:
      return { k: i.k, filters: i.filters };
  }
}

/** What a plain `reject` means: nft prints it without arguments in text and with them in JSON. */
const DEFAULT_REJECT = /^with (icmp|icmpv6|icmpx) port-unreachable$/;

function verdict(v: NftVerdict): unknown {
  let args = v.verdict === "reject" ? (v.args ?? []).filter((a) => a !== "type") : [];
  if (DEFAULT_REJECT.test(args.join(" "))) args = [];
  return { k: "verdict", verdict: v.verdict, target: v.target ?? null, args };
}

function selector(s: NftSelector): unknown {
  switch (s.k) {
    case "concat":
      return { k: "concat", parts: s.parts.map(selector) };
    case "binop":
      return { k: "binop", op: s.op, left: selector(s.left), right: value(s.right) };
    case "ct":
      return { k: "ct", key: s.key, dir: s.dir ?? null, family: s.family ?? null };
    default:
      return s;
  }
}

function value(v: NftValue): unknown {
  switch (v.k) {
    case "list":
      return { k: "list", items: v.items.map(value) };
    case "concat":
      return { k: "concat", parts: v.parts.map(value) };
    case "set":
      return { k: "set", elements: v.elements.map(element) };
    case "value":
      // 0x00000001 (text) is 1 (JSON).
      return /^0x[0-9a-f]+$/i.test(v.text) ? { k: "value", text: String(Number.parseInt(v.text, 16)) } : v;
    default:
      return v;
  }
}

function element(e: NftSetElement): unknown {
  const data = e.value === undefined ? null : e.value.k === "verdict" ? verdict(e.value) : value(e.value);
  return { key: value(e.key), value: data };
}
