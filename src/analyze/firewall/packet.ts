/**
 * The packets the firewall analysis follows, and how one rule's predicates judge them. Everything
 * about a packet is fixed except one address (the remote peer), which stays symbolic: a rule's verdict
 * on the packet is a pair of address sets —
 *   `surely`: peers for which the rule matches whatever the undecidable parts do;
 *   `maybe`:  peers for which the rule may match (a superset).
 * A predicate that cannot be decided offline (an ipset, a mark, an interface name, …) makes `surely`
 * empty and `maybe` everything: the analysis assumes it may match either way, and records that
 * assumption.
 */
import type { AnalysedFamily, NetfilterRule, PortRanges, Predicate } from "../../model/netfilter.js";
import { AddressSet } from "../address-set.js";

export interface PacketTemplate {
  /** inbound: the peer is the source (input path); outbound: the peer is the destination (output path). */
  direction: "inbound" | "outbound";
  protocol: "udp" | "tcp";
  /** Fixed ports, or null when the port is arbitrary (an attacker picks any source port). */
  sport: number | null;
  dport: number | null;
  /**
   * Conntrack state of the packet when nothing untracks it. Before conntrack (priority below -200)
   * every packet is INVALID.
   */
  state: "NEW" | "ESTABLISHED" | "INVALID";
}

