// The restrict-list analysis as it was before governedRegion became near-linear: every entry against every
// other. Kept only as the oracle of test/hostile/restrict-differential.test.ts.
/**
 * The restrict access-control list as ntpd builds it (ntp_restrict.c), so that the policies judge what
 * the daemon enforces rather than what the file seems to say:
 *  - one list per family, with a built-in default entry that is always present (no flags in ntpd;
 *    `noquery limited` in ntpsec);
 *  - `restrict default` without -4/-6 changes both defaults (ntpd ≥ 4.2.5p178, ntpsec);
 *  - the address is ANDed with the mask; lines with the same (address, mask, ntpport) merge by OR;
 *  - lookup is longest-prefix match (the sorted-list first match), so file order does not matter;
 *  - `ntpport` entries only match packets from source port 123.
 * From that list it derives, per entry, which addresses take their flags from it.
 */
import type { RestrictEntryFact, RestrictFacts, SourceLine } from "../../../src/model/input.js";
import type { AddressFamily, RestrictNode } from "../../../src/model/ntpconf.js";
import {
  AddressSet,
  contiguousMaskLength,
  formatAddress,
  leadingOnes,
  LOOPBACK,
  maxAddress,
  parseAddress,
  prefixMask,
} from "../../../src/analyze/address-set.js";

export type DaemonFlavor = "ntpd" | "ntpsec";

export const FAMILIES: readonly AddressFamily[] = ["ipv4", "ipv6"];

/** Flags of the built-in default entry ("to avoid packet length amplification", ntpsec access docs). */
const BUILTIN_DEFAULT_FLAGS: Record<DaemonFlavor, string[]> = { ntpd: [], ntpsec: ["limited", "noquery"] };

/** An ACL entry while the list is being built. */
interface Entry {
  family: AddressFamily;
  kind: "default" | "address" | "hostname";
  /** Network (address AND mask) for address entries; 0 for defaults. */
  network: bigint;
  mask: bigint;
  hostname: string | null;
  ntpport: boolean;
  flags: Set<string>;
  implicit: boolean;
  lines: SourceLine[];
}

export interface TrustedNetworks {
  ipv4: AddressSet;
  ipv6: AddressSet;
}

export function trustedNetworks(cidrs: readonly string[]): TrustedNetworks {
  return { ipv4: AddressSet.of("ipv4", cidrs), ipv6: AddressSet.of("ipv6", cidrs) };
}

export class RestrictList {
  private readonly entries = new Map<string, Entry>();
  private sourceTemplate: { flags: Set<string>; lines: SourceLine[] } | null = null;

  constructor(flavor: DaemonFlavor) {
    for (const family of FAMILIES) {
      this.entries.set(key(family, 0n, 0n, false, null), {
        family,
        kind: "default",
        network: 0n,
        mask: 0n,
        hostname: null,
        ntpport: false,
        flags: new Set(BUILTIN_DEFAULT_FLAGS[flavor]),
        implicit: true,
        lines: [],
      });
    }
  }

  /** Apply one restrict/unrestrict/delrestrict line, in file order. */
  apply(node: RestrictNode): void {
    const flags = node.flags.map((w) => w.text);
    const line: SourceLine = { location: node.location, text: node.text };
    const ntpport = flags.includes("ntpport");
    const restrictions = flags.filter((f) => f !== "ntpport");

    if (node.target === "source") {
      if (node.command === "restrict") {
        this.sourceTemplate ??= { flags: new Set(), lines: [] };
        for (const f of restrictions) this.sourceTemplate.flags.add(f);
        this.sourceTemplate.lines.push(line);
      } else if (node.command === "delrestrict" || restrictions.length === 0) {
        this.sourceTemplate = null;
      } else if (this.sourceTemplate) {
        for (const f of restrictions) this.sourceTemplate.flags.delete(f);
      }
      return;
    }

    for (const target of this.targets(node)) {
      const k = key(target.family, target.network, target.mask, ntpport, target.hostname);
      const existing = this.entries.get(k);
      if (node.command === "restrict") {
        const entry = existing ?? { ...target, ntpport, flags: new Set<string>(), implicit: false, lines: [] };
        entry.implicit = false;
        for (const f of restrictions) entry.flags.add(f);
        entry.lines.push(line);
        this.entries.set(k, entry);
      } else if (existing) {
        const removeEntry = node.command === "delrestrict" || restrictions.length === 0;
        if (removeEntry && existing.kind !== "default") {
          this.entries.delete(k);
        } else if (removeEntry) {
          // The default entry cannot be removed; without flags, unrestrict leaves it as it is.
          existing.lines.push(line);
        } else {
          for (const f of restrictions) existing.flags.delete(f);
          existing.lines.push(line);
        }
      }
    }
  }

