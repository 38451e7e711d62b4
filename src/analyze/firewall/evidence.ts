/**
 * The lines behind the inbound facts: which rules accept NTP packets (from untrusted peers too), which
 * rate-limit them, which assumptions the analysis made, and which rules about port 123 no packet can
 * reach (shadowed) with the earlier rules that decide their packets.
 */
import type { Assumption, RuleEvidence, ShadowedRuleFact } from "../../model/input.js";
import type { NetfilterChain, NetfilterRule, RuleOrigin } from "../../model/netfilter.js";
import type { AddressSet } from "../address-set.js";
import { isFilterStage, NTP_PORT } from "./hooks.js";
import type { RuleVisit, WalkObserver } from "./walk.js";

export function ruleEvidence(rule: NetfilterRule, effect: string): RuleEvidence {
  return { location: rule.location, text: rule.text, effect, ...provenance(rule.origin) };
}

/** Which tool's syntax the line is written in, and for nft its table and chain (for fixes in that syntax). */
export function provenance(origin: RuleOrigin | undefined): Pick<RuleEvidence, "format" | "table" | "chain"> {
  return origin?.format === "nft" ? { format: "nft", table: `${origin.family} ${origin.table}`, chain: origin.chain } : { format: "iptables" };
}

/** What a rule does, in words ("accepts", "drops", "jumps to X"). */
export function describeEffect(rule: NetfilterRule): string {
  switch (rule.verdict.kind) {
    case "accept":
      return rule.verdictText === "ACCEPT" || rule.verdictText === "accept" ? "accepts" : `jumps to ${rule.verdictText}`;
    case "drop":
      return "drops";
    case "reject":
      return "rejects";
    case "goto":
      return `goes to ${rule.verdict.chain}`;
    case "jump":
      return `jumps to ${rule.verdict.chain}`;
    default:
      return `jumps to ${rule.verdictText}`;
  }
}

/** A base chain's policy as evidence. */
export function policyEvidence(chain: NetfilterChain, effect: string): RuleEvidence {
  return { location: chain.base!.policyLine.location, text: chain.base!.policyLine.text, effect, ...provenance(chain.origin) };
}

export function policyName(chain: NetfilterChain): string {
  return chain.base?.policy?.toUpperCase() ?? "unknown";
}

/** A rule written about UDP port 123 (its destination-port match names 123). */
export function mentionsNtpPort(rule: NetfilterRule): boolean {
  return rule.predicates.some(
    (p) => p.kind === "port" && p.field !== "sport" && !p.ports.negated && p.ports.ranges.some(([lo, hi]) => lo <= NTP_PORT && NTP_PORT <= hi),
  );
}

/** A rule that may decide a packet or hand it to another chain (so that it may shadow later rules). */
const DECISIVE = new Set(["accept", "drop", "reject", "return", "dnat", "jump", "goto"]);

interface Decider {
  rule: NetfilterRule;
  maybe: AddressSet;
}

/** Collects the rules that decide inbound NTP packets, the assumptions made, and shadowed NTP rules. */
export class EvidenceCollector {
  readonly acceptedBy: RuleEvidence[] = [];
  readonly acceptedUntrustedBy: RuleEvidence[] = [];
  readonly rateLimitedBy: RuleEvidence[] = [];
  readonly assumptions: Assumption[] = [];
  private readonly shadowedRules = new Map<NetfilterRule, { rule: NetfilterRule; chain: NetfilterChain; maybe: AddressSet; position: number }>();
  private readonly seenAccept = new Set<NetfilterRule>();
  private readonly seenAssumption = new Set<NetfilterRule>();
  private readonly seenRateLimit = new Set<NetfilterRule>();
  /** Per chain, not per line: the base chains of `nft -j` JSON all sit at line 1. */
  private readonly seenPolicy = new Set<NetfilterChain>();
  /**
   * Per chain, the earlier rules that may decide packets, in order, with the peers they may match. Only
   * the shadowed rules are compared with them, once, at the end.
   */
  private readonly deciders = new Map<NetfilterChain, Decider[]>();
  private readonly deciderSeen = new Set<NetfilterRule>();

  constructor(private readonly trusted: AddressSet) {}

