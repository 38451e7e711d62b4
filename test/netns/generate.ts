/**
 * Seeded random iptables-restore rulesets for differential tests against the kernel lab
 * (harness.ts). Each ruleset comes with the probe source addresses worth trying: inside, at both
 * edges of, and just outside every source prefix and range it mentions, plus a fixed base set.
 *
 * Every construct here loads in the lab's kernel with both iptables backends (nft and legacy);
 * harness.test.ts loads 300 seeds per family to keep it so. Constructs whose outcome would depend
 * on things a probe does not pin down are left out: rate limits, `recent`, `statistic`, packet
 * length, time. Source-port conditions are chosen so that they decide the same way for every
 * source port >= 1024 (the probe's random ports) and separately for port 123 (ProbeOptions
 * .sourcePort = 123), so a probe's outcome does not depend on which random port it drew.
 *
 * The probed destination is always the receiver's address (LAB.receiver) on UDP port 123, arriving
 * on eth0 as a first (NEW) datagram.
 */
import ipaddr from "ipaddr.js";
import { LAB, unprobeableReason } from "./harness.js";

export type Family = 4 | 6;

export interface GenerateOptions {
  /** Most rules in filter INPUT (default 10). */
  maxInputRules?: number;
  /** Allow raw, mangle and nat tables (default true). */
  extraTables?: boolean;
  /**
   * "save" = only lines shaped like iptables-save output; "mixed" (default) = also restore-only
   * forms: `-N`, `-P`, `-I`, comma-separated `-s` lists, implicit `-p udp --dport` without `-m udp`,
   * numeric protocols.
   */
  style?: "save" | "mixed";
}

export interface GeneratedRuleset {
  seed: number;
  family: Family;
  /** iptables-restore (family 4) or ip6tables-restore (family 6) input. */
  text: string;
  /** Probeable source addresses of this family worth trying, deduplicated, in a stable order. */
  sources: string[];
  /** Every source prefix / range that a rule mentions (for the record). */
  prefixes: string[];
  /** Construct keys used (see FEATURES), sorted. */
  features: string[];
}

/** Every construct key the generator can emit (the same keys for both families; for coverage checks). */
export function features(style: "save" | "mixed" = "mixed"): string[] {
  const common = [
    "policy:ACCEPT", "policy:DROP",
    "proto:udp", "proto:tcp", "proto:all", "proto:!tcp", "proto:icmp", "proto:none",
    "dport:single", "dport:range", "dport:!", "sport:single", "sport:range", "sport:!",
    "multiport:dports", "multiport:sports", "multiport:ports", "multiport:!",
    "src:prefix", "src:!prefix", "dst:prefix", "dst:!prefix",
    "iprange:src", "iprange:!src", "iprange:dst",
    "iface:eth0", "iface:lo", "iface:!lo", "iface:eth+", "iface:!eth0", "iface:other", "iface:+",
    "ctstate:NEW", "ctstate:RELATED,ESTABLISHED", "ctstate:UNTRACKED", "ctstate:INVALID", "ctstate:!NEW",
    "ctstate:NEW,UNTRACKED", "ctstate:DNAT", "state:NEW", "state:RELATED,ESTABLISHED",
    "addrtype:dst-LOCAL", "addrtype:!dst-LOCAL", "addrtype:src-LOCAL", "addrtype:dst-UNICAST",
    "mark", "connmark", "comment", "tcp:syn",
    "target:ACCEPT", "target:DROP", "target:REJECT", "target:RETURN", "target:LOG", "target:MARK",
    "target:NFLOG", "target:CONNMARK", "target:none", "target:jump", "target:goto",
    "chain:user",
    "table:raw", "raw:CT-notrack", "raw:NOTRACK", "raw:DROP", "raw:ACCEPT", "raw:policy-DROP",
    "table:mangle", "mangle:MARK", "mangle:CONNMARK", "mangle:DROP", "mangle:ACCEPT", "mangle:DSCP",
    "mangle:TTL/HL", "mangle:policy-DROP",
    "table:nat", "nat:REDIRECT-port", "nat:REDIRECT-same", "nat:DNAT-port", "nat:DNAT-same",
    "nat:DNAT-elsewhere", "nat:RETURN", "nat:ACCEPT", "nat:policy-DROP",
    "table:security", "security:DROP", "security:ACCEPT", "security:RETURN", "security:LOG", "security:policy-DROP",
  ];
  const mixed = ["cmd:-N", "cmd:-P", "cmd:-I", "src:list", "implicit-match", "proto:number"];
  return [...common, ...(style === "mixed" ? mixed : [])].sort();
}

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and helpers.

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Picks by weight: [[weight, value], …]. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((a, [w]) => a + w, 0);
    let x = this.next() * total;
    for (const [w, v] of items) {
      x -= w;
      if (x < 0) return v;
    }
    return items[items.length - 1]![1];
  }
  bigint(below: bigint): bigint {
    if (below <= 1n) return 0n;
    let v = 0n;
    for (let i = 0; i < 4; i++) v = (v << 32n) | BigInt(Math.floor(this.next() * 4294967296));
    return v % below;
  }
}

