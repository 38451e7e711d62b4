package ntp_policy.rules.firewall.forward_output_not_drop_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.forward_output_not_drop

test_compliant_baseline_passes if {
	count(forward_output_not_drop.violations) == 0 with input as fx.host
}

test_no_firewall_facts_pass if {
	count(forward_output_not_drop.violations) == 0 with input as fx.without_firewall
	count(forward_output_not_drop.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_null_family_is_not_judged if {
	inp := object.union(fx.with_firewall("ipv4", {"output_policy": "ACCEPT"}), {"firewall": {"ipv4": null}})
	count(forward_output_not_drop.violations) == 0 with input as inp
}

test_output_accept_fails_at_line_one_naming_the_chain if {
	violations := forward_output_not_drop.violations with input as fx.with_firewall("ipv4", {"output_policy": "ACCEPT"})
	violations == {{
		"rule": "FW011",
		"severity": "medium",
		"message": concat("", [
			"IPv4 firewall (iptables-save): the OUTPUT policy is ACCEPT, where CIS asks for DROP: whatever the host ",
			"sends leaves it unless a rule drops it",
		]),
		"location": fx.v4_loc(1),
		"evidence": [{"location": fx.v4_loc(1), "text": "(the filter table's OUTPUT policy is ACCEPT: :OUTPUT ACCEPT)"}],
		"remediation": concat(" ", [
			"Set the filter FORWARD and OUTPUT policies to DROP, `:FORWARD DROP [0:0]` and `:OUTPUT DROP [0:0]`",
			"in the `*filter` table of iptables-save and of ip6tables-save. An OUTPUT policy of DROP stops",
			"everything the host sends that no rule accepts, so accept what it needs first, or ntpd loses its",
			"upstreams (FW004) and cannot resolve their names: `-A OUTPUT -o lo -j ACCEPT`,",
			"`-A OUTPUT -p udp --dport 123 -j ACCEPT` (NTP queries), `-A OUTPUT -p udp --dport 53 -j ACCEPT`",
			"and `-A OUTPUT -p tcp --dport 53 -j ACCEPT` (DNS), and",
			"`-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT` (replies to what INPUT accepts).",
		]),
	}}
}

test_forward_accept_on_ipv6 if {
	violations := forward_output_not_drop.violations with input as fx.with_firewall("ipv6", {"forward_policy": "ACCEPT"})
	count(violations) == 1
	some violation in violations
	violation.location == fx.v6_loc(1)
	violation.message == concat("", [
		"IPv6 firewall (ip6tables-save): the FORWARD policy is ACCEPT, where CIS asks for DROP: whatever the host ",
		"routes (when forwarding is on) is forwarded unless a rule drops it",
	])
	violation.evidence == [{
		"location": fx.v6_loc(1),
		"text": "(the filter table's FORWARD policy is ACCEPT: :FORWARD ACCEPT)",
	}]
}

test_both_chains_in_one_violation if {
	inp := fx.with_firewall("ipv4", {"forward_policy": "ACCEPT", "output_policy": null})
	violations := forward_output_not_drop.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.message == concat("", [
		"IPv4 firewall (iptables-save): the FORWARD policy is ACCEPT and no OUTPUT policy is set (the kernel's ",
		"ACCEPT stays), where CIS asks for DROP: whatever the host routes (when forwarding is on) is forwarded and ",
		"whatever the host sends leaves it unless a rule drops it",
	])
	violation.evidence == [
		{"location": fx.v4_loc(1), "text": "(the filter table's FORWARD policy is ACCEPT: :FORWARD ACCEPT)"},
		{
			"location": fx.v4_loc(1),
			"text": "(no :OUTPUT policy line for the filter table: the kernel's policy stays, ACCEPT unless changed)",
		},
	]
}

test_missing_policy_facts_are_not_proof_of_a_drop if {
	bare := {"file": "iptables-save"}
	inp := object.union(object.remove(fx.host, {"firewall"}), {"firewall": {"ipv4": bare, "ipv6": null}})
	some violation in forward_output_not_drop.violations with input as inp
	contains(violation.message, ": no FORWARD policy is set (the kernel's ACCEPT stays) and no OUTPUT policy is set")
	count(violation.evidence) == 2
}

test_both_families_fail_separately if {
	inp := object.union(fx.host, {"firewall": {"ipv4": {"output_policy": "ACCEPT"}, "ipv6": {"output_policy": "ACCEPT"}}})
	count(forward_output_not_drop.violations) == 2 with input as inp
}

test_located_at_the_policy_line_when_the_file_has_one if {
	line := {"location": fx.v4_loc(5), "text": ":OUTPUT ACCEPT [12:840]"}
	inp := fx.with_firewall("ipv4", {"output_policy": "ACCEPT", "output_policy_line": line})
	some violation in forward_output_not_drop.violations with input as inp
	violation.location == fx.v4_loc(5)
	violation.evidence == [line]
}

test_nft_host_gets_base_chains_with_policy_drop if {
	inp := fx.nft_host({"forward_policy": "ACCEPT", "output_policy": "ACCEPT"})
	chain := "nft add chain inet filter output { type filter hook output priority filter; policy drop; }"
	some violation in forward_output_not_drop.violations with input as inp
	contains(violation.remediation, "for forward and output")
	contains(violation.remediation, concat("", ["`", chain, "`"]))
}
