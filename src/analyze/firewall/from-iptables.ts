/**
 * The iptables front end of the firewall analysis: an iptables-save dump (src/model/iptables.ts) as
 * the neutral netfilter model (src/model/netfilter.ts). Tables become tables of family ip/ip6, their
 * built-in chains base chains at the standard hooks and priorities, and each rule's basic matches,
 * match modules and target become predicates and a verdict. Modules the analysis does not model become
 * undecidable predicates, unknown targets unknown verdicts (sound: they may do anything).
 */
import type { Chain, Match, Rule, Ruleset, Table } from "../../model/iptables.js";
import { type BaseChain, type ChainType, type Hook, type NetfilterChain, type NetfilterRule, type NetfilterRuleset, type NetfilterTable, type Predicate, type Verdict, ACCEPT, CONTINUE, DROP, NOTRACK, PRIORITY, REJECT, RETURN } from "../../model/netfilter.js";

interface BuiltinChain {
  hook: Hook;
  priority: number;
  type: ChainType;
}

/**
 * Where each table's built-in chains sit (net/ipv4/netfilter/iptable_*.c). The nat table's INPUT and
 * POSTROUTING chains only rewrite source addresses of connections that are already admitted and are
 * left out, as before this model existed.
 */
const BUILTIN_CHAINS: Record<string, Record<string, BuiltinChain>> = {
  raw: builtinChains(PRIORITY.raw, "filter", ["prerouting", "output"]),
  // mangle OUTPUT is a `route` chain: a mark or TOS it sets re-routes the packet.
  mangle: builtinChains(PRIORITY.mangle, "filter", ["prerouting", "input", "forward", "output", "postrouting"], { output: "route" }),
  nat: builtinChains(PRIORITY.dstnat, "nat", ["prerouting", "output"]),
  filter: builtinChains(PRIORITY.filter, "filter", ["input", "forward", "output"]),
  security: builtinChains(PRIORITY.security, "filter", ["input", "forward", "output"]),
};

/** One table's built-in chains, named as iptables names them (INPUT for the input hook), at one priority. */
function builtinChains(
  priority: number,
  type: ChainType,
  hooks: readonly BuiltinChain["hook"][],
  typeByHook: Partial<Record<BuiltinChain["hook"], ChainType>> = {},
): Record<string, BuiltinChain> {
  return Object.fromEntries(hooks.map((hook) => [hook.toUpperCase(), { hook, priority, type: typeByHook[hook] ?? type }]));
}

export function netfilterFromIptables(ruleset: Ruleset): NetfilterRuleset {
  const tables: NetfilterTable[] = [];
  for (const name of Object.keys(BUILTIN_CHAINS)) {
    const table = ruleset.tables.find((t) => t.name === name);
    if (table) tables.push(convertTable(table, ruleset.family === "ipv4" ? "ip" : "ip6"));
  }
  return {
    family: ruleset.family,
    file: ruleset.file,
    tables,
    empty: ruleset.empty,
    incomplete: [
      // An uncommitted table is already among these.
      ...ruleset.incomplete.map((r) => ({ reason: r.reason, location: r.location })),
      ...ruleset.tables
        .filter((t) => t.committed && !t.loadable)
        .map((t) => ({ reason: `table ${t.name} has a line iptables-restore rejects, so the file does not load as written`, location: t.location })),
    ],
  };
}

function convertTable(table: Table, family: "ip" | "ip6"): NetfilterTable {
  const builtins = BUILTIN_CHAINS[table.name]!;
  const names = new Set(table.chains.map((c) => c.name));
  const chains: NetfilterChain[] = [];
  for (const [name, spec] of Object.entries(builtins)) {
    // A table that does not load still has its hooks: the analysis treats them as "anything may happen".
    const chain = table.chains.find((c) => c.name === name && c.builtin);
    const base = chain ? baseChain(chain, spec) : { ...spec, policy: null, policyLine: { location: table.location, text: `:${name} -` }, policyWritten: false };
    chains.push({ name, location: chain?.location ?? table.location, base, rules: chain ? chain.rules.map((r) => convertRule(r, names)) : [] });
  }
  for (const chain of table.chains) {
    if (chain.builtin) continue;
    chains.push({ name: chain.name, location: chain.location, base: null, rules: chain.rules.map((r) => convertRule(r, names)) });
  }
  const loaded = table.committed && table.loadable;
  return {
    family,
    name: table.name,
    location: table.location,
    loaded,
    chains,
  };
}

