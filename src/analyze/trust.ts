/**
 * Who counts as untrusted — one definition for every layer. An address is trusted when it is loopback
 * or inside a configured trusted network; everything else is untrusted. The restrict list (NTP001,
 * NTP002), the firewall walk (FW001 and the other firewall rules) and the cross-layer facts (XL001) all
 * take their "untrusted" from here, so the layers can never disagree on it.
 */
import type { AddressFamily } from "../model/ntpconf.js";
import { AddressSet, LOOPBACK } from "./address-set.js";

export interface TrustedNetworks {
  ipv4: AddressSet;
  ipv6: AddressSet;
}

/**
 * The configured trusted networks (`trusted_networks`, `--trusted`), per family, without loopback. Every
 * host of a run has the same configuration: the sets (and what is derived from them, such as their
 * complements) are built once per distinct list, not once per host.
 */
export function trustedNetworks(cidrs: readonly string[]): TrustedNetworks {
  const key = cidrs.join("\n");
  let trusted = byConfiguration.get(key);
  if (!trusted) {
    trusted = Object.freeze({ ipv4: AddressSet.of("ipv4", cidrs), ipv6: AddressSet.of("ipv6", cidrs) });
    if (byConfiguration.size >= 64) byConfiguration.clear();
    byConfiguration.set(key, trusted);
  }
  return trusted;
}

const byConfiguration = new Map<string, TrustedNetworks>();
const withLoopback = new WeakMap<TrustedNetworks, Record<AddressFamily, AddressSet>>();

/** Every trusted address of a family: the configured networks and loopback. */
export function trustedAddresses(trusted: TrustedNetworks, family: AddressFamily): AddressSet {
  let both = withLoopback.get(trusted);
  if (!both) {
    both = { ipv4: trusted.ipv4.union(LOOPBACK.ipv4), ipv6: trusted.ipv6.union(LOOPBACK.ipv6) };
    withLoopback.set(trusted, both);
  }
  return both[family];
}

/** The untrusted part of a set of addresses: outside loopback and outside the trusted networks. */
export function untrustedPart(trusted: TrustedNetworks, family: AddressFamily, addresses: AddressSet): AddressSet {
  return addresses.subtract(trustedAddresses(trusted, family));
}
