/**
 * The packets the firewall analysis follows, and how one rule's matches judge them. Everything about a
 * packet is fixed except one address (the remote peer), which stays symbolic: a rule's verdict on the
 * packet is a pair of address sets —
 *   `surely`: peers for which the rule matches whatever the undecidable parts do;
 *   `maybe`:  peers for which the rule may match (a superset).
 * A match that cannot be decided offline (an ipset, a mark, an interface name, …) makes `surely` empty
 * and `maybe` everything: the analysis assumes it may match either way, and records that assumption.
 */
import type { IpFamily, PortSet, Rule } from "../../model/iptables.js";
import { AddressSet } from "../address-set.js";

export interface PacketTemplate {
  /** inbound: the peer is the source (INPUT path); outbound: the peer is the destination (OUTPUT path). */
  direction: "inbound" | "outbound";
  protocol: "udp" | "tcp";
  /** Fixed ports, or null when the port is arbitrary (an attacker picks any source port). */
  sport: number | null;
  dport: number | null;
  /**
   * Conntrack state of the packet when nothing untracks it. In the raw table conntrack has not run
   * yet, and every packet is INVALID there.
   */
  state: "NEW" | "ESTABLISHED" | "INVALID";
}

export interface MatchContext {
  family: IpFamily;
  packet: PacketTemplate;
  /** Peers whose packets may have been made UNTRACKED by a raw-table NOTRACK / CT --notrack rule. */
  untracked: AddressSet;
  /** Peers whose packets surely were (a subset of `untracked`). */
  untrackedSure: AddressSet;
  /** The packet's destination port was rewritten by DNAT/REDIRECT (ctstate DNAT). */
  dnat: "no" | "maybe" | "yes";
}

export interface RuleMatch {
  surely: AddressSet;
  maybe: AddressSet;
  /** Why `maybe` is larger than `surely`, in words (empty when the rule is decided exactly). */
  undecided: string[];
}

type Tri = "yes" | "no" | "unknown";

/** Modules whose options the analysis models exactly (everything else is undecidable). */
const MODELLED_MODULES = new Set(["udp", "tcp", "udplite", "sctp", "dccp", "icmp", "icmp6", "multiport", "conntrack", "state", "iprange", "comment", "addrtype"]);

/** Conntrack options other than --ctstate are not modelled. */
const CONNTRACK_STATE_OPTIONS = new Set(["ctstate", "state"]);

