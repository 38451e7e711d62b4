# METADATA
# title: IPv6 left unfiltered while ntpd listens on IPv6
# description: >-
#   ntpd opens its sockets on every address of both families unless ntp.conf turns a family off
#   (`interface ignore ipv6` or `interface drop ipv6`). A host whose IPv4 firewall is in order but
#   whose IPv6 firewall is missing or accepts by default serves NTP, and answers whatever its restrict
#   list lets through, to the IPv6 Internet: the IPv4 rules protect nothing there. Tools that read only
#   iptables-save miss this gap. This rule fires when the dump has an iptables-save but no
#   ip6tables-save (missing evidence: nothing shows an IPv6 filter), and when IPv4 denies by default
#   but IPv6 does not.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/miscopt/
#     description: ntpd interface command (listen, ignore, drop; ipv4, ipv6, all, wildcard)
#   - ref: https://github.com/batfish/batfish/issues/232
#     description: batfish issue 232, host firewall analysis that ignores ip6tables
# custom:
#   id: FW003
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because the IPv6 firewall is there and denies by default like the
#     IPv4 one, or ntpd does not listen on IPv6.
#   inputs:
#     - firewall
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "(iptables-save in the dump, no ip6tables-save, no interface ignore ipv6)"
#     pass: "interface ignore ipv6"
#   remediation: >-
#     Filter IPv6 as IPv4 is filtered: add ip6tables-save to the dump (`ip6tables-save >
#     ip6tables-save`), with `:INPUT DROP [0:0]` and `-A INPUT -p udp --dport 123 -s 2001:db8:1::/48
#     -j ACCEPT` for the trusted IPv6 networks only; or, when the server is not meant to serve IPv6, add
#     `interface ignore ipv6` to ntp.conf.
#   references:
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.3.1
#       title: Ensure ip6tables default deny firewall policy
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.3.4
#       title: Ensure ip6tables firewall rules exist for all open ports
#     - kind: CIS
#       id: Ubuntu 22.04 v2.0.0 4.3.3.1
#       title: Ensure ip6tables default deny firewall policy
#     - kind: SSG
#       id: set_ip6tables_default_rule
#       title: Set Default ip6tables Policy for Incoming Packets
#     - kind: Issue
#       id: batfish/batfish#232
#       title: iptables analysis ignores the IPv6 rules
#       url: https://github.com/batfish/batfish/issues/232
#     - kind: NIST 800-53
#       id: SC-7
#       title: Boundary Protection
package ntp_policy.rules.firewall.dual_stack_gap

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.listen
import data.ntp_policy.lib.result

# METADATA
# description: The dump has iptables-save but no ip6tables-save while ntpd listens on IPv6.
violations contains result.fail(
	rego.metadata.chain(),
	firewall.file_start(v4),
	concat("", [
		"Missing evidence: the dump has the IPv4 firewall (", object.get(v4, "file", "?"),
		") but ", firewall.absence("ipv6"), "; ", listen.daemon_name, " listens on IPv6 too (", listen.reason("ipv6"),
		")",
		" and nothing shows an IPv6 filter, so UDP/123 may be open to any IPv6 source whatever iptables does",
	]),
	listen.evidence("ipv6"),
) if {
	firewall.missing("ipv6")
	listen.daemon_listens("ipv6")
	v4 := firewall.families.ipv4
}

# METADATA
# description: IPv4 denies by default, IPv6 does not, while ntpd listens on IPv6.
violations contains result.fail(
	rego.metadata.chain(),
	firewall.policy_location(v6),
	concat("", [
		firewall.subject("ipv4", v4), " denies by default but the ", firewall.subject("ipv6", v6),
		" does not; ", listen.daemon_name, " listens on IPv6 too (", listen.reason("ipv6"),
		"), so what the IPv4 rules keep out",
		" can still reach UDP/123 over IPv6",
	]),
	array.concat(
		array.concat(firewall.policy_evidence(v4), firewall.policy_evidence(v6)),
		listen.evidence("ipv6"),
	),
) if {
	listen.daemon_listens("ipv6")
	v4 := firewall.families.ipv4
	v4.default_deny == true
	v6 := firewall.families.ipv6
	object.get(v6, "default_deny", false) != true
}
