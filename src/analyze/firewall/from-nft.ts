/**
 * The nftables front end of the firewall analysis: an nft ruleset (src/model/nft.ts, from the ruleset
 * language or `nft -j list ruleset`) as the neutral netfilter model (src/model/netfilter.ts), for one
 * analysed family.
 *
 * - Tables of family ip (IPv4), ip6 (IPv6) and inet (both) keep their base chains at their hooks and
 *   priorities. netdev ingress/egress chains and bridge chains also see the host's packets, before
 *   (ingress, bridge prerouting/input) or after (egress, bridge output/postrouting) every ip hook: they
 *   become prerouting/postrouting chains at priorities outside the ip range, and every rule of theirs
 *   gets an undecidable predicate (which interface or bridge port a packet crosses is not known
 *   offline); a drop policy becomes a last rule with the same predicate. arp tables see ARP only.
 * - A rule is a conjunction of matches; a match on a set is a disjunction. Sets of one kind of value
 *   (addresses, ports, protocols, states) become one predicate; concatenations (`ip saddr . udp dport
 *   @pairs`), interface lists and verdict maps become one neutral rule per alternative, in order, with
 *   the same verdict — exact for every verdict (a second jump into the same chain with the same packet
 *   ends the same way as the first).
 * - What is not modelled (marks, meta keys, packet contents, sets filled at run time, rate limits,
 *   statements the grammar keeps verbatim) becomes an undecidable predicate (listed as an assumption);
 *   a rule with a statement the grammar does not understand also gets an unknown verdict.
 * - A text file nft -f would refuse (a syntax error, a broken include) loads nothing: its tables are
 *   marked not loaded and a stand-in table with a chain on every hook says the kernel keeps whatever
 *   ruleset it had.
 */
import { evidenceText } from "../../model/diagnostic.js";
import type { SourceLocation } from "../../model/location.js";
import { type AnalysedFamily, type BaseChain, type ChainType, type Hook, type NetfilterChain, type NetfilterRule, type NetfilterRuleset, type NetfilterTable, type Predicate, type RuleOrigin, type Verdict, ACCEPT, CONTINUE, DROP, NOTRACK, REJECT, RETURN } from "../../model/netfilter.js";
import type { NftChain, NftLocation, NftMatchOp, NftRule, NftSelector, NftSet, NftSource, NftTable, NftValue, NftVerdict } from "../../model/nft.js";
import { AddressSet, type Interval } from "../address-set.js";
import { rememberListedAddresses } from "./packet.js";
import { renderBaseChain, renderRule, renderSelector, renderValue } from "./nft-render.js";
import { headerProtocol, addressElementRange, parseCtState, parseNumber, parsePortRange, parseProtocol } from "./nft-values.js";

export type { NftSource } from "../../model/nft.js";

/** Beyond this many alternatives per rule (concatenated sets × interface lists …) the rule is undecidable. */
const MAX_ALTERNATIVES = 10_000;

/** Where chains of the non-ip families sit relative to the ip hooks (outside every ip priority). */
const OUTSIDE_IP = { ingress: -1_000_000, bridgeIn: -500_000, bridgeOut: 500_000, egress: 1_000_000 } as const;

const IP_HOOKS: ReadonlySet<string> = new Set(["prerouting", "input", "forward", "output", "postrouting"]);

/** Diagnostics that make `nft -f` refuse the whole file (it loads atomically). */
const REFUSING: ReadonlySet<string> = new Set(["syntax", "include", "structure", "unreadable"]);

export function netfilterFromNft(source: NftSource, family: AnalysedFamily): NetfilterRuleset {
  const { ruleset } = source;
  const lines = new LineTexts(source.texts);
  const refusal = source.texts ? ruleset.diagnostics.find((d) => REFUSING.has(d.kind)) : undefined;
  const incomplete: NetfilterRuleset["incomplete"] = [];
  const tables: NetfilterTable[] = [];
  for (const table of ruleset.tables) {
    const converted = new TableConverter(table, family, lines, incomplete).convert();
    if (converted) tables.push({ ...converted, loaded: refusal === undefined });
  }
  if (refusal) {
    incomplete.push({
      reason:
        refusal.kind === "include"
          ? `an include could not be followed (${refusal.message}): what the file loads is not known`
          : `nft -f would refuse the file (${refusal.message}), and it loads all or nothing: the kernel keeps whatever ruleset it had`,
      location: plain(refusal.location),
    });
    tables.push(standIn(refusal.location));
  }
  if (!source.texts && ruleset.diagnostics.length > 0) {
    const d = ruleset.diagnostics[0]!;
    incomplete.push({ reason: `the JSON ruleset is not fully readable (${d.message})`, location: plain(d.location) });
  }
  return { family, file: source.file, tables, incomplete, empty: ruleset.tables.length === 0 && !refusal };
}

