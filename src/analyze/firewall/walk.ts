/**
 * Walking a packet through one base chain and the chains it jumps to, the way netfilter does: rules in
 * order, first terminating match wins, `jump` into a chain and back on `return` or at its end, `goto`
 * that never comes back, the base chain's policy at the end. Because one address (the peer) is symbolic
 * and some matches are undecidable, the walk carries address sets: for every outcome, the peers for
 * which SOME path through the rules ends that way. "Every path accepts" is then the complement of "some
 * path denies" — sound in both directions without enumerating paths.
 *
 * The walk keeps its own stack of chain frames instead of recursing, so a ruleset of 10,000 chains
 * each jumping to the next is walked like any other.
 */
import type { NetfilterChain, NetfilterRule, NetfilterTable, Verdict } from "../../model/netfilter.js";
import { AddressSet } from "../address-set.js";
import { MutableAddressSet } from "./mutable-address-set.js";
import { evaluateRule, type MatchContext, type RuleMatch } from "./packet.js";

export interface WalkOutcome {
  /** Peers that may leave the base chain accepted (accept, or the policy). */
  accept: AddressSet;
  /** Peers that may be dropped or rejected (or diverted away from the socket by NAT). */
  deny: AddressSet;
  /** NAT only: peers whose destination port may be rewritten to the port under study. */
  translated: AddressSet;
}

interface ChainOutcome extends WalkOutcome {
  /** Peers that may come back to the caller (return, or the end of a chain). */
  ret: AddressSet;
}

/** Where DNAT sends the packet under study: to the port that matters, elsewhere, or maybe either. */
export type Landing = "port" | "elsewhere" | "maybe";

export interface RuleVisit {
  rule: NetfilterRule;
  chain: NetfilterChain;
  /** Peers that may reach the rule and that it may match. */
  hit: AddressSet;
  match: RuleMatch;
  /** For DNAT: where the packet lands. */
  landing: Landing | null;
}

export interface WalkObserver {
  visit?(v: RuleVisit): void;
  /** The base chain's policy decided `peers` (those that fell off its end). */
  policy?(chain: NetfilterChain, peers: AddressSet): void;
  /** Which rules must be evaluated even when no peer can reach them (to find shadowed rules). */
  alwaysEvaluate?(rule: NetfilterRule): boolean;
}

const chainIndexes = new WeakMap<NetfilterTable, Map<string, NetfilterChain>>();

/** A table's chains by name, built once per table (a kube-proxy nat table has ~35,000 chains). */
export function chainsByName(table: NetfilterTable): Map<string, NetfilterChain> {
  let index = chainIndexes.get(table);
  if (!index) {
    index = new Map(table.chains.map((c) => [c.name, c]));
    chainIndexes.set(table, index);
  }
  return index;
}

/** One chain being walked: where it is, who still reaches it, and what has come out of it so far. */
interface Frame {
  chain: NetfilterChain;
  index: number;
  reach: MutableAddressSet;
  /** Peers that surely reach the current rule: every path so far went on. */
  mustReach: MutableAddressSet;
  accept: AddressSet[];
  deny: AddressSet[];
  translated: AddressSet[];
  ret: AddressSet[];
  /** The jump or goto this frame is waiting on, with the peers it surely took. */
  pending: { goto: boolean; surely: AddressSet } | null;
}

export class ChainWalker {
  private readonly chains: Map<string, NetfilterChain>;

  /**
   * `landing`: where a DNAT verdict sends the packet under study. The table's chains must not jump in a
   * loop (the kernel refuses such a ruleset; the analysis checks before walking).
   */
  constructor(
    table: NetfilterTable,
    private readonly ctx: MatchContext,
    private readonly landing: (verdict: Extract<Verdict, { kind: "dnat" }>) => Landing,
    private readonly observer: WalkObserver = {},
    /** False when the walk starts at or after conntrack: the packet is already tracked, notrack does nothing. */
    private readonly untrackable = true,
  ) {
    this.chains = chainsByName(table);
  }

  /**
   * Walk a base chain and apply its policy to what falls off the end. `entryMust`: the peers that
   * surely get here (for notrack, which must know who surely passes through it).
   */
  walkBase(chain: NetfilterChain, entry: AddressSet, entryMust: AddressSet = AddressSet.empty(this.ctx.family)): WalkOutcome {
    if (entry.isEmpty()) return { accept: entry, deny: entry, translated: entry };
    const out = this.walk(chain, entry, entryMust);
    const result: WalkOutcome = { accept: out.accept, deny: out.deny, translated: out.translated };
    if (!out.ret.isEmpty()) {
      this.observer.policy?.(chain, out.ret);
      // A policy the ruleset does not set is whatever the kernel had: it may be either.
      const policy = chain.base?.policy ?? null;
      if (policy !== "drop") result.accept = result.accept.union(out.ret);
      if (policy !== "accept") result.deny = result.deny.union(out.ret);
    }
    return result;
  }

