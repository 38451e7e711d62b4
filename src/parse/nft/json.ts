/**
 * `nft -j list ruleset` (libnftables-json(5)) → the same NftRuleset the text form gives.
 *
 * The JSON form lists objects (`table`, `chain`, `set`, `map`, `rule`, …) in creation order; command
 * objects (`{"add": {…}}`, `{"flush": {"ruleset": null}}`, `insert`, `delete`, `create`) are applied in
 * order too. JSON carries no positions: every location is line 1, column 1 of the file with `path` set to
 * the RFC 6901 pointer of the element (`/nftables/7/rule/expr/2`). Expressions the model does not know are
 * kept as `unknown` items holding their JSON text. Never throws for bad content.
 */
import type { Diagnostic } from "../../model/diagnostic.js";
import type {
  NftChain,
  NftFamily,
  NftLocation,
  NftMatchOp,
  NftRule,
  NftRuleItem,
  NftRuleset,
  NftSelector,
  NftSet,
  NftSetElement,
  NftTable,
  NftValue,
  NftVerdict,
  NftVerdictKind,
} from "../../model/nft.js";
import { NFT_FAMILIES } from "../../model/nft.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (j: Json | undefined): j is Obj => typeof j === "object" && j !== null && !Array.isArray(j);
const only = (o: Obj): [string, Json] | null => {
  const keys = Object.keys(o);
  return keys.length === 1 ? [keys[0]!, o[keys[0]!]!] : null;
};
const str = (j: Json | undefined): string | undefined => (typeof j === "string" ? j : typeof j === "number" ? String(j) : undefined);