/** A table whose content is unknown, with a base chain on every ip hook (anything may happen there). */
function standIn(at: SourceLocation): NetfilterTable {
  const location = plain(at);
  const chains: NetfilterChain[] = [...IP_HOOKS].map((hook) => ({
    name: hook,
    location,
    base: { hook: hook as Hook, priority: 0, type: "filter", policy: null, policyLine: { location, text: "(the ruleset the kernel kept)" }, policyWritten: false },
    rules: [],
  }));
  return { family: "inet", name: "(ruleset before the refused file)", location, loaded: false, chains };
}

function plain(loc: SourceLocation): SourceLocation {
  return { file: loc.file, line: loc.line, column: loc.column };
}

/** Physical lines of the files read, split on first use. */
class LineTexts {
  private readonly split = new Map<string, string[]>();
  constructor(private readonly texts: ReadonlyMap<string, string> | undefined) {}

  /** The line at `loc` as written (leading blanks removed), or null for JSON input. */
  at(loc: NftLocation): string | null {
    if (!this.texts || loc.path !== undefined) return null;
    let lines = this.split.get(loc.file);
    if (!lines) {
      const text = this.texts.get(loc.file);
      if (text === undefined) return null;
      lines = text.split(/\r?\n/);
      this.split.set(loc.file, lines);
    }
    const line = lines[loc.line - 1];
    return line === undefined ? null : evidenceText(line.trim());
  }
}

// ---------------------------------------------------------------------------------------------------

/** Where a chain of the table goes in the model (null: it does not see IP packets of the host). */
interface Placement {
  hook: Hook;
  priority: number;
  /** A predicate every rule of the chain carries (netdev devices, bridge ports). */
  guard: Predicate | null;
}

type Alternatives = Predicate[][];
const ALL: Alternatives = [[]];
const NONE: Alternatives = [];
/** The neutral way to write "matches no packet" (and keep the rule's line in the model). */
const NEVER: Predicate = { kind: "l4proto", protocols: [], negated: false };

class TableConverter {
  private readonly chainNames: ReadonlySet<string>;
  private readonly sets: ReadonlyMap<string, NftSet>;
  /** Sets that rules add elements to at run time (`add @name …`, `update @name …`). */
  private readonly filledAtRunTime: ReadonlySet<string>;
  private readonly addressCache = new Map<string, { set: AddressSet; unresolved: string[] }>();

