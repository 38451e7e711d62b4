/**
 * Seeded random nftables rulesets for the nft kernel lab (nft-lab.test.ts). Each ruleset is one file
 * `nft -f` loads, with tables of family inet, ip and ip6, several base chains on the input and
 * prerouting hooks at different priorities (named and numeric), regular chains reached by jump and
 * goto, named sets with intervals, anonymous sets, concatenations, verdict maps, ct state, meta
 * l4proto, th/udp dport and interface matches. It comes with the probe sources worth trying: the
 * edges of every prefix and range it mentions, for both families.
 *
 * The probe is a NEW UDP datagram to the receiver's port 123 arriving on eth0 from a random source
 * port >= 1024; constructs whose outcome a probe does not pin down (rate limits, marks) are left out.
 */
import { edgeAddresses } from "./generate.js";
import { LAB, unprobeableReason } from "./harness.js";

export interface GeneratedNftRuleset {
  seed: number;
  text: string;
  /** Probeable sources of both families, deduplicated, in a stable order. */
  sources: string[];
  /** Construct keys used, sorted (for coverage). */
  features: string[];
}

/** Every construct key the generator can emit. */
export const NFT_FEATURES = [
  "table:inet", "table:ip", "table:ip6", "hook:prerouting", "several-base-chains", "priority:named", "priority:numeric",
  "policy:drop", "policy:accept", "saddr:prefix", "saddr:!prefix", "saddr:anon-set", "saddr:range", "saddr:named-set",
  "saddr:!named-set", "concat", "vmap:saddr", "vmap:dport", "dport:single", "dport:!", "dport:set", "dport:range",
  "th:dport", "l4proto:set", "l4proto:tcp", "ctstate:new", "ctstate:established", "ctstate:invalid", "ctstate:!new",
  "iif:lo", "iifname:eth0", "iifname:eth*", "iifname:!eth0", "jump", "goto", "return", "reject", "counter", "drop", "accept",
] as const;

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = (seed * 2654435761) >>> 0 || 1;
  }
  next(): number {
    // mulberry32
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const PREFIXES = {
  4: ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "203.0.113.0/24", "203.0.113.128/25", "203.0.113.9", "198.51.100.0/24", "192.0.2.0/24", "172.16.0.0/12", "192.168.1.0/24", "0.0.0.0/1", "100.64.0.0/10"],
  6: ["2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64", "2001:db8:1::5", "fd00::/8", "fd12:3456:789a::/48", "2400:cb00::/32", "2000::/3", "8000::/1"],
} as const;
const RANGES = { 4: ["203.0.113.10-203.0.113.40", "10.2.0.0-10.2.3.255"], 6: ["2001:db8:2::10-2001:db8:2::2f", "fd00:1::-fd00:1::ff"] } as const;
/** Prefixes that do not overlap each other: the keys of one interval verdict map (nft refuses overlaps). */
const DISJOINT = {
  4: ["10.0.0.0/8", "203.0.113.0/25", "203.0.113.128/25", "198.51.100.0/24", "192.0.2.0/24", "172.16.0.0/12", "192.168.1.0/24", "100.64.0.0/10"],
  6: ["2001:db8::/33", "2001:db8:8000::/33", "fd00::/8", "2400:cb00::/32", "2a00::/16"],
} as const;

/** Matches that name a transport protocol: nft refuses two different ones in a rule. */
const PROTOCOL_MATCH = /^(udp|tcp|th) |^meta l4proto /;

const BASE_SOURCES = [
  "203.0.113.9", "198.51.100.77", "192.0.2.200", "10.1.2.3", "172.16.5.5", "192.168.1.10", "8.8.8.8", "100.64.0.1", "1.1.1.1",
  "2001:db8::9", "2001:db8:1::5", "2a00:1450::1", "fd00::1", "2600::1", "2001:4860::8888",
];

type Fam = 4 | 6;
const addr = (f: Fam): string => (f === 4 ? "ip" : "ip6");

class Builder {
  readonly features = new Set<string>();
  readonly blocks: string[] = [];
  readonly mentioned: string[] = [];
  constructor(readonly rng: Rng) {}

  use(feature: string): void {
    this.features.add(feature);
  }

  prefix(f: Fam): string {
    const p = this.rng.pick(PREFIXES[f]);
    this.mentioned.push(p);
    return p;
  }

  range(f: Fam): string {
    const r = this.rng.pick(RANGES[f]);
    this.mentioned.push(r);
    return r;
  }

