/**
 * Sets of IPv4 or IPv6 addresses as sorted, disjoint, non-adjacent intervals. This is the
 * address algebra behind "which addresses does this restrict entry govern" and "who can reach
 * UDP/123": union, difference and intersection are exact, and results print as minimal CIDR lists.
 * Sets never change once built, so what is derived from one (its complement, its CIDR list) is worked out
 * once and kept. Dotted-quad IPv4 is read and printed here (a 100,000-element blocklist and every host of
 * a fleet go through it); IPv6 text is read by ipaddr.js and printed here, in RFC 5952 form.
 *
 * Inside a set an IPv4 address is a plain number (exact: below 2^32) and an IPv6 address a bigint: a
 * 100,000-element IPv4 blocklist then costs no bigint arithmetic and no bigint objects. The functions
 * that take or give one address on its own (parseAddress, formatAddress, Prefix) use bigints for both.
 */
import ipaddr from "ipaddr.js";
import type { AddressFamily } from "../model/ntpconf.js";

const WIDTH: Record<AddressFamily, number> = { ipv4: 32, ipv6: 128 };
const MAX: Record<AddressFamily, bigint> = { ipv4: (1n << 32n) - 1n, ipv6: (1n << 128n) - 1n };
/** The lowest and highest address of each family, as sets hold them. */
const LOWEST: Record<AddressFamily, Address> = { ipv4: 0, ipv6: 0n };
const HIGHEST: Record<AddressFamily, Address> = { ipv4: 4294967295, ipv6: MAX.ipv6 };

/** An address inside a set: a number for IPv4, a bigint for IPv6 (never mixed within one set). */
export type Address = number | bigint;

/** An inclusive range of addresses [first, last]. */
export type Interval = readonly [Address, Address];

/** An address of `family` as sets hold it. */
export function toSetAddress(family: AddressFamily, value: bigint): Address {
  return family === "ipv4" ? Number(value) : value;
}

/** The address after `a` (one past the highest address when `a` is the highest). */
export function nextAddress(a: Address): Address {
  return typeof a === "number" ? a + 1 : a + 1n;
}

/** The address before `a` (call only above the lowest address). */
export function previousAddress(a: Address): Address {
  return typeof a === "number" ? a - 1 : a - 1n;
}

/**
 * IPv6 sets of up to this many intervals share their printed CIDR list with every equal set ("everything
 * but loopback" is 128 CIDRs, on every host of a fleet); IPv4 lists are cheap to print.
 */
const SHARED_CIDRS_MAX_INTERVALS = 8;
/** Bound on the shared lists kept (a fleet has a handful of distinct small sets; this stops growth). */
const SHARED_CIDRS_ENTRIES = 4096;
const sharedCidrs = new Map<string, readonly string[]>();
/** Which set a printed CIDR list came from (a hidden property), so that a reader of the facts need not parse it back. */
const PRINTED_FROM = Symbol("printed from");

export class AddressSet {
  private complementMemo: AddressSet | null = null;
  private cidrsMemo: readonly string[] | null = null;

  private constructor(
    readonly family: AddressFamily,
    private readonly intervals: readonly Interval[],
  ) {}

  private static readonly EMPTY: Record<AddressFamily, AddressSet> = { ipv4: new AddressSet("ipv4", []), ipv6: new AddressSet("ipv6", []) };
  private static readonly ALL: Record<AddressFamily, AddressSet> = {
    ipv4: new AddressSet("ipv4", [[LOWEST.ipv4, HIGHEST.ipv4]]),
    ipv6: new AddressSet("ipv6", [[LOWEST.ipv6, HIGHEST.ipv6]]),
  };

  /** The empty set of a family (one shared instance: sets never change). */
  static empty(family: AddressFamily): AddressSet {
    return AddressSet.EMPTY[family];
  }

  /** Every address of a family (one shared instance). */
  static all(family: AddressFamily): AddressSet {
    return AddressSet.ALL[family];
  }

  /** From CIDRs or single addresses of this family; others are ignored (check with parsePrefix first). */
  static of(family: AddressFamily, prefixes: Iterable<string>): AddressSet {
    const parts: Interval[] = [];
    for (const p of prefixes) {
      const parsed = parsePrefix(p);
      if (parsed && parsed.family === family) parts.push(prefixRange(parsed));
    }
    return new AddressSet(family, normalise(parts));
  }