  constructor(
    private readonly table: NftTable,
    private readonly family: AnalysedFamily,
    private readonly lines: LineTexts,
    private readonly incomplete: NetfilterRuleset["incomplete"],
  ) {
    this.chainNames = new Set(table.chains.map((c) => c.name));
    this.sets = new Map(table.sets.map((s) => [s.name, s]));
    const filled = new Set<string>();
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        for (const item of rule.items) {
          if (item.k !== "set" && item.k !== "dynset") continue;
          for (const arg of item.args) if (arg.startsWith("@")) filled.add(arg.slice(1));
        }
      }
    }
    this.filledAtRunTime = filled;
  }

  convert(): Omit<NetfilterTable, "loaded"> | null {
    const t = this.table;
    if (t.family === "arp") return null; // ARP packets only: no rule there decides an IP datagram
    if ((t.family === "ip" && this.family !== "ipv4") || (t.family === "ip6" && this.family !== "ipv6")) return null;
    const chains: NetfilterChain[] = [];
    for (const chain of t.chains) {
      const placement = chain.base ? this.placement(chain) : null;
      if (chain.base && !placement) continue; // a bridge forward chain, an arp hook, …
      chains.push(this.convertChain(chain, placement));
    }
    return { family: t.family === "ip" || t.family === "ip6" ? t.family : "inet", name: t.name, location: plain(t.loc), chains };
  }

  private placement(chain: NftChain): Placement | null {
    const base = chain.base!;
    const family = this.table.family;
    let priority = base.priority;
    if (priority === null) {
      this.incomplete.push({
        reason: `chain ${this.table.family} ${this.table.name} ${chain.name}: priority ${base.priorityText} is not a number or a standard name, so where the chain runs is not known`,
        location: plain(base.loc),
      });
      priority = 0;
    }
    const guard = (what: string): Predicate => ({
      kind: "undecidable",
      reason: `${what}: which packets cross it is not known offline; assumed to match`,
    });
    const where = `${family} ${this.table.name} ${chain.name}`;
    if (family === "netdev" || (family === "inet" && (base.hook === "ingress" || base.hook === "egress"))) {
      const devices = base.devices?.length ? ` on ${base.devices.join(", ")}` : "";
      if (base.hook === "ingress") return { hook: "prerouting", priority: OUTSIDE_IP.ingress + priority, guard: guard(`${base.hook} chain ${where}${devices}`) };
      if (base.hook === "egress") return { hook: "postrouting", priority: OUTSIDE_IP.egress + priority, guard: guard(`${base.hook} chain ${where}${devices}`) };
      return null;
    }
    if (family === "bridge") {
      const g = guard(`bridge chain ${where} (frames that cross a bridge port)`);
      if (base.hook === "prerouting" || base.hook === "input") return { hook: "prerouting", priority: OUTSIDE_IP.bridgeIn + priority, guard: g };
      if (base.hook === "output" || base.hook === "postrouting") return { hook: "postrouting", priority: OUTSIDE_IP.bridgeOut + priority, guard: g };
      return null;
    }
    if (!IP_HOOKS.has(base.hook)) return null;
    return { hook: base.hook as Hook, priority, guard: null };
  }

  private convertChain(chain: NftChain, placement: Placement | null): NetfilterChain {
    const origin: RuleOrigin = { format: "nft", family: this.table.family, table: this.table.name, chain: chain.name };
    const rules: NetfilterRule[] = [];
    for (const rule of chain.rules) {
      for (const r of this.convertRule(rule, origin)) {
        rules.push(placement?.guard ? { ...r, predicates: [placement.guard, ...r.predicates] } : r);
      }
    }
    let base: BaseChain | null = null;
    if (chain.base && placement) {
      const spec = chain.base;
      const written = chain.policy !== undefined;
      const policy = chain.policy === "drop" ? "drop" : chain.policy === undefined || chain.policy === "accept" ? "accept" : null;
      const policyText = this.lines.at(spec.loc) ?? renderBaseChain(spec, chain.policy);
      const type: ChainType = spec.type === "nat" || spec.type === "route" ? spec.type : "filter";
      if (placement.guard) {
        // Only the guarded packets meet the policy: it becomes a last rule that carries the guard.
        if (policy !== "accept") {
          rules.push({
            location: plain(spec.loc), text: policyText, predicates: [placement.guard], verdict: policy === "drop" ? { kind: "drop" } : unknownVerdict(`policy ${chain.policy}`, true),
            verdictText: `policy ${chain.policy}`, needsConntrack: false, origin,
          });
        }
        base = { hook: placement.hook, priority: placement.priority, type, policy: "accept", policyLine: { location: plain(spec.loc), text: policyText }, policyWritten: false };
      } else {
        base = { hook: placement.hook, priority: placement.priority, type, policy, policyLine: { location: plain(spec.loc), text: written ? policyText : `${policyText} (no policy written: nft's default is accept)` }, policyWritten: written };
      }
    }
    return { name: chain.name, location: plain(chain.loc), base, rules, origin };
  }

  // -------------------------------------------------------------------------------------------------
  // Rules

  convertRule(rule: NftRule, origin: RuleOrigin): NetfilterRule[] {
    const location = plain(rule.loc);
    const text = this.lines.at(rule.loc) ?? evidenceText(renderRule(rule));
    let alts: Alternatives = ALL;
    let verdict: Verdict = CONTINUE;
    let verdictText = "";
    let vmap: Array<{ alts: Alternatives; verdict: Verdict; text: string }> | null = null;
    let needsConntrack = false;
    const unknown: string[] = [];
    for (const item of rule.items) {
      switch (item.k) {
        case "match":
          if (usesConntrack(item.left)) needsConntrack = true;
          alts = this.and(alts, this.match(item.left, item.op, item.right));
          break;
        case "vmap":
          if (usesConntrack(item.key)) needsConntrack = true;
          vmap = this.vmap(item.key, item.map);
          break;
        case "verdict":
          verdict = this.verdict(item);
          verdictText = renderValue(item);
          break;
        case "nat":
          needsConntrack = true;
          verdict = natVerdict(item.kind, item.to);
          verdictText = item.kind;
          break;
        case "notrack":
          verdict = NOTRACK;
          verdictText = "notrack";
          break;
        case "limit":
        case "quota":
          alts = this.and(alts, [[{ kind: "undecidable", reason: `${item.k} ${item.args.join(" ")}: depends on traffic rates; assumed to match`, rateLimit: item.k }]]);
          break;
        case "unknown":
          unknown.push(item.text);
          break;
        default:
          break; // counter, log, set updates: the packet goes on
      }
    }
    if (unknown.length > 0) {
      const what = evidenceText(unknown.join(" "));
      alts = this.and(alts, [[{ kind: "undecidable", reason: `${what}: not understood; assumed to match` }]]);
      verdict = unknownVerdict(`${what}: not understood; assumed it may accept, drop or go on`, false);
      verdictText = verdictText || what;
    }
    const make = (predicates: Predicate[], v: Verdict, vt: string): NetfilterRule => ({ location, text, predicates, verdict: v, verdictText: vt, needsConntrack, origin });
    const out: NetfilterRule[] = [];
    if (vmap && unknown.length === 0) {
      for (const entry of vmap) {
        for (const alt of this.and(alts, entry.alts)) out.push(make(alt, entry.verdict, entry.text));
      }
      if (out.length === 0) out.push(make([NEVER], CONTINUE, ""));
      return out;
    }
    if (alts.length === 0) return [make([NEVER], verdict, verdictText)];
    return alts.map((alt) => make(alt, verdict, verdictText));
  }

  private verdict(v: NftVerdict): Verdict {
    switch (v.verdict) {
      case "accept":
        return ACCEPT;
      case "drop":
        return DROP;
      case "reject":
        return REJECT;
      case "return":
        return RETURN;
      case "continue":
        return CONTINUE;
      case "jump":
      case "goto":
        if (!v.target || !this.chainNames.has(v.target)) return unknownVerdict(`${v.verdict} ${v.target ?? "?"}: no such chain in table ${this.table.name}`, false);
        return { kind: v.verdict, chain: v.target };
      case "queue":
        return unknownVerdict("queue: userspace decides; assumed it may accept or drop", true);
    }
  }

  /** `key vmap { element : verdict, … }` as one alternative set per element. */
  private vmap(key: NftSelector, map: NftValue): Array<{ alts: Alternatives; verdict: Verdict; text: string }> {
    const elements = map.k === "set" ? map.elements : map.k === "setref" ? this.resolvedSet(map.name)?.elements : undefined;
    if (!elements) {
      const what = `${renderSelector(key)} vmap ${renderValue(map)}`;
      return [{ alts: [[{ kind: "undecidable", reason: `${what}: the map's elements are not known offline; assumed to match` }]], verdict: unknownVerdict(`${what}: verdict from a map not known offline`, false), text: "vmap" }];
    }
    return elements.map((e) => {
      const v = e.value?.k === "verdict" ? this.verdict(e.value) : unknownVerdict(`${renderSelector(key)} vmap: element ${renderValue(e.key)} maps to no verdict`, false);
      return { alts: this.match(key, "==", e.key), verdict: v, text: e.value ? renderValue(e.value) : "?" };
    });
  }

  /** A named set whose elements are all known (null: no such set, or filled at run time). */
  private resolvedSet(name: string): NftSet | null {
    const set = this.sets.get(name);
    if (!set || this.filledAtRunTime.has(name) || set.flags.includes("dynamic") || set.flags.includes("timeout") || set.timeout !== undefined) return null;
    return set;
  }

  private and(a: Alternatives, b: Alternatives): Alternatives {
    if (a.length === 0 || b.length === 0) return NONE;
    if (a.length === 1 && b.length === 1) return [[...a[0]!, ...b[0]!]];
    if (a.length * b.length > MAX_ALTERNATIVES) {
      return [[{ kind: "undecidable", reason: `more than ${MAX_ALTERNATIVES} combinations of set elements in one rule; assumed to match` }]];
    }
    const out: Alternatives = [];
    for (const x of a) for (const y of b) out.push([...x, ...y]);
    return out;
  }

  // -------------------------------------------------------------------------------------------------
  // Matches

  private match(left: NftSelector, op: NftMatchOp, right: NftValue): Alternatives {
    const written = () => `${renderSelector(left)} ${op === "==" ? "" : `${op} `}${shortValue(right)}`;
    const undecidable = (why: string): Alternatives => [[{ kind: "undecidable", reason: `${written()}: ${why}; assumed to match` }]];
    if (left.k === "concat") return this.concatMatch(left, op, right, written, undecidable);
    const atoms = this.atoms(right);
    if (atoms === null) return undecidable("the set's elements are filled at run time or not in the ruleset");
    const field = classify(left);
    const negated = op === "!=";
    const equality = op === "==" || op === "!=";
    switch (field.kind) {
      case "address": {
        const guard = this.familyGuard(field.family);
        if (guard === NONE) return NONE;
        if (!equality) return undecidable("an ordered comparison of addresses is not modelled");
        const { set, unresolved } = this.addresses(right, atoms);
        // The CIDR list is printed only if something reads it: the walk works on the set itself.
        const predicate: Predicate = {
          kind: "address",
          field: field.field,
          get prefixes() {
            return set.toCidrs();
          },
          negated,
          unresolved,
          label: written(),
          form: "address",
        };
        rememberListedAddresses(predicate, set);
        return [[predicate]];
      }
      case "port": {
        const proto = field.protocol === null ? [] : [{ kind: "l4proto", protocols: [field.protocol], negated: false } as Predicate];
        const ranges: Array<[number, number]> = [];
        const unresolved: string[] = [];
        if (!equality) {
          const n = atoms.length === 1 && atoms[0]!.k === "value" ? parseNumber(atoms[0]!.text) : null;
          if (n === null) return undecidable("not modelled");
          const range = orderedRange(op, n);
          return [[...proto, { kind: "port", field: field.field, ports: { ranges: range ? [range] : [], negated: false, unresolved } }]];
        }
        for (const atom of atoms) {
          const r = atom.k === "value" ? parsePortRange(atom.text) : null;
          if (r) ranges.push(r);
          else unresolved.push(renderValue(atom));
        }
        return [[...proto, { kind: "port", field: field.field, ports: { ranges, negated, unresolved } }]];
      }
      case "l4proto": {
        const guard = field.family ? this.familyGuard(field.family) : ALL;
        if (guard === NONE) return NONE;
        if (!equality) return undecidable("an ordered comparison of protocols is not modelled");
        const protocols: number[] = [];
        for (const atom of atoms) {
          const n = atom.k === "value" ? parseProtocol(atom.text) : null;
          if (n === null) return undecidable(`protocol ${renderValue(atom)} is not known`);
          protocols.push(n);
        }
        return [[{ kind: "l4proto", protocols, negated }]];
      }
      case "nfproto": {
        if (!equality) return undecidable("not modelled");
        const names = atoms.map((a) => (a.k === "value" ? a.text : ""));
        const wanted = this.family === "ipv4" ? ["ipv4", "ip", "2", "0x0800"] : ["ipv6", "ip6", "10", "0x86dd"];
        return names.some((n) => wanted.includes(n)) !== negated ? ALL : NONE;
      }
      case "interface": {
        if (!equality) return undecidable("not modelled");
        const preds: Predicate[] = [];
        for (const atom of atoms) {
          if (atom.k !== "value") return undecidable("an interface set that is not a list of names");
          const wildcard = atom.text.endsWith("*");
          const prefix = wildcard ? atom.text.slice(0, -1) : atom.text;
          preds.push({ kind: "interface", direction: field.direction, name: atom.text, wildcard, prefix, negated });
        }
        // Any of the names; none of them.
        return negated ? [preds] : preds.map((p) => [p]);
      }
      case "ctstate": {
        if (!equality) return undecidable("not modelled");
        const states: string[] = [];
        for (const atom of atoms) {
          const s = atom.k === "value" ? parseCtState(atom.text) : null;
          if (s === null) return undecidable(`conntrack state ${renderValue(atom)} is not known`);
          states.push(s);
        }
        return [[{ kind: "ctstate", states, negated }]];
      }
      case "addrtype": {
        if (!equality) return undecidable("not modelled");
        const types = atoms.map((a) => (a.k === "value" ? a.text.toUpperCase() : "?"));
        return [[{ kind: "addrtype", field: field.field, types, negated, label: written() }]];
      }
      case "other": {
        const proto = field.protocol;
        const implied: Alternatives = proto === null ? ALL : [[{ kind: "l4proto", protocols: [proto], negated: false }]];
        const familyGuard = field.family ? this.familyGuard(field.family) : ALL;
        return this.and(this.and(implied, familyGuard), undecidable("not modelled offline"));
      }
    }
  }

  /** `ip saddr . udp dport { 192.0.2.1 . 123, … }`: one alternative per tuple. */
  private concatMatch(left: Extract<NftSelector, { k: "concat" }>, op: NftMatchOp, right: NftValue, written: () => string, undecidable: (why: string) => Alternatives): Alternatives {
    if (op !== "==") return undecidable("a negated or ordered match on a concatenation is not modelled");
    const atoms = this.atoms(right);
    if (atoms === null) return undecidable("the set's elements are filled at run time or not in the ruleset");
    if (atoms.length > MAX_ALTERNATIVES) return undecidable(`more than ${MAX_ALTERNATIVES} elements in a concatenated set`);
    const out: Alternatives = [];
    for (const atom of atoms) {
      if (atom.k !== "concat" || atom.parts.length !== left.parts.length) return undecidable(`element ${renderValue(atom)} does not have the key's shape`);
      let alts: Alternatives = ALL;
      for (let i = 0; i < left.parts.length; i++) alts = this.and(alts, this.match(left.parts[i]!, "==", atom.parts[i]!));
      out.push(...alts);
      if (out.length > MAX_ALTERNATIVES) return undecidable(`more than ${MAX_ALTERNATIVES} combinations of set elements`);
    }
    void written;
    return out;
  }

  /**
   * The addresses a set lists, as minimal CIDRs, in one sort (a blocklist set has 100,000 elements:
   * unioning them one by one would be quadratic); a named set is worked out once per table.
   */
  private addresses(right: NftValue, atoms: NftValue[]): { set: AddressSet; unresolved: string[] } {
    const cached = right.k === "setref" ? this.addressCache.get(right.name) : undefined;
    if (cached) return cached;
    const ranges: Interval[] = [];
    const unresolved: string[] = [];
    for (const atom of atoms) {
      const range = atom.k === "value" ? addressElementRange(atom.text, this.family) : null;
      if (range) ranges.push(range);
      else unresolved.push(renderValue(atom));
    }
    const set = AddressSet.fromRanges(this.family, ranges);
    const result = { set, unresolved };
    if (right.k === "setref") this.addressCache.set(right.name, result);
    return result;
  }

  /** Matches on a header of the other IP version never match; on this one, always (the header is there). */
  private familyGuard(family: AnalysedFamily): Alternatives {
    return family === this.family ? ALL : NONE;
  }

  /** The values a match compares with (sets flattened); null when a named set is not known offline. */
  private atoms(value: NftValue): NftValue[] | null {
    switch (value.k) {
      case "list":
        return value.items.flatMap((v) => this.atoms(v) ?? [{ k: "unknown", text: renderValue(v) } as NftValue]);
      case "set":
        return value.elements.map((e) => e.key);
      case "setref": {
        const set = this.resolvedSet(value.name);
        return set ? set.elements.map((e) => e.key) : null;
      }
      default:
        return [value];
    }
  }
}

