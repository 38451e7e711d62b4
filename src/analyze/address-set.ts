/**
 * Sets of IPv4 or IPv6 addresses as sorted, disjoint, non-adjacent intervals of bigints. This is the
 * address algebra behind "which addresses does this restrict entry govern" and "who can reach
 * UDP/123": union, difference and intersection are exact, and results print as minimal CIDR lists.
 * Parsing is left to ipaddr.js.
 */
import ipaddr from "ipaddr.js";
import type { AddressFamily } from "../model/ntpconf.js";

const WIDTH: Record<AddressFamily, number> = { ipv4: 32, ipv6: 128 };

/** An inclusive range of addresses [first, last]. */
export type Interval = readonly [bigint, bigint];

export class AddressSet {
  private constructor(
    readonly family: AddressFamily,
    private readonly intervals: readonly Interval[],
  ) {}

  static empty(family: AddressFamily): AddressSet {
    return new AddressSet(family, []);
  }

  static all(family: AddressFamily): AddressSet {
    return new AddressSet(family, [[0n, maxAddress(family)]]);
  }

  /** From CIDRs or single addresses of this family; others are ignored (check with parsePrefix first). */
  static of(family: AddressFamily, prefixes: Iterable<string>): AddressSet {
    const parts: Interval[] = [];
    for (const p of prefixes) {
      const parsed = parsePrefix(p);
      if (parsed && parsed.family === family) parts.push(prefixInterval(parsed));
    }
    return new AddressSet(family, normalise(parts));
  }

  /** From intervals already sorted, disjoint and non-adjacent (for MutableAddressSet; not checked). */
  static fromNormalisedIntervals(family: AddressFamily, intervals: readonly Interval[]): AddressSet {
    return new AddressSet(family, intervals);
  }

  /** The union of many sets in one pass (n log n), instead of n pairwise unions. */
  static unionAll(family: AddressFamily, sets: readonly AddressSet[]): AddressSet {
    if (sets.length === 1) return sets[0]!;
    return new AddressSet(family, normalise(sets.flatMap((s) => s.intervals)));
  }

  /** The sorted, disjoint intervals of the set. */
  get intervalList(): readonly Interval[] {
    return this.intervals;
  }

  /** The union of many prefixes of this family, in one sort (unioning them one by one is quadratic). */
  static ofPrefixes(family: AddressFamily, prefixes: Iterable<Prefix>): AddressSet {
    const parts: Interval[] = [];
    for (const p of prefixes) if (p.family === family) parts.push(prefixInterval(p));
    return new AddressSet(family, normalise(parts));
  }

  static fromPrefix(prefix: Prefix): AddressSet {
    return new AddressSet(prefix.family, [prefixInterval(prefix)]);
  }

  /** Inclusive range of two addresses (iprange). */
  static fromRange(family: AddressFamily, first: bigint, last: bigint): AddressSet {
    return new AddressSet(family, first <= last ? [[first, last]] : []);
  }

  isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  isAll(): boolean {
    return this.intervals.length === 1 && this.intervals[0]![0] === 0n && this.intervals[0]![1] === maxAddress(this.family);
  }

  union(other: AddressSet): AddressSet {
    this.sameFamily(other);
    return new AddressSet(this.family, normalise([...this.intervals, ...other.intervals]));
  }

  intersect(other: AddressSet): AddressSet {
    this.sameFamily(other);
    const out: Interval[] = [];
    let i = 0;
    let j = 0;
    while (i < this.intervals.length && j < other.intervals.length) {
      const [a0, a1] = this.intervals[i]!;
      const [b0, b1] = other.intervals[j]!;
      const lo = a0 > b0 ? a0 : b0;
      const hi = a1 < b1 ? a1 : b1;
      if (lo <= hi) out.push([lo, hi]);
      if (a1 < b1) i++;
      else j++;
    }
    return new AddressSet(this.family, out);
  }

  subtract(other: AddressSet): AddressSet {
    this.sameFamily(other);
    return this.intersect(other.complement());
  }

  complement(): AddressSet {
    const out: Interval[] = [];
    let next = 0n;
    for (const [lo, hi] of this.intervals) {
      if (lo > next) out.push([next, lo - 1n]);
      next = hi + 1n;
    }
    const max = maxAddress(this.family);
    if (next <= max) out.push([next, max]);
    return new AddressSet(this.family, out);
  }

  contains(other: AddressSet): boolean {
    return other.subtract(this).isEmpty();
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
      const value = parseAddress(candidate)!.value;
      if (this.intervals.some(([lo, hi]) => lo <= value && value <= hi)) return candidate;
    }
    const pick = first[1] > first[0] && (first[0] & 0xffn) === 0n ? first[0] + 1n : first[0];
    return formatAddress(this.family, pick);
  }

  /** Minimal CIDR cover, in ascending order. */
  toCidrs(): string[] {
    const width = WIDTH[this.family];
    const out: string[] = [];
    for (const [lo, hi] of this.intervals) {
      let start = lo;
      while (start <= hi) {
        // Largest aligned block starting at `start` that fits in [start, hi].
        let size = 0;
        while (size < width) {
          const next = size + 1;
          const blockMask = (1n << BigInt(next)) - 1n;
          if ((start & blockMask) !== 0n) break;
          if (start + blockMask > hi) break;
          size = next;
        }
        out.push(`${formatAddress(this.family, start)}/${width - size}`);
        start += 1n << BigInt(size);
        if (size === width) break;
      }
    }
    return out;
  }

  /** Number of addresses (bigint: IPv6 sets are huge). */
  size(): bigint {
    return this.intervals.reduce((n, [lo, hi]) => n + (hi - lo + 1n), 0n);
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
  if (text.includes("%")) return null; // zone ids are not configuration addresses
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    const bytes = ipaddr.IPv4.parse(text).toByteArray();
    return { family: "ipv4", value: bytesToBigint(bytes) };
  }
  if (ipaddr.IPv6.isValid(text)) {
    const bytes = ipaddr.IPv6.parse(text).toByteArray();
    return { family: "ipv6", value: bytesToBigint(bytes) };
  }
  return null;
}

export function formatAddress(family: AddressFamily, value: bigint): string {
  const width = WIDTH[family];
  const bytes: number[] = [];
  for (let shift = width - 8; shift >= 0; shift -= 8) bytes.push(Number((value >> BigInt(shift)) & 0xffn));
  return family === "ipv4" ? ipaddr.fromByteArray(bytes).toString() : (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
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
  return (1n << BigInt(WIDTH[family])) - 1n;
}

function prefixInterval(p: Prefix): Interval {
  const hostBits = BigInt(WIDTH[p.family] - p.length);
  return [p.network, p.network + (1n << hostBits) - 1n];
}

function bytesToBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function normalise(parts: Interval[]): Interval[] {
  const sorted = [...parts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Array<[bigint, bigint]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1n) {
      if (hi > last[1]) last[1] = hi;
    } else {
      out.push([lo, hi]);
    }
  }
  return out;
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
