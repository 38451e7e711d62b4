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
  const quad = plainDottedQuad(host);
  if (quad !== null && (mask === null || IPV4_MASKS.length.test(mask))) {
    // The common `a.b.c.d[/len]` without ipaddr.js (the same answer, several times faster).
    const r = prefixOf(quad, mask, IPV4_MASKS);
    if ("error" in r) return r;
    return family === "ipv4" ? r : { otherFamily: r.prefix! };
  }
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

/**
 * The bytes of `text` when it is four decimal numbers 0–255 without leading zeros (what
 * ipaddr.IPv4.isValidFourPartDecimal accepts, read without regular expressions); null otherwise.
 */
function plainDottedQuad(text: string): number[] | null {
  const bytes: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || bytes.length === 4) return null;
      bytes.push(value);
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return null; // a leading zero
      value = value * 10 + (c - 48);
      if (value > 255) return null;
      digits++;
    } else return null;
  }
  return bytes.length === 4 ? bytes : null;
}

function v4Prefix(host: string, mask: string | null): ParsedAddress {
  return prefixOf(ipaddr.IPv4.parse(host).toByteArray(), mask, IPV4_MASKS);
}

function v6Prefix(host: string, mask: string | null): ParsedAddress {
  return prefixOf(ipaddr.IPv6.parse(host).toByteArray(), mask, IPV6_MASKS);
}

/** How a family writes masks: a prefix length up to `bits`, or an address-shaped (dotted or colon) mask. */
interface MaskSyntax {
  bits: number;
  length: RegExp;
  isAddressMask: (mask: string) => boolean;
  toText: (bytes: number[]) => string;
}

const IPV4_MASKS: MaskSyntax = { bits: 32, length: /^\d{1,2}$/, isAddressMask: (m) => ipaddr.IPv4.isValidFourPartDecimal(m), toText: (b) => b.join(".") };
const IPV6_MASKS: MaskSyntax = { bits: 128, length: /^\d{1,3}$/, isAddressMask: (m) => ipaddr.IPv6.isValid(m), toText: v6String };

/** `bytes` (the address) under `mask` (none: a host): the prefix with host bits cleared, or a non-contiguous mask. */
function prefixOf(bytes: number[], mask: string | null, syntax: MaskSyntax): ParsedAddress {
  let len: number;
  if (mask === null) len = syntax.bits;
  else if (syntax.length.test(mask)) {
    len = Number(mask);
    if (len > syntax.bits) return { error: `invalid mask ${JSON.stringify(mask)}` };
  } else if (syntax.isAddressMask(mask)) {
    const parsed = ipaddr.parse(mask);
    const l = parsed.prefixLengthFromSubnetMask();
    if (l === null) {
      const maskBytes = parsed.toByteArray();
      return { nonContiguous: `${syntax.toText(bytes.map((b, i) => b & maskBytes[i]!))}/${mask}` };
    }
    len = l;
  } else return { error: `invalid mask ${JSON.stringify(mask)}` };
  const network = bytes.map((b, i) => b & (0xff << (8 - Math.max(0, Math.min(8, len - i * 8)))) & 0xff);
  return { prefix: `${syntax.toText(network)}/${len}` };
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
