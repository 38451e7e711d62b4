/**
 * Addresses in iptables options (`-s`, `-d`, `--src-range`): normalised to minimal CIDR prefixes of the
 * file's family, with host names, other-family addresses and non-contiguous masks told apart. Every
 * function is total: bad input gives an `error` string, never an exception.
 */
import ipaddr from "ipaddr.js";
import type { IpFamily } from "../../model/iptables.js";

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