  /** One match on the source address of family f. */
  saddr(f: Fam, sets: string[]): string {
    const r = this.rng;
    const k = r.int(6);
    if (k === 0) {
      this.use("saddr:!prefix");
      return `${addr(f)} saddr != ${this.prefix(f)}`;
    }
    if (k === 1) {
      this.use("saddr:anon-set");
      const items = [this.prefix(f), this.prefix(f), this.range(f)];
      return `${addr(f)} saddr { ${[...new Set(items)].join(", ")} }`;
    }
    if (k === 2) {
      this.use("saddr:range");
      return `${addr(f)} saddr ${this.range(f)}`;
    }
    if (k === 3 && sets.length > 0) {
      const negated = r.chance(0.3);
      this.use(negated ? "saddr:!named-set" : "saddr:named-set");
      return `${addr(f)} saddr ${negated ? "!= " : ""}@${r.pick(sets)}`;
    }
    this.use("saddr:prefix");
    return `${addr(f)} saddr ${this.prefix(f)}`;
  }

  /** A match on the packet other than its source address. */
  other(): string {
    const r = this.rng;
    switch (r.int(12)) {
      case 0:
        this.use("dport:single");
        return r.pick(["udp dport 123", "udp dport 53"]);
      case 1:
        this.use("dport:!");
        return r.pick(["udp dport != 123", "udp dport != 1-1000"]);
      case 2:
        this.use("dport:set");
        return r.pick(["udp dport { 53, 123, 323 }", "udp dport { 1-100, 200 }"]);
      case 3:
        this.use("dport:range");
        return r.pick(["udp dport 100-200", "udp dport 1-1023", "udp dport 124-65535"]);
      case 4:
        this.use("th:dport");
        return r.pick(["th dport 123", "th dport { 22, 123 }", "th dport != 123"]);
      case 5:
        this.use(r.chance(0.5) ? "l4proto:set" : "l4proto:tcp");
        return r.pick(["meta l4proto { tcp, udp }", "meta l4proto tcp", "meta l4proto udp"]);
      case 6:
        this.use("ctstate:new");
        return "ct state new";
      case 7:
        this.use("ctstate:established");
        return r.pick(["ct state established,related", "ct state { established, related }"]);
      case 8:
        this.use("ctstate:invalid");
        return "ct state invalid";
      case 9:
        this.use("ctstate:!new");
        return "ct state != new";
      case 10: {
        const k = r.pick(["iif:lo", "iifname:eth0", "iifname:eth*", "iifname:!eth0"]);
        this.use(k);
        return { "iif:lo": "iif lo", "iifname:eth0": `iifname "${LAB.receiverInterface}"`, "iifname:eth*": 'iifname "eth*"', "iifname:!eth0": `iifname != "${LAB.receiverInterface}"` }[k]!;
      }
      default:
        this.use("counter");
        return "counter";
    }
  }

  /** A verdict; `mapped`: inside a verdict map, where nft takes no reject. */
  verdict(chains: string[], inBase: boolean, mapped = false): string {
    const r = this.rng;
    const k = r.int(10);
    if (k < 3) return this.v("accept");
    if (k < 6) return this.v("drop");
    if (k === 6) return mapped ? this.v("drop") : this.v("reject");
    if (k === 7 && !inBase) return this.v("return");
    if (k >= 8 && chains.length > 0) {
      const goto = r.chance(0.3);
      this.use(goto ? "goto" : "jump");
      return `${goto ? "goto" : "jump"} ${r.pick(chains)}`;
    }
    return this.v("accept");
  }

  private v(name: string): string {
    this.use(name);
    return name;
  }

  /** A rule of a table of family `tf` (inet rules may name either address family). */
  rule(tf: "inet" | "ip" | "ip6", sets: Record<Fam, string[]>, chains: string[], inBase: boolean): string {
    const r = this.rng;
    const fam: Fam = tf === "ip" ? 4 : tf === "ip6" ? 6 : r.chance(0.5) ? 4 : 6;
    const kind = r.int(10);
    if (kind === 0) {
      this.use("vmap:saddr");
      const keys = DISJOINT[fam];
      const i = r.int(keys.length);
      const j = (i + 1 + r.int(keys.length - 1)) % keys.length;
      this.mentioned.push(keys[i]!, keys[j]!);
      const va = this.verdict(chains, inBase, true);
      const vb = this.verdict(chains, inBase, true);
      return `${this.other()} ${addr(fam)} saddr vmap { ${keys[i]} : ${va}, ${keys[j]} : ${vb} }`;
    }
    if (kind === 1) {
      this.use("vmap:dport");
      return `${this.maybeSaddr(fam, sets)}udp dport vmap { 123 : ${this.verdict(chains, inBase, true)}, 53 : ${this.verdict(chains, inBase, true)} }`;
    }
    if (kind === 2 && tf !== "ip6" && fam === 4) {
      this.use("concat");
      const elements = [`${this.prefix(4)} . 123`, `${this.range(4)} . 100-200`];
      return `ip saddr . udp dport { ${elements.join(", ")} } ${this.verdict(chains, inBase)}`;
    }
    const parts: string[] = [];
    const n = 1 + r.int(3);
    for (let i = 0; i < n; i++) {
      const part = r.chance(0.5) ? this.saddr(fam, sets[fam]) : this.other();
      if (PROTOCOL_MATCH.test(part) && parts.some((p) => PROTOCOL_MATCH.test(p))) continue;
      parts.push(part);
    }
    return `${parts.join(" ")} ${this.verdict(chains, inBase)}`;
  }

