# METADATA
# title: UDP/123 accepted from addresses outside the trusted networks
# description: >-
#   The host firewall accepts new NTP datagrams (UDP port 123, arriving on an interface other than
#   loopback) from source addresses outside the trusted networks. Every such address reaches ntpd
#   itself, whose restrict list is then the only thing between it and the daemon's mode 6/7 query
#   interface, the reflector abused in the 2014 NTP amplification attacks (CVE-2013-5211); the
#   standard mitigation is to accept UDP/123 only from the hosts that need it. This rule reads the
#   INPUT chain the way iptables-restore loads it (user chains, RETURN, multiport and port ranges
#   followed) for IPv4 and IPv6 separately. When a match cannot be decided offline (an ipset, the
#   recent or u32 module, an interface name, a mark), the analysis assumes it may match and the
#   finding says so: such a finding cannot be dismissed on a guess, only by making the rule decidable
#   or by proving the assumption wrong.
# related_resources:
#   - ref: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     description: CVE-2013-5211, ntpd monlist traffic amplification (mitigation - block inbound UDP/123)
#   - ref: https://ipset.netfilter.org/iptables-extensions.man.html
#     description: iptables-extensions(8), the match modules the analysis follows
# custom:
#   id: FW001
#   severity: high
#   inputs:
#     - firewall
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "-A INPUT -p udp -m udp --dport 123 -j ACCEPT"
#     pass: "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT"
#   remediation: >-
#     Accept UDP/123 only from the trusted networks and drop it from everywhere else, before the
#     rule that accepts it today: `-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT` (one per
#     trusted network) followed by `-A INPUT -p udp --dport 123 -j DROP`, in iptables-save for IPv4
#     and with IPv6 networks (`-A INPUT -p udp --dport 123 -s 2001:db8:1::/48 -j ACCEPT`) in
#     ip6tables-save; better still, set `:INPUT DROP [0:0]` and accept only what the host serves.
#   references:
#     - kind: STIG
#       id: V-230500
#       title: RHEL-08-040030, configure the firewall to prohibit or restrict ports, protocols and services (PPSM)
#     - kind: CVE
#       id: CVE-2013-5211
#       title: ntpd monlist (REQ_MON_GETLIST) traffic amplification; mitigation - block inbound UDP/123
#       url: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.2.4
#       title: Ensure iptables firewall rules exist for all open ports
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.3.4
#       title: Ensure ip6tables firewall rules exist for all open ports
#     - kind: CIS
#       id: Ubuntu 22.04 v2.0.0 4.3.2.4
#       title: Ensure iptables firewall rules exist for all open ports
#     - kind: NIST 800-53
#       id: SC-7
#       title: Boundary Protection
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.firewall.untrusted_ntp_accepted

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.result

# METADATA
# description: One violation per family whose firewall may accept UDP/123 from untrusted addresses.
violations contains result.fail_fix(
	rego.metadata.chain(),
	_location(facts),
	_message(key, facts),
	array.concat(_accept_evidence(facts), firewall.assumption_evidence(_assumptions(facts))),
	_fix(key, facts),
) if {
	some key, facts in firewall.families
	count(_untrusted(facts)) > 0
}

_inbound(facts, field) := object.get(facts, ["ntp_inbound", field], [])

# On an nftables host, the fix as nft commands in the chain that accepts the datagrams today.
_fix(key, facts) := concat("", [
	"Drop UDP/123 from outside the trusted networks before the rule that accepts it today: `",
	firewall.nft_drop_untrusted(key, facts, _accepting(facts), "udp"),
	"` (and the same rule in /etc/nftables.conf); or accept only a named set and drop the rest: `set ntp_clients { type ",
	_set_type(key), "; flags interval; elements = { ... } }`, `udp dport 123 ", firewall.nft_address(key),
	" saddr @ntp_clients accept`, `udp dport 123 drop`; better still, `policy drop;` on the input chain",
]) if {
	firewall.nft(facts)
} else := null

_set_type(key) := object.get({"ipv4": "ipv4_addr", "ipv6": "ipv6_addr"}, key, "ipv4_addr")

_untrusted(facts) := _inbound(facts, "may_accept_untrusted")

_certain(facts) := _inbound(facts, "must_accept_untrusted")

_assumptions(facts) := _inbound(facts, "assumptions")

# The rules (and policies) through which untrusted sources may get in; when the facts name none, every
# rule that accepts such datagrams.
_accepting(facts) := _inbound(facts, "accepted_untrusted_by") if count(_inbound(facts, "accepted_untrusted_by")) > 0

_accepting(facts) := _inbound(facts, "accepted_by") if count(_inbound(facts, "accepted_untrusted_by")) == 0

# The first rule (or policy) that lets untrusted sources in, else the INPUT policy line, else line 1.
_location(facts) := object.get(_accepting(facts)[0], "location", null) if count(_accepting(facts)) > 0