function baseChain(chain: Chain, spec: BuiltinChain): BaseChain {
  const counters = chain.counters ? ` [${chain.counters.packets}:${chain.counters.bytes}]` : "";
  return {
    ...spec,
    policy: chain.policy === "ACCEPT" ? "accept" : chain.policy === "DROP" ? "drop" : null,
    policyLine: { location: chain.location, text: `:${chain.name} ${chain.policy ?? "-"}${counters}` },
    policyWritten: chain.declared,
  };
}

/** Modules whose options become exact predicates (or are irrelevant to the verdict). */
const MODELLED_MODULES = new Set(["udp", "tcp", "udplite", "sctp", "dccp", "icmp", "icmp6", "multiport", "conntrack", "state", "iprange", "comment", "addrtype"]);

/** Conntrack options other than --ctstate are not modelled. */
const CONNTRACK_STATE_OPTIONS = new Set(["ctstate", "state"]);

const RATE_LIMIT_MODULES = new Set(["limit", "hashlimit", "recent", "connlimit"]);

/** Matches and targets that make the kernel track connections. */
const CONNTRACK_MATCHES = new Set(["state", "conntrack", "connmark", "connlimit", "connbytes", "connlabel", "helper", "cluster"]);
const CONNTRACK_TARGETS = new Set(["DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP", "CONNMARK", "CONNSECMARK"]);

const PROTOCOL_NUMBERS: Record<string, number> = { tcp: 6, udp: 17 };

export function convertRule(rule: Rule, chains: ReadonlySet<string>): NetfilterRule {
  return new IptablesRule(rule, chains);
}

/**
 * One iptables rule seen through the neutral model. Its parts are worked out on first use and kept: a
 * kube-proxy dump has 100,000 rules and a walk for UDP/123 reaches few of them.
 */
class IptablesRule implements NetfilterRule {
  readonly location: Rule["location"];
  readonly text: string;
  readonly verdictText: string;
  private cachedPredicates: Predicate[] | null = null;
  private cachedVerdict: Verdict | null = null;
  private cachedConntrack: boolean | null = null;

  constructor(
    private readonly rule: Rule,
    private readonly chains: ReadonlySet<string>,
  ) {
    this.location = rule.location;
    this.text = rule.text;
    this.verdictText = rule.target?.name ?? "";
  }

  get predicates(): Predicate[] {
    return (this.cachedPredicates ??= predicates(this.rule));
  }

  get verdict(): Verdict {
    return (this.cachedVerdict ??= verdict(this.rule, this.chains));
  }

  get needsConntrack(): boolean {
    if (this.cachedConntrack === null) {
      const r = this.rule;
      const t = r.target;
      const ctTarget = t !== null && (CONNTRACK_TARGETS.has(t.name) || (t.name === "CT" && !t.options.some((o) => o.name === "notrack")));
      this.cachedConntrack = r.conntrack !== null || r.matches.some((m) => CONNTRACK_MATCHES.has(m.module)) || ctTarget;
    }
    return this.cachedConntrack;
  }

  /** Plain data, as the model promises (JSON of the neutral rule, not of the iptables one). */
  toJSON(): NetfilterRule {
    return { location: this.location, text: this.text, predicates: this.predicates, verdict: this.verdict, verdictText: this.verdictText, needsConntrack: this.needsConntrack };
  }
}

/**
 * The rule's matches in the order the analysis reports its assumptions: protocol, ports, interfaces,
 * fragments, destination, match modules, source, conntrack state.
 */
