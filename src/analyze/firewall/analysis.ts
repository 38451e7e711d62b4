/**
 * What a host's iptables/ip6tables dump means for NTP, per family:
 *  - inbound: from which source addresses a NEW UDP datagram to local port 123, arriving on a
 *    non-loopback interface, reaches the socket — walking the chains such a packet really traverses
 *    (raw, mangle and nat PREROUTING; mangle, filter and security INPUT), including packets sent to
 *    another port that DNAT/REDIRECT moves to 123;
 *  - upstreams: whether the host's own queries to its servers (OUTPUT, from port 123 to port 123) and
 *    their replies (INPUT, ESTABLISHED) get through;
 *  - shadowed rules: rules about UDP/123 that no such packet can reach.
 * Results are sound: `may_accept` over-approximates (undecidable matches are assumed to match, and the
 * assumption is listed), `must_accept` under-approximates.
 */
import type { Assumption, AssociationFact, FamilyFirewallFacts, RuleEvidence, ShadowedRuleFact, UpstreamPathFact } from "../../model/input.js";
import type { Chain, IpFamily, Rule, Ruleset, Table } from "../../model/iptables.js";
import { findTable } from "../../model/iptables.js";
import { AddressSet, LOOPBACK } from "../address-set.js";
import type { MatchContext, PacketTemplate } from "./packet.js";
import { standardEffect, TableWalker, type RuleVisit, type TargetEffect, type WalkObserver, type WalkOutcome } from "./walk.js";

export const NTP_PORT = 123;

/** At most this many "sent to another port, rewritten to 123" classes are followed (one per NAT rule). */
const MAX_REDIRECT_CLASSES = 16;

type Stage = readonly [table: string, chain: string];

const INBOUND_BEFORE_NAT: Stage[] = [["raw", "PREROUTING"], ["mangle", "PREROUTING"]];
const INBOUND_AFTER_NAT: Stage[] = [["mangle", "INPUT"], ["filter", "INPUT"], ["security", "INPUT"]];
const OUTBOUND: Stage[] = [["raw", "OUTPUT"], ["mangle", "OUTPUT"], ["nat", "OUTPUT"], ["filter", "OUTPUT"], ["security", "OUTPUT"]];

export interface FamilyAnalysis {
  facts: FamilyFirewallFacts;
  /** The exact sets, for the cross-layer facts. */
  mayAccept: AddressSet;
}

export function analyzeFamily(ruleset: Ruleset, trusted: AddressSet, associations: AssociationFact[]): FamilyAnalysis {
  const family = ruleset.family;
  const tables = usableTables(ruleset);
  const incomplete_reasons = ruleset.incomplete.map((r) => ({ reason: r.reason, location: r.location }));
  for (const [name, table] of tables) {
    if (table === "unknown") continue;
    const loop = findLoop(table);
    if (loop) {
      // The kernel refuses a ruleset whose chains jump in a circle (ELOOP): nothing of the table loads.
      tables.set(name, "unknown");
      incomplete_reasons.push({
        reason: `table ${name}: chains ${loop.chains.join(" → ")} jump in a loop, which the kernel refuses, so the table does not load`,
        location: loop.location,
      });
    }
  }
  for (const t of ruleset.tables) {
    if (t.committed && !t.loadable) {
      incomplete_reasons.push({ reason: `table ${t.name} has a line iptables-restore rejects, so the file does not load as written`, location: t.location });
    }
  }
  const complete = incomplete_reasons.length === 0;

  const conntrack = conntrackInUse(tables);
  const inbound = analyzeInbound(family, tables, complete, conntrack, trusted, "udp");
  const tcp = analyzeInbound(family, tables, complete, conntrack, trusted, "tcp");
  const filterTable = findTable(ruleset, "filter");
  const chainOf = (name: string): Chain | undefined => filterTable?.chains.find((c) => c.name === name);
  const policyOf = (name: string): "ACCEPT" | "DROP" | null => chainOf(name)?.policy ?? null;
  const policyLine = (name: string): { location: Chain["location"]; text: string } | null => {
    const chain = chainOf(name);
    return chain && chain.declared ? { location: chain.location, text: policyText(chain) } : null;
  };
  const input = findTable(ruleset, "filter")?.chains.find((c) => c.name === "INPUT");
  const mayAccept = inbound.mayAccept;
  const untrusted = mayAccept.subtract(trusted);

  return {
    mayAccept,
    facts: {
      file: ruleset.file,
      complete,
      incomplete_reasons,
      input_policy: input?.policy ?? null,
      input_policy_location: input && input.declared ? input.location : null,
      input_policy_text: input && input.declared ? policyText(input) : null,
      default_deny: input ? hasDefaultDeny(input) : false,
      ntp_inbound: {
        may_accept: mayAccept.toCidrs(),
        must_accept: inbound.mustAccept.toCidrs(),
        may_accept_untrusted: untrusted.toCidrs(),
        must_accept_untrusted: inbound.mustAccept.subtract(trusted).toCidrs(),
        untrusted_example: untrusted.exampleAddress(),
        accepted_by: inbound.acceptedBy,
        accepted_untrusted_by: inbound.acceptedUntrustedBy,
        rate_limited_by: inbound.rateLimitedBy,
        assumptions: inbound.assumptions,
      },
      upstreams: associations
        .filter((a) => a.address_kind !== "refclock" && ["server", "pool", "peer"].includes(a.mode))
        .filter((a) => a.address_kind === "hostname" || a.address_kind === family)
        .filter((a) => a.family === null || a.family === family)
        .map((a) => analyzeUpstream(family, tables, a, complete)),
      shadowed_rules: inbound.shadowed,
      forward_policy: policyOf("FORWARD"),
      output_policy: policyOf("OUTPUT"),
      forward_policy_line: policyLine("FORWARD"),
      output_policy_line: policyLine("OUTPUT"),
      loopback: input ? loopbackRules(input, family) : { accept_rule: null, spoofed_drop_rule: null },
      tcp_ntp_may_accept_untrusted: tcp.mayAccept.subtract(trusted).toCidrs(),
    },
  };
}