/** What a selector looks at, as far as the neutral model can say. */
type Field =
  | { kind: "address"; field: "saddr" | "daddr"; family: AnalysedFamily }
  | { kind: "port"; field: "sport" | "dport"; protocol: number | null }
  | { kind: "l4proto"; family: AnalysedFamily | null }
  | { kind: "nfproto" }
  | { kind: "interface"; direction: "in" | "out" }
  | { kind: "ctstate" }
  | { kind: "addrtype"; field: "saddr" | "daddr" }
  | { kind: "other"; protocol: number | null; family: AnalysedFamily | null };

const PORT_HEADERS = new Set(["udp", "tcp", "th", "sctp", "dccp", "udplite"]);

function classify(s: NftSelector): Field {
  if (s.k === "payload") {
    const ipFamily = s.protocol === "ip" ? "ipv4" : s.protocol === "ip6" ? "ipv6" : null;
    if (ipFamily && (s.field === "saddr" || s.field === "daddr")) return { kind: "address", field: s.field, family: ipFamily };
    if (s.protocol === "ip" && s.field === "protocol") return { kind: "l4proto", family: "ipv4" };
    if (s.protocol === "ip6" && s.field === "nexthdr") return { kind: "l4proto", family: "ipv6" };
    if (PORT_HEADERS.has(s.protocol) && (s.field === "sport" || s.field === "dport")) return { kind: "port", field: s.field, protocol: headerProtocol(s.protocol) };
    return { kind: "other", protocol: headerProtocol(s.protocol), family: ipFamily };
  }
  if (s.k === "meta") {
    if (s.key === "l4proto") return { kind: "l4proto", family: null };
    if (s.key === "nfproto" || s.key === "protocol") return { kind: "nfproto" };
    if (s.key === "iif" || s.key === "iifname") return { kind: "interface", direction: "in" };
    if (s.key === "oif" || s.key === "oifname") return { kind: "interface", direction: "out" };
  }
  if (s.k === "ct" && s.key === "state" && s.dir === undefined) return { kind: "ctstate" };
  if (s.k === "fib" && s.result === "type" && s.flags.length === 1 && (s.flags[0] === "saddr" || s.flags[0] === "daddr")) {
    return { kind: "addrtype", field: s.flags[0] };
  }
  return { kind: "other", protocol: null, family: null };
}