function predicates(rule: Rule): Predicate[] {
  const out: Predicate[] = [];
  const p = rule.protocol;
  if (p && !(p.value === "all" || p.number === 0)) {
    out.push({ kind: "l4proto", protocols: [p.number ?? PROTOCOL_NUMBERS[p.value] ?? -1], negated: p.negated });
  } else if (p && p.negated) {
    out.push({ kind: "l4proto", protocols: [], negated: false }); // `! -p all` matches nothing
  }
  const { sport, dport, either } = rule.ports;
  if (sport) out.push({ kind: "port", field: "sport", ports: sport });
  if (dport) out.push({ kind: "port", field: "dport", ports: dport });
  if (either) out.push({ kind: "port", field: "either", ports: either });
  for (const [direction, iface] of [["in", rule.inInterface], ["out", rule.outInterface]] as const) {
    if (iface) out.push({ kind: "interface", direction, name: iface.name, wildcard: iface.wildcard, prefix: iface.prefix, negated: iface.negated });
  }
  if (rule.fragment) out.push({ kind: "undecidable", reason: "-f (fragments)" });
  out.push(...addressPredicates(rule, "daddr"));
  for (const m of rule.matches) out.push(...modulePredicates(m));
  out.push(...addressPredicates(rule, "saddr"));
  if (rule.conntrack) out.push({ kind: "ctstate", states: rule.conntrack.states, negated: rule.conntrack.negated });
  return out;
}

function addressPredicates(rule: Rule, field: "saddr" | "daddr"): Predicate[] {
  const out: Predicate[] = [];
  const address = field === "saddr" ? rule.source : rule.destination;
  if (address) {
    out.push({
      kind: "address",
      field,
      prefixes: address.prefixes,
      negated: address.negated,
      unresolved: [...address.hostnames, ...address.nonContiguous],
      label: `${field === "saddr" ? "-s" : "-d"} ${address.written}`,
      form: "address",
    });
  }
  const range = field === "saddr" ? rule.ipRange.source : rule.ipRange.destination;
  if (range) out.push({ kind: "address", field, prefixes: range.prefixes, negated: range.negated, unresolved: [], label: `iprange ${range.from}-${range.to}`, form: "range" });
  return out;
}

function modulePredicates(m: Match): Predicate[] {
  if (!MODELLED_MODULES.has(m.module)) {
    const reason = `-m ${m.module}${m.options[0] ? ` --${m.options[0].name}` : ""}: ${unknownModuleReason(m.module)}; assumed to match`;
    return [RATE_LIMIT_MODULES.has(m.module) ? { kind: "undecidable", reason, rateLimit: m.module } : { kind: "undecidable", reason }];
  }
  const out: Predicate[] = [];
  if (m.module === "conntrack") {
    for (const o of m.options) if (!CONNTRACK_STATE_OPTIONS.has(o.name)) out.push({ kind: "undecidable", reason: `-m conntrack --${o.name}: not modelled; assumed to match` });
  }
  if (m.module === "addrtype") {
    for (const o of m.options) {
      const types = (o.values[0] ?? "").toUpperCase().split(",");
      out.push({ kind: "addrtype", field: o.name === "dst-type" ? "daddr" : "saddr", types, negated: o.negated, label: `-m addrtype --${o.name} ${o.values.join(" ")}` });
    }
  }
  if (m.module === "tcp" || m.module === "udp") {
    // A new connection's first packet is a SYN: --syn (and --tcp-flags asking for it) decide nothing else.
    for (const o of m.options) if (o.name !== "sport" && o.name !== "dport") out.push({ kind: "undecidable", reason: `--${o.name}` });
  }
  return out;
}