_location(facts) := firewall.policy_location(facts) if count(_accepting(facts)) == 0

_accept_evidence(facts) := firewall.rule_evidence(_accepting(facts)) if count(_accepting(facts)) > 0

_accept_evidence(facts) := firewall.policy_evidence(facts) if count(_accepting(facts)) == 0

_message(key, facts) := concat("", [
	firewall.subject(key, facts), _addresses(facts), _example(facts),
	_reach, _undecided(facts),
])

_reach := concat("", [
	"; they reach ntpd, whose restrict list is then the only protection of its mode 6/7 queries",
	" (CVE-2013-5211 amplification)",
]) if {
	not _chronyd
}

_reach := concat("", [
	"; they reach chronyd, whose allow/deny lines are then the only protection of the time it serves",
	" (NTP reflection and amplification)",
]) if {
	_chronyd
}

_chronyd if {
	not is_object(input.ntp)
	is_object(input.chrony)
}

_outside := " new UDP/123 datagrams from addresses outside the trusted networks and loopback"

# Accepted for certain from every address it may accept them from.
_addresses(facts) := concat("", [" accepts", _outside, " for certain: ", firewall.address_list(_certain(facts))]) if {
	count(_certain(facts)) > 0
	not _partly_certain(facts)
}

# Accepted for certain from some addresses, and perhaps from more.
_addresses(facts) := concat("", [
	" accepts", _outside, ", for certain from ", firewall.address_list(_certain(facts)),
	" and possibly from all of ", firewall.address_list(_untrusted(facts)),
]) if {
	_partly_certain(facts)
}

# Accepted from no untrusted address for certain.
_addresses(facts) := concat("", [" may accept", _outside, ": ", firewall.address_list(_untrusted(facts))]) if {
	count(_certain(facts)) == 0
}

_example(facts) := concat("", [" (for example ", facts.ntp_inbound.untrusted_example, ")"]) if {
	is_string(facts.ntp_inbound.untrusted_example)
}

_example(facts) := "" if not is_string(object.get(facts, ["ntp_inbound", "untrusted_example"], null))

# Both lists are minimal CIDR lists of sets with must ⊆ may, so they differ exactly when must is smaller:
# when some CIDR of one is not in the other. Tested by membership, not by comparing the two sets:
# OPA's WebAssembly runtime compares sets by sorting them by insertion, quadratic on long lists.
_partly_certain(facts) if {
	count(_certain(facts)) > 0
	not _same_cidrs(_certain(facts), _untrusted(facts))
}

_same_cidrs(a, b) if {
	count(a) == count(b)
	in_b := {cidr | some cidr in b}
	every cidr in a {
		in_b[cidr] # a hash lookup; `cidr in in_b` scans the set in WebAssembly
	}
}

_incomplete(facts) if object.get(facts, "complete", false) != true

# Nothing is accepted for certain: whether anything is rests on what the dump cannot decide.
_undecided(facts) := concat("", [
	"; the verdict depends on ", concat(" and on ", _undecided_parts(facts)),
	": the firewall may accept less, but nothing in the dump proves it",
]) if {
	count(_certain(facts)) == 0
}

# Some addresses are accepted for certain: only the rest rests on what the dump cannot decide.
_undecided(facts) := concat("", [
	"; whether it accepts the rest depends on ", concat(" and on ", _undecided_parts(facts)),
]) if {
	_partly_certain(facts)
}

_undecided(facts) := "" if {
	count(_certain(facts)) > 0
	not _partly_certain(facts)
}

_undecided_parts(facts) := parts if {
	parts := [part | some part in [_assumed_part(facts), _incomplete_part(facts)]; part != ""]
	count(parts) > 0
}

_undecided_parts(facts) := ["matches that cannot be decided offline (assumed to match)"] if {
	count([part | some part in [_assumed_part(facts), _incomplete_part(facts)]; part != ""]) == 0
}

_assumed_part(facts) := concat("", [
	firewall.counted(count(_assumptions(facts)), "match", "matches"),
	" that cannot be decided offline (listed in the evidence; assumed to match)",
]) if {
	count(_assumptions(facts)) > 0
}

_assumed_part(facts) := "" if count(_assumptions(facts)) == 0

_incomplete_part(facts) := "parts of the firewall the dump does not show (FW006)" if _incomplete(facts)

_incomplete_part(facts) := "" if not _incomplete(facts)

# METADATA
# description: |
#   Passing evidence, per family that accepts UDP/123 from no untrusted address: the INPUT policy line
#   and the rules that accept UDP/123 (from trusted sources only).
passed_evidence contains result.pass(rego.metadata.chain(), item) if {
	some facts in firewall.families
	count(_untrusted(facts)) == 0
	some item in array.concat(firewall.policy_lines(facts), firewall.rule_evidence(_inbound(facts, "accepted_by")))
}
