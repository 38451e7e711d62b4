/** Destination NAT that may bring a datagram sent to another port to port 123. */
import type { NetfilterRule, NetfilterRuleset, NetfilterTable } from "../../model/netfilter.js";
import { tableSeesFamily } from "../../model/netfilter.js";
import { NTP_PORT } from "./hooks.js";

/** At most this many "sent to another port, rewritten to 123" classes are followed (one per NAT rule). */
const MAX_REDIRECT_CLASSES = 16;

/** Ports other than 123 that some DNAT/REDIRECT rule of a loaded NAT table may rewrite to 123. */
export function redirectedPorts(ruleset: NetfilterRuleset, unloaded: ReadonlySet<NetfilterTable>): number[] {
  const ports = new Set<number>();
  for (const table of ruleset.tables) {
    if (unloaded.has(table) || !tableSeesFamily(table.family, ruleset.family)) continue;
    if (!table.chains.some((c) => c.base?.type === "nat")) continue;
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        const v = rule.verdict;
        if (v.kind !== "dnat" || v.ports === null) continue;
        const [lo, hi] = v.ports;
        if (!(lo <= NTP_PORT && NTP_PORT <= hi)) continue;
        ports.add(representativePort(rule));
        if (ports.size >= MAX_REDIRECT_CLASSES) return [...ports];
      }
    }
  }
  ports.delete(NTP_PORT);
  return [...ports].sort((x, y) => x - y);
}

/** A destination port (not 123) that the rule's own port match accepts. */
function representativePort(rule: NetfilterRule): number {
  const p = rule.predicates.find((x) => x.kind === "port" && x.field === "dport");
  const d = p?.kind === "port" ? p.ports : null;
  if (!d || d.negated) {
    for (let port = 1; port < 65536; port++) if (port !== NTP_PORT && (!d || !d.ranges.some(([lo, hi]) => lo <= port && port <= hi))) return port;
    return 1;
  }
  for (const [lo, hi] of d.ranges) for (let port = lo; port <= hi && port < lo + 2; port++) if (port !== NTP_PORT) return port;
  return NTP_PORT;
}
