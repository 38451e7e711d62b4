/**
 * Inbound NTP: from which source addresses a NEW datagram to local port 123, arriving on a non-loopback
 * interface, reaches the socket. The packet meets the prerouting base chains (raw, mangle, destination
 * NAT, …) then the input ones, in priority order. Besides datagrams sent to port 123 itself, datagrams
 * sent to another port that a DNAT/REDIRECT rule rewrites to 123 are followed too (one class per rule).
 */
import type { AnalysedFamily, NetfilterRuleset, NetfilterTable } from "../../model/netfilter.js";
import type { Assumption, RuleEvidence, ShadowedRuleFact } from "../../model/input.js";
import { AddressSet, LOOPBACK } from "../address-set.js";
import { EvidenceCollector } from "./evidence.js";
import { isFilterStage, landingFor, newContext, NTP_PORT, stagesOf, walkStage, type Conntrack, type Stage } from "./hooks.js";
import { redirectedPorts } from "./nat.js";
import type { PacketTemplate } from "./packet.js";

export interface InboundResult {
  mayAccept: AddressSet;
  mustAccept: AddressSet;
  acceptedBy: RuleEvidence[];
  acceptedUntrustedBy: RuleEvidence[];
  rateLimitedBy: RuleEvidence[];
  assumptions: Assumption[];
  shadowed: ShadowedRuleFact[];
}

export interface InboundPath {
  ruleset: NetfilterRuleset;
  unloaded: ReadonlySet<NetfilterTable>;
  complete: boolean;
  conntrack: Conntrack;
}

export function analyzeInbound(path: InboundPath, trusted: AddressSet, protocol: "udp" | "tcp"): InboundResult {
  const family = path.ruleset.family;
  // Loopback sources arriving on another interface are martians the kernel drops before netfilter's input.
  const peers = AddressSet.all(family).subtract(LOOPBACK[family]);
  const evidence = new EvidenceCollector(trusted);

  // Class A: datagrams sent to port 123 itself.
  const a = runInbound(path, peers, NTP_PORT, evidence, true, protocol);
  let mayAccept = a.accept;
  const mustAccept = path.complete ? peers.subtract(a.deny) : AddressSet.empty(family);

  // Classes B: datagrams sent to another port that a NAT rule rewrites to 123.
  for (const port of redirectedPorts(path.ruleset, path.unloaded)) {
    const b = runInbound(path, peers, port, evidence, false, protocol);
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
  path: InboundPath,
  peers: AddressSet,
  sentToPort: number,
  evidence: EvidenceCollector,
  primary: boolean,
  protocol: "udp" | "tcp",
): { accept: AddressSet; deny: AddressSet } {
  const family: AnalysedFamily = path.ruleset.family;
  const packet: PacketTemplate = { direction: "inbound", protocol, sport: null, dport: sentToPort, state: "NEW" };
  const ctx = newContext(family, packet);
  const landing = landingFor(NTP_PORT, sentToPort);
  let live = peers;
  let deny = AddressSet.empty(family);
  // Whether the packet is now addressed to port 123 (class B: once a NAT chain rewrote it).
  let onNtpPort = sentToPort === NTP_PORT;

  const run = (stage: Stage): void => {
    if (!stage.loaded) {
      deny = deny.union(live);
      return;
    }
    const observer = evidence.observer(isFilterStage(stage.chain), primary);
    const nat = stage.chain.base!.type === "nat";
    if (!nat) {
      const out = walkStage(stage, ctx, packet.state, landing, observer, live, live.subtract(deny));
      live = out.accept;
      deny = deny.union(out.deny);
      return;
    }
    // A NAT chain only sees tracked packets: untracked ones skip it, and when the ruleset does not show
    // that conntrack runs at all, both worlds are possible.
    const natSkips = path.conntrack === "maybe" ? live : live.intersect(ctx.untracked);
    const entry = live.subtract(ctx.untrackedSure);
    const out = walkStage(stage, ctx, packet.state, landing, observer, entry, entry.subtract(deny));
    if (onNtpPort) {
      live = out.accept.union(out.translated).union(natSkips);
    } else {
      live = out.translated;
      deny = deny.union(out.accept).union(natSkips);
    }
    if (!out.translated.isEmpty()) ctx.dnat = sentToPort !== NTP_PORT ? "yes" : out.accept.isEmpty() && natSkips.isEmpty() ? "yes" : "maybe";
    ctx.packet = { ...ctx.packet, dport: NTP_PORT };
    onNtpPort = true;
    deny = deny.union(out.deny);
  };

  for (const stage of stagesOf(path.ruleset, "prerouting", path.unloaded)) run(stage);
  // A datagram to another port that no NAT chain rewrote never reaches port 123.
  if (!onNtpPort) live = AddressSet.empty(family);
  for (const stage of stagesOf(path.ruleset, "input", path.unloaded)) run(stage);
  return { accept: live, deny };
}