  /** From inclusive ranges in any order, overlapping or not: one sort and one merge. */
  static fromRanges(family: AddressFamily, ranges: Interval[]): AddressSet {
    return new AddressSet(family, normalise(ranges));
  }

  /** From intervals already sorted, disjoint and non-adjacent (for MutableAddressSet; not checked). */
  static fromNormalisedIntervals(family: AddressFamily, intervals: readonly Interval[]): AddressSet {
    return new AddressSet(family, intervals);
  }

  /**
   * The union of many sets: their interval lists are already sorted, so they are merged in pairs, round
   * after round (n log k for k sets of n intervals in all), never sorted again.
   */
  static unionAll(family: AddressFamily, sets: readonly AddressSet[]): AddressSet {
    let lists: Array<readonly Interval[]> = [];
    for (const s of sets) {
      s.sameFamilyAs(family);
      if (s.intervals.length > 0) lists.push(s.intervals);
    }
    if (lists.length === 0) return AddressSet.empty(family);
    if (lists.length === 1) return sets.find((s) => s.intervals === lists[0])!;
    while (lists.length > 1) {
      const next: Array<readonly Interval[]> = [];
      for (let i = 0; i + 1 < lists.length; i += 2) next.push(mergeUnion(lists[i]!, lists[i + 1]!));
      if (lists.length % 2 === 1) next.push(lists[lists.length - 1]!);
      lists = next;
    }
    return new AddressSet(family, lists[0]!);
  }

  /** The sorted, disjoint intervals of the set. */
  get intervalList(): readonly Interval[] {
    return this.intervals;
  }

  /** The union of many prefixes of this family, in one sort (unioning them one by one is quadratic). */
  static ofPrefixes(family: AddressFamily, prefixes: Iterable<Prefix>): AddressSet {
    const parts: Interval[] = [];
    for (const p of prefixes) if (p.family === family) parts.push(prefixRange(p));
    return new AddressSet(family, normalise(parts));
  }

  static fromPrefix(prefix: Prefix): AddressSet {
    return new AddressSet(prefix.family, [prefixRange(prefix)]);
  }

  /** Inclusive range of two addresses (iprange). */
  static fromRange(family: AddressFamily, first: bigint, last: bigint): AddressSet {
    return new AddressSet(family, first <= last ? [[toSetAddress(family, first), toSetAddress(family, last)]] : []);
  }

  isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  isAll(): boolean {
    return this.intervals.length === 1 && this.intervals[0]![0] === LOWEST[this.family] && this.intervals[0]![1] === HIGHEST[this.family];
  }

  union(other: AddressSet): AddressSet {
    this.sameFamily(other);
    if (other.intervals.length === 0) return this;
    if (this.intervals.length === 0) return other;
    return new AddressSet(this.family, mergeUnion(this.intervals, other.intervals));
  }

  intersect(other: AddressSet): AddressSet {
    this.sameFamily(other);
    if (other.isAll()) return this;
    if (this.isAll()) return other;
    const [small, large] = this.intervals.length <= other.intervals.length ? [this.intervals, other.intervals] : [other.intervals, this.intervals];
    const out: Interval[] = [];
    // A few intervals against many (one rule's network against a 100,000-element blocklist): each small
    // interval looks up where it starts in the large list instead of walking the whole list.
    if (small.length * SEARCH_RATIO < large.length) {
      for (const [lo, hi] of small) {
        for (let j = firstEndingAtOrAfter(large, lo); j < large.length && large[j]![0] <= hi; j++) {
          const [b0, b1] = large[j]!;
          out.push([b0 > lo ? b0 : lo, b1 < hi ? b1 : hi]);
        }
      }
      return new AddressSet(this.family, out);
    }
    let i = 0;
    let j = 0;
    while (i < small.length && j < large.length) {
      const [a0, a1] = small[i]!;
      const [b0, b1] = large[j]!;
      const lo = a0 > b0 ? a0 : b0;
      const hi = a1 < b1 ? a1 : b1;
      if (lo <= hi) out.push([lo, hi]);
      if (a1 < b1) i++;
      else j++;
    }
    return new AddressSet(this.family, out);
  }

