package ntp_policy.rules.firewall.ntp_not_rate_limited_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.ntp_not_rate_limited

untrusted := ["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/23"]

# UDP/123 accepted from the trusted network on line 8, then from anywhere on line 9.
open_inbound := {
	"may_accept_untrusted": untrusted,
	"must_accept_untrusted": untrusted,
	"accepted_by": [fx.v4_trusted_accept, fx.v4_open_accept],
	"accepted_untrusted_by": [fx.v4_open_accept],
	"rate_limited_by": [],
}

hashlimit := fx.fw_rule(
	fx.v4_loc(7),
	concat(" ", [
		"-A INPUT -p udp -m udp --dport 123 -m hashlimit --hashlimit-above 8/sec --hashlimit-mode srcip",
		"--hashlimit-name ntp -j DROP",
	]),
	"limits the rate",
)

# The baseline host with IPv4 open to untrusted UDP/123 sources.
open_v4 := fx.with_firewall("ipv4", {"ntp_inbound": open_inbound})

# The open IPv4 firewall with these ntp.conf restrict entries.
open_v4_entries(entries) := object.union(open_v4, {"ntp": {"restrict": {"entries": entries, "source": null}}})

limited_default := fx.entry({"flags": ["kod", "limited", "nomodify", "noquery", "nopeer", "notrap"]})

v6_default := fx.entries[1]

test_compliant_baseline_passes if {
	count(ntp_not_rate_limited.violations) == 0 with input as fx.host
}

