package ntp_policy.rules.firewall.no_default_deny_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.no_default_deny

test_compliant_baseline_passes if {
	count(no_default_deny.violations) == 0 with input as fx.host
}

test_no_firewall_facts_pass if {
	count(no_default_deny.violations) == 0 with input as fx.without_firewall
	count(no_default_deny.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_policy_accept_fails_at_the_policy_line if {
	violations := no_default_deny.violations with input as fx.with_firewall("ipv4", fx.policy_facts("ACCEPT"))
	violations == {{
		"rule": "FW002",
		"severity": "medium",
		"message": concat("", [
			"IPv4 firewall (iptables-save): INPUT does not deny by default (policy ACCEPT at iptables-save:3, ",
			"and no unconditional DROP or REJECT rule ends the chain): every packet no rule drops is accepted, ",
			"so any listening service no rule covers is open to every source the network routes",
		]),
		"location": fx.v4_loc(3),
		"evidence": [{"location": fx.v4_loc(3), "text": ":INPUT ACCEPT [0:0]"}],
		"remediation": concat(" ", [
			"Set the filter INPUT policy to DROP in both dumps, `:INPUT DROP [0:0]` in the `*filter` table of",
			"iptables-save and of ip6tables-save, after accepting what the host needs",
			"(`-A INPUT -i lo -j ACCEPT`, `-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,",
			"`-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT` for the trusted networks); or end INPUT",
			"with `-A INPUT -j DROP`.",
		]),
	}}
}

test_unset_policy_fails_at_line_one if {
	inp := fx.with_firewall("ipv6", {
		"input_policy": null,
		"input_policy_location": null,
		"input_policy_text": null,
		"default_deny": false,
	})
	violations := no_default_deny.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == fx.v6_loc(1)
	contains(violation.message, concat("", [
		"IPv6 firewall (ip6tables-save): INPUT does not deny by default (the file does not set the filter ",
		"INPUT policy, so the kernel's ACCEPT stays, and no unconditional",
	]))
	violation.evidence == [{
		"location": fx.v6_loc(1),
		"text": "(no :INPUT policy line for the filter table: the kernel's policy stays, ACCEPT unless changed)",
	}]
}

test_policy_line_is_quoted_as_written if {
	inp := fx.with_firewall("ipv4", object.union(fx.policy_facts("ACCEPT"), {"input_policy_text": "-P INPUT ACCEPT"}))
	some violation in no_default_deny.violations with input as inp
	violation.evidence == [{"location": fx.v4_loc(3), "text": "-P INPUT ACCEPT"}]
}

test_policy_without_location if {
	inp := fx.with_firewall("ipv4", object.union(fx.policy_facts("ACCEPT"), {"input_policy_location": null}))
	some violation in no_default_deny.violations with input as inp
	contains(violation.message, "(policy ACCEPT, and no unconditional")
	violation.location == fx.v4_loc(1)
}

test_terminal_drop_rule_counts_as_default_deny if {
	inp := fx.with_firewall("ipv4", object.union(fx.policy_facts("ACCEPT"), {"default_deny": true}))
	count(no_default_deny.violations) == 0 with input as inp
}

test_both_families_fail_separately if {
	inp := object.union(fx.host, {"firewall": {
		"ipv4": fx.policy_facts("ACCEPT"),
		"ipv6": fx.policy_facts("ACCEPT"),
	}})
	count(no_default_deny.violations) == 2 with input as inp
}

test_missing_default_deny_is_not_proof_of_a_deny if {
	bare := {"file": "iptables-save"}
	inp := object.union(object.remove(fx.host, {"firewall"}), {"firewall": {"ipv4": bare, "ipv6": null}})
	some violation in no_default_deny.violations with input as inp
	violation.location == fx.v4_loc(1)
}

test_passing_evidence_is_the_input_drop_policy_line if {
	no_default_deny.passed_evidence == {
		fx.passed("FW002", fx.v4_loc(3), ":INPUT DROP [0:0]"),
		fx.passed("FW002", fx.v6_loc(3), ":INPUT DROP [0:0]"),
	} with input as fx.host
}

test_deny_by_a_final_rule_has_no_policy_line_as_evidence if {
	inp := fx.with_firewall("ipv4", {"input_policy": "ACCEPT", "input_policy_text": ":INPUT ACCEPT [0:0]"})
	no_default_deny.passed_evidence == {fx.passed("FW002", fx.v6_loc(3), ":INPUT DROP [0:0]")} with input as inp
}

test_nft_host_gets_a_policy_drop_command if {
	inp := fx.nft_host({"default_deny": false, "input_policy": "ACCEPT"})
	some violation in no_default_deny.violations with input as inp
	violation.location == fx.nft_loc(3)
	contains(violation.remediation, "`nft chain inet filter input { policy drop; }`")
}