  private targets(node: RestrictNode): Array<Omit<Entry, "flags" | "implicit" | "lines" | "ntpport">> {
    if (node.target === "default") {
      const families = node.family ? [node.family] : FAMILIES;
      return families.map((family) => ({ family, kind: "default", network: 0n, mask: 0n, hostname: null }));
    }
    const text = node.address?.text ?? "";
    const addr = parseAddress(text);
    if (!addr) {
      // A host name: ntpd resolves it at startup and adds one host entry per address (mask ignored).
      return [{ family: node.family ?? "ipv4", kind: "hostname", network: 0n, mask: maxAddress(node.family ?? "ipv4"), hostname: text }];
    }
    let mask = maxAddress(addr.family);
    if (node.prefixLength !== null) mask = prefixMask(addr.family, Math.min(node.prefixLength, addr.family === "ipv4" ? 32 : 128));
    else if (node.mask) {
      const m = parseAddress(node.mask.text);
      if (m && m.family === addr.family) mask = m.value;
    }
    const network = addr.value & mask;
    if (network === 0n && mask === 0n) {
      // `restrict 0.0.0.0 mask 0.0.0.0` is the default entry written out.
      return [{ family: addr.family, kind: "default", network: 0n, mask: 0n, hostname: null }];
    }
    return [{ family: addr.family, kind: "address", network, mask, hostname: null }];
  }

  /** The entry ntpd applies to a packet from `address` (any source port unless `fromPort123`). */
  lookup(address: string, fromPort123 = false): RestrictEntryView | null {
    const addr = parseAddress(address);
    if (!addr) return null;
    let best: Entry | null = null;
    for (const e of this.entries.values()) {
      if (e.family !== addr.family || e.kind === "hostname") continue;
      if (e.ntpport && !fromPort123) continue;
      if ((addr.value & e.mask) !== e.network) continue;
      if (!best || moreSpecific(e, best)) best = e;
    }
    return best ? view(best) : null;
  }

  /** The default entry of a family. */
  defaultEntry(family: AddressFamily): RestrictEntryView {
    return view(this.entries.get(key(family, 0n, 0n, false, null))!);
  }

  /** A host-name entry written for exactly this name, if any. */
  hostnameEntry(name: string): RestrictEntryView | null {
    for (const e of this.entries.values()) if (e.kind === "hostname" && e.hostname === name) return view(e);
    return null;
  }

  source(): { flags: string[]; lines: SourceLine[] } | null {
    return this.sourceTemplate ? { flags: [...this.sourceTemplate.flags].sort(), lines: this.sourceTemplate.lines } : null;
  }

  anyEntryHas(flag: string): boolean {
    for (const e of this.entries.values()) if (e.flags.has(flag)) return true;
    return this.sourceTemplate?.flags.has(flag) ?? false;
  }

  /**
   * Every address entry with the addresses that take their flags from it (host-name entries are left
   * out: their addresses are unknown offline).
   */
  governedRegions(): Array<{ view: RestrictEntryView; region: AddressSet }> {
    const all = [...this.entries.values()].sort(compareEntries);
    const out: Array<{ view: RestrictEntryView; region: AddressSet }> = [];
    for (const e of all) {
      const region = governedRegion(e, all);
      if (region) out.push({ view: view(e), region });
    }
    return out;
  }

