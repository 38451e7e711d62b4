/** A configured network is IPv6 when its address part holds a colon (`2001:db8::/32`, `::1`). */
export function isIpv6Cidr(network: string): boolean {
  return network.includes(":");
}
