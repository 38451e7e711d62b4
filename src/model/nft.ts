/**
 * The nftables ruleset as ntp-policy reads it, from either input form:
 *
 * - the ruleset language (`nft list ruleset`, /etc/nftables.conf and what it includes), parsed by
 *   grammar/nft.ne statement by statement (src/parse/nft/);
 * - `nft -j list ruleset` JSON (libnftables-json(5)), read by src/parse/nft/json.ts.
 *
 * Both produce an `NftRuleset`: the tables, chains, rules and sets that exist after every command of the
 * input has been applied in order (`flush ruleset`, `add`/`insert`/`delete`, table blocks …), with the
 * location of every statement. Rules are kept as a list of items — matches (`left op right`), statements
 * (counter, log, nat, …) and verdicts — in the order nft runs them. What the grammar does not understand is
 * kept verbatim as an `unknown` item: a consumer must treat it as undecidable (it may or may not match and
 * may or may not end evaluation), never as nothing.
 *
 * Locations. Text input: file (host-relative), 1-based line and column of the statement's first token.
 * JSON input has no positions: `line`/`column` are 1/1 and `path` is the RFC 6901 JSON pointer of the
 * element (`/nftables/7/rule/expr/2`), so a report can still point at the exact object.
 */
import type { Diagnostic } from "./diagnostic.js";
import type { SourceLocation } from "./location.js";

export const NFT_FAMILIES = ["ip", "ip6", "inet", "arp", "bridge", "netdev"] as const;
export type NftFamily = (typeof NFT_FAMILIES)[number];

export interface NftLocation extends SourceLocation {
  /** JSON input only: the JSON pointer of the element the location stands for. */
  path?: string;
}

// ---------------------------------------------------------------------------------------------------
// Expressions

/** What a match or a map looks at: a packet field, packet metadata or conntrack state. */
export type NftSelector =
  /** A header field: `ip saddr`, `ip6 daddr`, `udp dport`, `th dport` (any transport header), `icmp type`. */
  | { k: "payload"; protocol: string; field: string }
  /** Packet metadata: `meta l4proto`, `meta nfproto`, `iif`, `iifname`, `oif`, `mark` (short forms are normalised to meta). */
  | { k: "meta"; key: string }
  /** Conntrack: `ct state`, `ct status`, `ct mark`; `dir` for `ct original saddr`, `family` for `ct reply ip saddr`. */
  | { k: "ct"; key: string; dir?: string; family?: string }
  /** `fib saddr . iif oif`: the flags and the result looked up. */
  | { k: "fib"; flags: string[]; result: string }
  /** `socket transparent`, `rt mtu`, `osf name`, … : a key the analysis does not interpret. */
  | { k: "other"; name: string; key: string }
  /** `ip saddr . udp dport`: a concatenation of selectors (set lookups on tuples). */
  | { k: "concat"; parts: NftSelector[] }
  /** `meta mark & 0xff`: a selector combined with a constant by a bitwise operator. */
  | { k: "binop"; op: string; left: NftSelector; right: NftValue };

/** A constant, a set, a reference. Value text is kept as written (numbers, addresses, `a-b` ranges, `a/n` prefixes, names). */
export type NftValue =
  /** A single value: `123`, `udp`, `10.0.0.0/8`, `192.0.2.1-192.0.2.9`, `established`, `"eth0"` (unquoted). */
  | { k: "value"; text: string }
  /** A comma list written without braces (`ct state established,related`): any of them. */
  | { k: "list"; items: NftValue[] }
  /** `a . b`: a tuple for concatenated keys. */
  | { k: "concat"; parts: NftValue[] }
  /** An anonymous set `{ 123, 323 }`. */
  | { k: "set"; elements: NftSetElement[] }
  /** `@name`: a named set or map of the same table. */
  | { k: "setref"; name: string }
  /** A value the grammar does not interpret (kept verbatim). */
  | { k: "unknown"; text: string };

export interface NftSetElement {
  key: NftValue;
  /** Maps: the mapped value; verdict maps hold a verdict. */
  value?: NftValue | NftVerdict;
  /** `timeout 1h`, `expires …`, `comment "…"`, `counter …` written after the element. */
  options?: string[];
}

// ---------------------------------------------------------------------------------------------------
// Rules

export type NftVerdictKind = "accept" | "drop" | "reject" | "jump" | "goto" | "return" | "continue" | "queue";