export function evaluateRule(rule: Rule, ctx: MatchContext): RuleMatch {
  const all = AddressSet.all(ctx.family);
  const none = AddressSet.empty(ctx.family);
  const undecided: string[] = [];
  // The verdict of everything except the peer address and the conntrack state (decided per peer below).
  const scalar: { value: Tri } = { value: "yes" };
  const decidedNo = (): boolean => scalar.value === "no";
  const and = (t: Tri, why?: string): void => {
    if (t === "no") scalar.value = "no";
    else if (t === "unknown" && scalar.value !== "no") {
      scalar.value = "unknown";
      if (why) undecided.push(why);
    }
  };

  // Scalar parts first: most rules of a large ruleset are decided "no" here, without set algebra.
  and(protocolMatches(rule, ctx.packet.protocol));
  if (decidedNo()) return { surely: none, maybe: none, undecided: [] };
  const { sport, dport, either } = rule.ports;
  and(portMatches(sport, ctx.packet.sport), `source port ${describePorts(sport)}: the peer chooses its source port`);
  and(portMatches(dport, ctx.packet.dport), `destination port ${describePorts(dport)}`);
  if (either) {
    const t = or(portMatches(either, ctx.packet.sport), portMatches(either, ctx.packet.dport));
    and(t, `multiport --ports ${describePorts(either)}`);
  }
  if (decidedNo()) return { surely: none, maybe: none, undecided: [] };

  const localIface = ctx.packet.direction === "inbound" ? rule.inInterface : rule.outInterface;
  if (localIface) and(interfaceMatches(localIface), `interface ${localIface.negated ? "! " : ""}${localIface.name}: the arrival interface is not known offline`);
  const otherIface = ctx.packet.direction === "inbound" ? rule.outInterface : rule.inInterface;
  if (otherIface) and("unknown", `interface ${otherIface.name}`);
  if (rule.fragment) and("unknown", "-f (fragments)");

  // Matches on the local address (the destination of inbound packets, the source of outbound ones).
  const local = ctx.packet.direction === "inbound" ? rule.destination : rule.source;
  if (local) and(coversAll(local.prefixes, local.negated, local.hostnames.length > 0), `${ctx.packet.direction === "inbound" ? "-d" : "-s"} ${local.written}: the host's own addresses are not in the dump`);
  const localRange = ctx.packet.direction === "inbound" ? rule.ipRange.destination : rule.ipRange.source;
  if (localRange) and(coversAll(localRange.prefixes, localRange.negated, false), `iprange ${localRange.from}-${localRange.to} on the host's own address`);

  const states = rule.conntrack;

  for (const m of rule.matches) {
    if (!MODELLED_MODULES.has(m.module)) {
      and("unknown", `-m ${m.module}${m.options[0] ? ` --${m.options[0].name}` : ""}: ${unknownModuleReason(m.module)}; assumed to match`);
      continue;
    }
    if (m.module === "conntrack") {
      for (const o of m.options) if (!CONNTRACK_STATE_OPTIONS.has(o.name)) and("unknown", `-m conntrack --${o.name}: not modelled; assumed to match`);
    }
    if (m.module === "addrtype") {
      for (const o of m.options) and(addrtypeMatches(o.name, o.values[0] ?? "", o.negated, ctx), `-m addrtype --${o.name} ${o.values.join(" ")}: address types of the host are not in the dump`);
    }
    if (m.module === "tcp" || m.module === "udp") {
      for (const o of m.options) {
        if (o.name === "sport" || o.name === "dport") continue;
        // A new connection's first packet is a SYN: --syn (and --tcp-flags asking for it) decide nothing else.
        and("unknown", `--${o.name}`);
      }
    }
  }
  if (decidedNo()) return { surely: none, maybe: none, undecided: [] };

  // The peer address: exact sets.
  let surely = scalar.value === "yes" ? all : none;
  let maybe = all;
  const peer = ctx.packet.direction === "inbound" ? rule.source : rule.destination;
  if (peer) {
    let set = AddressSet.of(ctx.family, peer.prefixes);
    const unknownNames = peer.hostnames.length > 0 || peer.nonContiguous.length > 0;
    if (peer.negated) set = set.complement();
    if (unknownNames) {
      undecided.push(`${peer.negated ? "! " : ""}${ctx.packet.direction === "inbound" ? "-s" : "-d"} ${peer.written}: host names and non-contiguous masks are not resolved offline`);
      // Known prefixes decide surely (positive) or maybe (negated); the unknown part may be anything.
      surely = surely.intersect(peer.negated ? none : set);
      maybe = maybe.intersect(peer.negated ? set : all);
    } else {
      surely = surely.intersect(set);
      maybe = maybe.intersect(set);
    }
  }
  const peerRange = ctx.packet.direction === "inbound" ? rule.ipRange.source : rule.ipRange.destination;
  if (peerRange) {
    let set = AddressSet.of(ctx.family, peerRange.prefixes);
    if (peerRange.negated) set = set.complement();
    surely = surely.intersect(set);
    maybe = maybe.intersect(set);
  }
  if (states) {
    const { surely: s, maybe: m } = stateSets(states.states, states.negated, ctx);
    surely = surely.intersect(s);
    maybe = maybe.intersect(m);
  }
  return { surely, maybe, undecided };
}

function or(a: Tri, b: Tri): Tri {
  if (a === "yes" || b === "yes") return "yes";
  if (a === "unknown" || b === "unknown") return "unknown";
  return "no";
}

function protocolMatches(rule: Rule, protocol: "udp" | "tcp"): Tri {
  const p = rule.protocol;
  if (!p) return "yes";
  const number = protocol === "udp" ? 17 : 6;
  const same = p.value === protocol || p.number === number || p.value === "all" || p.number === 0;
  // `-p all` matches every protocol; `! -p all` matches none.
  return same !== p.negated ? "yes" : "no";
}

/** Does a port set match a fixed port (or an arbitrary one when `port` is null)? */
function portMatches(set: PortSet | null, port: number | null): Tri {
  if (!set) return "yes";
  if (set.unresolved.length > 0) return "unknown";
  if (port === null) {
    const covered = set.ranges.reduce((n, [lo, hi]) => n + (hi - lo + 1), 0);
    if (covered === 0) return set.negated ? "yes" : "no";
    if (covered >= 65536) return set.negated ? "no" : "yes";
    return "unknown";
  }
  const inside = set.ranges.some(([lo, hi]) => lo <= port && port <= hi);
  return inside !== set.negated ? "yes" : "no";
}