/** Tables iptables-restore would actually load; the others are "unknown" (nothing from them is applied). */
function usableTables(ruleset: Ruleset): Map<string, Table | "unknown"> {
  const out = new Map<string, Table | "unknown">();
  for (const name of ["raw", "mangle", "nat", "filter", "security"]) {
    const t = findTable(ruleset, name);
    if (t) out.set(name, t.committed && t.loadable ? t : "unknown");
  }
  return out;
}

interface InboundResult {
  mayAccept: AddressSet;
  mustAccept: AddressSet;
  acceptedBy: RuleEvidence[];
  acceptedUntrustedBy: RuleEvidence[];
  rateLimitedBy: RuleEvidence[];
  assumptions: Assumption[];
  shadowed: ShadowedRuleFact[];
}

function analyzeInbound(
  family: IpFamily,
  tables: Map<string, Table | "unknown">,
  complete: boolean,
  conntrack: Conntrack,
  trusted: AddressSet,
  protocol: "udp" | "tcp",
): InboundResult {
  const all = AddressSet.all(family);
  // Loopback sources arriving on another interface are martians the kernel drops before netfilter's INPUT.
  const peers = all.subtract(LOOPBACK[family]);
  const evidence = new EvidenceCollector(trusted);

  // Class A: datagrams sent to port 123 itself.
  const a = runInbound(family, tables, peers, NTP_PORT, evidence, true, conntrack, protocol);
  let mayAccept = a.accept;
  const mustAccept = complete ? peers.subtract(a.deny) : AddressSet.empty(family);

  // Classes B: datagrams sent to another port that a nat rule rewrites to 123.
  for (const port of redirectedPorts(tables)) {
    const b = runInbound(family, tables, peers, port, evidence, false, conntrack, protocol);
    mayAccept = mayAccept.union(b.accept);
  }
  return {
    mayAccept,
    mustAccept,
    acceptedBy: evidence.acceptedBy,
    acceptedUntrustedBy: evidence.acceptedUntrustedBy,
    rateLimitedBy: evidence.rateLimitedBy,
    assumptions: evidence.assumptions,
    shadowed: evidence.shadowed(),
  };
}

