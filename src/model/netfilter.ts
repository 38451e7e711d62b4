/**
 * The host firewall as netfilter runs it, independent of the tool that wrote it (iptables-save, nft).
 * The firewall analysis (src/analyze/firewall/) reads only this model; each front end turns its own
 * syntax tree into it (src/analyze/firewall/from-iptables.ts for iptables-save dumps).
 *
 * - A table holds chains; a chain with `base` is attached to a netfilter hook with a priority. Several
 *   base chains on one hook run in ascending priority, whichever table they belong to: an accept ends
 *   only its own base chain (the packet goes on to the next one), a drop ends the packet's journey.
 * - A rule is a conjunction of match predicates over the packet plus one verdict.
 * - Everything is plain data: jumps name a chain of the same table, so the model can be serialised.
 *
 * Soundness contract for front ends: a match the front end does not understand becomes an `undecidable`
 * predicate (the analysis assumes it may match or not), and a verdict it does not understand becomes
 * `unknown` (the analysis assumes it may accept, drop, or let the packet go on). Never drop a predicate
 * silently: a missing predicate makes the rule match more packets than it does.
 */
import type { SourceLocation } from "./location.js";

/** The address family whose packets are analysed (one walk per family). */
export type AnalysedFamily = "ipv4" | "ipv6";

/** nftables table families that see IP packets: `ip` (IPv4), `ip6` (IPv6), `inet` (both). */
export type TableFamily = "ip" | "ip6" | "inet";

export type Hook = "prerouting" | "input" | "forward" | "output" | "postrouting";

/** nft chain types; iptables' nat table is `nat`, mangle OUTPUT is `route`, everything else `filter`. */
export type ChainType = "filter" | "nat" | "route";

/**
 * Standard priorities (include/uapi/linux/netfilter_ipv4.h, nft's named priorities). Packets are
 * tracked by conntrack at priority -200: a base chain below that sees packets before conntrack has
 * classified them (every packet is "INVALID" there, and notrack there takes effect).
 */
export const PRIORITY = {
  raw: -300,
  conntrack: -200,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
} as const;

export interface NetfilterRuleset {
  /** The family analysed (tables of family `inet` take part in both). */
  family: AnalysedFamily;
  /** The file the ruleset was read from (for the facts' `file`). */
  file: string;
  tables: NetfilterTable[];
  /** Why the ruleset does not show the whole firewall (truncated files, hidden tables, …). */
  incomplete: Array<{ reason: string; location: SourceLocation }>;
  /** The file holds no table at all (an empty iptables-save): no evidence about the firewall. Absent: false. */
  empty?: boolean;
}

export interface NetfilterTable {
  family: TableFamily;
  name: string;
  /** The line that opens the table. */
  location: SourceLocation;
  /**
   * False when it is not known what the kernel holds for this table (the loader would reject it, or the
   * file is truncated): each of its base chains may then accept or drop anything. Give such a table
   * every base chain it would have, even without rules, so the analysis knows where it sits, and say
   * why in the ruleset's `incomplete` reasons.
   */
  loaded: boolean;
  /** Base chains and regular chains; rules jump to regular chains by name. */
  chains: NetfilterChain[];
}

/** Which tool's file a rule or chain comes from, so that messages and fixes use that tool's syntax. */
export interface RuleOrigin {
  format: "iptables" | "nft";
  /** The table's family as the tool writes it (`ip`, `ip6`, `inet`, `netdev`, `bridge`). */
  family: string;
  table: string;
  chain: string;
}

export interface NetfilterChain {
  name: string;
  location: SourceLocation;
  /** Absent: an iptables chain. */
  origin?: RuleOrigin;
  /** Present for base chains (attached to a hook); null for regular chains. */
  base: BaseChain | null;
  rules: NetfilterRule[];
}

export interface BaseChain {
  hook: Hook;
  /** Numeric priority (see PRIORITY); lower runs first. */
  priority: number;
  type: ChainType;
  /** What happens to packets that reach the end of the chain; null when the ruleset does not say (either). */
  policy: "accept" | "drop" | null;
  /**
   * The line that sets the policy as written (`:INPUT DROP [0:0]`, `policy drop;`), for evidence; when
   * no line does (`policyWritten` false), where the chain comes from and a text that says so.
   */
  policyLine: { location: SourceLocation; text: string };
  policyWritten: boolean;
}