  /** Whether the two sets share an address (the intersection is not built). */
  overlaps(other: AddressSet): boolean {
    this.sameFamily(other);
    const [small, large] = this.intervals.length <= other.intervals.length ? [this.intervals, other.intervals] : [other.intervals, this.intervals];
    for (const [lo, hi] of small) {
      const j = firstEndingAtOrAfter(large, lo);
      if (j < large.length && large[j]![0] <= hi) return true;
    }
    return false;
  }

  subtract(other: AddressSet): AddressSet {
    this.sameFamily(other);
    if (other.intervals.length === 0 || this.intervals.length === 0) return this;
    return this.intersect(other.complement());
  }

  complement(): AddressSet {
    if (this.complementMemo) return this.complementMemo;
    const out: Interval[] = [];
    let from = LOWEST[this.family];
    for (const [lo, hi] of this.intervals) {
      if (lo > from) out.push([from, previousAddress(lo)]);
      from = nextAddress(hi);
    }
    const max = HIGHEST[this.family];
    if (from <= max) out.push([from, max]);
    const complement = new AddressSet(this.family, out);
    complement.complementMemo = this;
    this.complementMemo = complement;
    return complement;
  }

  /** Whether every address of `other` is in this set: each of its intervals lies inside one of ours (sets are merged). */
  contains(other: AddressSet): boolean {
    this.sameFamily(other);
    for (const [lo, hi] of other.intervals) {
      const j = firstEndingAtOrAfter(this.intervals, lo);
      if (j >= this.intervals.length || this.intervals[j]![0] > lo || this.intervals[j]![1] < hi) return false;
    }
    return true;
  }

  equals(other: AddressSet): boolean {
    return (
      this.family === other.family &&
      this.intervals.length === other.intervals.length &&
      this.intervals.every(([lo, hi], k) => lo === other.intervals[k]![0] && hi === other.intervals[k]![1])
    );
  }

  /**
   * A representative address for evidence. An address from the documentation ranges (RFC 5737,
   * RFC 3849) reads as "some host on the Internet" when the set holds one; otherwise the lowest address,
   * skipping a network's all-zero address when it can (`0.0.0.1` rather than `0.0.0.0`).
   */
  exampleAddress(): string | null {
    const first = this.intervals[0];
    if (!first) return null;
    for (const candidate of EXAMPLE_ADDRESSES[this.family]) {
      const value = toSetAddress(this.family, parseAddress(candidate)!.value);
      if (this.intervals.some(([lo, hi]) => lo <= value && value <= hi)) return candidate;
    }
    const low = BigInt(first[0]);
    const pick = first[1] > first[0] && (low & 0xffn) === 0n ? low + 1n : low;
    return formatAddress(this.family, pick);
  }

  /**
   * Minimal CIDR cover, in ascending order (the same frozen array every time). Small sets are the same on
   * every host of a fleet ("everything but loopback" is 128 IPv6 CIDRs), so their lists are shared by content.
   */
  toCidrs(): string[] {
    if (this.cidrsMemo) return this.cidrsMemo as string[];
    const key = this.family === "ipv6" && this.intervals.length <= SHARED_CIDRS_MAX_INTERVALS ? this.contentKey() : null;
    let cidrs = key === null ? undefined : sharedCidrs.get(key);
    if (!cidrs) {
      const list = this.family === "ipv4" ? ipv4Cidrs(this.intervals) : ipv6Cidrs(this.intervals);
      Object.defineProperty(list, PRINTED_FROM, { value: this });
      cidrs = Object.freeze(list);
      if (key !== null) {
        if (sharedCidrs.size >= SHARED_CIDRS_ENTRIES) sharedCidrs.clear();
        sharedCidrs.set(key, cidrs);
      }
    }
    this.cidrsMemo = cidrs;
    return cidrs as string[];
  }

  /** The set a list returned by toCidrs() was printed from (lists that did not come from toCidrs: undefined). */
  static printedFrom(cidrs: readonly string[]): AddressSet | undefined {
    return (cidrs as { [PRINTED_FROM]?: AddressSet })[PRINTED_FROM];
  }

  /** Family and bounds as text: equal for equal sets. */
  private contentKey(): string {
    let key = this.family;
    for (const [lo, hi] of this.intervals) key += ` ${lo.toString(16)}-${hi.toString(16)}`;
    return key;
  }

  /** Number of addresses (bigint: IPv6 sets are huge). */
  size(): bigint {
    return this.intervals.reduce((n, [lo, hi]) => n + (BigInt(hi) - BigInt(lo) + 1n), 0n);
  }

