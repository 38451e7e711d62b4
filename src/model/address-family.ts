/** The IP address family, the same for every layer: ntp.conf's `-4`/`-6`, iptables-save vs ip6tables-save, netfilter tables. */
export type AddressFamily = "ipv4" | "ipv6";
