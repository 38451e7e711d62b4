/**
 * An address set that changes in place, for the walk's "peers still reaching this rule". A chain of
 * 40,000 `-s IP/32 -j ACCEPT` rules punches 40,000 holes into that set one by one; with immutable sets
 * every hole copies the whole set (quadratic). Here the intervals live in a list of small sorted chunks,
 * so removing or adding a small set costs a binary search plus work proportional to what changes, and
 * intersecting with a small set costs a binary search plus its output.
 */
import type { AddressFamily } from "../../model/ntpconf.js";
import { AddressSet, nextAddress, previousAddress, type Address, type Interval } from "../address-set.js";

const CHUNK = 64;
/** Beyond this many intervals, a subtraction rebuilds the set in one merge (linear in both sizes). */
const LINEAR_MERGE_ABOVE = 4 * CHUNK;

type Mutable = [Address, Address];

export class MutableAddressSet {
  private chunks: Mutable[][] = [];
  private count = 0;
  /** The immutable form, kept until the next change. */
  private snapshot: AddressSet | null = null;

  constructor(
    readonly family: AddressFamily,
    initial: AddressSet,
  ) {
    this.reset(initial);
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  toAddressSet(): AddressSet {
    if (!this.snapshot) {
      const all: Interval[] = [];
      for (const c of this.chunks) for (const iv of c) all.push([iv[0], iv[1]]);
      this.snapshot = AddressSet.fromNormalisedIntervals(this.family, all);
    }
    return this.snapshot;
  }

  /** this ∩ other, without changing this. */
  intersect(other: AddressSet): AddressSet {
    if (this.count === 0 || other.isEmpty()) return AddressSet.empty(this.family);
    if (other.isAll()) return this.toAddressSet();
    const out: Interval[] = [];
    for (const [a, b] of other.intervalList) {
      let [ci, ii] = this.locate(a);
      while (ci < this.chunks.length) {
        const chunk = this.chunks[ci]!;
        const iv = chunk[ii]!;
        if (iv[0] > b) break;
        const lo = iv[0] > a ? iv[0] : a;
        const hi = iv[1] < b ? iv[1] : b;
        if (lo <= hi) out.push([lo, hi]);
        if (++ii >= chunk.length) {
          ci++;
          ii = 0;
        }
      }
    }
    return AddressSet.fromNormalisedIntervals(this.family, out);
  }

  /** this := this − other. */
  subtract(other: AddressSet): void {
    if (this.count === 0 || other.isEmpty()) return;
    if (other.isAll()) {
      this.reset(AddressSet.empty(this.family));
      return;
    }
    // A large set (a 100,000-element blocklist) in one linear merge rather than one hole at a time.
    if (other.intervalList.length > LINEAR_MERGE_ABOVE) {
      this.reset(this.toAddressSet().subtract(other));
      return;
    }
    for (const [a, b] of other.intervalList) this.removeRange(a, b);
  }

  /** this := this ∪ other. */
  add(other: AddressSet): void {
    if (other.isEmpty()) return;
    if (this.count === 0 || other.isAll()) {
      this.reset(other);
      return;
    }
    for (const [a, b] of other.intervalList) {
      // Widen [a, b] by what it touches, remove that, then insert the merged interval.
      let lo = a;
      let hi = b;
      const [ci, ii] = this.locate(previousAddress(a)); // below the lowest address is fine for a search
      let c = ci;
      let i = ii;
      while (c < this.chunks.length) {
        const iv = this.chunks[c]![i]!;
        if (iv[0] > nextAddress(hi)) break;
        if (iv[0] < lo) lo = iv[0];
        if (iv[1] > hi) hi = iv[1];
        if (++i >= this.chunks[c]!.length) {
          c++;
          i = 0;
        }
      }
      this.removeRange(lo, hi);
      this.insert([lo, hi]);
    }
  }

  private reset(set: AddressSet): void {
    const list = set.intervalList;
    this.chunks = [];
    for (let k = 0; k < list.length; k += CHUNK) this.chunks.push(list.slice(k, k + CHUNK).map(([lo, hi]) => [lo, hi] as Mutable));
    this.count = list.length;
    this.snapshot = set;
  }

  /** Position of the first interval whose end is ≥ `value` (chunks.length when none). */
  private locate(value: Address): [number, number] {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.chunks[mid]!.at(-1)![1] < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.chunks.length) return [lo, 0];
    const chunk = this.chunks[lo]!;
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (chunk[mid]![1] < value) a = mid + 1;
      else b = mid;
    }
    return [lo, a];
  }

  private removeRange(a: Address, b: Address): void {
    let [ci, ii] = this.locate(a);
    while (ci < this.chunks.length) {
      const chunk = this.chunks[ci]!;
      const iv = chunk[ii];
      if (!iv || iv[0] > b) break;
      this.snapshot = null;
      if (iv[0] < a && iv[1] > b) {
        // The hole is inside one interval: split it.
        chunk.splice(ii + 1, 0, [nextAddress(b), iv[1]]);
        iv[1] = previousAddress(a);
        this.count++;
        this.rebalance(ci);
        return;
      }
      if (iv[0] < a) {
        iv[1] = previousAddress(a);
        ii++;
      } else if (iv[1] > b) {
        iv[0] = nextAddress(b);
        return;
      } else {
        chunk.splice(ii, 1);
        this.count--;
      }
      if (ii >= chunk.length) {
        if (chunk.length === 0) this.chunks.splice(ci, 1);
        else ci++;
        ii = 0;
      }
    }
  }

  /** Insert an interval that overlaps and touches nothing in the set. */
  private insert(iv: Mutable): void {
    this.snapshot = null;
    this.count++;
    const [ci, ii] = this.locate(iv[0]);
    if (this.chunks.length === 0) {
      this.chunks.push([iv]);
      return;
    }
    const c = ci === this.chunks.length ? ci - 1 : ci;
    const i = ci === this.chunks.length ? this.chunks[c]!.length : ii;
    this.chunks[c]!.splice(i, 0, iv);
    this.rebalance(c);
  }

  private rebalance(ci: number): void {
    const chunk = this.chunks[ci]!;
    if (chunk.length > 2 * CHUNK) this.chunks.splice(ci, 1, chunk.slice(0, CHUNK), chunk.slice(CHUNK));
  }
}