const VERDICTS = new Set<NftVerdictKind>(["accept", "drop", "continue", "return", "jump", "goto", "queue", "reject"]);
/** `!` is nft's "none of these flags" (`tcp flags ! fin,syn`): a negated match, as the text grammar reads it. */
const OPS: Record<string, NftMatchOp> = { "==": "==", in: "==", "!=": "!=", "!": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", eq: "==", ne: "!=" };

export function parseNftJson(text: string, file: string): NftRuleset {
  const diagnostics: Diagnostic[] = [];
  const at = (pointer: string): NftLocation => ({ file, line: 1, column: 1, path: pointer });
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    return { tables: [], files: [file], diagnostics: [{ kind: "syntax", message: `not JSON: ${(e as Error).message}`, location: { file, line: 1, column: 1 } }] };
  }
  const list = isObj(doc) ? doc.nftables : undefined;
  if (!Array.isArray(list)) {
    return { tables: [], files: [file], diagnostics: [{ kind: "syntax", message: 'expected an object with an "nftables" array (nft -j list ruleset)', location: at("") }] };
  }
  const tables: NftTable[] = [];
  const structure = (location: NftLocation, message: string): void => {
    diagnostics.push({ kind: "structure", message, location });
  };
  const findTable = (o: Obj): NftTable | undefined =>
    tables.find((t) => t.family === (str(o.family) ?? "ip") && t.name === str(o.table ?? o.name));

  list.forEach((entry, index) => {
    const pointer = `/nftables/${index}`;
    if (!isObj(entry)) return structure(at(pointer), "expected an object");
    const pair = only(entry);
    if (!pair) return structure(at(pointer), "expected an object with one key");
    let [verb, body] = pair;
    let base = pointer;
    let kind = verb;
    if (["add", "create", "insert", "delete", "destroy", "flush", "replace"].includes(verb)) {
      const inner = isObj(body) ? only(body) : null;
      if (!inner) return structure(at(pointer), `${verb}: expected one object`);
      [kind, body] = inner;
      base = `${pointer}/${verb}`;
    } else verb = "add";
    const loc = at(`${base}/${kind}`);
    if (kind === "metainfo") return;
    if (kind === "ruleset" && verb === "flush") {
      tables.splice(0, tables.length);
      return;
    }
    if (!isObj(body)) return structure(loc, `${kind}: expected an object`);
    const family = (str(body.family) ?? "ip") as NftFamily;
    if (!(NFT_FAMILIES as readonly string[]).includes(family)) return structure(loc, `unknown family "${family}"`);
    switch (kind) {
      case "table": {
        const name = str(body.name) ?? "";
        const existing = tables.find((t) => t.family === family && t.name === name);
        const flush = (t: NftTable): void => {
          for (const c of t.chains) c.rules = [];
        };
        const flags = body.flags;
        applyVerb(tables, existing, verb, flush, () => ({ family, name, chains: [], sets: [], flags: Array.isArray(flags) ? flags.map(String) : typeof flags === "string" ? [flags] : [], loc }));
        return;
      }
      case "chain": {
        const table = findTable(body);
        if (!table) return structure(loc, `chain: no table ${family} ${str(body.table)}`);
        const name = str(body.name) ?? "";
        const found = table.chains.find((c) => c.name === name);
        const chain = applyVerb(table.chains, found, verb, (c) => (c.rules = []), (): NftChain => ({ name, rules: [], loc }));
        if (!chain) return;
        if (str(body.hook) !== undefined) {
          const devs = body.dev ?? body.devs;
          const devices = Array.isArray(devs) ? devs.map(String) : str(devs) !== undefined ? [str(devs)!] : undefined;
          const prio = typeof body.prio === "number" ? body.prio : null;
          chain.base = {
            type: str(body.type) ?? "filter",
            hook: str(body.hook)!,
            priorityText: prio === null ? JSON.stringify(body.prio) : String(prio),
            priority: prio,
            ...(devices ? { devices } : {}),
            loc,
          };
          chain.policy = str(body.policy) ?? "accept";
        }
        if (str(body.comment) !== undefined) chain.comment = str(body.comment);
        return;
      }
      case "set":
      case "map": {
        const table = findTable(body);
        if (!table) return structure(loc, `${kind}: no table ${family} ${str(body.table)}`);
        const name = str(body.name) ?? "";
        const found = table.sets.find((s) => s.name === name);
        const create = (): NftSet => ({ name, map: kind === "map", keyType: typeList(body.type), flags: [], elements: [], loc });
        const set = applyVerb(table.sets, found, verb, (s) => (s.elements = []), create);
        if (!set) return;
        if (kind === "map" && body.map !== undefined) set.dataType = typeList(body.map).join(" . ");
        const flags = body.flags;
        if (Array.isArray(flags)) set.flags.push(...flags.map(String));
        else if (typeof flags === "string") set.flags.push(flags);
        if (body.timeout !== undefined) set.timeout = String(body.timeout);
        if (Array.isArray(body.elem)) set.elements.push(...body.elem.map((e, i) => element(e, at(`${base}/${kind}/elem/${i}`))));
        return;
      }
      case "element": {
        const table = findTable(body);
        const set = table?.sets.find((s) => s.name === str(body.name));
        if (!set) return structure(loc, `element: no set ${str(body.name)}`);
        const elems = Array.isArray(body.elem) ? body.elem.map((e, i) => element(e, at(`${base}/element/elem/${i}`))) : [];
        if (verb === "delete" || verb === "destroy") {
          const drop = new Set(elems.map((e) => JSON.stringify(e.key)));
          set.elements = set.elements.filter((e) => !drop.has(JSON.stringify(e.key)));
        } else set.elements.push(...elems);
        return;
      }
      case "rule": {
        const table = findTable(body);
        const chain = table?.chains.find((c) => c.name === str(body.chain));
        if (!chain) return structure(loc, `rule: no chain ${family} ${str(body.table)} ${str(body.chain)}`);
        if (verb === "delete" || verb === "destroy") {
          chain.rules = chain.rules.filter((r) => r.handle === undefined || r.handle !== body.handle);
          return;
        }
        const exprs = Array.isArray(body.expr) ? body.expr : [];
        const items = exprs.map((e, i) => statement(e, at(`${base}/rule/expr/${i}`)));
        const rule: NftRule = { items, understood: items.every((i) => i.k !== "unknown"), loc: items[0]?.loc ?? loc };
        if (str(body.comment) !== undefined) rule.comment = str(body.comment);
        if (typeof body.handle === "number") rule.handle = body.handle;
        if (verb === "insert") chain.rules.unshift(rule);
        else chain.rules.push(rule);
        return;
      }
      default:
        return; // flowtables, counters, quotas, ct helpers …: not part of the model
    }
  });
  return { tables, diagnostics, files: [file] };
}

/**
 * `delete`/`destroy` removes `found` from `list` and `flush` empties it (a missing object is no error in
 * `nft -j` output); both give null. Any other verb gives `found`, or the object `create` makes, added to `list`.
 */