  private frame(chain: NetfilterChain, entry: AddressSet, entryMust: AddressSet): Frame {
    const family = this.ctx.family;
    return { chain, index: 0, reach: new MutableAddressSet(family, entry), mustReach: new MutableAddressSet(family, entryMust), accept: [], deny: [], translated: [], ret: [], pending: null };
  }

  private finish(f: Frame): ChainOutcome {
    const family = this.ctx.family;
    f.ret.push(f.reach.toAddressSet());
    return {
      accept: AddressSet.unionAll(family, f.accept),
      deny: AddressSet.unionAll(family, f.deny),
      translated: AddressSet.unionAll(family, f.translated),
      ret: AddressSet.unionAll(family, f.ret),
    };
  }

  private walk(start: NetfilterChain, entry: AddressSet, entryMust: AddressSet): ChainOutcome {
    const stack: Frame[] = [this.frame(start, entry, entryMust)];
    // A chain graph without loops is never deeper than its number of chains.
    const maxDepth = this.chains.size + 1;
    for (;;) {
      const f = stack.at(-1)!;
      const jump = f.index < f.chain.rules.length ? this.step(f) : null;
      if (jump) {
        if (stack.length > maxDepth) {
          // Unreachable for a ruleset the kernel accepts; sound if it happens: anything is possible.
          f.accept.push(jump.entry);
          f.deny.push(jump.entry);
          this.resume(f, { accept: AddressSet.empty(this.ctx.family), deny: AddressSet.empty(this.ctx.family), translated: AddressSet.empty(this.ctx.family), ret: jump.entry });
        } else {
          stack.push(this.frame(jump.chain, jump.entry, jump.entryMust));
        }
        continue;
      }
      if (f.index < f.chain.rules.length) continue;
      const done = this.finish(f);
      stack.pop();
      const caller = stack.at(-1);
      if (!caller) return done;
      this.resume(caller, done);
    }
  }

  /** A called chain came back: merge its outcome into the caller and go on after the jump. */
  private resume(f: Frame, sub: ChainOutcome): void {
    const pending = f.pending!;
    f.pending = null;
    f.accept.push(sub.accept);
    f.deny.push(sub.deny);
    f.translated.push(sub.translated);
    f.reach.subtract(pending.surely);
    // goto: coming back from the target chain returns to this chain's caller.
    if (pending.goto) f.ret.push(sub.ret);
    else f.reach.add(sub.ret);
  }

  /** Apply the frame's next rule; returns the chain to enter when the rule jumps. */
  private step(f: Frame): { chain: NetfilterChain; entry: AddressSet; entryMust: AddressSet } | null {
    const rule = f.chain.rules[f.index++]!;
    const reachEmpty = f.reach.isEmpty();
    if (reachEmpty && !this.observer.alwaysEvaluate?.(rule)) return null;
    const match = evaluateRule(rule, this.ctx);
    const v = rule.verdict;
    const hit = reachEmpty ? AddressSet.empty(this.ctx.family) : f.reach.intersect(match.maybe);
    const landing = v.kind === "dnat" ? this.landing(v) : null;
    this.observer.visit?.({ rule, chain: f.chain, hit, match, landing });
    if (hit.isEmpty()) return null;
    // Peers that surely reach this rule and surely match it (for notrack and jumps).
    const mustHere = v.kind === "notrack" || v.kind === "jump" || v.kind === "goto" ? f.mustReach.intersect(match.surely) : null;
    // Everyone the rule may match stops surely reaching the next rule (unless it goes on for sure).
    if (v.kind !== "continue" && v.kind !== "notrack") f.mustReach.subtract(match.maybe);
    switch (v.kind) {
      case "accept":
        f.accept.push(hit);
        f.reach.subtract(match.surely);
        break;
      case "drop":
      case "reject":
        f.deny.push(hit);
        f.reach.subtract(match.surely);
        break;
      case "return":
        f.ret.push(hit);
        f.reach.subtract(match.surely);
        break;
      case "dnat":
        if (landing !== "elsewhere") f.translated.push(hit);
        if (landing !== "port") f.deny.push(hit);
        f.reach.subtract(match.surely);
        break;
      case "notrack":
        if (!this.untrackable) break;
        this.ctx.untracked = this.ctx.untracked.union(hit);
        this.ctx.untrackedSure = this.ctx.untrackedSure.union(mustHere!);
        break;
      case "continue":
        break;
      case "unknown":
        f.accept.push(hit);
        f.deny.push(hit);
        if (v.terminal) f.reach.subtract(match.surely);
        break;
      case "jump":
      case "goto": {
        const chain = this.chains.get(v.chain);
        if (!chain) {
          // The front end should have made this an unknown verdict; stay sound.
          f.accept.push(hit);
          f.deny.push(hit);
          break;
        }
        f.pending = { goto: v.kind === "goto", surely: match.surely };
        return { chain, entry: hit, entryMust: mustHere! };
      }
    }
    return null;
  }
}
