package ntp_policy.rules.firewall.incomplete_dump_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.incomplete_dump

no_commit := {"reason": "table *nat has no COMMIT: iptables-restore loads none of it", "location": fx.v4_loc(20)}

nft := {"reason": "nftables-native tables exist beside the iptables-nft ones", "location": fx.v4_loc(1)}

test_compliant_baseline_passes if {
	count(incomplete_dump.violations) == 0 with input as fx.host
}

test_no_firewall_facts_pass if {
	count(incomplete_dump.violations) == 0 with input as fx.without_firewall
	count(incomplete_dump.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_incomplete_dump_fails_at_the_first_reason if {
	inp := fx.with_firewall("ipv4", {"complete": false, "incomplete_reasons": [no_commit]})
	violations := incomplete_dump.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.rule == "FW006"
	violation.severity == "medium"
	violation.location == fx.v4_loc(20)
	violation.message == concat("", [
		"IPv4 firewall (iptables-save) does not show the whole firewall (table *nat has no COMMIT: ",
		"iptables-restore loads none of it): the analysis cannot prove what the missing parts do; hidden rules can ",
		"only drop more, so FW001 may still hold, but nothing can be proven accepted",
	])
	violation.evidence == [{"location": fx.v4_loc(20), "text": no_commit.reason}]
}

test_several_reasons_are_counted if {
	inp := fx.with_firewall("ipv6", {"complete": false, "incomplete_reasons": [nft, no_commit, no_commit]})
	some violation in incomplete_dump.violations with input as inp
	startswith(violation.message, concat("", [
		"IPv6 firewall (ip6tables-save) does not show the whole firewall (nftables-native tables exist beside ",
		"the iptables-nft ones, and 2 more problems): ",
	]))
	count(violation.evidence) == 3
}

test_one_more_reason_is_singular if {
	inp := fx.with_firewall("ipv6", {"complete": false, "incomplete_reasons": [nft, no_commit]})
	some violation in incomplete_dump.violations with input as inp
	contains(violation.message, "ones, and 1 more problem): ")
}

test_incomplete_without_reasons_fails_at_line_one if {
	inp := fx.with_firewall("ipv4", {"complete": false})
	some violation in incomplete_dump.violations with input as inp
	violation.location == fx.v4_loc(1)
	violation.evidence == []
	startswith(violation.message, "IPv4 firewall (iptables-save) does not show the whole firewall: the analysis")
}

test_nft_host_is_told_to_dump_with_nft if {
	reason := {"reason": "nft -f would refuse the file", "location": fx.nft_loc(7)}
	inp := fx.nft_host({"complete": false, "incomplete_reasons": [reason]})
	some violation in incomplete_dump.violations with input as inp
	startswith(violation.remediation, "Dump the whole ruleset as the kernel holds it (`nft list ruleset > nft-ruleset`")
}