  private maybeSaddr(fam: Fam, sets: Record<Fam, string[]>): string {
    return this.rng.chance(0.5) ? `${this.saddr(fam, sets[fam])} ` : "";
  }
}

const PRIORITIES = [
  ["filter", 0], ["filter - 10", -10], ["filter + 10", 10], ["-5", -5], ["0", 0], ["mangle", -150], ["security", 50], ["20", 20],
] as const;

export function generateNftRuleset(seed: number): GeneratedNftRuleset {
  const rng = new Rng(seed);
  const b = new Builder(rng);
  const tables = 1 + rng.int(3);
  for (let t = 0; t < tables; t++) {
    const tf = rng.pick(["inet", "inet", "ip", "ip6"] as const);
    b.use(`table:${tf}`);
    const name = `t${t}`;
    const lines: string[] = [`table ${tf} ${name} {`];
    // Named sets with intervals, per family the table sees.
    const sets: Record<Fam, string[]> = { 4: [], 6: [] };
    for (const f of tf === "ip" ? [4] : tf === "ip6" ? [6] : ([4, 6] as Fam[])) {
      if (!rng.chance(0.6)) continue;
      const setName = `s${f}`;
      const elements = [...new Set([b.prefix(f as Fam), b.prefix(f as Fam), b.range(f as Fam)])];
      lines.push(`\tset ${setName} {`, `\t\ttype ${f === 4 ? "ipv4_addr" : "ipv6_addr"}`, "\t\tflags interval", "\t\tauto-merge", `\t\telements = { ${elements.join(", ")} }`, "\t}");
      sets[f as Fam].push(setName);
    }
    const regular = ["c0", "c1"].slice(0, rng.int(3));
    const baseCount = 1 + rng.int(2);
    for (let i = 0; i < baseCount; i++) {
      const hook = rng.chance(0.2) ? "prerouting" : "input";
      if (hook === "prerouting") b.use("hook:prerouting");
      const [ptext] = rng.pick(PRIORITIES);
      b.use(/^-?\d+$/.test(ptext) ? "priority:numeric" : "priority:named");
      const policy = rng.chance(0.4) ? "drop" : "accept";
      b.use(`policy:${policy}`);
      lines.push(`\tchain b${i} {`, `\t\ttype filter hook ${hook} priority ${ptext}; policy ${policy};`);
      const rules = 1 + rng.int(5);
      for (let r = 0; r < rules; r++) lines.push(`\t\t${b.rule(tf, sets, regular, true)}`);
      lines.push("\t}");
    }
    // Regular chains jump only forward (c0 → c1), so there is never a loop.
    regular.forEach((chain, i) => {
      lines.push(`\tchain ${chain} {`);
      const rules = 1 + rng.int(3);
      for (let r = 0; r < rules; r++) lines.push(`\t\t${b.rule(tf, sets, regular.slice(i + 1), false)}`);
      lines.push("\t}");
    });
    lines.push("}");
    b.blocks.push(lines.join("\n"));
  }
  const text = `flush ruleset\n\n${b.blocks.join("\n\n")}\n`;
  const baseChains = (text.match(/type filter hook input/g) ?? []).length;
  if (baseChains > 1) b.use("several-base-chains");
  const sources = new Set<string>();
  b.mentioned.forEach((block, i) => {
    const e = edgeAddresses(block.includes("/") || block.includes("-") ? block : `${block}/${block.includes(":") ? 128 : 32}`, seed * 100 + i);
    for (const a of [e.first, e.last, e.below, e.above, e.inside]) if (a !== null) sources.add(a);
  });
  for (const s of BASE_SOURCES) sources.add(s);
  return { seed, text, sources: [...sources].filter((s) => unprobeableReason(s) === null), features: [...b.features].sort() };
}
