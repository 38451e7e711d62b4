package ntp_policy.rules.firewall.loopback_rules_missing_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.loopback_rules_missing

# The baseline host with these loopback rules in the family's INPUT.
with_loopback(key, accept, drop) := fx.with_firewall(key, {"loopback": {
	"accept_rule": accept,
	"spoofed_drop_rule": drop,
}})

test_compliant_baseline_passes if {
	count(loopback_rules_missing.violations) == 0 with input as fx.host
}

test_no_firewall_facts_pass if {
	count(loopback_rules_missing.violations) == 0 with input as fx.without_firewall
	count(loopback_rules_missing.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_null_family_is_not_judged if {
	inp := object.union(with_loopback("ipv4", null, null), {"firewall": {"ipv6": null}})
	count(loopback_rules_missing.violations) == 1 with input as inp
	count(loopback_rules_missing.violations) == 0 with input as fx.with_firewall("ipv4", null)
}

test_both_rules_missing_fails_at_the_input_policy_line if {
	violations := loopback_rules_missing.violations with input as with_loopback("ipv4", null, null)
	violations == {{
		"rule": "FW008",
		"severity": "low",
		"message": concat("", [
			"IPv4 firewall (iptables-save): INPUT has no rule that accepts all loopback traffic ",
			"(`-A INPUT -i lo -j ACCEPT`), and no rule that drops loopback sources arriving on other interfaces ",
			"(`-A INPUT -s 127.0.0.0/8 -j DROP`): traffic on lo is left to the rest of the chain, so under a ",
			"default deny local clients such as ntpq may not reach ntpd on the host itself; no rule stops ",
			"packets with a spoofed 127.0.0.0/8 source, the addresses ntpd trusts most (`restrict 127.0.0.1` ",
			"lifts every restriction)",
		]),
		"location": fx.v4_loc(3),
		"evidence": [{"location": fx.v4_loc(3), "text": ":INPUT DROP [0:0]"}],
		"remediation": concat(" ", [
			"At the top of INPUT, accept loopback traffic and then drop loopback sources arriving anywhere",
			"else: `-A INPUT -i lo -j ACCEPT` followed by `-A INPUT -s 127.0.0.0/8 -j DROP` in iptables-save,",
			"and `-A INPUT -i lo -j ACCEPT` followed by `-A INPUT -s ::1/128 -j DROP` in ip6tables-save",
			"(with an OUTPUT policy of DROP, also `-A OUTPUT -o lo -j ACCEPT`).",
		]),
	}}
}

test_missing_spoofed_drop_on_ipv6_cites_the_accept_rule if {
	violations := loopback_rules_missing.violations with input as with_loopback("ipv6", fx.v6_loopback_accept, null)
	count(violations) == 1
	some violation in violations
	violation.location == fx.v6_loc(3)
	violation.message == concat("", [
		"IPv6 firewall (ip6tables-save): INPUT has no rule that drops loopback sources arriving on other ",
		"interfaces (`-A INPUT -s ::1/128 -j DROP`): no rule stops packets with a spoofed ::1/128 source, the ",
		"addresses ntpd trusts most (`restrict ::1` lifts every restriction)",
	])
	violation.evidence == [
		{"location": fx.v6_loc(3), "text": ":INPUT DROP [0:0]"},
		{"location": fx.v6_loc(4), "text": "-A INPUT -i lo -j ACCEPT — accepts loopback traffic"},
	]
}

test_missing_accept_rule_cites_the_drop_rule if {
	violations := loopback_rules_missing.violations with input as with_loopback("ipv4", null, fx.v4_loopback_drop)
	count(violations) == 1
	some violation in violations
	startswith(violation.message, concat("", [
		"IPv4 firewall (iptables-save): INPUT has no rule that accepts all loopback traffic ",
		"(`-A INPUT -i lo -j ACCEPT`): traffic on lo is left to the rest of the chain",
	]))
	not contains(violation.message, "spoofed")
	violation.evidence[1] == {"location": fx.v4_loc(5), "text": "-A INPUT -s 127.0.0.0/8 -j DROP — drops loopback sources"}
}

test_missing_loopback_facts_are_not_proof_of_the_rules if {
	bare := {"file": "iptables-save"}
	inp := object.union(object.remove(fx.host, {"firewall"}), {"firewall": {"ipv4": bare, "ipv6": null}})
	some violation in loopback_rules_missing.violations with input as inp
	violation.location == fx.v4_loc(1)
	contains(violation.message, "no rule that accepts all loopback traffic")
	contains(violation.message, "no rule that drops loopback sources")
	violation.evidence == [{
		"location": fx.v4_loc(1),
		"text": "(no :INPUT policy line for the filter table: the kernel's policy stays, ACCEPT unless changed)",
	}]
}

test_both_families_fail_separately if {
	inp := object.union(fx.host, {"firewall": {
		"ipv4": {"loopback": {"accept_rule": null, "spoofed_drop_rule": null}},
		"ipv6": {"loopback": {"accept_rule": null, "spoofed_drop_rule": null}},
	}})
	count(loopback_rules_missing.violations) == 2 with input as inp
}

test_nft_host_is_told_the_missing_rules_in_nft_syntax if {
	inp := fx.nft_host({"loopback": {"accept_rule": null, "spoofed_drop_rule": null}})
	accept := "`nft insert rule inet filter input iif lo accept`"
	drop := "`nft insert rule inet filter input iif != lo ip saddr 127.0.0.0/8 drop`"
	some violation in loopback_rules_missing.violations with input as inp
	contains(violation.message, "accepts all loopback traffic (`iif lo accept`)")
	contains(violation.message, "(`iif != lo ip saddr 127.0.0.0/8 drop`)")
	contains(violation.remediation, concat(" and ", [accept, drop]))
}
