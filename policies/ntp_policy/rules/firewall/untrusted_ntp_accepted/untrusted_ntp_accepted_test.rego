package ntp_policy.rules.firewall.untrusted_ntp_accepted_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.untrusted_ntp_accepted

untrusted := ["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/23"]

# UDP/123 accepted from the trusted network on line 8, then from anywhere on line 9 (decided).
open_inbound := {
	"may_accept": ["0.0.0.0/0"],
	"must_accept": ["0.0.0.0/0"],
	"may_accept_untrusted": untrusted,
	"must_accept_untrusted": untrusted,
	"untrusted_example": "203.0.113.1",
	"accepted_by": [fx.v4_trusted_accept, fx.v4_open_accept],
	"accepted_untrusted_by": [fx.v4_open_accept],
	"assumptions": [],
}

set_match := {
	"location": fx.v4_loc(10),
	"text": "-A INPUT -p udp -m set --match-set ntp_clients src -j ACCEPT",
	"reason": "-m set --match-set: contents of ipset ntp_clients not in the dump; assumed to match",
}

set_accept := fx.fw_rule(fx.v4_loc(10), set_match.text, "accepts")

# UDP/123 accepted from the trusted network and through an ipset the dump does not hold.
ipset_inbound := object.union(open_inbound, {
	"must_accept": ["192.0.2.0/24"],
	"must_accept_untrusted": [],
	"accepted_by": [fx.v4_trusted_accept, set_accept],
	"accepted_untrusted_by": [set_accept],
	"assumptions": [set_match],
})

policy_accept := fx.fw_rule(fx.v4_loc(3), ":INPUT ACCEPT [0:0]", "policy ACCEPT (no rule decides these packets)")

# The baseline host with these inbound facts for IPv4.
v4_inbound(inbound) := fx.with_firewall("ipv4", {"ntp_inbound": inbound})

test_compliant_baseline_passes if {
	count(untrusted_ntp_accepted.violations) == 0 with input as fx.host
}