export interface NetfilterRule {
  location: SourceLocation;
  /** The line as written (for evidence). */
  text: string;
  /** All must hold for the rule to match (an empty list matches every packet). */
  predicates: Predicate[];
  verdict: Verdict;
  /** The verdict as written (`ACCEPT`, `my-chain`, `DNAT`, `jump my-chain`), for messages. */
  verdictText: string;
  /** True when the rule makes the kernel track connections (a ct match, NAT, connmark …). */
  needsConntrack: boolean;
  /** Absent: an iptables rule. */
  origin?: RuleOrigin;
}

/** Inclusive [low, high] port ranges; `negated` matches every port outside them. */
export interface PortRanges {
  ranges: Array<[number, number]>;
  negated: boolean;
  /** Service names the front end could not map to numbers: the match is then undecidable. */
  unresolved: string[];
}

export type Predicate =
  /** The layer-4 protocol is one of `protocols` (IANA numbers); negated: none of them. */
  | { kind: "l4proto"; protocols: number[]; negated: boolean }
  /** `either`: the source or the destination port (iptables multiport --ports). */
  | { kind: "port"; field: "sport" | "dport" | "either"; ports: PortRanges }
  /**
   * The source or destination address is in `prefixes` (minimal CIDRs of the analysed family) or, when
   * `unresolved` is not empty, in some set the front end could not resolve (host names, non-contiguous
   * masks, sets without their elements). `label` names the match as written, for messages
   * (`-s 10.0.0.0/8`, `iprange 10.0.0.1-10.0.0.9`, `ip saddr @allowed`); `form` says which it is.
   */
  | {
      kind: "address";
      field: "saddr" | "daddr";
      prefixes: string[];
      negated: boolean;
      unresolved: string[];
      label: string;
      form: "address" | "range";
    }
  /** Conntrack state (INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED, SNAT, DNAT). */
  | { kind: "ctstate"; states: string[]; negated: boolean }
  /** The input (`in`) or output (`out`) interface; `wildcard`: every name starting with `prefix`. */
  | { kind: "interface"; direction: "in" | "out"; name: string; wildcard: boolean; prefix: string; negated: boolean }
  /** The route type of the source or destination address (LOCAL, BROADCAST, UNREACHABLE …). */
  | { kind: "addrtype"; field: "saddr" | "daddr"; types: string[]; negated: boolean; label: string }
  /**
   * Anything the analysis cannot decide offline (marks, ipsets, rates, packet contents, fragments).
   * `reason` is the sentence recorded as the assumption; `rateLimit` names a rate-limiting match.
   */
  | { kind: "undecidable"; reason: string; rateLimit?: string };

export type Verdict =
  | { kind: "accept" }
  | { kind: "drop" }
  | { kind: "reject" }
  | { kind: "return" }
  /** No verdict: logs, counters, marks … the packet goes on to the next rule. */
  | { kind: "continue" }
  | { kind: "jump"; chain: string }
  | { kind: "goto"; chain: string }
  /** The packet is not tracked by conntrack (state UNTRACKED); it goes on to the next rule. */
  | { kind: "notrack" }
  /**
   * Destination NAT: the packet is rewritten and its base chain ends (the packet goes on to the next
   * one). `ports`: the new destination port range (null: unchanged); `remoteAddress`: the new
   * destination may be another host. REDIRECT is DNAT to the host itself.
   */
  | { kind: "dnat"; ports: [number, number] | null; remoteAddress: boolean }
  /**
   * A verdict the analysis cannot know (userspace queues, unknown extensions, a jump to a chain that
   * does not exist): it may accept, drop, or go on. `terminal`: the packet surely does not go on.
   */
  | { kind: "unknown"; terminal: boolean; reason: string };

/** Verdicts without parameters, shared by every front end's rules (a kube-proxy dump has 100,000 rules). */
export const ACCEPT: Verdict = Object.freeze({ kind: "accept" });
export const DROP: Verdict = Object.freeze({ kind: "drop" });
export const REJECT: Verdict = Object.freeze({ kind: "reject" });
export const RETURN: Verdict = Object.freeze({ kind: "return" });
export const CONTINUE: Verdict = Object.freeze({ kind: "continue" });
export const NOTRACK: Verdict = Object.freeze({ kind: "notrack" });

/** Whether a table of `family` sees packets of the analysed family. */
export function tableSeesFamily(table: TableFamily, family: AnalysedFamily): boolean {
  return table === "inet" || (table === "ip") === (family === "ipv4");
}
