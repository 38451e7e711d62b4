/**
 * Value formats of iptables options, normalised for the analysis: addresses to minimal CIDR prefixes,
 * ports and port lists to ranges, conntrack states to sets, protocols to names and numbers.
 * Every function is total: bad input gives an `error` string, never an exception.
 */
import ipaddr from "ipaddr.js";
import type { IpFamily, PortSet, StateSet } from "../../model/iptables.js";

/** The word as iptables-restore's tokenizer delivers it: quotes removed, `\x` → `x` inside quotes. */
export function unquote(text: string): string {
  const open = text.indexOf('"');
  if (open < 0) return text;
  // The lexer guarantees the shape: plain prefix, one quoted section (maybe left open at the end of
  // the line), nothing after it.
  const body = text.slice(open + 1, isClosedQuote(text, open) ? text.length - 1 : text.length);
  // `\x` → `x`; a lone `\` at the very end (open quote) escapes nothing and is dropped, as restore does.
  const unescaped = body.includes("\\") ? body.replace(/\\(.)|\\$/gs, "$1") : body;
  return open === 0 ? unescaped : text.slice(0, open) + unescaped;
}

/** Does the quoted section opened at `open` end with its closing quote (an unescaped `"` at the end)? */
export function isClosedQuote(text: string, open: number): boolean {
  if (text.length < open + 2 || !text.endsWith('"')) return false;
  let backslashes = 0;
  for (let i = text.length - 2; i > open && text[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** A word whose quote is never closed (the value runs to the end of the line). */
export function hasOpenQuote(text: string): boolean {
  const open = text.indexOf('"');
  return open >= 0 && !isClosedQuote(text, open);
}

// ---------------------------------------------------------------------------------------------
// Addresses

export interface ParsedAddress {
  /** A CIDR of the requested family, host bits cleared. */
  prefix?: string;
  /** A CIDR of the other family. */
  otherFamily?: string;
  hostname?: string;
  nonContiguous?: string;
  error?: string;
}

const HOSTNAME = /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

const addressCache = new Map<string, ParsedAddress>();

/** One element of an `-s`/`-d` list: `addr`, `addr/len`, `addr/dotted-mask`, or a host name (`name[/len]`). */
export function parseAddress(text: string, family: IpFamily): ParsedAddress {
  const key = family === "ipv4" ? text : `6${text}`;
  const cached = addressCache.get(key);
  if (cached) return cached;
  const result = parseAddressUncached(text, family);
  if (addressCache.size > 50_000) addressCache.clear();
  addressCache.set(key, result);
  return result;
}

function parseAddressUncached(text: string, family: IpFamily): ParsedAddress {
  const slash = text.indexOf("/");
  const host = slash < 0 ? text : text.slice(0, slash);
  const mask = slash < 0 ? null : text.slice(slash + 1);
  if (host === "") return { error: `invalid address ${JSON.stringify(text)}` };
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
    const r = v4Prefix(host, mask);
    if ("error" in r) return r;
    return family === "ipv4" ? r : { otherFamily: r.prefix ?? r.nonContiguous };
  }
  if (host.includes(":")) {
    if (!ipaddr.IPv6.isValid(host) || host.includes("%")) return { error: `invalid IPv6 address ${JSON.stringify(host)}` };
    const r = v6Prefix(host, mask);
    if ("error" in r) return r;
    return family === "ipv6" ? r : { otherFamily: r.prefix ?? r.nonContiguous };
  }
  if (HOSTNAME.test(host) && !/^[0-9.]+$/.test(host)) {
    if (mask !== null && !/^\d{1,3}$/.test(mask) && !ipaddr.IPv4.isValidFourPartDecimal(mask)) {
      return { error: `invalid mask ${JSON.stringify(mask)}` };
    }
    return { hostname: text };
  }
  return { error: `invalid address ${JSON.stringify(text)}` };
}

function v4Prefix(host: string, mask: string | null): ParsedAddress {
  let len: number;
  if (mask === null) len = 32;
  else if (/^\d{1,2}$/.test(mask)) {
    len = Number(mask);
    if (len > 32) return { error: `invalid mask ${JSON.stringify(mask)}` };
  } else if (ipaddr.IPv4.isValidFourPartDecimal(mask)) {
    const maskInt = v4ToInt(mask);
    const ones = countLeadingOnes(maskInt, 32);
    if (maskInt !== (ones === 0 ? 0 : (0xffffffff << (32 - ones)) >>> 0)) {
      const net = (v4ToInt(host) & maskInt) >>> 0;
      return { nonContiguous: `${intToV4(net)}/${mask}` };
    }
    len = ones;
  } else return { error: `invalid mask ${JSON.stringify(mask)}` };
  const maskInt = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { prefix: `${intToV4((v4ToInt(host) & maskInt) >>> 0)}/${len}` };
}

function v6Prefix(host: string, mask: string | null): ParsedAddress {
  const bytes = ipaddr.IPv6.parse(host).toByteArray();
  let len: number;
  if (mask === null) len = 128;
  else if (/^\d{1,3}$/.test(mask)) {
    len = Number(mask);
    if (len > 128) return { error: `invalid mask ${JSON.stringify(mask)}` };
  } else if (ipaddr.IPv6.isValid(mask)) {
    const maskBytes = ipaddr.IPv6.parse(mask).toByteArray();
    const l = ipaddr.IPv6.parse(mask).prefixLengthFromSubnetMask();
    if (l === null) {
      const net = bytes.map((b, i) => b & maskBytes[i]!);
      return { nonContiguous: `${v6String(net)}/${mask}` };
    }
    len = l;
  } else return { error: `invalid mask ${JSON.stringify(mask)}` };
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, len - i * 8));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return { prefix: `${v6String(bytes)}/${len}` };
}

