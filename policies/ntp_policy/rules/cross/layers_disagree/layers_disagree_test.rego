package ntp_policy.rules.cross.layers_disagree_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.cross.layers_disagree

default_line := {"location": fx.loc(3), "text": "restrict -4 default kod nomodify nopeer notrap"}

# ntpd answers queries from everyone (IPv4 default without noquery) and the firewall admits UDP/123 from anywhere.
both_open := object.union(
	fx.with_entries([
		fx.entry({"flags": ["kod", "nomodify", "nopeer", "notrap"], "lines": [default_line]}),
		fx.entry({"family": "ipv6", "prefix": "::/0", "lines": [fx.line(4)]}),
	]),
	{
		"firewall": {"ipv4": {"ntp_inbound": {
			"may_accept": ["0.0.0.0/0"],
			"must_accept": ["0.0.0.0/0"],
			"may_accept_untrusted": ["0.0.0.0/1", "128.0.0.0/2"],
			"must_accept_untrusted": ["0.0.0.0/1", "128.0.0.0/2"],
			"untrusted_example": "203.0.113.1",
			"accepted_by": [fx.v4_trusted_accept, fx.v4_open_accept],
			"accepted_untrusted_by": [fx.v4_open_accept],
		}}},
		"exposure": {"ipv4": {
			"ntp_queryable": ["0.0.0.0/1", "128.0.0.0/1"],
			"queryable_and_admitted_untrusted": ["0.0.0.0/1", "128.0.0.0/2"],
			"queryable_untrusted_entries": [default_line],
			"example": "203.0.113.1",
		}},
	},
)

client_line := {"location": fx.loc(9), "text": "restrict 198.51.100.0 mask 255.255.255.0 nomodify notrap noquery"}

served_blocked := fx.with_exposure("ipv4", {
	"served_but_blocked": ["198.51.100.0/24"],
	"served_but_blocked_entries": [client_line],
	"example": "198.51.100.1",
})

test_compliant_baseline_passes if {
	count(layers_disagree.violations) == 0 with input as fx.host
}

test_no_exposure_facts_pass if {
	count(layers_disagree.violations) == 0 with input as fx.without_exposure
	count(layers_disagree.violations) == 0 with input as object.remove(fx.host, {"exposure"})
}

test_queries_admitted_by_both_layers_fail_at_the_restrict_line if {
	violations := layers_disagree.violations with input as both_open
	count(violations) == 1
	some violation in violations
	violation.rule == "XL001"
	violation.severity == "medium"
	violation.location == fx.loc(3)
	violation.message == concat("", [
		"IPv4: ntpd answers mode 6/7 queries (ntpq, ntpdc) from 0.0.0.0/1, 128.0.0.0/2 (for example 203.0.113.1) ",
		"outside the trusted networks (restrict line etc/ntp.conf:3 has no noquery) and the IPv4 firewall ",
		"(iptables-save) admits UDP/123 from there (accepted at iptables-save:9): no layer stops the query",
	])
	violation.evidence == [
		default_line,
		{"location": fx.v4_loc(9), "text": "-A INPUT -p udp -m udp --dport 123 -j ACCEPT — accepts"},
	]
	contains(violation.remediation, "`restrict -4 default kod nomodify notrap nopeer noquery`")
}

test_the_restrict_lines_come_from_the_exposure_facts_not_the_restrict_list if {
	# The restrict list says nothing queries (the baseline); the cross-layer facts name the lines.
	inp := object.union(fx.host, {"exposure": both_open.exposure, "firewall": both_open.firewall})
	some violation in layers_disagree.violations with input as inp
	violation.location == fx.loc(3)
	violation.evidence[0] == default_line
}

test_several_lines_and_assumptions if {
	lan_line := {"location": fx.loc(9), "text": "restrict 10.0.0.0 mask 255.0.0.0 nomodify"}
	assumption := {"location": fx.v4_loc(9), "text": "-A INPUT -m set --match-set x src -j ACCEPT", "reason": "ipset"}
	inp := object.union_n([
		both_open,
		{"firewall": {"ipv4": {"ntp_inbound": {"assumptions": [assumption]}}}},
		{"exposure": {"ipv4": {"queryable_untrusted_entries": [default_line, lan_line]}}},
	])
	some violation in layers_disagree.violations with input as inp
	contains(violation.message, "(restrict lines etc/ntp.conf:3, etc/ntp.conf:9 have no noquery)")
	violation.evidence == [
		default_line,
		lan_line,
		{"location": fx.v4_loc(9), "text": "-A INPUT -p udp -m udp --dport 123 -j ACCEPT — accepts"},
		{"location": fx.v4_loc(9), "text": "-A INPUT -m set --match-set x src -j ACCEPT — ipset"},
	]
}

test_without_restrict_lines_it_is_located_at_the_rule_that_admits_untrusted_sources if {
	# e.g. ntpd's built-in default entry, which no line configures.
	inp := object.union(both_open, {"exposure": {"ipv4": {"queryable_untrusted_entries": []}}})
	some violation in layers_disagree.violations with input as inp
	violation.location == fx.v4_loc(9)
	contains(violation.message, "(for example 203.0.113.1) outside the trusted networks and the IPv4 firewall")
}

test_without_accepted_untrusted_by_it_falls_back_to_the_accepting_rules if {
	inp := object.union(both_open, {
		"exposure": {"ipv4": {"queryable_untrusted_entries": []}},
		"firewall": {"ipv4": {"ntp_inbound": {"accepted_untrusted_by": []}}},
	})
	some violation in layers_disagree.violations with input as inp
	violation.location == fx.v4_loc(8)
	contains(violation.message, "(accepted at iptables-save:8, iptables-save:9)")
}