  /** The list as facts, with the addresses each entry governs. */
  facts(trusted: TrustedNetworks): RestrictFacts {
    const all = [...this.entries.values()].sort(compareEntries);
    const entries: RestrictEntryFact[] = all.map((e) => {
      const region = governedRegion(e, all);
      const nonLoopback = region ? region.subtract(LOOPBACK[e.family]) : null;
      const untrusted = nonLoopback ? nonLoopback.subtract(trusted[e.family]) : null;
      const maskLength = e.kind === "hostname" ? null : contiguousMaskLength(e.family, e.mask);
      return {
        family: e.family,
        kind: e.kind,
        prefix: e.kind === "hostname" ? e.hostname! : `${formatAddress(e.family, e.network)}/${maskLength ?? leadingOnes(e.family, e.mask)}`,
        mask: e.kind === "hostname" ? null : formatAddress(e.family, e.mask),
        mask_noncontiguous: e.kind !== "hostname" && maskLength === null,
        ntpport: e.ntpport,
        flags: [...e.flags].sort(),
        implicit: e.implicit,
        lines: e.lines,
        // A host name may resolve to any address: assume it reaches beyond loopback and the trusted networks.
        governs_non_loopback: nonLoopback ? !nonLoopback.isEmpty() : e.hostname !== "localhost",
        governs_untrusted: untrusted ? !untrusted.isEmpty() : e.hostname !== "localhost",
        untrusted_example: untrusted ? untrusted.exampleAddress() : null,
      };
    });
    const source = this.source();
    return { entries, source };
  }
}

export interface RestrictEntryView {
  family: AddressFamily;
  kind: "default" | "address" | "hostname";
  flags: string[];
  lines: SourceLine[];
  implicit: boolean;
}

function view(e: Entry): RestrictEntryView {
  return { family: e.family, kind: e.kind, flags: [...e.flags].sort(), lines: e.lines, implicit: e.implicit };
}

function key(family: AddressFamily, network: bigint, mask: bigint, ntpport: boolean, hostname: string | null): string {
  return hostname !== null ? `${family}|host|${hostname}|${ntpport}` : `${family}|${network}|${mask}|${ntpport}`;
}

/** ntpd's sort: larger mask (then larger address, then ntpport) is more specific. */
function moreSpecific(a: Entry, b: Entry): boolean {
  if (a.mask !== b.mask) return a.mask > b.mask;
  if (a.network !== b.network) return a.network > b.network;
  return a.ntpport && !b.ntpport;
}

function compareEntries(a: Entry, b: Entry): number {
  if (a.family !== b.family) return a.family < b.family ? -1 : 1;
  const kindOrder = { default: 0, address: 1, hostname: 2 };
  if (a.kind !== b.kind) return kindOrder[a.kind] - kindOrder[b.kind];
  if (a.mask !== b.mask) return a.mask < b.mask ? -1 : 1;
  if (a.network !== b.network) return a.network < b.network ? -1 : 1;
  if (a.ntpport !== b.ntpport) return a.ntpport ? 1 : -1;
  return (a.hostname ?? "").localeCompare(b.hostname ?? "");
}

/**
 * The addresses whose packets take their flags from `e`: its own range minus the ranges of more specific
 * entries. An `ntpport` entry only catches packets from port 123, so it does not take addresses away from
 * an ordinary entry (a query can come from any port). Non-contiguous masks are approximated by the
 * contiguous prefix of their leading ones — a superset, so "governs untrusted" stays sound.
 * Null for host-name entries, whose addresses are unknown offline.
 */
function governedRegion(e: Entry, all: Entry[]): AddressSet | null {
  if (e.kind === "hostname") return null;
  const own = rangeOf(e);
  let shadow = AddressSet.empty(e.family);
  for (const f of all) {
    if (f === e || f.family !== e.family || f.kind === "hostname") continue;
    if (f.ntpport && !e.ntpport) continue;
    if (!moreSpecific(f, e)) continue;
    shadow = shadow.union(rangeOf(f));
  }
  return own.subtract(shadow);
}

function rangeOf(e: Entry): AddressSet {
  const length = contiguousMaskLength(e.family, e.mask) ?? leadingOnes(e.family, e.mask);
  return AddressSet.fromPrefix({ family: e.family, network: e.network & prefixMask(e.family, length), length });
}
