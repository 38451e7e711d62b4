/**
 * The host's own NTP traffic with one upstream association: its queries (output path, NEW, from port
 * 123 to port 123) and their replies (prerouting and input paths, ESTABLISHED). For each direction,
 * whether every address the association may have gets through, none does, or some may; and the lines
 * that block it — including a notrack rule, whose untracked packets no conntrack-state rule accepts.
 */
import type { AssociationFact, RuleEvidence, UpstreamPathFact } from "../../model/input.js";
import type { Hook, NetfilterRuleset, NetfilterTable } from "../../model/netfilter.js";
import { AddressSet, LOOPBACK } from "../address-set.js";
import { policyEvidence, policyName, ruleEvidence } from "./evidence.js";
import { landingFor, newContext, NTP_PORT, stagesOf, walkStage } from "./hooks.js";
import type { PacketTemplate } from "./packet.js";
import type { WalkObserver } from "./walk.js";

type Direction = "open" | "blocked" | "partial";

export function analyzeUpstream(ruleset: NetfilterRuleset, unloaded: ReadonlySet<NetfilterTable>, a: AssociationFact, complete: boolean): UpstreamPathFact {
  const family = ruleset.family;
  const target = a.address_kind === "hostname" ? AddressSet.all(family).subtract(LOOPBACK[family]) : AddressSet.of(family, [a.address]);

  const run = (hooks: Hook[], packet: PacketTemplate) => {
    const blockedBy: RuleEvidence[] = [];
    const untrackedBy: RuleEvidence[] = [];
    const observer: WalkObserver = {
      visit(v) {
        const touches = !v.hit.intersect(target).isEmpty();
        if (!touches) return;
        if (v.rule.verdict.kind === "drop" || v.rule.verdict.kind === "reject") blockedBy.push(ruleEvidence(v.rule, v.rule.verdict.kind === "reject" ? "rejects" : "drops"));
        if (v.rule.verdict.kind === "notrack") untrackedBy.push(ruleEvidence(v.rule, packet.direction === "inbound" ? "untracks the replies" : "untracks the queries"));
      },
      policy(chain, peersLeft) {
        if (chain.base!.policy !== "accept" && !peersLeft.intersect(target).isEmpty()) blockedBy.push(policyEvidence(chain, `policy ${policyName(chain)}`));
      },
    };
    const ctx = newContext(family, packet);
    const landing = landingFor(NTP_PORT, packet.dport);
    let live = target;
    let deny = AddressSet.empty(family);
    for (const hook of hooks) {
      for (const stage of stagesOf(ruleset, hook, unloaded)) {
        const nat = stage.chain.base!.type === "nat";
        // NAT chains see the first packet of a connection only: not the replies.
        if (nat && packet.state !== "NEW") continue;
        if (!stage.loaded) {
          deny = deny.union(live);
          continue;
        }
        const out = walkStage(stage, ctx, packet.state, landing, nat ? {} : observer, live, live.subtract(deny));
        live = nat ? out.accept.union(out.translated) : out.accept;
        deny = deny.union(out.deny);
      }
    }
    const surely = complete ? target.subtract(deny) : AddressSet.empty(family);
    const verdict: Direction = live.isEmpty() ? "blocked" : surely.contains(target) ? "open" : "partial";
    // A notrack rule is a cause only where the direction is not open.
    return { accept: live, deny, verdict, blockedBy, untrackedBy: verdict === "open" ? [] : untrackedBy };
  };
  const query = run(["output"], { direction: "outbound", protocol: "udp", sport: NTP_PORT, dport: NTP_PORT, state: "NEW" });
  const reply = run(["prerouting", "input"], { direction: "inbound", protocol: "udp", sport: NTP_PORT, dport: NTP_PORT, state: "ESTABLISHED" });
  const through = query.accept.intersect(reply.accept);
  const surely = complete ? target.subtract(query.deny).subtract(reply.deny) : AddressSet.empty(family);
  const verdict: Direction = through.isEmpty() ? "blocked" : surely.contains(target) ? "open" : "partial";
  return {
    address: a.address,
    location: a.location,
    verdict,
    blocked_by: verdict === "open" ? [] : dedupe([...query.blockedBy, ...reply.blockedBy]),
    queries: query.verdict,
    replies: reply.verdict,
    untracked_by: verdict === "open" ? [] : dedupe([...query.untrackedBy, ...reply.untrackedBy]),
  };
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
