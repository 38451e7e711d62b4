/**
 * The base chains a packet traverses, in the order the kernel runs them: per hook, ascending priority,
 * whatever table (or tool: iptables-nft and native nft tables coexist) they belong to. An accept ends
 * one base chain only; the packet then meets the next one on the same hook, so a packet is delivered
 * when every base chain on its path accepts it.
 */
import type { AnalysedFamily, Hook, NetfilterChain, NetfilterRuleset, NetfilterTable } from "../../model/netfilter.js";
import { PRIORITY, tableSeesFamily } from "../../model/netfilter.js";
import { AddressSet } from "../address-set.js";
import type { MatchContext, PacketTemplate } from "./packet.js";
import { ChainWalker, type Landing, type WalkObserver, type WalkOutcome } from "./walk.js";

export const NTP_PORT = 123;

export interface Stage {
  table: NetfilterTable;
  chain: NetfilterChain;
  /** False when the table's content is unknown (it does not load, or it jumps in a loop). */
  loaded: boolean;
}

/**
 * Base chains of `hook` that see packets of the ruleset's family, in the order they run. Equal
 * priorities keep the order of the ruleset (the kernel's order for them is that of registration).
 */
export function stagesOf(ruleset: NetfilterRuleset, hook: Hook, unloaded: ReadonlySet<NetfilterTable>): Stage[] {
  const out: Stage[] = [];
  for (const table of ruleset.tables) {
    if (!tableSeesFamily(table.family, ruleset.family)) continue;
    for (const chain of table.chains) {
      if (chain.base?.hook === hook) out.push({ table, chain, loaded: !unloaded.has(table) });
    }
  }
  return out.sort((a, b) => a.chain.base!.priority - b.chain.base!.priority);
}

/**
 * The chains where a host decides what it admits: filter-type chains between the mangle and security
 * priorities (iptables' filter table at 0, nft's `priority filter` and firewalld's `filter + 10`).
 * Accepts there are the evidence for "accepted by"; mangle and security chains only pass packets on.
 */
export function isFilterStage(chain: NetfilterChain): boolean {
  const base = chain.base;
  return base !== null && base.type === "filter" && base.priority > PRIORITY.mangle && base.priority < PRIORITY.security;
}

/** Chains below the conntrack priority see packets before conntrack has classified them. */
export function beforeConntrack(chain: NetfilterChain): boolean {
  return chain.base !== null && chain.base.priority < PRIORITY.conntrack;
}

/** A packet at the start of its path: nothing untracked it, no NAT rewrote it yet. */
export function newContext(family: AnalysedFamily, packet: PacketTemplate): MatchContext {
  return { family, packet, untracked: AddressSet.empty(family), untrackedSure: AddressSet.empty(family), dnat: "no" };
}

/** Walk one base chain, in the conntrack state the packet has there. */
export function walkStage(
  stage: Stage,
  ctx: MatchContext,
  state: PacketTemplate["state"],
  landing: (v: { ports: [number, number] | null; remoteAddress: boolean }) => Landing,
  observer: WalkObserver,
  entry: AddressSet,
  entryMust: AddressSet,
): WalkOutcome {
  // Before conntrack every packet is still INVALID.
  const early = beforeConntrack(stage.chain);
  ctx.packet = { ...ctx.packet, state: early ? "INVALID" : state };
  return new ChainWalker(stage.table, ctx, landing, observer, early).walkBase(stage.chain, entry, entryMust);
}

/**
 * Where DNAT sends a packet sent to `packetPort` (null: any): to `port` on this host, elsewhere, or
 * maybe either (a port range that includes it, or an address that may or may not be the host's own).
 */
export function landingFor(port: number, packetPort: number | null) {
  return (v: { ports: [number, number] | null; remoteAddress: boolean }): Landing => {
    let lands: Landing;
    if (v.ports === null) {
      // No port given: the destination port stays what it was.
      lands = packetPort === null ? "maybe" : packetPort === port ? "port" : "elsewhere";
    } else {
      const [lo, hi] = v.ports;
      lands = lo === port && hi === port ? "port" : lo <= port && port <= hi ? "maybe" : "elsewhere";
    }
    return v.remoteAddress && lands !== "elsewhere" ? "maybe" : lands;
  };
}

/** Conntrack runs for this family ("yes"), or the ruleset does not show whether it does ("maybe"). */
export type Conntrack = "yes" | "maybe";

/**
 * Whether the kernel tracks connections of this family. A rule that needs conntrack turns it on; with
 * none in the ruleset, something outside it (another table, another tool) may still have.
 */
export function conntrackInUse(ruleset: NetfilterRuleset, unloaded: ReadonlySet<NetfilterTable>): Conntrack {
  for (const table of ruleset.tables) {
    if (!tableSeesFamily(table.family, ruleset.family)) continue;
    if (unloaded.has(table)) return "maybe";
    for (const chain of table.chains) for (const rule of chain.rules) if (rule.needsConntrack) return "yes";
  }
  return "maybe";
}
