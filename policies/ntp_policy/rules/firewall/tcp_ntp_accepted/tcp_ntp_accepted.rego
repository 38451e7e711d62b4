# METADATA
# title: TCP/123 accepted from addresses outside the trusted networks
# description: >-
#   NTP runs over UDP only: no NTP client or server ever opens a TCP connection to port 123 (NTS key
#   establishment uses TCP port 4460). A host firewall that accepts new TCP connections to port 123
#   from outside the trusted networks therefore serves no purpose and opens attack surface: any
#   process that binds TCP/123 is reachable, and the hole usually betrays an NTP rule written without
#   `-p udp` or a chain that accepts every port. The Team Cymru Secure NTP Template filters NTP as UDP
#   only. The check walks INPUT for a new TCP segment to port 123 the way FW001 walks it for UDP (user
#   chains, RETURN, multiport and port ranges followed, undecidable matches assumed to match), for
#   IPv4 and IPv6 separately. It belongs to the CIS and STIG profiles (only the ports a host needs are
#   open); under an INPUT that does not deny by default it adds to FW002, which the baseline reports.
# related_resources:
#   - ref: https://www.team-cymru.com/secure-ntp-template.html
#     description: Team Cymru Secure NTP Template (border NTP filtering, UDP only)
# custom:
#   id: FW009
#   severity: low
#   passes_when: >-
#     No line shows this: it passes because no rule accepts TCP/123 from addresses outside the trusted
#     networks.
#   inputs:
#     - firewall
#   profiles:
#     - cis
#     - stig
#   examples:
#     fail: "-A INPUT -p tcp -m tcp --dport 123 -j ACCEPT"
#     pass: "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT"
#   remediation: >-
#     Accept NTP as UDP only: write every NTP rule with `-p udp` (`-A INPUT -s 192.0.2.0/24 -p udp
#     --dport 123 -j ACCEPT`), never `-p tcp` or without a protocol, and deny the rest, with
#     `:INPUT DROP [0:0]` or an explicit `-A INPUT -p tcp --dport 123 -j DROP`, in iptables-save and
#     ip6tables-save alike.
#   references:
#     - kind: Guide
#       id: Team Cymru Secure NTP Template
#       title: Border NTP Filtering (NTP is UDP port 123)
#       url: https://www.team-cymru.com/secure-ntp-template.html
#     - kind: STIG
#       id: V-230500
#       title: RHEL-08-040030, configure the firewall to prohibit or restrict ports, protocols and services (PPSM)
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.firewall.tcp_ntp_accepted

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.result

# METADATA
# description: |
#   One violation per family whose firewall may accept TCP/123 from untrusted addresses, at the INPUT
#   policy line.
violations contains result.fail_fix(
	rego.metadata.chain(),
	firewall.policy_location(facts),
	_message(key, facts),
	firewall.policy_evidence(facts),
	_fix(key, facts),
) if {
	some key, facts in firewall.families
	count(_untrusted(facts)) > 0
}

_untrusted(facts) := object.get(facts, "tcp_ntp_may_accept_untrusted", [])

_message(key, facts) := concat("", [
	firewall.subject(key, facts),
	" may accept new TCP connections to port 123 from addresses outside the trusted networks and loopback: ",
	firewall.address_list(_untrusted(facts)),
	"; NTP runs over UDP only, so no NTP client needs them and the open port is attack surface with no purpose",
	_cause(facts),
])

_cause(facts) := " (INPUT does not deny by default, FW002: every port no rule drops is open)" if {
	object.get(facts, "default_deny", false) != true
}

_cause(facts) := concat("", [
	" (a rule of INPUT, or of a chain it jumps to, accepts them: look for one without `-p udp`",
	" that matches port 123 or every port)",
]) if {
	facts.default_deny == true
}

# On an nftables host, the fix as an nft command in the input chain.
_fix(key, facts) := concat("", [
	"NTP is UDP only: drop TCP/123 from outside the trusted networks, `",
	firewall.nft_drop_untrusted(key, facts, [], "tcp"),
	"`, or set `policy drop;` on the input chain and accept only what the host serves",
]) if {
	firewall.nft(facts)
} else := null
