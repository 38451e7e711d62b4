/**
 * Interning of immutable value records (protocols, interfaces, addresses, port and state sets): a
 * kube-proxy dump repeats `-p tcp`, `--dport 53`, `! -s 10.244.0.0/16` thousands of times, and one
 * frozen object per distinct value keeps the model small and the garbage collector idle.
 * Shared records are deep-frozen: the model must never be mutated in place.
 */
import { deepFreeze } from "./line-cache.js";

const interned = new Map<string, unknown>();
const MAX_INTERNED = 200_000;

/** Shared empty list (frozen): most rules have no host names, no options on a target, … */
const EMPTY: never[] = Object.freeze([]) as unknown as never[];

/** The record interned under `key`, if any. */
export function internedValue<T>(key: string): T | undefined {
  return interned.get(key) as T | undefined;
}

/** The record interned under `key`, made (and frozen) on first use. */
export function intern<T>(key: string, make: () => T): T {
  let v = interned.get(key) as T | undefined;
  if (v === undefined) {
    v = deepFreeze(make());
    if (interned.size >= MAX_INTERNED) interned.clear();
    interned.set(key, v);
  }
  return v;
}

/** Exact-size copy: arrays grown by push keep ~17 slots, which adds up over 100k rules. */
export function compact<T>(a: T[]): T[] {
  return a.length === 0 ? EMPTY : a.slice();
}
