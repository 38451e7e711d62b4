/**
 * What a host's firewall means for NTP, per address family, from the neutral netfilter model (any
 * front end: src/analyze/firewall/from-iptables.ts for iptables-save dumps):
 *  - inbound (inbound.ts): from which source addresses a NEW UDP datagram to local port 123 reaches
 *    the socket, through every base chain on its path in priority order, NAT included;
 *  - upstreams (upstream.ts): whether the host's own queries to its servers and their replies get through;
 *  - shadowed rules (evidence.ts): rules about UDP/123 that no such packet can reach;
 *  - hygiene (hygiene.ts): the filter chains' policies, default deny, loopback rules;
 *  - loadability (loadability.ts): tables the kernel may not hold as written.
 * Results are sound: `may_accept` over-approximates (undecidable matches are assumed to match, and the
 * assumption is listed), `must_accept` under-approximates.
 */
import type { AssociationFact, FamilyFirewallFacts, FirewallFormat } from "../../model/input.js";
import type { HostRuleset } from "./host-ruleset.js";
import type { Ruleset } from "../../model/iptables.js";
import type { NetfilterChain, NetfilterRuleset } from "../../model/netfilter.js";
import type { AddressSet } from "../address-set.js";
import { netfilterFromIptables } from "./from-iptables.js";
import { conntrackInUse } from "./hooks.js";
import { filterChain as filterChainFor, hasDefaultDeny, loopbackRules, policyLine, policyOf } from "./hygiene.js";
import { analyzeInbound, type InboundPath } from "./inbound.js";
import { loadability } from "./loadability.js";
import { analyzeUpstream } from "./upstream.js";

export interface FamilyAnalysis {
  facts: FamilyFirewallFacts;
  /** The exact sets, for the cross-layer facts. */
  mayAccept: AddressSet;
}

/** An iptables-save / ip6tables-save dump, through the iptables front end. */
export function analyzeIptables(ruleset: Ruleset, trusted: AddressSet, associations: AssociationFact[]): FamilyAnalysis {
  return analyzeFamily(netfilterFromIptables(ruleset), trusted, associations);
}

/** A host's firewall from all its dumps (iptables-save and nft ruleset together, src/analyze/firewall/host-ruleset.ts). */
export function analyzeHostRuleset(host: HostRuleset, trusted: AddressSet, associations: AssociationFact[]): FamilyAnalysis {
  return analyzeFamily(host.ruleset, trusted, associations, { sources: host.sources, duplicates: host.duplicates });
}

export function analyzeFamily(
  ruleset: NetfilterRuleset,
  trusted: AddressSet,
  associations: AssociationFact[],
  origin: { sources: FamilyFirewallFacts["sources"]; duplicates: string[] } = { sources: [{ file: ruleset.file, format: formatOf(ruleset) }], duplicates: [] },
): FamilyAnalysis {
  const family = ruleset.family;
  const { unloaded, incomplete } = loadability(ruleset);
  const complete = incomplete.length === 0;
  const path: InboundPath = { ruleset, unloaded, complete, conntrack: conntrackInUse(ruleset, unloaded) };
  const inbound = analyzeInbound(path, trusted, "udp");
  const tcp = analyzeInbound(path, trusted, "tcp");
  const input = filterChainFor(ruleset, "input");
  const forward = filterChainFor(ruleset, "forward");
  const output = filterChainFor(ruleset, "output");
  const mayAccept = inbound.mayAccept;
  const untrusted = mayAccept.subtract(trusted);
  const inputLine = policyLine(input);

  return {
    mayAccept,
    facts: {
      file: ruleset.file,
      sources: origin.sources,
      format: origin.sources.find((s) => s.file === ruleset.file)?.format ?? formatOf(ruleset),
      input_chain: input ? chainRef(ruleset, input) : null,
      duplicate_tables: origin.duplicates,
      empty: ruleset.empty ?? false,
      complete,
      incomplete_reasons: incomplete,
      input_policy: policyOf(input),
      input_policy_location: inputLine?.location ?? null,
      input_policy_text: inputLine?.text ?? null,
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
        .map((a) => analyzeUpstream(ruleset, unloaded, a, complete)),
      shadowed_rules: inbound.shadowed,
      forward_policy: policyOf(forward),
      output_policy: policyOf(output),
      forward_policy_line: policyLine(forward),
      output_policy_line: policyLine(output),
      loopback: input ? loopbackRules(input, family) : { accept_rule: null, spoofed_drop_rule: null },
      tcp_ntp_may_accept_untrusted: tcp.mayAccept.subtract(trusted).toCidrs(),
    },
  };
}

/** The syntax of a ruleset whose front end is not said: nft when a chain comes from an nft ruleset. */
function formatOf(ruleset: NetfilterRuleset): FirewallFormat {
  return ruleset.tables.some((t) => t.chains.some((c) => c.origin?.format === "nft")) ? "nft" : "iptables";
}

/** The chain as a fix names it: `inet filter` / `input` for nft, `filter` / `INPUT` for iptables. */
function chainRef(ruleset: NetfilterRuleset, chain: NetfilterChain): FamilyFirewallFacts["input_chain"] {
  if (chain.origin?.format === "nft") return { format: "nft", table: `${chain.origin.family} ${chain.origin.table}`, chain: chain.origin.chain };
  const table = ruleset.tables.find((t) => t.chains.includes(chain));
  return { format: "iptables", table: table?.name ?? "filter", chain: chain.name };
}