/** Targets that change nothing about the verdict (they log, mark, count, …) and let the packet go on. */
const NON_TERMINATING = new Set([
  "LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "CLASSIFY", "TOS", "DSCP", "TTL", "HL", "TCPMSS", "TRACE", "AUDIT",
  "CHECKSUM", "SET", "SECMARK", "CONNSECMARK", "TEE", "IDLETIMER", "LED", "RATEEST", "ECN", "TPROXY_MARK", "SYNPROXY_SKIP",
]);

function unknownTarget(name: string, terminal: boolean): Verdict {
  return { kind: "unknown", terminal, reason: `target ${name}: its verdict is not known offline; assumed it may accept or drop` };
}

function verdict(rule: Rule, chains: ReadonlySet<string>): Verdict {
  const t = rule.target;
  if (!t) return CONTINUE;
  if (t.resolution === "chain") {
    if (!chains.has(t.name)) return unknownTarget(t.name, false);
    return t.kind === "goto" ? { kind: "goto", chain: t.name } : { kind: "jump", chain: t.name };
  }
  switch (t.name) {
    case "ACCEPT":
      return ACCEPT;
    case "DROP":
      return DROP;
    case "REJECT":
      return REJECT;
    case "RETURN":
      return RETURN;
    case "NOTRACK":
      return NOTRACK;
    case "CT":
      return t.options.some((o) => o.name === "notrack") ? NOTRACK : CONTINUE;
    case "REDIRECT":
    case "DNAT":
      return natVerdict(rule) ?? unknownTarget(t.name, true);
    case "SNAT":
    case "MASQUERADE":
    case "NETMAP":
      return ACCEPT;
    case "QUEUE":
    case "NFQUEUE":
      return unknownTarget(t.name, true);
    default:
      return NON_TERMINATING.has(t.name) ? CONTINUE : unknownTarget(t.name, false);
  }
}

/** DNAT/REDIRECT's new destination: its port range (null: unchanged) and whether it may be another host. */
function natVerdict(rule: Rule): Verdict | null {
  const t = rule.target!;
  const value = (name: string): string | undefined => t.options.find((o) => o.name === name)?.values[0];
  let portSpec: string | undefined;
  let remoteAddress = false;
  if (t.name === "REDIRECT") {
    portSpec = value("to-ports");
  } else {
    const dest = value("to-destination") ?? "";
    // The common form (kube-proxy writes tens of thousands): an IPv4 address and one port.
    const simple = /^\d{1,3}(?:\.\d{1,3}){3}:(\d+)$/.exec(dest);
    if (simple) {
      const port = Number(simple[1]);
      return { kind: "dnat", ports: [port, port], remoteAddress: true };
    }
    // [addr][-addr][:port[-port]]; IPv6 addresses are bracketed when a port follows.
    const m = /^(\[[^\]]*\]|[^:[\]]*(?:-[^:[\]]*)?|[0-9a-fA-F:.]*)(?::(\d+(?:-\d+)?))?$/.exec(dest.startsWith("[") || dest.split(":").length <= 2 ? dest : `[${dest}]`);
    remoteAddress = Boolean(m?.[1] && m[1] !== "[]");
    portSpec = m?.[2];
  }
  if (portSpec === undefined) return { kind: "dnat", ports: null, remoteAddress };
  const [lo, hi] = portSpec.split(/[-:]/).map(Number) as [number, number | undefined];
  const top = hi ?? lo;
  if (!Number.isInteger(lo) || !Number.isInteger(top)) return null;
  return { kind: "dnat", ports: [lo, top], remoteAddress };
}

function unknownModuleReason(module: string): string {
  switch (module) {
    case "set":
      return "the ipset's members are not in the dump";
    case "recent":
    case "hashlimit":
    case "limit":
    case "connlimit":
      return "depends on traffic history and rates";
    case "mark":
    case "connmark":
      return "depends on marks set at run time";
    case "u32":
    case "string":
    case "bpf":
    case "length":
      return "depends on packet contents";
    case "statistic":
      return "matches a random or periodic share of packets";
    case "owner":
      return "only meaningful for locally generated packets";
    default:
      return "not modelled offline";
  }
}