function runInbound(
  family: IpFamily,
  tables: Map<string, Table | "unknown">,
  peers: AddressSet,
  sentToPort: number,
  evidence: EvidenceCollector,
  primary: boolean,
  conntrack: Conntrack,
  protocol: "udp" | "tcp",
): { accept: AddressSet; deny: AddressSet } {
  const packet: PacketTemplate = { direction: "inbound", protocol, sport: null, dport: sentToPort, state: "NEW" };
  const ctx = newContext(family, packet);
  const effect = (rule: Rule, chains: Map<string, Chain>): TargetEffect => standardEffect(rule, chains, NTP_PORT, sentToPort);
  let live = peers;
  let deny = AddressSet.empty(family);

  const stage = ([tableName, chainName]: Stage, observer: WalkObserver): void => {
    const table = tables.get(tableName);
    if (!table) return;
    if (table === "unknown") {
      deny = deny.union(live);
      return;
    }
    // The nat table only sees tracked packets: untracked ones skip it, and when the dump does not show
    // that conntrack runs at all, both worlds are possible.
    const natSkips = tableName !== "nat" ? AddressSet.empty(family) : conntrack === "maybe" ? live : live.intersect(ctx.untracked);
    const entry = tableName === "nat" ? live.subtract(ctx.untrackedSure) : live;
    const out = walkTable(table, chainName, ctx, packet.state, effect, observer, entry, entry.subtract(deny));
    if (tableName === "nat") {
      if (sentToPort === NTP_PORT) {
        live = out.accept.union(out.translated).union(natSkips);
      } else {
        live = out.translated;
        deny = deny.union(out.accept).union(natSkips);
      }
      if (!out.translated.isEmpty()) ctx.dnat = sentToPort !== NTP_PORT ? "yes" : out.accept.isEmpty() && natSkips.isEmpty() ? "yes" : "maybe";
      ctx.packet = { ...ctx.packet, dport: NTP_PORT };
    } else {
      live = out.accept;
    }
    deny = deny.union(out.deny);
  };

  const observe = (tableName: string): WalkObserver => evidence.observer(tableName, primary);
  for (const s of INBOUND_BEFORE_NAT) stage(s, observe(s[0]));
  stage(["nat", "PREROUTING"], observe("nat"));
  if (sentToPort !== NTP_PORT && !tables.has("nat")) live = AddressSet.empty(family);
  for (const s of INBOUND_AFTER_NAT) stage(s, observe(s[0]));
  return { accept: live, deny };
}

/** A packet at the start of its path: nothing untracked it, no NAT rewrote it yet. */
function newContext(family: IpFamily, packet: PacketTemplate): MatchContext {
  return { family, packet, untracked: AddressSet.empty(family), untrackedSure: AddressSet.empty(family), dnat: "no" };
}

/** Walk one built-in chain of a table, in the conntrack state the packet has there. */
function walkTable(
  table: Table,
  chainName: string,
  ctx: MatchContext,
  state: PacketTemplate["state"],
  effect: (rule: Rule, chains: Map<string, Chain>) => TargetEffect,
  observer: WalkObserver,
  entry: AddressSet,
  entryMust: AddressSet,
): WalkOutcome {
  // Conntrack runs after the raw table: there every packet is still INVALID.
  ctx.packet = { ...ctx.packet, state: table.name === "raw" ? "INVALID" : state };
  return new TableWalker(table, ctx, effect, observer).walkBuiltin(chainName, entry, entryMust);
}

/** Ports other than 123 that some DNAT/REDIRECT rule may rewrite to 123. */
function redirectedPorts(tables: Map<string, Table | "unknown">): number[] {
  const nat = tables.get("nat");
  if (!nat || nat === "unknown") return [];
  const ports = new Set<number>();
  for (const chain of nat.chains) {
    for (const rule of chain.rules) {
      const t = rule.target;
      if (!t || (t.name !== "DNAT" && t.name !== "REDIRECT")) continue;
      const spec = t.options.find((o) => o.name === (t.name === "DNAT" ? "to-destination" : "to-ports"))?.values[0] ?? "";
      const portPart = t.name === "DNAT" ? /:(\d+(?:-\d+)?)$/.exec(spec)?.[1] : spec;
      if (!portPart) continue;
      const [lo, hi] = portPart.split(/[-:]/).map(Number) as [number, number | undefined];
      if (!(lo <= NTP_PORT && NTP_PORT <= (hi ?? lo))) continue;
      ports.add(representativePort(rule));
      if (ports.size >= MAX_REDIRECT_CLASSES) return [...ports];
    }
  }
  ports.delete(NTP_PORT);
  return [...ports].sort((x, y) => x - y);
}

