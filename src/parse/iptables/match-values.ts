/**
 * The values of a rule's matches, normalised for the analysis: `-s`/`-d` address lists, and the port
 * sets, conntrack states and address ranges the known match modules give (`ports`, `conntrack`,
 * `ipRange` of the Rule). A value iptables rejects abandons the line (rule-errors.ts).
 */
import type { AddressMatch, IpFamily, IpRangeMatch, MatchOption, PortSet, Rule, RulePorts, StateSet } from "../../model/iptables.js";
import { addressValue, parseAddress, rangeToPrefixes } from "./addresses.js";
import { intersectStateSets, parseStates } from "./conntrack-states.js";
import { PORT_MODULES, specName } from "./extensions.js";
import { compact, intern, internedValue } from "./interning.js";
import { intersectPortSets, parsePorts } from "./ports.js";
import { fail } from "./rule-errors.js";

export function addressMatch(value: string, negated: boolean, family: IpFamily, col: number): AddressMatch {
  const kind = family === "ipv4" ? (negated ? "a4!" : "a4") : negated ? "a6!" : "a6";
  const known = internedValue<AddressMatch>(kind, value);
  if (known) return known;
  const parts = value.split(",");
  if (negated && parts.length > 1) fail(col, "! not allowed with multiple source or destination IP addresses");
  const prefixes: string[] = [];
  const hostnames: string[] = [];
  const otherFamily: string[] = [];
  const nonContiguous: string[] = [];
  for (const part of parts) {
    const a = parseAddress(part, family);
    if (a.error) fail(col, a.error);
    if (a.prefix) prefixes.push(a.prefix);
    else if (a.hostname) hostnames.push(a.hostname);
    else if (a.otherFamily) otherFamily.push(a.otherFamily);
    else if (a.nonContiguous) nonContiguous.push(a.nonContiguous);
  }
  return intern(kind, value, () => ({
    prefixes: compact(prefixes),
    negated,
    written: value,
    hostnames: compact(hostnames),
    otherFamily: compact(otherFamily),
    nonContiguous: compact(nonContiguous),
  }));
}

/** Fill `ports`, `conntrack` and `ipRange` from the known matches; value errors reject the rule. */
export function normaliseMatches(rule: Rule, family: IpFamily): void {
  let sport: PortSet | null = null;
  let dport: PortSet | null = null;
  let either: PortSet | null = null;
  let states: StateSet | null = null;
  let src: IpRangeMatch | null = null;
  let dst: IpRangeMatch | null = null;
  const addPorts = (cur: PortSet | null, o: MatchOption, list: boolean): PortSet => {
    const text = o.values[0]!;
    const kind = list ? (o.negated ? "P,!" : "P,") : o.negated ? "P!" : "P";
    let set = internedValue<PortSet>(kind, text);
    if (!set) {
      const p = parsePorts(text, list);
      if (p.error) fail(o.location.column, p.error);
      if (list && p.count > 15) fail(o.location.column, "too many ports specified (multiport takes at most 15; a range counts as 2)");
      set = intern(kind, text, (): PortSet => ({ ranges: p.ranges, negated: o.negated, unresolved: p.unresolved }));
    }
    return cur ? intersectPortSets(cur, set) : set;
  };
  // Indexed loops: empty lists are one shared frozen array, and for…of over a frozen array allocates per step.
  for (let i = 0; i < rule.matches.length; i++) {
    const m = rule.matches[i]!;
    const module = specName(m.module);
    for (let j = 0; j < m.options.length; j++) {
      const o = m.options[j]!;
      if (o.values.length === 0) continue; // arity already checked for known modules
      if (PORT_MODULES.has(module)) {
        if (o.name === "sport") sport = addPorts(sport, o, false);
        else if (o.name === "dport") dport = addPorts(dport, o, false);
      } else if (module === "multiport") {
        if (o.name === "sports") sport = addPorts(sport, o, true);
        else if (o.name === "dports") dport = addPorts(dport, o, true);
        else if (o.name === "ports") either = addPorts(either, o, true);
      } else if ((module === "state" && o.name === "state") || (module === "conntrack" && o.name === "ctstate")) {
        const kind = module === "state" ? (o.negated ? "Ss!" : "Ss") : o.negated ? "Sc!" : "Sc";
        let set = internedValue<StateSet>(kind, o.values[0]!);
        if (!set) {
          const s = parseStates(o.values[0]!, module === "conntrack");
          if (s.error) fail(o.location.column, s.error);
          set = intern(kind, o.values[0]!, (): StateSet => ({ states: s.states, negated: o.negated }));
        }
        states = states ? intersectStateSets(states, set) : set;
      } else if (module === "iprange" && (o.name === "src-range" || o.name === "dst-range")) {
        const r = ipRange(o, family);
        if (o.name === "src-range") src = r;
        else dst = r;
      }
    }
  }
  if (sport || dport || either) {
    const [a, b, c] = [sport, dport, either] as Array<PortSet | null>;
    // Intern the record by the identity of its (interned or fresh) parts.
    rule.ports = a && !b && !c ? portsOnly(a, "s") : !a && b && !c ? portsOnly(b, "d") : { sport, dport, either };
  }
  rule.conntrack = states;
  if (src || dst) rule.ipRange = { source: src, destination: dst };
}

const portsRecords = new WeakMap<PortSet, { s?: RulePorts; d?: RulePorts }>();

/** One shared `{sport, dport, either}` record per interned PortSet for the common single-field case. */
function portsOnly(set: PortSet, field: "s" | "d"): RulePorts {
  if (!Object.isFrozen(set)) return field === "s" ? { sport: set, dport: null, either: null } : { sport: null, dport: set, either: null };
  let entry = portsRecords.get(set);
  if (!entry) portsRecords.set(set, (entry = {}));
  return (entry[field] ??= Object.freeze(field === "s" ? { sport: set, dport: null, either: null } : { sport: null, dport: set, either: null }));
}

function ipRange(o: MatchOption, family: IpFamily): IpRangeMatch {
  const text = o.values[0]!;
  const dash = text.indexOf("-");
  const fromText = dash < 0 ? text : text.slice(0, dash);
  const toText = dash < 0 ? text : text.slice(dash + 1);
  const from = addressValue(fromText, family);
  const to = addressValue(toText, family);
  if (from === null || to === null) fail(o.location.column, `invalid ${family === "ipv4" ? "IPv4" : "IPv6"} range ${JSON.stringify(text)}`);
  return {
    from: fromText,
    to: toText,
    prefixes: from <= to ? rangeToPrefixes(from, to, family) : [],
    negated: o.negated,
  };
}
