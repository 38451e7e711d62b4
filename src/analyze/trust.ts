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

/** The configured trusted networks (`trusted_networks`, `--trusted`), per family, without loopback. */
export function trustedNetworks(cidrs: readonly string[]): TrustedNetworks {
  return { ipv4: AddressSet.of("ipv4", cidrs), ipv6: AddressSet.of("ipv6", cidrs) };
}

/** Every trusted address of a family: the configured networks and loopback. */
export function trustedAddresses(trusted: TrustedNetworks, family: AddressFamily): AddressSet {
  return trusted[family].union(LOOPBACK[family]);
}

/** The untrusted part of a set of addresses: outside loopback and outside the trusted networks. */
export function untrustedPart(trusted: TrustedNetworks, family: AddressFamily, addresses: AddressSet): AddressSet {
  return addresses.subtract(trustedAddresses(trusted, family));
}
