/**
 * Interning of immutable value records (protocols, interfaces, addresses, port and state sets): a
 * kube-proxy dump repeats `-p tcp`, `--dport 53`, `! -s 10.244.0.0/16` thousands of times, and one
 * frozen object per distinct value keeps the model small and the garbage collector idle.
 * Shared records are deep-frozen: the model must never be mutated in place.
 */
import { deepFreeze } from "./line-cache.js";

/**
 * Records by kind, then by the value as written. The kind is a short constant ("a4!" for a negated IPv4
 * address list, …) and the value a word of the line: two lookups without building a combined key,
 * which would cost a string concatenation and its flattening for every option of every rule.
 */
const interned = new Map<string, Map<string, unknown>>();
let internedCount = 0;
const MAX_INTERNED = 200_000;

/** Shared empty list (frozen): most rules have no host names, no options on a target, … */
const EMPTY: never[] = Object.freeze([]) as unknown as never[];

/** The record interned under (`kind`, `value`), if any. */
export function internedValue<T>(kind: string, value: string): T | undefined {
  return interned.get(kind)?.get(value) as T | undefined;
}

/** The record interned under (`kind`, `value`), made (and frozen) on first use. */
export function intern<T>(kind: string, value: string, make: () => T): T {
  let values = interned.get(kind);
  let v = values?.get(value) as T | undefined;
  if (v === undefined) {
    v = deepFreeze(make());
    if (internedCount >= MAX_INTERNED) {
      interned.clear();
      internedCount = 0;
      values = undefined;
    }
    if (values === undefined) interned.set(kind, (values = new Map()));
    values.set(value, v);
    internedCount++;
  }
  return v;
}

/** Exact-size copy: arrays grown by push keep ~17 slots, which adds up over 100k rules. */
export function compact<T>(a: T[]): T[] {
  return a.length === 0 ? EMPTY : a.slice();
}