test_no_firewall_facts_pass if {
	count(ntp_not_rate_limited.violations) == 0 with input as fx.without_firewall
	count(ntp_not_rate_limited.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_null_family_is_not_judged if {
	inp := object.union(open_v4, {"firewall": {"ipv4": null}})
	count(ntp_not_rate_limited.violations) == 0 with input as inp
}

test_open_and_unlimited_fails_at_the_rule_that_lets_them_in if {
	violations := ntp_not_rate_limited.violations with input as open_v4
	violations == {{
		"rule": "FW010",
		"severity": "low",
		"message": concat("", [
			"IPv4 firewall (iptables-save) may accept new UDP/123 datagrams from addresses outside the trusted ",
			"networks and loopback (0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/23) and nothing limits their rate: no rule on ",
			"their way uses limit, hashlimit, recent or connlimit, and no restrict entry that governs untrusted IPv4 ",
			"addresses has `limited` (etc/ntp.conf:3); a flood of requests reaches ntpd at full rate (denial of ",
			"service for its clients)",
		]),
		"location": fx.v4_loc(9),
		"evidence": [
			{"location": fx.v4_loc(9), "text": "-A INPUT -p udp -m udp --dport 123 -j ACCEPT — accepts"},
			{"location": fx.loc(3), "text": "restrict line 3"},
		],
		"remediation": concat(" ", [
			"Limit the rate of NTP datagrams from untrusted sources, in the firewall before the rule that",
			"accepts them, per source: `-A INPUT -p udp --dport 123 -m hashlimit --hashlimit-above 8/sec",
			"--hashlimit-burst 16 --hashlimit-mode srcip --hashlimit-name ntp -j DROP` (in ip6tables-save too);",
			"or in ntpd, by adding `limited` (with `kod`) to the restrict entries that govern untrusted",
			"addresses: `restrict -4 default kod limited nomodify notrap nopeer noquery` and",
			"`restrict -6 default kod limited nomodify notrap nopeer noquery`.",
		]),
	}}
}

test_a_rate_limiting_rule_passes if {
	inp := object.union(open_v4, {"firewall": {"ipv4": {"ntp_inbound": {"rate_limited_by": [hashlimit]}}}})
	count(ntp_not_rate_limited.violations) == 0 with input as inp
}

test_limited_on_an_untrusted_entry_of_the_family_passes if {
	count(ntp_not_rate_limited.violations) == 0 with input as open_v4_entries([limited_default, v6_default])
}

test_limited_on_the_other_family_or_a_trusted_entry_does_not_count if {
	v6_limited := object.union(v6_default, {"flags": ["kod", "limited", "noquery"]})
	trusted_limited := fx.entry({
		"kind": "address",
		"prefix": "192.0.2.0/24",
		"flags": ["limited"],
		"governs_untrusted": false,
		"lines": [fx.line(2)],
	})
	inp := open_v4_entries([fx.entry({}), v6_limited, trusted_limited])
	count(ntp_not_rate_limited.violations) == 1 with input as inp
}

test_every_untrusted_entry_is_evidence_and_a_built_in_one_is_line_one if {
	built_in := fx.entry({"flags": [], "implicit": true, "lines": []})
	lan := fx.entry({
		"kind": "address",
		"prefix": "10.0.0.0/8",
		"mask": "255.0.0.0",
		"flags": ["nomodify"],
		"lines": [{"location": fx.loc(9), "text": "restrict 10.0.0.0 mask 255.0.0.0 nomodify"}],
	})
	some violation in ntp_not_rate_limited.violations with input as open_v4_entries([built_in, v6_default, lan])
	contains(violation.message, "has `limited` (etc/ntp.conf:1, etc/ntp.conf:9);")
	violation.evidence == [
		{"location": fx.v4_loc(9), "text": "-A INPUT -p udp -m udp --dport 123 -j ACCEPT — accepts"},
		{"location": fx.loc(1), "text": "restrict -4 default (built-in: no line configures it)"},
		{"location": fx.loc(9), "text": "restrict 10.0.0.0 mask 255.0.0.0 nomodify"},
	]
}

test_no_untrusted_entry_in_the_family if {
	some violation in ntp_not_rate_limited.violations with input as open_v4_entries([v6_default])
	contains(violation.message, ", and no restrict entry governs untrusted IPv4 addresses with `limited`; a flood")
	violation.evidence == [{"location": fx.v4_loc(9), "text": "-A INPUT -p udp -m udp --dport 123 -j ACCEPT — accepts"}]
}

test_without_ntp_conf_only_the_firewall_counts if {
	inp := object.union(open_v4, {"ntp": null, "exposure": {"ipv4": null, "ipv6": null}})
	some violation in ntp_not_rate_limited.violations with input as inp
	contains(violation.message, ", and there is no ntp.conf to limit them (`restrict … limited`); a flood")
	count(violation.evidence) == 1
	some without_key in ntp_not_rate_limited.violations with input as object.remove(inp, {"ntp"})
	without_key.message == violation.message
}

test_a_template_ntp_conf_cannot_show_limited if {
	inp := object.union(open_v4_entries([limited_default]), {"ntp": {"template": true}})
	some violation in ntp_not_rate_limited.violations with input as inp
	contains(violation.message, concat("", [
		", and the ntp.conf is a template, so whether ntpd limits them (`restrict … limited`) cannot be seen; ",
		"a flood",
	]))
}

test_ipv6_is_judged_with_ipv6_entries if {
	v6_open := {
		"may_accept_untrusted": ["::/1", "8000::/1"],
		"accepted_by": [fx.fw_rule(fx.v6_loc(9), "-A INPUT -p udp -m udp --dport 123 -j ACCEPT", "accepts")],
		"accepted_untrusted_by": [],
	}
	inp := fx.with_firewall("ipv6", {"ntp_inbound": v6_open})
	v6_limited := object.union(v6_default, {"flags": ["kod", "limited", "noquery"]})
	limited := object.union(inp, {"ntp": {"restrict": {"entries": [fx.entry({}), v6_limited], "source": null}}})
	count(ntp_not_rate_limited.violations) == 0 with input as limited
	some violation in ntp_not_rate_limited.violations with input as inp
	violation.location == fx.v6_loc(9)
	contains(violation.message, "untrusted IPv6 addresses has `limited` (etc/ntp.conf:4)")
}

test_without_untrusted_accepting_rules_it_falls_back_to_every_accepting_rule_then_line_one if {
	inp := fx.with_firewall("ipv4", {"ntp_inbound": {"may_accept_untrusted": ["0.0.0.0/0"]}})
	{violation.location | some violation in ntp_not_rate_limited.violations} == {fx.v4_loc(8)} with input as inp
	bare := {"file": "iptables-save", "ntp_inbound": {"may_accept_untrusted": ["0.0.0.0/0"]}}
	without := object.union(object.remove(fx.host, {"firewall"}), {"firewall": {"ipv4": bare, "ipv6": null}})
	{violation.location | some violation in ntp_not_rate_limited.violations} == {fx.v4_loc(1)} with input as without
}

test_nft_host_gets_an_nft_limit_rule_before_the_accepting_rule if {
	accept := fx.nft_rule(9, "udp dport 123 accept", "accepts")
	inbound := object.union(open_inbound, {"accepted_by": [accept], "accepted_untrusted_by": [accept]})
	inp := fx.nft_host({"ntp_inbound": inbound})
	limit := concat(" ", [
		"nft insert rule inet filter input udp dport 123 ct state new",
		"limit rate over 50/second burst 100 packets drop",
	])
	some violation in ntp_not_rate_limited.violations with input as inp
	contains(violation.remediation, concat("", ["`", limit, "`"]))
}