/** A destination port (not 123) that the rule's own port match accepts. */
function representativePort(rule: Rule): number {
  const d = rule.ports.dport;
  if (!d || d.negated) {
    for (let p = 1; p < 65536; p++) if (p !== NTP_PORT && (!d || !d.ranges.some(([lo, hi]) => lo <= p && p <= hi))) return p;
    return 1;
  }
  for (const [lo, hi] of d.ranges) for (let p = lo; p <= hi && p < lo + 2; p++) if (p !== NTP_PORT) return p;
  return NTP_PORT;
}

function analyzeUpstream(family: IpFamily, tables: Map<string, Table | "unknown">, a: AssociationFact, complete: boolean): UpstreamPathFact {
  const target = a.address_kind === "hostname" ? AddressSet.all(family).subtract(LOOPBACK[family]) : AddressSet.of(family, [a.address]);
  const blockedBy: RuleEvidence[] = [];
  const collect = (tableName: string): WalkObserver => ({
    visit(v) {
      if (tableName !== "filter" && tableName !== "raw" && tableName !== "mangle" && tableName !== "security") return;
      if (v.effect.kind === "deny" && !v.reach.intersect(v.match.maybe).intersect(target).isEmpty()) {
        blockedBy.push(ruleEvidence(v.rule, v.rule.target?.name === "REJECT" ? "rejects" : "drops"));
      }
    },
    policy(chain, peersLeft) {
      if (chain.policy !== "ACCEPT" && !peersLeft.intersect(target).isEmpty()) {
        blockedBy.push({ location: chain.location, text: policyText(chain), effect: `policy ${chain.policy ?? "unknown"}` });
      }
    },
  });
  const run = (stages: Stage[], packet: PacketTemplate): { accept: AddressSet; deny: AddressSet } => {
    const ctx = newContext(family, packet);
    let live = target;
    let deny = AddressSet.empty(family);
    for (const [tableName, chainName] of stages) {
      const table = tables.get(tableName);
      if (!table) continue;
      if (table === "unknown") {
        deny = deny.union(live);
        continue;
      }
      const effect = (r: Rule, c: Map<string, Chain>): TargetEffect => standardEffect(r, c, NTP_PORT, packet.dport);
      const out = walkTable(table, chainName, ctx, packet.state, effect, collect(tableName), live, live.subtract(deny));
      live = tableName === "nat" ? out.accept.union(out.translated) : out.accept;
      deny = deny.union(out.deny);
    }
    return { accept: live, deny };
  };
  const query = run(OUTBOUND, { direction: "outbound", protocol: "udp", sport: NTP_PORT, dport: NTP_PORT, state: "NEW" });
  const reply = run([...INBOUND_BEFORE_NAT, ...INBOUND_AFTER_NAT], { direction: "inbound", protocol: "udp", sport: NTP_PORT, dport: NTP_PORT, state: "ESTABLISHED" });
  const through = query.accept.intersect(reply.accept);
  const surely = complete ? target.subtract(query.deny).subtract(reply.deny) : AddressSet.empty(family);
  const verdict = through.isEmpty() ? "blocked" : surely.contains(target) ? "open" : "partial";
  return { address: a.address, location: a.location, verdict, blocked_by: verdict === "open" ? [] : dedupe(blockedBy) };
}

/** Conntrack runs for this family ("yes"), or the dump does not show whether it does ("maybe"). */
type Conntrack = "yes" | "maybe";