function describePorts(set: PortSet | null): string {
  if (!set) return "any";
  const list = set.ranges.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}:${hi}`)).join(",");
  return `${set.negated ? "! " : ""}${list}${set.unresolved.length ? ` ${set.unresolved.join(",")}` : ""}`;
}

/** The packet arrives on (inbound) or leaves through (outbound) some interface other than loopback. */
function interfaceMatches(iface: { name: string; wildcard: boolean; prefix: string; negated: boolean }): Tri {
  let t: Tri;
  if (iface.wildcard && iface.prefix === "") t = "yes"; // `-i +` matches every interface
  else if (!iface.wildcard && iface.name === "lo") t = "no";
  else t = "unknown";
  if (!iface.negated) return t;
  return t === "yes" ? "no" : t === "no" ? "yes" : "unknown";
}

function coversAll(prefixes: string[], negated: boolean, hasUnknown: boolean): Tri {
  if (hasUnknown) return "unknown";
  const family = prefixes.some((p) => p.includes(":")) ? "ipv6" : "ipv4";
  const set = AddressSet.of(family, prefixes);
  if (set.isAll()) return negated ? "no" : "yes";
  if (set.isEmpty()) return negated ? "yes" : "no";
  return "unknown";
}

function addrtypeMatches(option: string, value: string, negated: boolean, ctx: MatchContext): Tri {
  const types = value.toUpperCase().split(",");
  const localSide = (option === "dst-type") === (ctx.packet.direction === "inbound");
  // A packet to this host is addressed to one of its own addresses, a broadcast or a multicast address,
  // never to an unreachable/blackhole/prohibit route type; anything else is not known offline.
  const impossible = ["UNREACHABLE", "BLACKHOLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"];
  const t: Tri = localSide && types.length > 0 && types.every((x) => impossible.includes(x)) ? "no" : "unknown";
  if (!negated) return t;
  return t === "no" ? "yes" : "unknown";
}

/**
 * Peers for which a conntrack state set matches. A tracked packet is in the template's state (NEW or
 * ESTABLISHED), with the DNAT pseudo-state when its destination was rewritten; a peer that a raw-table
 * rule may have untracked may also be UNTRACKED. Each peer gets the set of possible outcomes: `surely`
 * when all are a match, `maybe` when one is.
 */
function stateSets(states: string[], negated: boolean, ctx: MatchContext): { surely: AddressSet; maybe: AddressSet } {
  const matches = (present: string[]): boolean => present.some((st) => states.includes(st)) !== negated;
  const tracked: boolean[] = [];
  if (ctx.dnat !== "yes") tracked.push(matches([ctx.packet.state]));
  if (ctx.dnat !== "no") tracked.push(matches([ctx.packet.state, "DNAT"]));
  const untracked = matches(["UNTRACKED"]);
  // Three kinds of peers: surely untracked, maybe untracked, tracked.
  const groups: Array<[AddressSet, boolean[]]> = [
    [ctx.untrackedSure, [untracked]],
    [ctx.untracked.subtract(ctx.untrackedSure), [...tracked, untracked]],
    [ctx.untracked.complement(), tracked],
  ];
  let surely = AddressSet.empty(ctx.family);
  let maybe = AddressSet.empty(ctx.family);
  for (const [peers, outcomes] of groups) {
    if (outcomes.every(Boolean)) surely = surely.union(peers);
    if (outcomes.some(Boolean)) maybe = maybe.union(peers);
  }
  return { surely, maybe };
}

function unknownModuleReason(module: string): string {
  switch (module) {
    case "set":
      return "the ipset's members are not in the dump";
    case "recent":
    case "hashlimit":
    case "limit":
    case "connlimit":
      return "depends on traffic history and rates";
    case "mark":
    case "connmark":
      return "depends on marks set at run time";
    case "u32":
    case "string":
    case "bpf":
    case "length":
      return "depends on packet contents";
    case "statistic":
      return "matches a random or periodic share of packets";
    case "owner":
      return "only meaningful for locally generated packets";
    default:
      return "not modelled offline";
  }
}
