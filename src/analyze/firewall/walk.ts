/**
 * Walking a packet through the chains of one table, the way netfilter does: rules in order, first
 * terminating match wins, `-j` into a user chain and back on RETURN or at its end, `-g` that never
 * comes back, the built-in chain's policy at the end. Because one address (the peer) is symbolic and
 * some matches are undecidable, the walk carries address sets: for every outcome, the peers for which
 * SOME path through the rules ends that way. "Every path accepts" is then the complement of "some path
 * denies" — sound in both directions without enumerating paths.
 */
import type { Chain, Rule, Table } from "../../model/iptables.js";
import { AddressSet } from "../address-set.js";
import { evaluateRule, type MatchContext, type RuleMatch } from "./packet.js";

export interface WalkOutcome {
  /** Peers that may leave the chain accepted (ACCEPT, or the policy). */
  accept: AddressSet;
  /** Peers that may be dropped or rejected (or diverted away from the socket by NAT). */
  deny: AddressSet;
  /** NAT only: peers whose destination port may be rewritten to the port under study. */
  translated: AddressSet;
}

interface ChainOutcome extends WalkOutcome {
  /** Peers that may come back to the caller (RETURN, or the end of a user chain). */
  ret: AddressSet;
}

/** What a target does to a packet, as far as the walk is concerned. */
export type TargetEffect =
  | { kind: "accept" }
  | { kind: "deny" }
  | { kind: "return" }
  | { kind: "continue" }
  | { kind: "untrack" }
  | { kind: "jump"; chain: Chain; goto: boolean }
  /** NAT: the destination is rewritten; `to` says whether it lands on the port under study. */
  | { kind: "translate"; to: "port" | "elsewhere" | "maybe" }
  /** A verdict from userspace or an unknown extension: anything may happen, including going on. */
  | { kind: "unknown"; terminal: boolean };

export interface RuleVisit {
  rule: Rule;
  chain: Chain;
  /** Peers that may reach the rule. */
  reach: AddressSet;
  match: RuleMatch;
  effect: TargetEffect;
}

export interface WalkObserver {
  visit?(v: RuleVisit): void;
  /** The built-in chain's policy decided `peers` (those that fell off its end). */
  policy?(chain: Chain, peers: AddressSet): void;
  /** Which rules must be evaluated even when no peer can reach them (to find shadowed rules). */
  alwaysEvaluate?(rule: Rule): boolean;
}

/** Deeper than any real ruleset; a loop (which iptables-restore refuses) ends here as "unknown". */
const MAX_DEPTH = 64;

export class TableWalker {
  private readonly chains: Map<string, Chain>;

  constructor(
    readonly table: Table,
    private readonly ctx: MatchContext,
    private readonly effectOf: (rule: Rule, chains: Map<string, Chain>) => TargetEffect,
    private readonly observer: WalkObserver = {},
  ) {
    this.chains = new Map(table.chains.map((c) => [c.name, c]));
  }

  /**
   * Walk a built-in chain and apply its policy to what falls off the end. `entryMust`: the peers that
   * surely get here (for NOTRACK, which must know who surely passes through it).
   */
  walkBuiltin(name: string, entry: AddressSet, entryMust: AddressSet = AddressSet.empty(this.ctx.family)): WalkOutcome {
    const chain = this.chains.get(name);
    if (!chain || entry.isEmpty()) {
      return { accept: entry, deny: AddressSet.empty(this.ctx.family), translated: AddressSet.empty(this.ctx.family) };
    }
    const out = this.walk(chain, entry, 0, entryMust);
    const result: WalkOutcome = { accept: out.accept, deny: out.deny, translated: out.translated };
    if (!out.ret.isEmpty()) {
      this.observer.policy?.(chain, out.ret);
      // A policy the file does not set is whatever the kernel had: it may be either.
      if (chain.policy !== "DROP") result.accept = result.accept.union(out.ret);
      if (chain.policy !== "ACCEPT") result.deny = result.deny.union(out.ret);
    }
    return result;
  }