function mixSeed(seed: number, family: Family): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ (family === 6 ? 0x85ebca6b : 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Addresses.

const bits = (family: Family): number => (family === 4 ? 32 : 128);

function toBig(address: string): bigint {
  return ipaddr
    .parse(address)
    .toByteArray()
    .reduce((a, b) => (a << 8n) | BigInt(b), 0n);
}

function fromBig(value: bigint, family: Family): string {
  const bytes: number[] = [];
  for (let i = bits(family) / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** [first, last] of a CIDR (host bits cleared). */
function cidrBounds(cidr: string): [bigint, bigint, Family] {
  const [addr, len] = ipaddr.parseCIDR(cidr);
  const family: Family = addr.kind() === "ipv4" ? 4 : 6;
  const host = BigInt(bits(family) - len);
  const first = (toBig(addr.toString()) >> host) << host;
  return [first, first + (1n << host) - 1n, family];
}

/** The canonical form iptables-save prints (host bits cleared, /32 and /128 kept). */
function canonical(cidr: string): string {
  const [first, , family] = cidrBounds(cidr);
  return `${fromBig(first, family)}/${cidr.split("/")[1]}`;
}

/** Probe-worthy addresses around an address block. */
export interface Edges {
  first: string;
  last: string;
  /** One below `first` (null at the bottom of the address space). */
  below: string | null;
  /** One above `last` (null at the top). */
  above: string | null;
  /** A random address strictly between first and last (null when there is none). */
  inside: string | null;
}

function edges(first: bigint, last: bigint, family: Family, rng: Rng): Edges {
  const max = (1n << BigInt(bits(family))) - 1n;
  const at = (v: bigint): string => fromBig(v, family);
  return {
    first: at(first),
    last: at(last),
    below: first > 0n ? at(first - 1n) : null,
    above: last < max ? at(last + 1n) : null,
    inside: last - first > 1n ? at(first + 1n + rng.bigint(last - first - 1n)) : null,
  };
}

function around(first: bigint, last: bigint, family: Family, rng: Rng): string[] {
  const e = edges(first, last, family, rng);
  return [e.first, e.last, e.below, e.above, e.inside].filter((a): a is string => a !== null);
}

/**
 * Edges of a prefix ("10.0.0.0/8") or an iprange ("10.0.0.5-10.0.0.9"); `inside` is drawn from
 * `seed`. Some may be unprobeable (see unprobeableReason).
 */
export function edgeAddresses(block: string, seed = 0): Edges {
  if (block.includes("/")) {
    const [first, last, family] = cidrBounds(block);
    return edges(first, last, family, new Rng(seed));
  }
  const [lo, hi] = block.split("-") as [string, string];
  const family: Family = lo.includes(":") ? 6 : 4;
  return edges(toBig(lo), toBig(hi), family, new Rng(seed));
}

const PREFIXES: Record<Family, readonly (readonly [number, string])[]> = {
  4: [
    [8, "10.0.0.0/8"], [3, "10.0.0.0/9"], [3, "10.128.0.0/9"], [3, "10.1.0.0/16"], [3, "10.1.2.0/24"],
    [3, "10.1.2.3/32"], [3, "172.16.0.0/12"], [3, "192.168.0.0/16"], [2, "192.168.1.0/24"],
    [4, "203.0.113.0/24"], [2, "203.0.113.0/25"], [2, "203.0.113.128/25"], [3, "203.0.113.9/32"],
    [2, "198.51.100.0/24"], [2, "192.0.2.0/24"], [2, "198.18.0.0/15"], [2, "198.18.0.2/32"],
    [2, "100.64.0.0/10"], [2, "0.0.0.0/0"], [1, "0.0.0.0/1"], [1, "128.0.0.0/1"],
  ],
  6: [
    [8, "2001:db8::/32"], [3, "2001:db8::/33"], [3, "2001:db8:8000::/33"], [3, "2001:db8:1::/48"],
    [3, "2001:db8:1:2::/64"], [3, "2001:db8:1::5/128"], [2, "2001:db8:ffff::/64"], [2, "2001:db8:ffff::2/128"],
    [3, "fd00::/8"], [2, "fc00::/7"], [2, "fd12:3456:789a::/48"], [2, "2400:cb00::/32"],
    [2, "::/0"], [1, "8000::/1"], [2, "2000::/3"],
  ],
};

/** Where random prefixes are drawn from. */
const RANDOM_PARENTS: Record<Family, readonly string[]> = {
  4: ["10.0.0.0/8", "203.0.113.0/24", "192.168.0.0/16", "172.16.0.0/12"],
  6: ["2001:db8::/32", "fd00::/8"],
};

const BASE_SOURCES: Record<Family, readonly string[]> = {
  4: ["203.0.113.9", "10.1.2.3", "192.0.2.1", "198.51.100.200", "198.18.0.2", "172.16.5.4", "192.168.1.1", "100.64.0.1"],
  6: ["2001:db8:1::5", "2001:db8:ffff::2", "2001:db8::", "fd00::1", "fc00::1", "2400:cb00::1", "2001:db9::1", "2001:db8:1:2::1"],
};

// ---------------------------------------------------------------------------------------------
// Ports. Source-port specs decide alike for all ports >= 1024 and decide port 123 on their own.

const DPORTS_SINGLE = [[6, "123"], [2, "124"], [1, "122"], [1, "53"]] as const;
const DPORTS_RANGE = [[2, "100:200"], [1, "1:122"], [1, "124:65535"], [1, "123:123"], [2, "0:1023"], [1, "1024:65535"]] as const;
const SPORTS_SINGLE = [[3, "123"], [1, "53"]] as const;
const SPORTS_RANGE = [[3, "1024:65535"], [2, "0:1023"], [1, "1:1023"], [1, "100:200"], [1, "123:1023"]] as const;
const MULTI_DPORTS = ["123", "123,124", "53,123,1000:2000", "1:122,124:65535", "22,80,443", "100:200,1024:65535"];
const MULTI_SPORTS = ["123", "123,1024:65535", "1:1023", "1024:65535", "53,123"];
const MULTI_PORTS = ["123", "22,80", "1024:65535", "53,123,443"];

// ---------------------------------------------------------------------------------------------

interface Ctx {
  rng: Rng;
  family: Family;
  style: "save" | "mixed";
  features: Set<string>;
  prefixes: string[];
  sources: string[];
  hasNat: boolean;
}

function pickPrefix(ctx: Ctx): string {
  const { rng, family } = ctx;
  let cidr: string;
  if (rng.chance(0.25)) {
    const [first, last] = cidrBounds(rng.pick(RANDOM_PARENTS[family]));
    const parentLen = bits(family) - (last - first + 1n).toString(2).length + 1;
    const len = rng.int(parentLen, family === 4 ? 32 : 128);
    const addr = fromBig(first + rng.bigint(last - first + 1n), family);
    cidr = canonical(`${addr}/${len}`);
  } else {
    cidr = rng.weighted(PREFIXES[family]);
  }
  ctx.prefixes.push(cidr);
  const [first, last] = cidrBounds(cidr);
  ctx.sources.push(...around(first, last, family, rng));
  return cidr;
}

function pickRange(ctx: Ctx): string {
  const { rng, family } = ctx;
  const [pFirst, pLast] = cidrBounds(rng.weighted(PREFIXES[family]).replace(/\/0$/, "/1"));
  const a = pFirst + rng.bigint(pLast - pFirst + 1n);
  const b = pFirst + rng.bigint(pLast - pFirst + 1n);
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  const range = `${fromBig(lo, family)}-${fromBig(hi, family)}`;
  ctx.prefixes.push(range);
  ctx.sources.push(...around(lo, hi, family, rng));
  return range;
}

function add(ctx: Ctx, feature: string): void {
  ctx.features.add(feature);
}

const neg = (ctx: Ctx, p: number): boolean => ctx.rng.chance(p);

/** Matches of one rule (in iptables-save order). `where`: which table/chain family of rules. */
function matches(ctx: Ctx, where: "filter" | "raw" | "mangle" | "nat", withProto = true): string[] {
  const { rng, family } = ctx;
  const out: string[] = [];
  const mixed = ctx.style === "mixed";

  // -s / -d. Never `! -s` with a /0 (iptables-nft 1.8.9 makes an empty-mask compare that the
  // kernel refuses with EINVAL; legacy loads it) nor a negated address next to a list (restore:
  // "! not allowed with multiple source or destination IP addresses").
  let srcList = false;
  if (rng.chance(where === "filter" ? 0.45 : 0.35)) {
    if (mixed && rng.chance(0.1)) {
      out.push(`-s ${pickPrefix(ctx)},${pickPrefix(ctx)}`);
      add(ctx, "src:list");
      srcList = true;
    } else {
      const p = pickPrefix(ctx);
      if (!p.endsWith("/0") && neg(ctx, 0.2)) {
        out.push(`! -s ${p}`);
        add(ctx, "src:!prefix");
      } else {
        out.push(`-s ${p}`);
        add(ctx, "src:prefix");
      }
    }
  }
  if (rng.chance(0.1)) {
    const d = rng.pick(
      family === 4
        ? [`${LAB.receiver.v4}/32`, LAB.prefix.v4, "192.0.2.0/24", "198.18.0.0/16"]
        : [`${LAB.receiver.v6}/128`, LAB.prefix.v6, "2001:db8:5::/48", "2001:db8::/32"],
    );
    if (!srcList && neg(ctx, 0.3)) {
      out.push(`! -d ${d}`);
      add(ctx, "dst:!prefix");
    } else {
      out.push(`-d ${d}`);
      add(ctx, "dst:prefix");
    }
  }
  // -i
  if (rng.chance(where === "filter" ? 0.2 : 0.1)) {
    const [key, text] = rng.weighted([
      [4, ["iface:eth0", "-i eth0"]],
      [3, ["iface:lo", "-i lo"]],
      [3, ["iface:!lo", "! -i lo"]],
      [2, ["iface:eth+", "-i eth+"]],
      [2, ["iface:!eth0", "! -i eth0"]],
      [1, ["iface:other", rng.pick(["-i eth1", "-i wg0", "! -i eth+"])]],
      [1, ["iface:+", "-i +"]],
    ] as const);
    out.push(text);
    add(ctx, key);
  }
  // -p and its ports (the caller writes its own when !withProto)
  const proto = !withProto ? "skip" : rng.weighted([
    [10, "udp"],
    [4, "none"],
    [2, "tcp"],
    [1, "all"],
    [1, "!tcp"],
    [1, "icmp"],
  ] as const);
  if (proto !== "skip") add(ctx, `proto:${proto}`);
  if (proto === "udp" || proto === "tcp") {
    const numeric = mixed && rng.chance(0.1);
    if (numeric) add(ctx, "proto:number");
    out.push(`-p ${numeric ? (proto === "udp" ? "17" : "6") : proto}`);
    const implicit = mixed && rng.chance(0.25);
    const portOpts: string[] = [];
    if (rng.chance(0.7)) {
      const ranged = rng.chance(0.35);
      const value = ranged ? rng.weighted(DPORTS_RANGE) : rng.weighted(DPORTS_SINGLE);
      add(ctx, ranged ? "dport:range" : "dport:single");
      if (neg(ctx, 0.1)) {
        portOpts.push(`! --dport ${value}`);
        add(ctx, "dport:!");
      } else portOpts.push(`--dport ${value}`);
    }
    if (rng.chance(0.2)) {
      const ranged = rng.chance(0.6);
      const value = ranged ? rng.weighted(SPORTS_RANGE) : rng.weighted(SPORTS_SINGLE);
      add(ctx, ranged ? "sport:range" : "sport:single");
      if (neg(ctx, 0.15)) {
        portOpts.push(`! --sport ${value}`);
        add(ctx, "sport:!");
      } else portOpts.push(`--sport ${value}`);
    }
    // iptables-save prints --sport before --dport.
    portOpts.sort((a, b) => Number(a.includes("--dport")) - Number(b.includes("--dport")));
    if (proto === "tcp" && rng.chance(0.3)) {
      portOpts.push(rng.pick(["--tcp-flags FIN,SYN,RST,ACK SYN", "--tcp-flags SYN,RST,ACK SYN"]));
      add(ctx, "tcp:syn");
    }
    if (portOpts.length > 0) {
      if (implicit) add(ctx, "implicit-match");
      out.push(...(implicit ? [] : [`-m ${proto}`]), ...portOpts);
    }
    if (rng.chance(0.12)) {
      const [kind, list] = rng.weighted([
        [3, ["dports", MULTI_DPORTS]],
        [1, ["sports", MULTI_SPORTS]],
        [1, ["ports", MULTI_PORTS]],
      ] as const);
      add(ctx, `multiport:${kind}`);
      const bang = neg(ctx, 0.15);
      if (bang) add(ctx, "multiport:!");
      out.push(`-m multiport ${bang ? "! " : ""}--${kind} ${rng.pick(list)}`);
    }
  } else if (proto === "all") {
    out.push("-p all");
  } else if (proto === "!tcp") {
    out.push("! -p tcp");
  } else if (proto === "icmp") {
    out.push(family === 4 ? "-p icmp -m icmp --icmp-type 8" : "-p ipv6-icmp -m icmp6 --icmpv6-type 128");
  }
  // -m iprange
  if (rng.chance(0.08)) {
    const kind = rng.weighted([
      [3, "src"],
      [1, "!src"],
      [1, "dst"],
    ] as const);
    add(ctx, `iprange:${kind}`);
    if (kind === "dst") {
      const r =
        family === 4
          ? rng.pick(["198.18.0.0-198.18.0.255", "192.0.2.1-192.0.2.9", "198.18.0.1-198.18.0.1"])
          : rng.pick(["2001:db8:ffff::-2001:db8:ffff::ff", "2001:db8:5::1-2001:db8:5::9"]);
      out.push(`-m iprange --dst-range ${r}`);
    } else {
      out.push(`-m iprange ${kind === "!src" ? "! " : ""}--src-range ${pickRange(ctx)}`);
    }
  }
  // state
  if (where !== "nat" && rng.chance(where === "filter" ? 0.2 : 0.08)) {
    const [key, text] = rng.weighted([
      [4, ["ctstate:NEW", "-m conntrack --ctstate NEW"]],
      [3, ["ctstate:RELATED,ESTABLISHED", "-m conntrack --ctstate RELATED,ESTABLISHED"]],
      [2, ["ctstate:UNTRACKED", "-m conntrack --ctstate UNTRACKED"]],
      [1, ["ctstate:INVALID", "-m conntrack --ctstate INVALID"]],
      [1, ["ctstate:!NEW", "-m conntrack ! --ctstate NEW"]],
      [1, ["ctstate:NEW,UNTRACKED", "-m conntrack --ctstate NEW,UNTRACKED"]],
      [ctx.hasNat ? 1 : 0, ["ctstate:DNAT", "-m conntrack --ctstate DNAT"]],
      [2, ["state:NEW", "-m state --state NEW"]],
      [1, ["state:RELATED,ESTABLISHED", "-m state --state RELATED,ESTABLISHED"]],
    ] as const);
    out.push(text);
    add(ctx, key);
  }
  if (rng.chance(0.07)) {
    const [key, text] = rng.weighted([
      [3, ["addrtype:dst-LOCAL", "-m addrtype --dst-type LOCAL"]],
      [1, ["addrtype:!dst-LOCAL", "-m addrtype ! --dst-type LOCAL"]],
      [1, ["addrtype:src-LOCAL", "-m addrtype --src-type LOCAL"]],
      [1, ["addrtype:dst-UNICAST", "-m addrtype --dst-type UNICAST"]],
    ] as const);
    out.push(text);
    add(ctx, key);
  }
  if (where === "filter" && rng.chance(0.06)) {
    if (rng.chance(0.7)) {
      out.push(rng.pick(["-m mark --mark 0x1", "-m mark --mark 0x1/0x1", "-m mark ! --mark 0x1"]));
      add(ctx, "mark");
    } else {
      out.push(rng.pick(["-m connmark --mark 0x2", "-m connmark ! --mark 0x2/0x2"]));
      add(ctx, "connmark");
    }
  }
  if (rng.chance(0.06)) {
    out.push(rng.pick(['-m comment --comment "allow ntp"', "-m comment --comment ntp", '-m comment --comment "!fw -j x"']));
    add(ctx, "comment");
  }
  return out;
}

function rejectWith(ctx: Ctx, isTcp: boolean): string {
  const { rng, family } = ctx;
  if (isTcp && rng.chance(0.3)) return "--reject-with tcp-reset";
  return `--reject-with ${rng.pick(
    family === 4
      ? ["icmp-port-unreachable", "icmp-host-prohibited", "icmp-admin-prohibited", "icmp-net-unreachable", "icmp-host-unreachable", "icmp-proto-unreachable", "icmp-net-prohibited"]
      : ["icmp6-port-unreachable", "icmp6-adm-prohibited", "icmp6-no-route", "icmp6-addr-unreachable"],
  )}`;
}

function filterTarget(ctx: Ctx, ms: string[], laterChains: string[], inUserChain: boolean): string {
  const { rng } = ctx;
  const isTcp = ms.some((m) => m === "-p tcp" || m === "-p 6");
  const choice = rng.weighted([
    [30, "ACCEPT"],
    [18, "DROP"],
    [10, "REJECT"],
    [inUserChain ? 8 : 2, "RETURN"],
    [6, "LOG"],
    [4, "MARK"],
    [2, "NFLOG"],
    [2, "CONNMARK"],
    [2, "none"],
    [laterChains.length > 0 ? 16 : 0, "jump"],
    [laterChains.length > 0 ? 5 : 0, "goto"],
  ] as const);
  add(ctx, `target:${choice}`);
  switch (choice) {
    case "ACCEPT":
    case "DROP":
    case "RETURN":
      return `-j ${choice}`;
    case "REJECT":
      return `-j REJECT ${rejectWith(ctx, isTcp)}`;
    case "LOG":
      return rng.pick(['-j LOG --log-prefix "ntp-in: "', "-j LOG --log-prefix drop --log-level 6", "-j LOG"]);
    case "MARK":
      return rng.pick(["-j MARK --set-xmark 0x1/0xffffffff", "-j MARK --set-mark 0x1"]);
    case "NFLOG":
      return "-j NFLOG --nflog-prefix ntp --nflog-group 5";
    case "CONNMARK":
      return "-j CONNMARK --set-xmark 0x2/0xffffffff";
    case "none":
      return "";
    case "jump":
      return `-j ${rng.pick(laterChains)}`;
    case "goto":
      return `-g ${rng.pick(laterChains)}`;
  }
}

function rule(chain: string, ms: string[], target: string): string {
  return ["-A", chain, ...ms, target].filter(Boolean).join(" ");
}

function rawTable(ctx: Ctx): string[] {
  const { rng } = ctx;
  add(ctx, "table:raw");
  const policy = rng.chance(0.08) ? "DROP" : "ACCEPT";
  if (policy === "DROP") add(ctx, "raw:policy-DROP");
  const lines = ["*raw", `:PREROUTING ${policy} [0:0]`, ":OUTPUT ACCEPT [0:0]"];
  for (let i = rng.int(1, 3); i > 0; i--) {
    const [key, target] = rng.weighted([
      [5, ["raw:CT-notrack", "-j CT --notrack"]],
      [2, ["raw:NOTRACK", "-j NOTRACK"]],
      [1, ["raw:DROP", "-j DROP"]],
      [1, ["raw:ACCEPT", "-j ACCEPT"]],
    ] as const);
    add(ctx, key);
    lines.push(rule("PREROUTING", matches(ctx, "raw"), target));
  }
  return [...lines, "COMMIT"];
}

function mangleTable(ctx: Ctx): string[] {
  const { rng, family } = ctx;
  add(ctx, "table:mangle");
  const policy = rng.chance(0.06) ? "DROP" : "ACCEPT";
  if (policy === "DROP") add(ctx, "mangle:policy-DROP");
  const chains = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];
  const lines = ["*mangle", ...chains.map((c) => `:${c} ${c === "PREROUTING" || c === "INPUT" ? policy : "ACCEPT"} [0:0]`)];
  for (let i = rng.int(1, 3); i > 0; i--) {
    const [key, target] = rng.weighted([
      [5, ["mangle:MARK", "-j MARK --set-xmark 0x1/0xffffffff"]],
      [2, ["mangle:CONNMARK", "-j CONNMARK --set-xmark 0x2/0xffffffff"]],
      [2, ["mangle:DROP", "-j DROP"]],
      [1, ["mangle:ACCEPT", "-j ACCEPT"]],
      [1, ["mangle:DSCP", "-j DSCP --set-dscp 0x2e"]],
      [1, ["mangle:TTL/HL", family === 4 ? "-j TTL --ttl-set 64" : "-j HL --hl-set 64"]],
    ] as const);
    add(ctx, key);
    lines.push(rule(rng.pick(["PREROUTING", "INPUT"]), matches(ctx, "mangle"), target));
  }
  return [...lines, "COMMIT"];
}

/**
 * The security table: INPUT runs after filter INPUT (priority 50 with the legacy backend, 150 with
 * iptables-nft), so a packet filter accepted can still be dropped here, and what the security table
 * accepts filter must have accepted first. Rules draw from their own random stream (see
 * generateRuleset) so adding the table leaves the other tables of every seed as they were.
 */
function securityTable(ctx: Ctx): string[] {
  const { rng } = ctx;
  add(ctx, "table:security");
  const policy = rng.chance(0.1) ? "DROP" : "ACCEPT";
  if (policy === "DROP") add(ctx, "security:policy-DROP");
  const lines = ["*security", `:INPUT ${policy} [0:0]`, ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"];
  for (let i = rng.int(1, 3); i > 0; i--) {
    const [key, target] = rng.weighted([
      [4, ["security:DROP", "-j DROP"]],
      [2, ["security:ACCEPT", "-j ACCEPT"]],
      [1, ["security:RETURN", "-j RETURN"]],
      [1, ["security:LOG", "-j LOG"]],
    ] as const);
    add(ctx, key);
    lines.push(rule("INPUT", matches(ctx, "mangle"), target));
  }
  return [...lines, "COMMIT"];
}

function natTable(ctx: Ctx): string[] {
  const { rng, family } = ctx;
  add(ctx, "table:nat");
  const policy = rng.chance(0.1) ? "DROP" : "ACCEPT";
  if (policy === "DROP") add(ctx, "nat:policy-DROP");
  const lines = ["*nat", `:PREROUTING ${policy} [0:0]`, ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]"];
  const self = family === 4 ? LAB.receiver.v4 : `[${LAB.receiver.v6}]`;
  const elsewhere = family === 4 ? "192.0.2.1" : "2001:db8:5::1";
  for (let i = rng.int(1, 3); i > 0; i--) {
    const [key, target] = rng.weighted([
      [5, ["nat:REDIRECT-port", "-j REDIRECT --to-ports 124"]],
      [2, ["nat:REDIRECT-same", "-j REDIRECT --to-ports 123"]],
      [3, ["nat:DNAT-port", `-j DNAT --to-destination ${self}:124`]],
      [2, ["nat:DNAT-same", `-j DNAT --to-destination ${self}:123`]],
      [1, ["nat:DNAT-elsewhere", `-j DNAT --to-destination ${family === 4 ? elsewhere : `[${elsewhere}]`}:123`]],
      [2, ["nat:RETURN", "-j RETURN"]],
      [1, ["nat:ACCEPT", "-j ACCEPT"]],
    ] as const);
    add(ctx, key);
    const changesPort = key !== "nat:RETURN" && key !== "nat:ACCEPT";
    const ms = matches(ctx, "nat", !changesPort);
    if (changesPort) {
      // --to-ports / a port in --to-destination need -p udp or tcp; mostly aim at udp/123.
      ms.push("-p udp", ...(rng.chance(0.8) ? ["-m udp --dport 123"] : []));
      add(ctx, "proto:udp");
    }
    lines.push(rule("PREROUTING", ms, target));
  }
  if (rng.chance(0.2)) lines.push(rule("INPUT", matches(ctx, "nat"), "-j ACCEPT"));
  return [...lines, "COMMIT"];
}

function filterTable(ctx: Ctx, maxRules: number): string[] {
  const { rng } = ctx;
  const mixed = ctx.style === "mixed";
  const policy = rng.chance(0.55) ? "DROP" : "ACCEPT";
  add(ctx, `policy:${policy}`);
  const names = ["NTP", "ALLOW_NTP", "fw-in", "LOGDROP"].slice(0, rng.weighted([
    [4, 0],
    [4, 1],
    [3, 2],
    [2, 3],
  ] as const));
  if (names.length > 0) add(ctx, "chain:user");
  const head: string[] = ["*filter"];
  const body: string[] = [];
  const usePolicyCmd = mixed && rng.chance(0.1);
  head.push(`:INPUT ${usePolicyCmd ? "ACCEPT" : policy} [0:0]`, `:FORWARD ${rng.pick(["ACCEPT", "DROP"])} [0:0]`, `:OUTPUT ${rng.chance(0.85) ? "ACCEPT" : "DROP"} [0:0]`);
  for (const n of names) {
    if (mixed && rng.chance(0.15)) {
      body.push(`-N ${n}`);
      add(ctx, "cmd:-N");
    } else head.push(`:${n} - [0:0]`);
  }
  if (usePolicyCmd) {
    body.push(`-P INPUT ${policy}`);
    add(ctx, "cmd:-P");
  }
  // INPUT: a common preamble now and then, then random rules.
  const input: string[] = [];
  if (rng.chance(0.3)) {
    input.push("-A INPUT -i lo -j ACCEPT");
    add(ctx, "iface:lo");
    add(ctx, "target:ACCEPT");
  }
  if (rng.chance(0.3)) {
    input.push("-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
    add(ctx, "ctstate:RELATED,ESTABLISHED");
    add(ctx, "target:ACCEPT");
  }
  for (let i = rng.int(0, maxRules); i > 0; i--) {
    const ms = matches(ctx, "filter");
    input.push(rule("INPUT", ms, filterTarget(ctx, ms, names, false)));
  }
  if (mixed && input.length > 1 && rng.chance(0.1)) {
    // Move one rule to the front with -I (what restore does with it: same final order).
    const idx = rng.int(1, input.length - 1);
    const moved = input.splice(idx, 1)[0]!;
    input.push(moved.replace(/^-A INPUT/, "-I INPUT 1"));
    add(ctx, "cmd:-I");
  }
  body.push(...input);
  names.forEach((n, i) => {
    const later = names.slice(i + 1);
    for (let k = rng.int(1, 5); k > 0; k--) {
      const ms = matches(ctx, "filter");
      body.push(rule(n, ms, filterTarget(ctx, ms, later, true)));
    }
  });
  return [...head, ...body, "COMMIT"];
}

/** A random ruleset for `family`, fully determined by (seed, family, options). */
export function generateRuleset(seed: number, family: Family, options: GenerateOptions = {}): GeneratedRuleset {
  const rng = new Rng(mixSeed(seed, family));
  const ctx: Ctx = {
    rng,
    family,
    style: options.style ?? "mixed",
    features: new Set(),
    prefixes: [],
    sources: [],
    hasNat: false,
  };
  const extra = options.extraTables ?? true;
  const withRaw = extra && rng.chance(0.25);
  const withMangle = extra && rng.chance(0.2);
  ctx.hasNat = extra && rng.chance(0.25);
  const blocks: string[][] = [];
  if (withRaw) blocks.push(rawTable(ctx));
  if (withMangle) blocks.push(mangleTable(ctx));
  if (ctx.hasNat) blocks.push(natTable(ctx));
  blocks.push(filterTable(ctx, options.maxInputRules ?? 10));
  // Several base chains on the input hook at different priorities (filter, then security): drawn from
  // a stream of their own, so the tables above stay what they were for every seed.
  if (extra) {
    const secondary = new Rng(mixSeed(seed, family) ^ 0x5ec0de);
    if (secondary.chance(0.3)) blocks.push(securityTable({ ...ctx, rng: secondary }));
  }

  const seen = new Set<string>();
  const sources: string[] = [];
  for (const s of [...BASE_SOURCES[family], ...ctx.sources]) {
    const key = ipaddr.parse(s).toString();
    if (seen.has(key) || unprobeableReason(s) !== null) continue;
    seen.add(key);
    sources.push(s);
  }
  return {
    seed,
    family,
    text: blocks.map((b) => b.join("\n")).join("\n") + "\n",
    sources,
    prefixes: [...new Set(ctx.prefixes)],
    features: [...ctx.features].sort(),
  };
}

/** The IPv4 and IPv6 rulesets of one seed (independent streams). */
export function generatePair(seed: number, options: GenerateOptions = {}): { v4: GeneratedRuleset; v6: GeneratedRuleset } {
  return { v4: generateRuleset(seed, 4, options), v6: generateRuleset(seed, 6, options) };
}