export interface NftVerdict {
  k: "verdict";
  verdict: NftVerdictKind;
  /** `jump`/`goto`: the chain. */
  target?: string;
  /** `reject with …`, `queue num …`: the words after the keyword, as written. */
  args?: string[];
  loc: NftLocation;
}

export type NftMatchOp = "==" | "!=" | "<" | ">" | "<=" | ">=";

/** `left op right`. With no operator written, nft compares for equality, or membership for sets and lists. */
export interface NftMatch {
  k: "match";
  left: NftSelector;
  op: NftMatchOp;
  right: NftValue;
  loc: NftLocation;
}

/** `tcp dport vmap { 22 : accept, 80 : jump web }`, `ip saddr vmap @blocked`. */
export interface NftVmap {
  k: "vmap";
  key: NftSelector;
  map: NftValue;
  loc: NftLocation;
}

/** Address/port rewriting and conntrack bypass (these end evaluation in their hook for nat chains). */
export interface NftNat {
  k: "nat";
  kind: "dnat" | "snat" | "redirect" | "masquerade";
  /** `dnat ip to …`: the family written after the keyword. */
  family?: string;
  /** The `to` expression, verbatim (`10.0.0.2:123`, `:1123`). */
  to?: string;
  flags?: string[];
  loc: NftLocation;
}

/** Statements that neither decide nor filter by themselves (limit and quota do filter: see `filters`). */
export interface NftAction {
  k: "counter" | "log" | "limit" | "quota" | "notrack" | "set" | "dynset" | "flow";
  /** True when the statement can stop the rule from matching (limit, quota): treat as undecidable. */
  filters: boolean;
  /** The words of the statement after its keyword, as written (`prefix "x"`, `rate 10/second`). */
  args: string[];
  loc: NftLocation;
}

/** A part of a rule the grammar does not understand: undecidable (may match, may end evaluation). */
export interface NftUnknown {
  k: "unknown";
  text: string;
  loc: NftLocation;
}

export type NftRuleItem = NftMatch | NftVmap | NftNat | NftAction | NftVerdict | NftUnknown;

export interface NftRule {
  items: NftRuleItem[];
  comment?: string;
  /** False when at least one item is `unknown`. */
  understood: boolean;
  /** `handle N` from `nft -a list ruleset` or JSON, when present. */
  handle?: number;
  loc: NftLocation;
}

// ---------------------------------------------------------------------------------------------------
// Tables, chains, sets

/** `type filter hook input priority filter + 10; policy drop;` */
export interface NftBaseChainSpec {
  type: string;
  hook: string;
  /** The priority as written (`filter + 10`, `-150`, `dstnat`). */
  priorityText: string;
  /** The numeric priority (named priorities resolved for the family and hook as nft does); null if not resolvable. */
  priority: number | null;
  /** netdev/inet ingress and egress: `device "eth0"` / `devices = { … }`. */
  devices?: string[];
  loc: NftLocation;
}

export interface NftChain {
  name: string;
  base?: NftBaseChainSpec;
  /** Base chains: `accept` when no policy is written (nft's default). */
  policy?: string;
  rules: NftRule[];
  comment?: string;
  loc: NftLocation;
}

export interface NftSet {
  name: string;
  /** True for `map` (and verdict maps). */
  map: boolean;
  /** `type ipv4_addr . inet_service` → ["ipv4_addr", "inet_service"]; typeof sets hold the selector text. */
  keyType: string[];
  /** Maps: the data type (`verdict`, `ipv4_addr`). */
  dataType?: string;
  /** True when the set was declared with `typeof`. */
  typeof?: boolean;
  flags: string[];
  elements: NftSetElement[];
  timeout?: string;
  loc: NftLocation;
}

export interface NftTable {
  family: NftFamily;
  name: string;
  chains: NftChain[];
  sets: NftSet[];
  flags: string[];
  loc: NftLocation;
}

export interface NftRuleset {
  /** In creation order (the order `nft list ruleset` prints them). */
  tables: NftTable[];
  /** Syntax errors, unreadable includes, undefined variables, references to missing tables/chains/sets. */
  diagnostics: Diagnostic[];
  /** Every file read (the entry file, then included files in reading order). */
  files: string[];
}

/** A host's nft ruleset as the firewall analysis reads it. */
export interface NftSource {
  ruleset: NftRuleset;
  /** The file the facts name (the entry file, or the JSON dump). */
  file: string;
  /** The text of every file read (host-relative path → text), to quote rules as written; absent for JSON. */
  texts?: ReadonlyMap<string, string>;
}