function applyVerb<T>(list: T[], found: T | undefined, verb: string, flush: (o: T) => void, create: () => T): T | null {
  if (verb === "delete" || verb === "destroy") {
    if (found) list.splice(list.indexOf(found), 1);
    return null;
  }
  if (verb === "flush") {
    if (found) flush(found);
    return null;
  }
  if (found) return found;
  const made = create();
  list.push(made);
  return made;
}

function typeList(j: Json | undefined): string[] {
  if (Array.isArray(j)) return j.map(String);
  return j === undefined || j === null ? [] : [String(j)];
}

function element(e: Json, loc: NftLocation): NftSetElement {
  if (Array.isArray(e) && e.length === 2) {
    const key = element(e[0]!, loc);
    const data = e[1]!;
    const verdict = isObj(data) ? asVerdict(data, loc) : null;
    return { key: key.key, value: verdict ? stripLoc(verdict) : value(data) };
  }
  if (isObj(e) && isObj(e.elem)) {
    const inner = e.elem;
    const el = element(inner.val ?? null, loc);
    const options: string[] = [];
    for (const k of ["timeout", "expires"]) if (inner[k] !== undefined) options.push(`${k} ${String(inner[k])}`);
    if (inner.comment !== undefined) options.push(`comment "${String(inner.comment)}"`);
    return options.length ? { ...el, options } : el;
  }
  return { key: value(e) };
}

/** Verdicts inside map elements carry no location (the text grammar gives them none either). */
function stripLoc(v: NftVerdict): NftVerdict {
  const rest: Partial<NftVerdict> = { ...v };
  delete rest.loc;
  return rest as NftVerdict;
}

export function value(j: Json): NftValue {
  if (typeof j === "string") return j.startsWith("@") ? { k: "setref", name: j.slice(1) } : { k: "value", text: j };
  if (typeof j === "number" || typeof j === "boolean") return { k: "value", text: String(j) };
  if (Array.isArray(j)) return { k: "list", items: j.map(value) };
  if (isObj(j)) {
    const pair = only(j);
    if (pair) {
      const [k, b] = pair;
      if (k === "set") return { k: "set", elements: (Array.isArray(b) ? b : [b]).map((e) => element(e, { file: "", line: 1, column: 1 })) };
      if (k === "prefix" && isObj(b)) return { k: "value", text: `${str(b.addr)}/${str(b.len)}` };
      if (k === "range" && Array.isArray(b) && b.length === 2) return { k: "value", text: `${scalar(b[0]!)}-${scalar(b[1]!)}` };
      if (k === "concat" && Array.isArray(b)) return { k: "concat", parts: b.map(value) };
      if (k === "|" && Array.isArray(b)) return { k: "list", items: b.map(value) };
    }
  }
  return { k: "unknown", text: JSON.stringify(j) };
}

function scalar(j: Json): string {
  return typeof j === "string" || typeof j === "number" ? String(j) : JSON.stringify(j);
}

function selector(j: Json): NftSelector | null {
  if (!isObj(j)) return null;
  const pair = only(j);
  if (!pair) return null;
  const [k, b] = pair;
  if (k === "concat" && Array.isArray(b)) {
    const parts = b.map(selector);
    return parts.every((p) => p !== null) ? { k: "concat", parts: parts as NftSelector[] } : null;
  }
  if (["&", "|", "^"].includes(k) && Array.isArray(b) && b.length === 2) {
    const left = selector(b[0]!);
    return left ? { k: "binop", op: k, left, right: value(b[1]!) } : null;
  }
  if (!isObj(b)) return null;
  switch (k) {
    case "payload":
      return str(b.protocol) !== undefined ? { k: "payload", protocol: str(b.protocol)!, field: str(b.field) ?? "" } : null;
    case "meta":
      return { k: "meta", key: str(b.key) ?? "" };
    case "ct": {
      const sel: NftSelector = { k: "ct", key: str(b.key) ?? "" };
      if (str(b.dir) !== undefined) sel.dir = str(b.dir);
      if (str(b.family) !== undefined) sel.family = str(b.family);
      return sel;
    }
    case "fib":
      return { k: "fib", flags: Array.isArray(b.flags) ? b.flags.map(String) : typeList(b.flags), result: str(b.result) ?? "" };
    case "numgen": {
      const offset = typeof b.offset === "number" && b.offset !== 0 ? ` offset ${b.offset}` : "";
      return { k: "other", name: "numgen", key: `${str(b.mode) ?? ""} mod ${str(b.mod) ?? ""}${offset}` };
    }
    case "socket":
    case "osf":
    case "ipsec":
    case "rt":
      return { k: "other", name: k, key: str(b.key) ?? "" };
    default:
      return null;
  }
}