  private sameFamilyAs(family: AddressFamily): void {
    if (family !== this.family) throw new Error(`address family mismatch: ${family} vs ${this.family}`);
  }

  private sameFamily(other: AddressSet): void {
    if (other.family !== this.family) throw new Error(`address family mismatch: ${this.family} vs ${other.family}`);
  }
}

export interface Prefix {
  family: AddressFamily;
  /** Network address with host bits cleared. */
  network: bigint;
  length: number;
}

/** Parse `ADDR`, `ADDR/LEN` (IPv4 or IPv6). Host bits are cleared. Null when it is not an address. */
export function parsePrefix(text: string): Prefix | null {
  const slash = text.indexOf("/");
  const addrText = slash === -1 ? text : text.slice(0, slash);
  const addr = parseAddress(addrText);
  if (!addr) return null;
  const width = WIDTH[addr.family];
  let length = width;
  if (slash !== -1) {
    const lenText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lenText)) {
      // iptables also accepts a dotted mask after the slash (`-s 10.0.0.0/255.0.0.0`).
      const mask = parseAddress(lenText);
      if (!mask || mask.family !== addr.family) return null;
      const len = contiguousMaskLength(mask.family, mask.value);
      if (len === null) return null;
      length = len;
    } else {
      length = Number(lenText);
      if (length > width) return null;
    }
  }
  return { family: addr.family, network: addr.value & prefixMask(addr.family, length), length };
}

export function parseAddress(text: string): { family: AddressFamily; value: bigint } | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { family: "ipv4", value: BigInt(v4) };
  // Every IPv6 text form has a colon; zone ids are not configuration addresses.
  if (!text.includes(":") || text.includes("%")) return null;
  // One parse (isValid would parse once more): it throws exactly where isValid is false.
  let bytes: number[];
  try {
    bytes = ipaddr.IPv6.parse(text).toByteArray();
  } catch {
    return null;
  }
  return { family: "ipv6", value: bytesToBigint(bytes) };
}

/**
 * A dotted quad as a number (four decimal octets ≤ 255, no leading zeros: exactly what ipaddr.js's
 * isValidFourPartDecimal accepts); null for anything else.
 */
export function parseIPv4(text: string): number | null {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return null; // a leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return null;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return value * 256 + octet;
}

export function formatAddress(family: AddressFamily, value: bigint): string {
  return family === "ipv4" ? formatIPv4(Number(value)) : formatIPv6(value);
}

/** A number below 2^32 as a dotted quad. */
export function formatIPv4(value: number): string {
  return `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/**
 * RFC 5952 text exactly as ipaddr.js's toRFC5952String prints it: the longest run of two or more zero
 * groups becomes "::", the leftmost among equally long runs (RFC 5952, 4.2.3).
 */
function formatIPv6(value: bigint): string {
  const groups: number[] = new Array<number>(8);
  let v = value;
  for (let i = 7; i >= 0; i--) {
    groups[i] = Number(v & 0xffffn);
    v >>= 16n;
  }
  let bestStart = -1;
  let bestEnd = -1;
  let bestScore = -1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    const score = j - i;
    if (score >= 2 && score > bestScore) {
      bestStart = i;
      bestEnd = j;
      bestScore = score;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(":");
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestEnd, 8)}`;
}

/** How many leading one bits the mask has (`255.0.255.0` → 8). */
export function leadingOnes(family: AddressFamily, mask: bigint): number {
  const width = WIDTH[family];
  // The zero bits of the mask as ones: the leading ones end where that number's highest bit is.
  const holes = maxAddress(family) ^ mask;
  return holes === 0n ? width : width - holes.toString(2).length;
}

/** The prefix length of a contiguous mask, or null when the mask has holes (`255.0.255.0`). */
export function contiguousMaskLength(family: AddressFamily, mask: bigint): number | null {
  const length = leadingOnes(family, mask);
  return mask === prefixMask(family, length) ? length : null;
}

export function prefixMask(family: AddressFamily, length: number): bigint {
  const width = WIDTH[family];
  if (length === 0) return 0n;
  return ((1n << BigInt(length)) - 1n) << BigInt(width - length);
}

export function maxAddress(family: AddressFamily): bigint {
  return MAX[family];
}