function usesConntrack(s: NftSelector): boolean {
  if (s.k === "ct") return true;
  if (s.k === "concat") return s.parts.some(usesConntrack);
  if (s.k === "binop") return usesConntrack(s.left);
  return false;
}

function orderedRange(op: NftMatchOp, n: number): [number, number] | null {
  const [lo, hi] = op === "<" ? [0, n - 1] : op === "<=" ? [0, n] : op === ">" ? [n + 1, 65535] : [n, 65535];
  return lo <= hi && lo <= 65535 && hi >= 0 ? [Math.max(lo, 0), Math.min(hi, 65535)] : null;
}

/** A value for a message: a named set by name, a long anonymous set shortened. */
function shortValue(v: NftValue): string {
  const text = renderValue(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function unknownVerdict(reason: string, terminal: boolean): Verdict {
  return { kind: "unknown", terminal, reason };
}

/**
 * `dnat to 10.0.0.2:123`, `dnat ip to [2001:db8::1]:123`, `redirect to :123`: the new destination port
 * and whether the destination may be another host. snat and masquerade rewrite the source of a packet
 * already admitted (they end the nat chain like an accept).
 */
function natVerdict(kind: "dnat" | "snat" | "redirect" | "masquerade", to: string | undefined): Verdict {
  if (kind === "snat" || kind === "masquerade") return ACCEPT;
  const spec = (to ?? "").trim();
  if (kind === "redirect") {
    if (spec === "") return { kind: "dnat", ports: null, remoteAddress: false };
    const ports = portSpec(spec.replace(/^:/, ""));
    return ports ? { kind: "dnat", ports, remoteAddress: false } : unknownVerdict(`redirect to ${spec}: the new port is not known offline`, true);
  }
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.+))?$/.exec(spec);
  if (bracketed) port = bracketed[2];
  else if ((spec.match(/:/g) ?? []).length === 1) port = spec.slice(spec.indexOf(":") + 1);
  if (/\s|map|@|\$/.test(spec)) return unknownVerdict(`dnat to ${spec}: the new destination is not known offline`, true);
  if (port === undefined) return { kind: "dnat", ports: null, remoteAddress: true };
  const ports = portSpec(port);
  return ports ? { kind: "dnat", ports, remoteAddress: true } : unknownVerdict(`dnat to ${spec}: the new port is not known offline`, true);
}

function portSpec(text: string): [number, number] | null {
  return parsePortRange(text);
}