function asVerdict(o: Obj, loc: NftLocation): NftVerdict | null {
  const pair = only(o);
  if (!pair || !VERDICTS.has(pair[0] as NftVerdictKind)) return null;
  const [k, b] = pair;
  const verdict: NftVerdict = { k: "verdict", verdict: k as NftVerdictKind, loc };
  if ((k === "jump" || k === "goto") && isObj(b)) verdict.target = str(b.target);
  if (k === "reject" && isObj(b)) {
    const args = ["with", ...(str(b.type)?.split(" ") ?? [])];
    if (str(b.expr) !== undefined) args.push(str(b.expr)!);
    verdict.args = args;
  }
  if (k === "queue" && isObj(b)) verdict.args = Object.entries(b).flatMap(([key, v]) => [key, JSON.stringify(v)]);
  return verdict;
}

type ActionKind = "counter" | "log" | "limit" | "quota" | "notrack" | "set" | "dynset" | "flow";

/** JSON statements that are actions without arguments: the item kind, and whether they filter packets. */
const ACTIONS = new Map<string, { kind: ActionKind; filters: boolean }>([
  ["counter", { kind: "counter", filters: false }],
  ["limit", { kind: "limit", filters: true }],
  ["quota", { kind: "quota", filters: true }],
  ["notrack", { kind: "notrack", filters: false }],
  ...["mangle", "ct helper", "ct timeout", "ct expectation", "secmark", "synproxy"].map((name) => [name, { kind: "set", filters: false }] as const),
  ["flow", { kind: "flow", filters: false }],
  ["set", { kind: "dynset", filters: false }],
  ["map", { kind: "dynset", filters: false }],
]);

function statement(j: Json, loc: NftLocation): NftRuleItem {
  const unknown = (): NftRuleItem => ({ k: "unknown", text: JSON.stringify(j), loc });
  if (!isObj(j)) return unknown();
  const pair = only(j);
  if (!pair) return unknown();
  const [k, b] = pair;
  // Raw payload expressions (`@nh,8,8`) are not modelled in either input form.
  if (JSON.stringify(b).includes('"base":')) return unknown();
  const verdict = asVerdict(j, loc);
  if (verdict) return verdict;
  const action = (kind: ActionKind, filters: boolean, args: string[] = []): NftRuleItem => ({ k: kind, filters, args, loc });
  const plain = ACTIONS.get(k);
  if (plain) return action(plain.kind, plain.filters);
  switch (k) {
    case "match": {
      if (!isObj(b)) return unknown();
      const left = selector(b.left ?? null);
      const op = OPS[str(b.op) ?? ""];
      if (!left || !op) return unknown();
      return { k: "match", left, op, right: value(b.right ?? null), loc };
    }
    case "vmap": {
      if (!isObj(b)) return unknown();
      const key = selector(b.key ?? null);
      return key ? { k: "vmap", key, map: value(b.data ?? null), loc } : unknown();
    }
    case "log":
      return action("log", false, isObj(b) ? Object.entries(b).flatMap(([key, v]) => (Array.isArray(v) ? v.flatMap((x) => [key, String(x)]) : [key, String(v)])) : []);
    case "dnat":
    case "snat":
    case "masquerade":
    case "redirect": {
      const nat: NftRuleItem = { k: "nat", kind: k, loc };
      if (isObj(b)) {
        if (str(b.family) !== undefined) nat.family = str(b.family);
        const addr = b.addr === undefined ? "" : typeof b.addr === "string" ? (b.addr.includes(":") && b.port !== undefined ? `[${b.addr}]` : b.addr) : JSON.stringify(b.addr);
        if (b.addr !== undefined || b.port !== undefined) nat.to = b.port !== undefined ? `${addr}:${String(b.port)}` : addr;
        const flags = b.flags;
        if (flags !== undefined) nat.flags = Array.isArray(flags) ? flags.map(String) : [String(flags)];
      }
      return nat;
    }
    default:
      return unknown();
  }
}

export type { NftChain };