/** The inclusive range of addresses a prefix covers, as sets hold addresses. */
export function prefixRange(p: Prefix): Interval {
  if (p.family === "ipv4") {
    const network = Number(p.network);
    return [network, network + 2 ** (32 - p.length) - 1];
  }
  const hostBits = BigInt(128 - p.length);
  return [p.network, p.network + (1n << hostBits) - 1n];
}

function bytesToBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Sorted, merged intervals; input that is already sorted (a walk's unions, a printed set) skips the sort. */
function normalise(parts: Interval[]): Interval[] {
  let sorted = true;
  for (let i = 1; i < parts.length && sorted; i++) if (parts[i]![0] < parts[i - 1]![0]) sorted = false;
  const ordered = sorted ? parts : [...parts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Array<[Address, Address]> = [];
  for (const [lo, hi] of ordered) {
    const last = out[out.length - 1];
    if (last && lo <= nextAddress(last[1])) {
      if (hi > last[1]) last[1] = hi;
    } else {
      out.push([lo, hi]);
    }
  }
  return out;
}

/** Intersections of a list this many times shorter than the other search the longer one instead of walking it. */
const SEARCH_RATIO = 8;

/** Index of the first interval of a normalised list whose end is at or after `value` (the length when none). */
function firstEndingAtOrAfter(list: readonly Interval[], value: Address): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]![1] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The union of two normalised interval lists, normalised, in one linear merge. */
function mergeUnion(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Array<[Address, Address]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const iv = j >= b.length || (i < a.length && a[i]![0] <= b[j]![0]) ? a[i++]! : b[j++]!;
    const last = out[out.length - 1];
    if (last && iv[0] <= nextAddress(last[1])) {
      if (iv[1] > last[1]) last[1] = iv[1];
    } else {
      out.push([iv[0], iv[1]]);
    }
  }
  return out;
}

/** Minimal IPv4 CIDR cover of sorted intervals, in plain numbers (addresses fit in a double exactly). */
function ipv4Cidrs(intervals: readonly Interval[]): string[] {
  const out: string[] = [];
  for (const [lo, hi] of intervals) {
    let start = lo as number;
    const end = hi as number;
    while (start <= end) {
      // The largest aligned block that starts at `start` and ends at or before `end`.
      const aligned = start === 0 ? 32 : 31 - Math.clz32((start & -start) >>> 0);
      const span = end - start + 1;
      const fits = span >= 4294967296 ? 32 : 31 - Math.clz32(span);
      const size = aligned < fits ? aligned : fits;
      out.push(`${formatIPv4(start)}/${32 - size}`);
      start += 2 ** size;
    }
  }
  return out;
}

/** Minimal IPv6 CIDR cover of sorted intervals. */
function ipv6Cidrs(intervals: readonly Interval[]): string[] {
  const out: string[] = [];
  for (const [lo, hi] of intervals as ReadonlyArray<readonly [bigint, bigint]>) {
    let start = lo;
    while (start <= hi) {
      const size = Math.min(trailingZeros128(start), bitLength(hi - start + 1n) - 1);
      out.push(`${formatIPv6(start)}/${128 - size}`);
      start += 1n << BigInt(size);
    }
  }
  return out;
}

/** Trailing zero bits of a 128-bit value (128 for zero), 32 bits at a time. */
function trailingZeros128(value: bigint): number {
  let v = value;
  for (let word = 0; word < 4; word++) {
    const low = Number(v & 0xffffffffn);
    if (low !== 0) return word * 32 + 31 - Math.clz32((low & -low) >>> 0);
    v >>= 32n;
  }
  return 128;
}

/** Number of bits of a positive value. */
function bitLength(value: bigint): number {
  let bits = 0;
  let v = value;
  while (v >= 0x100000000n) {
    v >>= 32n;
    bits += 32;
  }
  return bits + 32 - Math.clz32(Number(v));
}

const EXAMPLE_ADDRESSES: Record<AddressFamily, string[]> = {
  ipv4: ["203.0.113.1", "198.51.100.1", "192.0.2.1"],
  ipv6: ["2001:db8::1"],
};

/** Loopback ranges: always trusted, never "exposure". */
export const LOOPBACK: Record<AddressFamily, AddressSet> = {
  ipv4: AddressSet.of("ipv4", ["127.0.0.0/8"]),
  ipv6: AddressSet.of("ipv6", ["::1/128"]),
};
