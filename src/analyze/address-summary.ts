/**
 * Short descriptions of address sets for messages. A set such as "everything but 10.0.0.0/8 and loopback" is
 * eight CIDRs ("128.0.0.0/1, 0.0.0.0/2, 64.0.0.0/3 and 5 more"); described by what it leaves out it reads as
 * "any address except 10.0.0.0/8 and loopback". Rego has no CIDR merge in the wasm build, so the analysis
 * describes every address list of the facts here and the document carries the descriptions
 * (`address_summaries`); lib/firewall.rego `address_list` uses one when it is shorter than the list.
 */
import type { AddressFamily } from "../model/ntpconf.js";
import { AddressSet, LOOPBACK, parsePrefix } from "./address-set.js";
import type { TrustedNetworks } from "./trust.js";

/** Beyond this many CIDRs left out, a description by exclusion is no shorter than the list itself. */
const MAX_EXCLUDED = 3;

/** The key of an address list in `address_summaries`: its CIDRs sorted (code-unit order, as Rego's sort), joined by ", ". */
export function addressListKey(cidrs: readonly string[]): string {
  return [...cidrs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(", ");
}

/**
 * A description of the set by what it leaves out of its family's whole address space: "any address",
 * "any address except loopback", "any address except 10.0.0.0/8 and loopback", "any address except the
 * trusted networks and loopback"; null when it would leave out more than a few blocks.
 */
export function describeByExclusion(set: AddressSet, trusted: TrustedNetworks): string | null {
  if (set.isEmpty()) return null;
  if (set.isAll()) return "any address";
  const family: AddressFamily = set.family;
  // What is left out, minus loopback, has at most one interval more than the set itself, and the set's
  // complement at most one more than the set: a set of many intervals leaves out more than a few blocks
  // (each at least one interval) and more than the trusted networks. A 2,000-rule allow list stops here.
  const intervals = set.intervalList.length;
  if (intervals > MAX_EXCLUDED + 2 && intervals > trusted[family].intervalList.length + 2) return null;
  let excluded = set.complement();
  const parts: string[] = [];
  const loopback = LOOPBACK[family];
  const withoutLoopback = excluded.contains(loopback);
  if (withoutLoopback) excluded = excluded.subtract(loopback);
  const networks = trusted[family];
  if (!excluded.isEmpty()) {
    const cidrs = excluded.toCidrs();
    if (cidrs.length <= MAX_EXCLUDED) parts.push(...cidrs);
    else if (!networks.isEmpty() && excluded.equals(networks)) parts.push("the trusted networks");
    else return null;
  }
  if (withoutLoopback) parts.push("loopback");
  return `any address except ${joinWithAnd(parts)}`;
}

function joinWithAnd(parts: readonly string[]): string {
  return parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]!}`;
}

/** A list of CIDRs of one family, as the facts carry address sets; null for anything else. */
function asAddressSet(value: readonly unknown[]): AddressSet | null {
  if (value.length === 0) return null;
  const printed = AddressSet.printedFrom(value as readonly string[]);
  if (printed) return printed;
  let family: AddressFamily | null = null;
  const cidrs: string[] = [];
  for (const item of value) {
    if (typeof item !== "string" || !item.includes("/")) return null;
    const prefix = parsePrefix(item);
    if (!prefix || (family !== null && prefix.family !== family)) return null;
    family = prefix.family;
    cidrs.push(item);
  }
  return AddressSet.of(family!, cidrs);
}

/**
 * `address_summaries` for a document's facts: every list of CIDRs found anywhere in `facts` that can be
 * described by exclusion, keyed by addressListKey().
 */
export function addressSummaries(facts: unknown, trusted: TrustedNetworks): Record<string, string> {
  const out: Record<string, string> = {};
  // An explicit stack: the facts nest a few levels only, but nothing here should recurse on input shape.
  const stack: unknown[] = [facts];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      if (value.length > 0 && typeof value[0] === "string") {
        const set = asAddressSet(value);
        const summary = set && describeByExclusion(set, trusted);
        if (summary !== null) out[addressListKey(value as string[])] = summary;
      } else {
        for (const item of value) if (item !== null && typeof item === "object") stack.push(item);
      }
    } else if (value !== null && typeof value === "object") {
      for (const item of Object.values(value)) if (item !== null && typeof item === "object") stack.push(item);
    }
  }
  return out;
}