  observer(chainIsFilter: boolean, primary: boolean): WalkObserver {
    return {
      alwaysEvaluate: (rule) => primary && chainIsFilter && mentionsNtpPort(rule),
      visit: (v) => this.visit(v, chainIsFilter, primary),
      policy: (chain, peers) => {
        if (!isFilterStage(chain) || chain.base!.hook !== "input" || chain.base!.policy === "drop" || peers.isEmpty()) return;
        if (this.seenPolicy.has(chain)) return;
        this.seenPolicy.add(chain);
        const evidence = policyEvidence(chain, `policy ${policyName(chain)} (no rule decides these packets)`);
        this.acceptedBy.push(evidence);
        if (!peers.subtract(this.trusted).isEmpty()) this.acceptedUntrustedBy.push(evidence);
      },
    };
  }

  private visit(v: RuleVisit, filter: boolean, primary: boolean): void {
    const hit = v.hit;
    if (primary && filter) this.checkShadowed(v);
    if (hit.isEmpty()) return;
    if (filter && v.rule.verdict.kind === "accept" && !this.seenAccept.has(v.rule)) {
      this.seenAccept.add(v.rule);
      this.acceptedBy.push(ruleEvidence(v.rule, "accepts"));
      if (!hit.subtract(this.trusted).isEmpty()) this.acceptedUntrustedBy.push(ruleEvidence(v.rule, "accepts"));
    }
    const rateLimit = v.rule.predicates.find((p) => p.kind === "undecidable" && p.rateLimit);
    if (filter && rateLimit && !this.seenRateLimit.has(v.rule)) {
      this.seenRateLimit.add(v.rule);
      const limit = rateLimit.kind === "undecidable" ? rateLimit.rateLimit : "";
      const written = v.rule.origin?.format === "nft" ? limit : `-m ${limit}`;
      this.rateLimitedBy.push(ruleEvidence(v.rule, `rate limit (${written}) then ${describeEffect(v.rule)}`));
    }
    const decisive = v.rule.verdict.kind !== "continue";
    if (decisive && v.match.undecided.length > 0 && !this.seenAssumption.has(v.rule)) {
      this.seenAssumption.add(v.rule);
      this.assumptions.push({ location: v.rule.location, text: v.rule.text, reason: v.match.undecided.join("; "), ...provenance(v.rule.origin) });
    }
    if (v.rule.verdict.kind === "unknown" && !this.seenAssumption.has(v.rule)) {
      this.seenAssumption.add(v.rule);
      this.assumptions.push({ location: v.rule.location, text: v.rule.text, reason: v.rule.verdict.reason, ...provenance(v.rule.origin) });
    }
  }

  private checkShadowed(v: RuleVisit): void {
    const earlier = this.deciders.get(v.chain) ?? [];
    if (mentionsNtpPort(v.rule) && v.hit.isEmpty() && !v.match.maybe.isEmpty() && !this.shadowedRules.has(v.rule)) {
      this.shadowedRules.set(v.rule, { rule: v.rule, chain: v.chain, maybe: v.match.maybe, position: earlier.length });
    }
    if (DECISIVE.has(v.rule.verdict.kind) && !v.match.maybe.isEmpty() && !this.deciderSeen.has(v.rule)) {
      this.deciderSeen.add(v.rule);
      earlier.push({ rule: v.rule, maybe: v.match.maybe });
      this.deciders.set(v.chain, earlier);
    }
  }

  /** Each shadowed rule with the earlier deciding rules whose packets overlap its own. */
  shadowed(): ShadowedRuleFact[] {
    const out: ShadowedRuleFact[] = [];
    for (const s of this.shadowedRules.values()) {
      const earlier = (this.deciders.get(s.chain) ?? []).slice(0, s.position);
      const by = earlier.filter((d) => overlaps(d.maybe, s.maybe)).map((d) => ruleEvidence(d.rule, describeEffect(d.rule)));
      out.push({ location: s.rule.location, text: s.rule.text, shadowed_by: by, ...provenance(s.rule.origin) });
    }
    return out;
  }
}

/** Whether two sets share an address; a bounds check first, the exact test only when they may. */
function overlaps(a: AddressSet, b: AddressSet): boolean {
  const x = a.intervalList;
  const y = b.intervalList;
  if (x.length === 0 || y.length === 0) return false;
  if (x.at(-1)![1] < y[0]![0] || y.at(-1)![1] < x[0]![0]) return false;
  return a.overlaps(b);
}