test_no_firewall_facts_pass if {
	inp := object.union(fx.host, {"firewall": {"ipv4": null, "ipv6": null}})
	count(untrusted_ntp_accepted.violations) == 0 with input as inp
	count(untrusted_ntp_accepted.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_null_family_is_not_judged if {
	count(untrusted_ntp_accepted.violations) == 0 with input as fx.with_firewall("ipv4", null)
}

test_certain_untrusted_accept_fails_at_the_rule_that_lets_them_in if {
	violations := untrusted_ntp_accepted.violations with input as v4_inbound(open_inbound)
	count(violations) == 1
	some violation in violations
	violation.rule == "FW001"
	violation.severity == "high"
	violation.location == fx.v4_loc(9)
	violation.message == concat("", [
		"IPv4 firewall (iptables-save) accepts new UDP/123 datagrams from addresses outside the trusted networks ",
		"and loopback for certain: 0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/23 (for example 203.0.113.1); they reach ",
		"ntpd, whose restrict list is then the only protection of its mode 6/7 queries (CVE-2013-5211 amplification)",
	])
	violation.evidence == [{"location": fx.v4_loc(9), "text": "-A INPUT -p udp -m udp --dport 123 -j ACCEPT — accepts"}]
	startswith(violation.remediation, "Accept UDP/123 only from the trusted networks")
	contains(violation.remediation, "`-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT`")
	contains(violation.remediation, "`-A INPUT -p udp --dport 123 -j DROP`")
	contains(violation.remediation, "`:INPUT DROP [0:0]`")
}

test_undecidable_match_only_may_accept if {
	some violation in untrusted_ntp_accepted.violations with input as v4_inbound(ipset_inbound)
	violation.location == fx.v4_loc(10)
	violation.message == concat("", [
		"IPv4 firewall (iptables-save) may accept new UDP/123 datagrams from addresses outside the trusted networks ",
		"and loopback: 0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/23 (for example 203.0.113.1); they reach ntpd, whose ",
		"restrict list is then the only protection of its mode 6/7 queries (CVE-2013-5211 amplification); the ",
		"verdict depends on 1 match that cannot be decided offline (listed in the evidence; assumed to match): ",
		"the firewall may accept less, but nothing in the dump proves it",
	])
	violation.evidence == [
		{"location": fx.v4_loc(10), "text": concat("", [set_match.text, " — accepts"])},
		{"location": fx.v4_loc(10), "text": concat("", [set_match.text, " — ", set_match.reason])},
	]
}

test_some_certain_and_some_undecided if {
	inbound := object.union(open_inbound, {
		"must_accept": ["192.0.2.0/24", "198.51.100.0/24"],
		"must_accept_untrusted": ["198.51.100.0/24"],
		"accepted_by": [fx.v4_trusted_accept, fx.v4_open_accept, set_accept],
		"accepted_untrusted_by": [fx.v4_open_accept, set_accept],
		"assumptions": [set_match],
	})
	some violation in untrusted_ntp_accepted.violations with input as v4_inbound(inbound)
	violation.location == fx.v4_loc(9)
	violation.message == concat("", [
		"IPv4 firewall (iptables-save) accepts new UDP/123 datagrams from addresses outside the trusted networks ",
		"and loopback, for certain from 198.51.100.0/24 and possibly from all of 0.0.0.0/1, 128.0.0.0/2, ",
		"192.0.0.0/23 (for example 203.0.113.1); they reach ntpd, whose restrict list is then the only protection ",
		"of its mode 6/7 queries (CVE-2013-5211 amplification); whether it accepts the rest depends on 1 match ",
		"that cannot be decided offline (listed in the evidence; assumed to match)",
	])
	count(violation.evidence) == 3
}

test_assumptions_that_do_not_change_the_untrusted_verdict_leave_it_certain if {
	# The assumed match only decides trusted sources: every untrusted address is accepted either way.
	inbound := object.union(open_inbound, {
		"must_accept": ["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/23"],
		"assumptions": [set_match],
	})
	some violation in untrusted_ntp_accepted.violations with input as v4_inbound(inbound)
	contains(violation.message, "outside the trusted networks and loopback for certain: 0.0.0.0/1, 128.0.0.0/2")
	not contains(violation.message, "depends on")
	violation.evidence[1] == {"location": fx.v4_loc(10), "text": concat("", [set_match.text, " — ", set_match.reason])}
}

test_several_assumptions_are_counted if {
	inp := v4_inbound(object.union(ipset_inbound, {"assumptions": [set_match, set_match]}))
	some violation in untrusted_ntp_accepted.violations with input as inp
	contains(violation.message, "depends on 2 matches that cannot be decided offline")
}

test_nothing_certain_without_assumptions_is_undecided if {
	inp := v4_inbound(object.union(open_inbound, {"must_accept_untrusted": []}))
	some violation in untrusted_ntp_accepted.violations with input as inp
	contains(violation.message, " may accept new UDP/123 datagrams")
	contains(violation.message, "; the verdict depends on matches that cannot be decided offline (assumed to match)")
}

test_partly_certain_without_assumptions_names_them_in_general if {
	inp := v4_inbound(object.union(open_inbound, {"must_accept_untrusted": ["192.0.0.0/23"]}))
	some violation in untrusted_ntp_accepted.violations with input as inp
	endswith(violation.message, concat("", [
		"; whether it accepts the rest depends on matches that cannot be decided offline (assumed to match)",
	]))
}

test_same_sets_in_another_order_are_certain if {
	inbound := object.union(open_inbound, {
		"may_accept_untrusted": ["a/1", "b/2"],
		"must_accept_untrusted": ["b/2", "a/1"],
	})
	some violation in untrusted_ntp_accepted.violations with input as v4_inbound(inbound)
	contains(violation.message, "loopback for certain: a/1, b/2 (for example")
	not contains(violation.message, "depends on")
}

test_long_lists_are_cut_after_three if {
	five := ["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/23", "192.0.3.0/24", "193.0.0.0/8"]
	inbound := object.union(open_inbound, {
		"may_accept_untrusted": five,
		"must_accept_untrusted": five,
		"untrusted_example": null,
	})
	some violation in untrusted_ntp_accepted.violations with input as v4_inbound(inbound)
	contains(violation.message, ": 0.0.0.0/1, 128.0.0.0/2, 193.0.0.0/8 and 2 more; they reach ntpd")
}

test_policy_accept_is_located_at_the_policy_line if {
	inbound := object.union(open_inbound, {
		"accepted_by": [fx.v4_trusted_accept, policy_accept],
		"accepted_untrusted_by": [policy_accept],
	})
	inp := fx.with_firewall("ipv4", object.union(fx.policy_facts("ACCEPT"), {"ntp_inbound": inbound}))
	some violation in untrusted_ntp_accepted.violations with input as inp
	violation.location == fx.v4_loc(3)
	violation.evidence == [{
		"location": fx.v4_loc(3),
		"text": ":INPUT ACCEPT [0:0] — policy ACCEPT (no rule decides these packets)",
	}]
}

test_without_accepted_untrusted_by_it_falls_back_to_the_accepting_rules if {
	inp := v4_inbound(object.remove(open_inbound, {"accepted_untrusted_by"}))
	some violation in untrusted_ntp_accepted.violations with input as inp
	violation.location == fx.v4_loc(8)
	violation.evidence == [
		{"location": fx.v4_loc(8), "text": "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT — accepts"},
		{"location": fx.v4_loc(9), "text": "-A INPUT -p udp -m udp --dport 123 -j ACCEPT — accepts"},
	]
}

test_without_accepting_rules_it_is_located_at_the_policy_line if {
	inbound := object.union(open_inbound, {"accepted_by": [], "accepted_untrusted_by": []})
	inp := fx.with_firewall("ipv4", object.union(fx.policy_facts("ACCEPT"), {"ntp_inbound": inbound}))
	some violation in untrusted_ntp_accepted.violations with input as inp
	violation.location == fx.v4_loc(3)
	violation.evidence == [{"location": fx.v4_loc(3), "text": ":INPUT ACCEPT [0:0]"}]
}

test_ipv6_family_is_judged_on_its_own if {
	v6_accept := fx.fw_rule(fx.v6_loc(7), "-A INPUT -p udp --dport 123 -j ACCEPT", "accepts")
	inbound := object.union(open_inbound, {
		"may_accept": ["::/0"],
		"must_accept": ["::/0"],
		"may_accept_untrusted": ["::/0"],
		"must_accept_untrusted": ["::/0"],
		"untrusted_example": "2001:db8::1",
		"accepted_by": [v6_accept],
		"accepted_untrusted_by": [v6_accept],
	})
	violations := untrusted_ntp_accepted.violations with input as fx.with_firewall("ipv6", {"ntp_inbound": inbound})
	count(violations) == 1
	some violation in violations
	violation.location == fx.v6_loc(7)
	startswith(violation.message, "IPv6 firewall (ip6tables-save) accepts new UDP/123 datagrams")
	not contains(violation.message, "depends on")
	contains(violation.message, "loopback for certain: ::/0 (for example 2001:db8::1)")
}

test_both_families_fail_separately if {
	inp := object.union(fx.host, {"firewall": {
		"ipv4": {"ntp_inbound": open_inbound},
		"ipv6": {"ntp_inbound": {"may_accept_untrusted": ["::/0"]}},
	}})
	count(untrusted_ntp_accepted.violations) == 2 with input as inp
}

test_missing_optional_fields_do_not_hide_the_violation if {
	bare := {"file": "iptables-save", "ntp_inbound": {"may_accept_untrusted": ["0.0.0.0/0"]}}
	inp := object.union(object.remove(fx.host, {"firewall"}), {"firewall": {"ipv4": bare, "ipv6": null}})
	some violation in untrusted_ntp_accepted.violations with input as inp
	violation.location == fx.v4_loc(1)
	violation.evidence == [{
		"location": fx.v4_loc(1),
		"text": "(no :INPUT policy line for the filter table: the kernel's policy stays, ACCEPT unless changed)",
	}]
	contains(violation.message, " may accept new UDP/123 datagrams")
	contains(violation.message, "loopback: 0.0.0.0/0; they reach ntpd")
}

test_incomplete_dump_is_said if {
	inbound := object.union(open_inbound, {"must_accept": [], "must_accept_untrusted": []})
	inp := fx.with_firewall("ipv4", {"complete": false, "ntp_inbound": inbound})
	some violation in untrusted_ntp_accepted.violations with input as inp
	endswith(violation.message, concat("", [
		"; the verdict depends on parts of the firewall the dump does not show (FW006): the firewall may ",
		"accept less, but nothing in the dump proves it",
	]))
}

test_assumptions_and_incomplete_dump_are_both_said if {
	inbound := object.union(ipset_inbound, {"must_accept": []})
	inp := fx.with_firewall("ipv4", {"complete": false, "ntp_inbound": inbound})
	some violation in untrusted_ntp_accepted.violations with input as inp
	contains(violation.message, concat("", [
		"; the verdict depends on 1 match that cannot be decided offline (listed in the evidence; assumed to ",
		"match) and on parts of the firewall the dump does not show (FW006): ",
	]))
}

test_an_empty_dump_is_missing_evidence_not_an_open_firewall if {
	# What the analysis makes of an empty iptables-save: no table, so nothing drops anything.
	empty := fx.with_firewall("ipv4", {"empty": true, "complete": false, "ntp_inbound": open_inbound})
	count(untrusted_ntp_accepted.violations) == 0 with input as empty
	count(untrusted_ntp_accepted.violations) == 1 with input as fx.with_firewall("ipv4", {"ntp_inbound": open_inbound})
}

test_passing_evidence_is_the_input_policy_and_the_trusted_accept_rules if {
	untrusted_ntp_accepted.passed_evidence == {
		fx.passed("FW001", fx.v4_loc(3), ":INPUT DROP [0:0]"),
		fx.passed("FW001", fx.v4_loc(8), "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT — accepts"),
		fx.passed("FW001", fx.v6_loc(3), ":INPUT DROP [0:0]"),
	} with input as fx.host
}

test_a_family_accepting_untrusted_sources_has_no_passing_evidence if {
	inp := fx.with_firewall("ipv4", {"ntp_inbound": {"may_accept_untrusted": ["0.0.0.0/0"]}})
	untrusted_ntp_accepted.passed_evidence == {fx.passed("FW001", fx.v6_loc(3), ":INPUT DROP [0:0]")} with input as inp
}

test_nft_host_gets_the_fix_as_nft_commands_in_the_accepting_chain if {
	accept := fx.nft_rule(9, "udp dport 123 accept", "accepts")
	inbound := object.union(open_inbound, {"accepted_by": [accept], "accepted_untrusted_by": [accept]})
	inp := fx.nft_host({"ntp_inbound": inbound})
	drop := "nft insert rule inet filter input iifname != \"lo\" ip saddr != { 192.0.2.0/24 } udp dport 123 drop"
	some violation in untrusted_ntp_accepted.violations with input as inp
	violation.location == fx.nft_loc(9)
	startswith(violation.message, "IPv4 firewall (nft-ruleset) accepts")
	contains(violation.remediation, concat("", ["`", drop, "`"]))
	contains(violation.remediation, "udp dport 123 ip saddr @ntp_clients accept")
}

test_iptables_host_keeps_the_general_remediation if {
	some violation in untrusted_ntp_accepted.violations with input as v4_inbound(open_inbound)
	startswith(violation.remediation, "Accept UDP/123 only from the trusted networks")
}

test_on_a_chrony_host_the_message_names_chronyd if {
	chrony := object.union(v4_inbound(open_inbound), {"ntp": null, "chrony": {}})
	some violation in untrusted_ntp_accepted.violations with input as chrony
	contains(violation.message, "they reach chronyd, whose allow/deny lines are then the only protection")
	not contains(violation.message, "ntpd")
}

test_as_many_blocks_but_a_narrower_one_is_partly_certain if {
	inbound := object.union(open_inbound, {
		"may_accept_untrusted": ["a/1", "198.51.100.0/24"],
		"must_accept_untrusted": ["198.51.100.0/25", "a/1"],
	})
	some violation in untrusted_ntp_accepted.violations with input as v4_inbound(inbound)
	contains(violation.message, "for certain from a/1, 198.51.100.0/25 and possibly from all of a/1, 198.51.100.0/24")
}