/** A cycle in the jump graph of a table (-j and -g between user chains), if there is one. */
function findLoop(table: Table): { chains: string[]; location: Rule["location"] } | null {
  const byName = new Map(table.chains.map((c) => [c.name, c]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  let found: { chains: string[]; location: Rule["location"] } | null = null;
  const visit = (chain: Chain): void => {
    if (found) return;
    state.set(chain.name, "visiting");
    stack.push(chain.name);
    for (const rule of chain.rules) {
      const t = rule.target;
      if (!t || t.resolution !== "chain") continue;
      const next = byName.get(t.name);
      if (!next) continue;
      if (state.get(next.name) === "visiting") {
        found = { chains: [...stack.slice(stack.indexOf(next.name)), next.name], location: rule.location };
        return;
      }
      if (!state.has(next.name)) visit(next);
      if (found) return;
    }
    stack.pop();
    state.set(chain.name, "done");
  };
  for (const chain of table.chains) if (!state.has(chain.name)) visit(chain);
  return found;
}

const RATE_LIMIT_MODULES = new Set(["limit", "hashlimit", "recent", "connlimit"]);

/**
 * CIS loopback rules: `-A INPUT -i lo -j ACCEPT` (nothing else on the rule) and a DROP/REJECT of
 * loopback sources that do not come in on `lo` (`-A INPUT -s 127.0.0.0/8 -j DROP`).
 */
function loopbackRules(input: Chain, family: IpFamily): { accept_rule: RuleEvidence | null; spoofed_drop_rule: RuleEvidence | null } {
  const loopback = LOOPBACK[family];
  let accept: RuleEvidence | null = null;
  let drop: RuleEvidence | null = null;
  for (const rule of input.rules) {
    const t = rule.target?.name;
    const plain = rule.matches.every((m) => m.module === "comment") && !rule.protocol && !rule.destination && !rule.outInterface;
    if (!accept && t === "ACCEPT" && plain && !rule.source && rule.inInterface?.name === "lo" && !rule.inInterface.negated) {
      accept = ruleEvidence(rule, "accepts loopback traffic");
    }
    const fromLoopback = rule.source && !rule.source.negated && AddressSet.of(family, rule.source.prefixes).contains(loopback);
    const notOnLo = !rule.inInterface || (rule.inInterface.negated && rule.inInterface.name === "lo");
    if (!drop && (t === "DROP" || t === "REJECT") && plain && fromLoopback && notOnLo) {
      drop = ruleEvidence(rule, "drops loopback sources");
    }
  }
  return { accept_rule: accept, spoofed_drop_rule: drop };
}

/** Matches and targets that make the kernel track connections (and so run the nat table). */
const CONNTRACK_MATCHES = new Set(["state", "conntrack", "connmark", "connlimit", "connbytes", "connlabel", "helper", "cluster"]);
const CONNTRACK_TARGETS = new Set(["DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP", "CONNMARK", "CONNSECMARK"]);

/**
 * Whether the kernel tracks connections of this family. A rule that needs conntrack turns it on; with
 * none in the dump, something outside it (another table, another tool) may still have.
 */
function conntrackInUse(tables: Map<string, Table | "unknown">): Conntrack {
  for (const table of tables.values()) {
    if (table === "unknown") return "maybe";
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        if (rule.conntrack || rule.matches.some((m) => CONNTRACK_MATCHES.has(m.module))) return "yes";
        const t = rule.target;
        if (t && (CONNTRACK_TARGETS.has(t.name) || (t.name === "CT" && !t.options.some((o) => o.name === "notrack")))) return "yes";
      }
    }
  }
  return "maybe";
}

/** A built-in chain's policy line as written in iptables-save form. */
function policyText(chain: Chain): string {
  const counters = chain.counters ? ` [${chain.counters.packets}:${chain.counters.bytes}]` : "";
  return `:${chain.name} ${chain.policy ?? "-"}${counters}`;
}

/** Unconditional DROP/REJECT at the end of INPUT, or policy DROP. */
function hasDefaultDeny(input: Chain): boolean {
  if (input.policy === "DROP") return true;
  const last = input.rules.at(-1);
  if (!last || !last.target || (last.target.name !== "DROP" && last.target.name !== "REJECT")) return false;
  const onlyComments = last.matches.every((m) => m.module === "comment");
  return !last.protocol && !last.source && !last.destination && !last.inInterface && !last.outInterface && !last.fragment && onlyComments;
}

export function ruleEvidence(rule: Rule, effect: string): RuleEvidence {
  return { location: rule.location, text: rule.text, effect };
}

