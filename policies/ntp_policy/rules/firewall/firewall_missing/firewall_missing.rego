# METADATA
# title: No host firewall evidence in the dump
# description: >-
#   The host dump has an ntp.conf but no firewall evidence for a family ntpd listens on (no
#   iptables-save for IPv4, no ip6tables-save for IPv6, or an empty one: iptables-save prints nothing
#   on a host whose firewall is nftables or firewalld). What reaches UDP/123 then cannot be judged: the absence of
#   firewall findings proves nothing, and the restrict list is the only control this check can see.
#   When neither file is present the finding is located at line 1 of ntp.conf. When only the IPv4 file
#   is missing it is located at line 1 of ip6tables-save; the opposite case (no ip6tables-save) is
#   FW003.
# related_resources:
#   - ref: https://manpages.debian.org/iptables-save
#     description: iptables-save(8), dump the loaded firewall
# custom:
#   id: FW007
#   severity: info
#   passes_when: >-
#     No line shows this: it passes because the dump holds the host's iptables-save and ip6tables-
#     save.
#   inputs:
#     - time
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "(no iptables-save and no ip6tables-save in the host dump)"
#     pass: ":INPUT DROP [0:0]"
#   remediation: >-
#     Add the host firewall to the dump: `iptables-save > iptables-save` and
#     `ip6tables-save > ip6tables-save` in the host directory (also found as rules.v4 / rules.v6 and
#     etc/iptables/rules.v4 / rules.v6); if the host really has no firewall, add one with
#     `:INPUT DROP [0:0]` and `-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT` for the trusted
#     networks.
#   references:
#     - kind: NIST 800-53
#       id: SC-7
#       title: Boundary Protection
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
package ntp_policy.rules.firewall.firewall_missing

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.listen
import data.ntp_policy.lib.result

# METADATA
# description: Neither iptables-save nor ip6tables-save is in the dump while ntp.conf is.
violations contains result.fail(
	rego.metadata.chain(),
	listen.config_start,
	concat("", [
		"The host firewall was not in the dump (", firewall.absence("ipv4"), ", ", firewall.absence("ipv6"),
		"): UDP/123 exposure cannot be judged, so no firewall finding here is evidence of compliance; ",
		listen.access_control, " the only control this check could see",
	]),
	[],
) if {
	listen.daemon_configured
	firewall.missing("ipv4")
	firewall.missing("ipv6")
}

# METADATA
# description: ip6tables-save is in the dump but iptables-save is not, while ntpd listens on IPv4.
violations contains result.fail(
	rego.metadata.chain(),
	firewall.file_start(v6),
	concat("", [
		"Missing evidence: the dump has the IPv6 firewall (", object.get(v6, "file", "?"),
		") but ", firewall.absence("ipv4"), "; ", listen.daemon_name, " listens on IPv4 (", listen.reason("ipv4"),
		"), so IPv4 UDP/123",
		" exposure cannot be judged",
	]),
	listen.evidence("ipv4"),
) if {
	firewall.missing("ipv4")
	listen.daemon_listens("ipv4")
	v6 := firewall.families.ipv6
}
