/**
 * CIS firewall hygiene read from the input, forward and output filter chains: their policies, a
 * default deny at the end of input, and the loopback rules (`-A INPUT -i lo -j ACCEPT` and a drop of
 * loopback sources that do not arrive on `lo`).
 */
import type { RuleEvidence, SourceLine } from "../../model/input.js";
import type { Hook, NetfilterChain, NetfilterRuleset } from "../../model/netfilter.js";
import { tableSeesFamily } from "../../model/netfilter.js";
import { LOOPBACK } from "../address-set.js";
import { ruleEvidence } from "./evidence.js";
import { isFilterStage } from "./hooks.js";
import { listedAddresses } from "./packet.js";

/** The (first) filter chain of a hook: where a host's admission policy is written. */
export function filterChain(ruleset: NetfilterRuleset, hook: Hook): NetfilterChain | null {
  for (const table of ruleset.tables) {
    if (!tableSeesFamily(table.family, ruleset.family)) continue;
    const chain = table.chains.find((c) => c.base?.hook === hook && isFilterStage(c));
    if (chain) return chain;
  }
  return null;
}

export function policyOf(chain: NetfilterChain | null): "ACCEPT" | "DROP" | null {
  const policy = chain?.base?.policy;
  return policy === "accept" ? "ACCEPT" : policy === "drop" ? "DROP" : null;
}

/** The line that sets the chain's policy, when one does. */
export function policyLine(chain: NetfilterChain | null): SourceLine | null {
  return chain?.base?.policyWritten ? { location: chain.base.policyLine.location, text: chain.base.policyLine.text } : null;
}

/** Policy drop, or an unconditional drop/reject as the last rule (every packet reaching it is denied). */
export function hasDefaultDeny(input: NetfilterChain): boolean {
  if (input.base?.policy === "drop") return true;
  const last = input.rules.at(-1);
  return last !== undefined && (last.verdict.kind === "drop" || last.verdict.kind === "reject") && last.predicates.length === 0;
}

/**
 * CIS loopback rules: accept everything on `lo` (nothing else on the rule), and a drop/reject of
 * loopback sources that do not come in on `lo`.
 */
export function loopbackRules(input: NetfilterChain, family: "ipv4" | "ipv6"): { accept_rule: RuleEvidence | null; spoofed_drop_rule: RuleEvidence | null } {
  const loopback = LOOPBACK[family];
  let accept: RuleEvidence | null = null;
  let drop: RuleEvidence | null = null;
  for (const rule of input.rules) {
    const preds = rule.predicates;
    const onLo = (p: (typeof preds)[number]): boolean => p.kind === "interface" && p.direction === "in" && p.name === "lo" && !p.negated;
    if (!accept && rule.verdict.kind === "accept" && preds.length === 1 && onLo(preds[0]!)) {
      accept = ruleEvidence(rule, "accepts loopback traffic");
    }
    const fromLoopback = preds.some(
      (p) => p.kind === "address" && p.form === "address" && p.field === "saddr" && !p.negated && listedAddresses(p, family).contains(loopback),
    );
    // Besides the loopback source, at most "not on lo".
    const rest = preds.filter((p) => !(p.kind === "address" && p.form === "address" && p.field === "saddr"));
    const notOnLo = rest.every((p) => p.kind === "interface" && p.direction === "in" && p.name === "lo" && p.negated);
    const deny = rule.verdict.kind === "drop" || rule.verdict.kind === "reject";
    if (!drop && deny && fromLoopback && notOnLo) drop = ruleEvidence(rule, "drops loopback sources");
  }
  return { accept_rule: accept, spoofed_drop_rule: drop };
}