  private walk(chain: Chain, entry: AddressSet, depth: number, entryMust: AddressSet): ChainOutcome {
    const empty = AddressSet.empty(this.ctx.family);
    const out: ChainOutcome = { accept: empty, deny: empty, translated: empty, ret: empty };
    if (depth > MAX_DEPTH) {
      return { accept: entry, deny: entry, translated: empty, ret: entry };
    }
    let reach = entry;
    // Peers that surely reach the current rule: every path so far went on.
    let mustReach = entryMust;
    for (const rule of chain.rules) {
      if (reach.isEmpty() && !this.observer.alwaysEvaluate?.(rule)) continue;
      const match = evaluateRule(rule, this.ctx);
      const effect = this.effectOf(rule, this.chains);
      this.observer.visit?.({ rule, chain, reach, match, effect });
      if (reach.isEmpty()) continue;
      const hit = reach.intersect(match.maybe);
      if (hit.isEmpty()) continue;
      const sure = reach.intersect(match.surely);
      const mustBefore = mustReach;
      if (effect.kind !== "continue" && effect.kind !== "untrack") mustReach = mustReach.subtract(hit);
      switch (effect.kind) {
        case "accept":
          out.accept = out.accept.union(hit);
          reach = reach.subtract(sure);
          break;
        case "deny":
          out.deny = out.deny.union(hit);
          reach = reach.subtract(sure);
          break;
        case "return":
          out.ret = out.ret.union(hit);
          reach = reach.subtract(sure);
          break;
        case "translate":
          if (effect.to !== "elsewhere") out.translated = out.translated.union(hit);
          if (effect.to !== "port") out.deny = out.deny.union(hit);
          reach = reach.subtract(sure);
          break;
        case "untrack":
          this.ctx.untracked = this.ctx.untracked.union(hit);
          this.ctx.untrackedSure = this.ctx.untrackedSure.union(mustBefore.intersect(match.surely));
          break;
        case "continue":
          break;
        case "unknown":
          out.accept = out.accept.union(hit);
          out.deny = out.deny.union(hit);
          if (effect.terminal) reach = reach.subtract(sure);
          break;
        case "jump": {
          const sub = this.walk(effect.chain, hit, depth + 1, mustBefore.intersect(match.surely));
          out.accept = out.accept.union(sub.accept);
          out.deny = out.deny.union(sub.deny);
          out.translated = out.translated.union(sub.translated);
          if (effect.goto) {
            // -g: coming back from the target chain returns to this chain's caller.
            out.ret = out.ret.union(sub.ret);
            reach = reach.subtract(sure);
          } else {
            reach = reach.subtract(sure).union(sub.ret);
          }
          break;
        }
      }
    }
    out.ret = out.ret.union(reach);
    return out;
  }
}

/** Targets that change nothing about the verdict (they log, mark, count, …) and let the packet go on. */
const NON_TERMINATING = new Set([
  "LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "CLASSIFY", "TOS", "DSCP", "TTL", "HL", "TCPMSS", "TRACE", "AUDIT",
  "CHECKSUM", "SET", "SECMARK", "CONNSECMARK", "TEE", "IDLETIMER", "LED", "RATEEST", "ECN", "TPROXY_MARK", "SYNPROXY_SKIP",
]);

/**
 * The target's effect on the packet under study: `port` is the port that matters (123), `packetPort`
 * the packet's destination port before NAT (null: any).
 */
export function standardEffect(rule: Rule, chains: Map<string, Chain>, port: number, packetPort: number | null): TargetEffect {
  const t = rule.target;
  if (!t) return { kind: "continue" };
  if (t.resolution === "chain") {
    const chain = chains.get(t.name);
    return chain ? { kind: "jump", chain, goto: t.kind === "goto" } : { kind: "unknown", terminal: false };
  }
  switch (t.name) {
    case "ACCEPT":
      return { kind: "accept" };
    case "DROP":
    case "REJECT":
      return { kind: "deny" };
    case "RETURN":
      return { kind: "return" };
    case "NOTRACK":
      return { kind: "untrack" };
    case "CT":
      return t.options.some((o) => o.name === "notrack") ? { kind: "untrack" } : { kind: "continue" };
    case "REDIRECT":
    case "DNAT":
      return { kind: "translate", to: translationLands(rule, port, packetPort) };
    case "SNAT":
    case "MASQUERADE":
    case "NETMAP":
      return { kind: "accept" };
    case "QUEUE":
    case "NFQUEUE":
      return { kind: "unknown", terminal: true };
    default:
      return NON_TERMINATING.has(t.name) ? { kind: "continue" } : { kind: "unknown", terminal: false };
  }
}

/**
 * Where DNAT/REDIRECT sends the packet: to `port` on this host, elsewhere, or maybe either (a port
 * range that includes it, or DNAT to an address that may or may not be one of the host's own).
 */
function translationLands(rule: Rule, port: number, packetPort: number | null): "port" | "elsewhere" | "maybe" {
  const t = rule.target!;
  const value = (name: string): string | undefined => t.options.find((o) => o.name === name)?.values[0];
  let portSpec: string | undefined;
  let remoteAddress = false;
  if (t.name === "REDIRECT") {
    portSpec = value("to-ports");
  } else {
    const dest = value("to-destination") ?? "";
    // [addr][-addr][:port[-port]]; IPv6 addresses are bracketed when a port follows.
    const m = /^(\[[^\]]*\]|[^:[\]]*(?:-[^:[\]]*)?|[0-9a-fA-F:.]*)(?::(\d+(?:-\d+)?))?$/.exec(dest.startsWith("[") || dest.split(":").length <= 2 ? dest : `[${dest}]`);
    remoteAddress = Boolean(m?.[1] && m[1] !== "[]");
    portSpec = m?.[2];
  }
  let lands: "port" | "elsewhere" | "maybe";
  if (portSpec === undefined) {
    // No port given: the destination port stays what it was.
    lands = packetPort === null ? "maybe" : packetPort === port ? "port" : "elsewhere";
  } else {
    const [lo, hi] = portSpec.split(/[-:]/).map(Number) as [number, number | undefined];
    const top = hi ?? lo;
    lands = lo === port && top === port ? "port" : lo <= port && port <= top ? "maybe" : "elsewhere";
  }
  if (remoteAddress && lands !== "elsewhere") return "maybe";
  return lands;
}