export interface MatchContext {
  family: AnalysedFamily;
  packet: PacketTemplate;
  /** Peers whose packets may have been made UNTRACKED by a notrack rule before conntrack. */
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

const PROTOCOL_NUMBER = { udp: 17, tcp: 6 } as const;

export function evaluateRule(rule: NetfilterRule, ctx: MatchContext): RuleMatch {
  const none = AddressSet.empty(ctx.family);
  const undecided: string[] = [];
  // The verdict of everything except the peer address and the conntrack state (decided per peer below).
  const verdict: { scalar: Tri } = { scalar: "yes" };
  const and = (t: Tri, why?: string): void => {
    if (t === "no") verdict.scalar = "no";
    else if (t === "unknown" && verdict.scalar !== "no") {
      verdict.scalar = "unknown";
      if (why) undecided.push(why);
    }
  };
  const inbound = ctx.packet.direction === "inbound";
  const peerField = inbound ? "saddr" : "daddr";
  const peerPredicates: Predicate[] = [];

  // Scalar parts first: most rules of a large ruleset are decided "no" here, without set algebra.
  for (const p of rule.predicates) {
    switch (p.kind) {
      case "l4proto":
        and(p.protocols.includes(PROTOCOL_NUMBER[ctx.packet.protocol]) !== p.negated ? "yes" : "no");
        break;
      case "port":
        if (p.field === "sport") and(portMatches(p.ports, ctx.packet.sport), `source port ${describePorts(p.ports)}: the peer chooses its source port`);
        else if (p.field === "dport") and(portMatches(p.ports, ctx.packet.dport), `destination port ${describePorts(p.ports)}`);
        else and(or(portMatches(p.ports, ctx.packet.sport), portMatches(p.ports, ctx.packet.dport)), `multiport --ports ${describePorts(p.ports)}`);
        break;
      case "interface":
        if ((p.direction === "in") === inbound) and(interfaceMatches(p), `interface ${p.negated ? "! " : ""}${p.name}: the arrival interface is not known offline`);
        else and("unknown", `interface ${p.name}`);
        break;
      case "address":
        if (p.field === peerField) peerPredicates.push(p);
        else if (p.form === "range") and(coversAll(listedAddresses(p, ctx.family), p.negated, false), `${p.label} on the host's own address`);
        else and(coversAll(listedAddresses(p, ctx.family), p.negated, p.unresolved.length > 0), `${p.label}: the host's own addresses are not in the dump`);
        break;
      case "addrtype":
        and(addrtypeMatches(p.field, p.types, p.negated, inbound), `${p.label}: address types of the host are not in the dump`);
        break;
      case "undecidable":
        and("unknown", p.reason);
        break;
      case "ctstate":
        peerPredicates.push(p);
        break;
    }
    if (verdict.scalar === "no") return { surely: none, maybe: none, undecided: [] };
  }

  // The peer address and the conntrack state: exact sets.
  let surely = verdict.scalar === "yes" ? AddressSet.all(ctx.family) : none;
  let maybe = AddressSet.all(ctx.family);
  for (const p of peerPredicates) {
    if (p.kind === "ctstate") {
      const s = stateSets(p.states, p.negated, ctx);
      surely = surely.intersect(s.surely);
      maybe = maybe.intersect(s.maybe);
      continue;
    }
    if (p.kind !== "address") continue;
    const set = peerSet(p, ctx.family);
    if (p.unresolved.length > 0) {
      undecided.push(`${p.negated ? "! " : ""}${p.label}: host names and non-contiguous masks are not resolved offline`);
      // Known prefixes decide surely (positive) or maybe (negated); the unknown part may be anything.
      surely = surely.intersect(p.negated ? none : set);
      if (p.negated) maybe = maybe.intersect(set);
    } else {
      surely = surely.intersect(set);
      maybe = maybe.intersect(set);
    }
  }
  return { surely, maybe, undecided };
}

/** The addresses a peer-address predicate lists (negation applied), parsed once per predicate. */
const peerSets = new WeakMap<Predicate, AddressSet>();
const listedSets = new WeakMap<Predicate, AddressSet>();

type AddressPredicate = Extract<Predicate, { kind: "address" }>;

/** The addresses an address predicate lists (negation not applied), parsed once per predicate. */
export function listedAddresses(p: AddressPredicate, family: AnalysedFamily): AddressSet {
  let set = listedSets.get(p);
  if (!set || set.family !== family) {
    set = AddressSet.of(family, p.prefixes);
    listedSets.set(p, set);
  }
  return set;
}

/**
 * A front end that built the predicate from an address set hands it over, so that a 100,000-element
 * nft set is not parsed back from its CIDR strings. `set` must equal `p.prefixes`.
 */
export function rememberListedAddresses(p: AddressPredicate, set: AddressSet): void {
  listedSets.set(p, set);
}

function peerSet(p: AddressPredicate, family: AnalysedFamily): AddressSet {
  let set = peerSets.get(p);
  if (!set || set.family !== family) {
    set = listedAddresses(p, family);
    if (p.negated) set = set.complement();
    peerSets.set(p, set);
  }
  return set;
}

function or(a: Tri, b: Tri): Tri {
  if (a === "yes" || b === "yes") return "yes";
  if (a === "unknown" || b === "unknown") return "unknown";
  return "no";
}

/** Does a port set match a fixed port (or an arbitrary one when `port` is null)? */
function portMatches(set: PortRanges, port: number | null): Tri {
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

export function describePorts(set: PortRanges): string {
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

/** A match on the host's own address: decided only when it covers every address or none. */
function coversAll(set: AddressSet, negated: boolean, hasUnknown: boolean): Tri {
  if (hasUnknown) return "unknown";
  if (set.isAll()) return negated ? "no" : "yes";
  if (set.isEmpty()) return negated ? "yes" : "no";
  return "unknown";
}

function addrtypeMatches(field: "saddr" | "daddr", types: string[], negated: boolean, inbound: boolean): Tri {
  const localSide = (field === "daddr") === inbound;
  // A packet to this host is addressed to one of its own addresses, a broadcast or a multicast address,
  // never to an unreachable/blackhole/prohibit route type; anything else is not known offline.
  const impossible = ["UNREACHABLE", "BLACKHOLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"];
  const t: Tri = localSide && types.length > 0 && types.every((x) => impossible.includes(x)) ? "no" : "unknown";
  if (!negated) return t;
  return t === "no" ? "yes" : "unknown";
}

/**
 * Peers for which a conntrack state set matches. A tracked packet is in the template's state (NEW or
 * ESTABLISHED), with the DNAT pseudo-state when its destination was rewritten; a peer that a notrack
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