function v6String(bytes: number[]): string {
  return (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

function v4ToInt(text: string): number {
  const [a, b, c, d] = text.split(".").map(Number) as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function intToV4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

function countLeadingOnes(n: number, width: number): number {
  let ones = 0;
  while (ones < width && (n & (1 << (width - 1 - ones))) !== 0) ones++;
  return ones;
}

/** A single address (no mask) of the family, as a bigint; null when not one. */
export function addressValue(text: string, family: IpFamily): bigint | null {
  if (family === "ipv4") {
    if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return null;
    return BigInt(v4ToInt(text));
  }
  if (!text.includes(":") || !ipaddr.IPv6.isValid(text) || text.includes("%")) return null;
  let v = 0n;
  for (const b of ipaddr.IPv6.parse(text).toByteArray()) v = (v << 8n) | BigInt(b);
  return v;
}

/** Minimal CIDR cover of the inclusive range [from, to]. */
export function rangeToPrefixes(from: bigint, to: bigint, family: IpFamily): string[] {
  const width = family === "ipv4" ? 32n : 128n;
  const out: string[] = [];
  let cur = from;
  while (cur <= to) {
    let size = 0n; // log2 of the block size
    while (size < width) {
      const next = size + 1n;
      const block = 1n << next;
      if (cur % block !== 0n || cur + block - 1n > to) break;
      size = next;
    }
    out.push(`${bigintToAddress(cur, family)}/${width - size}`);
    cur += 1n << size;
  }
  return out;
}

function bigintToAddress(v: bigint, family: IpFamily): string {
  if (family === "ipv4") return intToV4(Number(v));
  const bytes: number[] = [];
  for (let i = 15; i >= 0; i--) bytes.push(Number((v >> BigInt(i * 8)) & 0xffn));
  return v6String(bytes);
}

// ---------------------------------------------------------------------------------------------
// Ports

/** Common /etc/services entries (tcp and udp share numbers for these). */
const SERVICES: Record<string, number> = {
  "ftp-data": 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, time: 37, whois: 43, tacacs: 49, domain: 53,
  bootps: 67, bootpc: 68, tftp: 69, gopher: 70, finger: 79, http: 80, www: 80, kerberos: 88, pop3: 110,
  sunrpc: 111, auth: 113, ident: 113, nntp: 119, ntp: 123, "netbios-ns": 137, "netbios-dgm": 138,
  "netbios-ssn": 139, imap: 143, imap2: 143, snmp: 161, "snmp-trap": 162, xdmcp: 177, bgp: 179, irc: 194,
  ldap: 389, https: 443, "microsoft-ds": 445, kpasswd: 464, submissions: 465, smtps: 465, isakmp: 500,
  syslog: 514, printer: 515, submission: 587, ldaps: 636, rsync: 873, "ftps-data": 989, ftps: 990,
  telnets: 992, imaps: 993, pop3s: 995, socks: 1080, openvpn: 1194, "ms-sql-s": 1433, l2tp: 1701,
  pptp: 1723, radius: 1812, "radius-acct": 1813, nfs: 2049, mysql: 3306, "ipsec-nat-t": 4500, sip: 5060,
  "sip-tls": 5061, postgresql: 5432, x11: 6000, "http-alt": 8080, webcache: 8080, domain_s: 853, mdns: 5353,
};

export interface ParsedPorts {
  ranges: Array<[number, number]>;
  unresolved: string[];
  /** Ports as multiport counts them (a range counts as 2). */
  count: number;
  error?: string;
}

function port(text: string): number | string | null {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : null;
  }
  const s = SERVICES[text];
  if (s !== undefined) return s;
  return /^[A-Za-z][A-Za-z0-9_.+-]*$/.test(text) ? text : null;
}

/** `123`, `100:200`, `:1024`, `1024:`, a service name; with `list`, a comma list of those (multiport). */
export function parsePorts(text: string, list: boolean): ParsedPorts {
  const parts = list ? text.split(",") : [text];
  const ranges: Array<[number, number]> = [];
  const unresolved: string[] = [];
  let count = 0;
  for (const part of parts) {
    const colon = part.indexOf(":");
    count += colon < 0 ? 1 : 2;
    if (colon < 0) {
      const p = port(part);
      if (p === null) return { ranges, unresolved, count, error: `invalid port/service ${JSON.stringify(part)}` };
      if (typeof p === "string") unresolved.push(p);
      else ranges.push([p, p]);
      continue;
    }
    const loText = part.slice(0, colon);
    const hiText = part.slice(colon + 1);
    const lo = loText === "" ? 0 : port(loText);
    const hi = hiText === "" ? 65535 : port(hiText);
    if (lo === null || hi === null || hiText.includes(":")) {
      return { ranges, unresolved, count, error: `invalid port range ${JSON.stringify(part)}` };
    }
    if (typeof lo === "string" || typeof hi === "string") {
      unresolved.push(part);
      continue;
    }
    if (lo > hi) return { ranges, unresolved, count, error: `invalid port range ${JSON.stringify(part)} (min > max)` };
    ranges.push([lo, hi]);
  }
  return { ranges: mergeRanges(ranges), unresolved: unresolved.length === 0 ? NO_NAMES : unresolved, count };
}

const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

export function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  if (ranges.length <= 1) return ranges.slice();
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [[sorted[0]![0], sorted[0]![1]]];
  for (let i = 1; i < sorted.length; i++) {
    const last = out[out.length - 1]!;
    const r = sorted[i]!;
    if (r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function complement(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 65535) out.push([next, 65535]);
  return out;
}

function intersect(a: Array<[number, number]>, b: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** Combine two constraints on the same port field (both must hold) into one positive set. */
export function intersectPortSets(a: PortSet, b: PortSet): PortSet {
  const ea = a.negated ? complement(a.ranges) : a.ranges;
  const eb = b.negated ? complement(b.ranges) : b.ranges;
  const unresolved = a.unresolved.length + b.unresolved.length === 0 ? NO_NAMES : [...a.unresolved, ...b.unresolved];
  return { ranges: intersect(ea, eb), negated: false, unresolved };
}

// ---------------------------------------------------------------------------------------------
// Conntrack states

export const CT_STATES = ["INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT"] as const;

/** `NEW,ESTABLISHED` → sorted upper-case states; an unknown state is an error (iptables rejects it). */
export function parseStates(text: string, conntrack: boolean): { states: string[]; error?: string } {
  const states = new Set<string>();
  for (const raw of text.split(",")) {
    const s = raw.toUpperCase();
    const allowed = conntrack ? CT_STATES.includes(s as (typeof CT_STATES)[number]) : CT_STATES.slice(0, 5).includes(s as (typeof CT_STATES)[number]);
    if (!allowed) return { states: [], error: `bad ${conntrack ? "ctstate" : "state"} ${JSON.stringify(raw)}` };
    states.add(s);
  }
  return { states: [...states].sort() };
}

export function intersectStateSets(a: StateSet, b: StateSet): StateSet {
  const ea = new Set(a.negated ? CT_STATES.filter((s) => !a.states.includes(s)) : a.states);
  const eb = b.negated ? CT_STATES.filter((s) => !b.states.includes(s)) : b.states;
  return { states: eb.filter((s) => ea.has(s)).sort(), negated: false };
}

// ---------------------------------------------------------------------------------------------
// Protocols

const PROTOCOLS: Record<string, number> = {
  all: 0, icmp: 1, igmp: 2, ipip: 4, ipencap: 4, tcp: 6, egp: 8, udp: 17, ipv6: 41, rsvp: 46, gre: 47,
  esp: 50, ah: 51, "ipv6-icmp": 58, ospf: 89, pim: 103, vrrp: 112, l2tp: 115, sctp: 132, dccp: 33,
  mh: 135, "ipv6-mh": 135, udplite: 136, mpls: 137,
};
const ALIASES: Record<string, string> = { icmpv6: "ipv6-icmp", icmp6: "ipv6-icmp", ipencap: "ipip" };
const BY_NUMBER = new Map<number, string>();
for (const [name, n] of Object.entries(PROTOCOLS)) if (!BY_NUMBER.has(n) && !ALIASES[name]) BY_NUMBER.set(n, name);

export function normaliseProtocol(text: string): { value: string; number: number | null; error?: string } {
  const lower = text.toLowerCase();
  if (/^\d+$/.test(lower)) {
    const n = Number(lower);
    if (n > 255) return { value: lower, number: null, error: `unknown protocol ${JSON.stringify(text)}` };
    return { value: BY_NUMBER.get(n) ?? String(n), number: n };
  }
  const name = ALIASES[lower] ?? lower;
  const n = PROTOCOLS[name];
  return { value: name, number: n ?? null };
}