function dedupe(items: RuleEvidence[]): RuleEvidence[] {
  const seen = new Set<string>();
  return items.filter((e) => {
    const key = `${e.location.file}:${e.location.line}:${e.location.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Collects the rules that decide inbound NTP packets, the assumptions made, and shadowed NTP rules. */
class EvidenceCollector {
  readonly acceptedBy: RuleEvidence[] = [];
  readonly acceptedUntrustedBy: RuleEvidence[] = [];
  readonly rateLimitedBy: RuleEvidence[] = [];
  readonly assumptions: Assumption[] = [];
  private readonly shadowedRules = new Map<Rule, ShadowedRuleFact>();
  private readonly seenAccept = new Set<Rule>();
  private readonly seenAssumption = new Set<Rule>();
  constructor(private readonly trusted: AddressSet) {}

  /** Earlier rules per chain that decide packets (or hand them to another chain), with the peers they may match. */
  private readonly deciders = new Map<Chain, Array<{ rule: Rule; maybe: AddressSet }>>();

  observer(tableName: string, primary: boolean): WalkObserver {
    return {
      alwaysEvaluate: (rule) => primary && tableName === "filter" && mentionsNtpPort(rule),
      visit: (v) => this.visit(v, tableName, primary),
      policy: (chain, peers) => {
        if (tableName === "filter" && chain.name === "INPUT" && chain.policy !== "DROP" && !peers.isEmpty()) {
          const key = `policy:${chain.location.line}`;
          if (!this.acceptedBy.some((e) => `policy:${e.location.line}` === key && e.effect.startsWith("policy"))) {
            const evidence = { location: chain.location, text: policyText(chain), effect: `policy ${chain.policy ?? "unknown"} (no rule decides these packets)` };
            this.acceptedBy.push(evidence);
            if (!peers.subtract(this.trusted).isEmpty()) this.acceptedUntrustedBy.push(evidence);
          }
        }
      },
    };
  }

  private visit(v: RuleVisit, tableName: string, primary: boolean): void {
    const hit = v.reach.intersect(v.match.maybe);
    if (primary && tableName === "filter") this.checkShadowed(v, hit);
    if (hit.isEmpty()) return;
    if (tableName === "filter" && v.effect.kind === "accept" && !this.seenAccept.has(v.rule)) {
      this.seenAccept.add(v.rule);
      this.acceptedBy.push(ruleEvidence(v.rule, "accepts"));
      if (!hit.subtract(this.trusted).isEmpty()) this.acceptedUntrustedBy.push(ruleEvidence(v.rule, "accepts"));
    }
    if (tableName === "filter" && v.rule.matches.some((m) => RATE_LIMIT_MODULES.has(m.module)) && !this.rateLimitedBy.some((e) => e.location === v.rule.location)) {
      this.rateLimitedBy.push(ruleEvidence(v.rule, `rate limit (-m ${v.rule.matches.find((m) => RATE_LIMIT_MODULES.has(m.module))!.module}) then ${describeEffect(v.rule)}`));
    }
    const decisive = v.effect.kind !== "continue";
    if (decisive && v.match.undecided.length > 0 && !this.seenAssumption.has(v.rule)) {
      this.seenAssumption.add(v.rule);
      this.assumptions.push({ location: v.rule.location, text: v.rule.text, reason: v.match.undecided.join("; ") });
    }
    if (v.effect.kind === "unknown" && !this.seenAssumption.has(v.rule)) {
      this.seenAssumption.add(v.rule);
      this.assumptions.push({ location: v.rule.location, text: v.rule.text, reason: `target ${v.rule.target?.name ?? "?"}: its verdict is not known offline; assumed it may accept or drop` });
    }
  }

  private checkShadowed(v: RuleVisit, hit: AddressSet): void {
    const decisive = ["accept", "deny", "return", "translate", "jump"].includes(v.effect.kind);
    const earlier = this.deciders.get(v.chain) ?? [];
    if (mentionsNtpPort(v.rule) && hit.isEmpty() && !v.match.maybe.isEmpty() && !this.shadowedRules.has(v.rule)) {
      const by = earlier.filter((d) => !d.maybe.intersect(v.match.maybe).isEmpty()).map((d) => ruleEvidence(d.rule, describeEffect(d.rule)));
      this.shadowedRules.set(v.rule, { location: v.rule.location, text: v.rule.text, shadowed_by: by });
    }
    if (decisive && !v.match.maybe.isEmpty() && !earlier.some((d) => d.rule === v.rule)) {
      earlier.push({ rule: v.rule, maybe: v.match.maybe });
      this.deciders.set(v.chain, earlier);
    }
  }

  shadowed(): ShadowedRuleFact[] {
    return [...this.shadowedRules.values()];
  }
}

function describeEffect(rule: Rule): string {
  const name = rule.target?.name ?? "";
  if (name === "ACCEPT") return "accepts";
  if (name === "DROP") return "drops";
  if (name === "REJECT") return "rejects";
  return rule.target?.kind === "goto" ? `goes to ${name}` : `jumps to ${name}`;
}

/** A rule written about UDP port 123 (its destination-port match names 123). */
function mentionsNtpPort(rule: Rule): boolean {
  const names123 = (set: { ranges: Array<[number, number]>; negated: boolean } | null): boolean =>
    set !== null && !set.negated && set.ranges.some(([lo, hi]) => lo <= NTP_PORT && NTP_PORT <= hi);
  return names123(rule.ports.dport) || names123(rule.ports.either);
}