test_without_lines_or_accepting_rule_it_is_located_at_the_policy if {
	no_rules := fx.with_exposure("ipv6", {"queryable_and_admitted_untrusted": ["::/0"]})
	some bare in layers_disagree.violations with input as no_rules
	bare.location == fx.v6_loc(3)
	bare.message == concat("", [
		"IPv6: ntpd answers mode 6/7 queries (ntpq, ntpdc) from ::/0 outside the trusted networks and the IPv6 ",
		"firewall (ip6tables-save) admits UDP/123 from there: no layer stops the query",
	])
	bare.evidence == []
}

test_served_but_blocked_fails_at_the_restrict_line if {
	violations := layers_disagree.violations with input as served_blocked
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(9)
	violation.message == concat("", [
		"IPv4: ntp.conf serves time to 198.51.100.0/24 (restrict line etc/ntp.conf:9) but the IPv4 firewall ",
		"(iptables-save) never admits UDP/123 from there: clients there (for example 198.51.100.1) cannot ",
		"synchronise with this server",
	])
	violation.evidence == [
		client_line,
		{"location": fx.v4_loc(8), "text": "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT — accepts"},
		{"location": fx.v4_loc(3), "text": ":INPUT DROP [0:0]"},
	]
}

test_served_but_blocked_with_several_lines if {
	second := {"location": fx.loc(10), "text": "restrict 198.51.100.128 mask 255.255.255.128 nomodify"}
	inp := fx.with_exposure("ipv4", {
		"served_but_blocked": ["198.51.100.0/24", "203.0.113.0/24"],
		"served_but_blocked_entries": [client_line, second],
	})
	some violation in layers_disagree.violations with input as inp
	contains(violation.message, "to 198.51.100.0/24, 203.0.113.0/24 (restrict lines etc/ntp.conf:9, etc/ntp.conf:10) but")
}

test_served_but_blocked_without_lines_is_located_at_the_policy if {
	bare := fx.with_exposure("ipv6", {"served_but_blocked": ["2001:db8:2::/48"]})
	some other in layers_disagree.violations with input as bare
	other.location == fx.v6_loc(3)
	contains(other.message, "IPv6: ntp.conf serves time to 2001:db8:2::/48 but the IPv6 firewall (ip6tables-save) never")
}

test_both_variants_and_both_families_are_separate if {
	inp := object.union(both_open, {"exposure": {
		"ipv4": {"served_but_blocked": ["198.51.100.0/24"], "served_but_blocked_entries": [client_line]},
		"ipv6": {"served_but_blocked": ["2001:db8:2::/48"]},
	}})
	violations := layers_disagree.violations with input as inp
	count(violations) == 3
	some served in violations
	served.location == fx.loc(9)

	# The example is a queryable address then, so the served finding does not cite it.
	contains(served.message, "from there: clients there cannot synchronise")
}

test_passing_evidence_is_the_firewall_lines_where_the_layers_agree if {
	layers_disagree.passed_evidence == {
		fx.passed("XL001", fx.v4_loc(3), ":INPUT DROP [0:0]"),
		fx.passed("XL001", fx.v4_loc(8), "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT — accepts"),
		fx.passed("XL001", fx.v6_loc(3), ":INPUT DROP [0:0]"),
	} with input as fx.host
}

test_a_disagreeing_family_has_no_passing_evidence if {
	inp := fx.with_exposure("ipv4", {"served_but_blocked": ["198.51.100.0/24"]})
	layers_disagree.passed_evidence == {fx.passed("XL001", fx.v6_loc(3), ":INPUT DROP [0:0]")} with input as inp
}

test_nft_host_gets_the_firewall_half_of_the_fix_in_nft_syntax if {
	nft_facts := {"format": "nft", "input_chain": {"format": "nft", "table": "inet filter", "chain": "input"}}
	inp := object.union(both_open, {"firewall": {"ipv4": nft_facts}})
	drop := "nft insert rule inet filter input iifname != \"lo\" ip saddr != { 192.0.2.0/24 } udp dport 123 drop"
	some violation in layers_disagree.violations with input as inp
	contains(violation.remediation, concat("", ["`", drop, "`"]))
	contains(violation.remediation, "`restrict -4 default kod nomodify notrap nopeer noquery`")
}

test_nft_host_served_but_blocked_fix_admits_the_clients_in_nft if {
	inp := object.union(fx.nft_host({}), {"exposure": {"ipv4": {
		"served_but_blocked": ["198.51.100.0/24"],
		"served_but_blocked_entries": [fx.line(9)],
		"example": "198.51.100.1",
	}}})
	fix := "Admit the served clients in the firewall, before the rule or policy that drops them: `nft insert rule"
	some violation in layers_disagree.violations with input as inp
	startswith(violation.remediation, concat("", [fix, " inet filter input ip saddr"]))
}

test_chrony_allow_line_blocked_by_the_firewall_names_the_allow_line if {
	exposure := object.union(fx.exposure_family, {
		"served_but_blocked": ["198.51.100.0/24"],
		"served_but_blocked_entries": [{
			"location": {"file": "etc/chrony.conf", "line": 4, "column": 1},
			"text": "allow 198.51.100.0/24",
		}],
	})
	inp := object.union(fx.with_exposure("ipv4", exposure), {"time": {"daemon": {"name": "chrony"}}})
	some v in layers_disagree.violations with input as inp
	contains(v.message, "IPv4: chrony.conf serves time to 198.51.100.0/24 (allow line etc/chrony.conf:4)")
	startswith(v.remediation, "Make the layers agree: admit the clients an `allow` line serves")
}
