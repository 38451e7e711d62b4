/**
 * Constants of the nft language as the netfilter model needs them: port numbers and ranges, protocol
 * numbers, conntrack states, addresses. Anything that does not read as one of these is `null`, and the
 * caller makes the match undecidable (never a guess).
 */
import type { AnalysedFamily } from "../../model/netfilter.js";
import { parseAddress, parseIPv4, parsePrefix, prefixRange, toSetAddress, type Interval } from "../address-set.js";

/** Service names nft prints with `-S` or that people write in nftables.conf (/etc/services). */
const SERVICES: Record<string, number> = {
  ntp: 123, domain: 53, ssh: 22, http: 80, https: 443, smtp: 25, bootps: 67, bootpc: 68, snmp: 161, syslog: 514,
  ftp: 21, telnet: 23, tftp: 69, ldap: 389, submission: 587, imaps: 993, pop3s: 995, "nfs": 2049, kerberos: 88,
};

/** `123`, `0x7b`, `ntp` → the number; null for anything else. */
export function parseNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  return null;
}

export function parsePort(text: string): number | null {
  const n = parseNumber(text) ?? SERVICES[text.toLowerCase()] ?? null;
  return n !== null && n >= 0 && n <= 65535 ? n : null;
}

/** `123`, `1-1024`, `ntp` → an inclusive range; null when it is not a port. */
export function parsePortRange(text: string): [number, number] | null {
  const dash = text.indexOf("-");
  if (dash > 0) {
    const lo = parsePort(text.slice(0, dash));
    const hi = parsePort(text.slice(dash + 1));
    return lo !== null && hi !== null && lo <= hi ? [lo, hi] : null;
  }
  const p = parsePort(text);
  return p === null ? null : [p, p];
}

const PROTOCOLS: Record<string, number> = {
  icmp: 1, igmp: 2, tcp: 6, udp: 17, dccp: 33, gre: 47, esp: 50, ah: 51, "ipv6-icmp": 58, icmpv6: 58, sctp: 132, udplite: 136, comp: 108,
};

/** Protocol name or number → IANA number; null when unknown. */
export function parseProtocol(text: string): number | null {
  const n = parseNumber(text);
  if (n !== null) return n <= 255 ? n : null;
  return PROTOCOLS[text.toLowerCase()] ?? null;
}

/** The protocol a payload header name implies (`udp dport` only matches UDP), null for `th` and IP headers. */
export function headerProtocol(header: string): number | null {
  if (header === "th" || header === "ip" || header === "ip6") return null;
  return PROTOCOLS[header] ?? null;
}

const CT_STATES = new Set(["invalid", "new", "established", "related", "untracked"]);

/** `established` → `ESTABLISHED` (the model's spelling, iptables'); null for anything else. */
export function parseCtState(text: string): string | null {
  const t = text.toLowerCase();
  return CT_STATES.has(t) ? t.toUpperCase() : null;
}

/**
 * The inclusive range of addresses an element covers (`10.0.0.1`, `10.0.0.0/8`, `192.0.2.1-192.0.2.9`),
 * without building a set (a blocklist has 100,000 of them); null when it is not an address of `family`.
 */
export function addressElementRange(text: string, family: AnalysedFamily): Interval | null {
  if (family === "ipv4") {
    const fast = ipv4ElementRange(text);
    if (fast) return fast;
  }
  const dash = text.indexOf("-");
  if (dash > 0 && !text.includes("/")) {
    const a = parseAddress(text.slice(0, dash));
    const b = parseAddress(text.slice(dash + 1));
    if (!a || !b || a.family !== family || b.family !== family || a.value > b.value) return null;
    return [toSetAddress(family, a.value), toSetAddress(family, b.value)];
  }
  const p = parsePrefix(text);
  if (!p || p.family !== family) return null;
  return prefixRange(p);
}

/** `a.b.c.d` or `a.b.c.d/n` in plain numbers; null for anything else (ranges, masks, IPv6), which the general path reads. */
function ipv4ElementRange(text: string): Interval | null {
  const slash = text.indexOf("/");
  const address = parseIPv4(slash === -1 ? text : text.slice(0, slash));
  if (address === null) return null;
  let length = 32;
  if (slash !== -1) {
    const digits = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(digits) || Number(digits) > 32) return null;
    length = Number(digits);
  }
  const size = 2 ** (32 - length);
  const network = Math.floor(address / size) * size;
  return [network, network + size - 1];
}
