package ntp_policy.rules.firewall.dual_stack_gap_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.dual_stack_gap

no_ip6tables := fx.with_firewall("ipv6", null)

open_v6 := fx.with_firewall("ipv6", fx.policy_facts("ACCEPT"))

test_compliant_baseline_passes if {
	count(dual_stack_gap.violations) == 0 with input as fx.host
}

test_no_firewall_at_all_is_not_this_rule if {
	count(dual_stack_gap.violations) == 0 with input as fx.without_firewall
	count(dual_stack_gap.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_missing_ip6tables_fails_at_the_iptables_file if {
	violations := dual_stack_gap.violations with input as no_ip6tables
	violations == {{
		"rule": "FW003",
		"severity": "medium",
		"message": concat("", [
			"Missing evidence: the dump has the IPv4 firewall (iptables-save) but no ip6tables-save; ntpd listens ",
			"on IPv6 too (no interface line turns IPv6 off) and nothing shows an IPv6 filter, so UDP/123 may be ",
			"open to any IPv6 source whatever iptables does",
		]),
		"location": fx.v4_loc(1),
		"evidence": [{
			"location": fx.loc(1),
			"text": "(no interface ignore ipv6 line: ntpd listens on every address of the family, its default)",
		}],
		"remediation": concat(" ", [
			"Filter IPv6 as IPv4 is filtered: add ip6tables-save to the dump (`ip6tables-save >",
			"ip6tables-save`), with `:INPUT DROP [0:0]` and `-A INPUT -p udp --dport 123 -s 2001:db8:1::/48",
			"-j ACCEPT` for the trusted IPv6 networks only; or, when the server is not meant to serve IPv6, add",
			"`interface ignore ipv6` to ntp.conf.",
		]),
	}}
}

test_interface_ignore_ipv6_passes if {
	inp := object.union(no_ip6tables, {"ntp": {"interfaces": [fx.interface(20, "ignore", "ipv6")]}})
	count(dual_stack_gap.violations) == 0 with input as inp
	inp2 := object.union(open_v6, {"ntp": {"interfaces": [fx.interface(20, "drop", "ipv6")]}})
	count(dual_stack_gap.violations) == 0 with input as inp2
}

test_interface_ignore_ipv6_then_listen_still_fails_with_the_lines_as_written_as_evidence if {
	listen := object.union(fx.interface(21, "listen", "eth0"), {"text": "interface listen  eth0"})
	inp := object.union(no_ip6tables, {"ntp": {"interfaces": [fx.interface(20, "ignore", "ipv6"), listen]}})
	some violation in dual_stack_gap.violations with input as inp
	violation.evidence == [
		{"location": fx.loc(20), "text": "interface ignore ipv6"},
		{"location": fx.loc(21), "text": "interface listen  eth0"},
	]
}

test_without_ntp_conf_nothing_listens if {
	count(dual_stack_gap.violations) == 0 with input as object.union(no_ip6tables, {"ntp": null})
	count(dual_stack_gap.violations) == 0 with input as object.union(open_v6, {"ntp": null})
}

test_template_ntp_conf_still_listens if {
	inp := object.union(no_ip6tables, {"ntp": {"template": true}})
	count(dual_stack_gap.violations) == 1 with input as inp
}

test_ipv4_deny_but_ipv6_open_fails_at_the_ipv6_policy if {
	violations := dual_stack_gap.violations with input as open_v6
	count(violations) == 1
	some violation in violations
	violation.location == fx.v6_loc(3)
	violation.message == concat("", [
		"IPv4 firewall (iptables-save) denies by default but the IPv6 firewall (ip6tables-save) does not; ",
		"ntpd listens on IPv6 too (no interface line turns IPv6 off), so what the IPv4 rules keep out can still ",
		"reach UDP/123 over IPv6",
	])
	violation.evidence == [
		{"location": fx.v4_loc(3), "text": ":INPUT DROP [0:0]"},
		{"location": fx.v6_loc(3), "text": ":INPUT ACCEPT [0:0]"},
		{
			"location": fx.loc(1),
			"text": "(no interface ignore ipv6 line: ntpd listens on every address of the family, its default)",
		},
	]
}

test_both_open_is_fw002_not_fw003 if {
	inp := object.union(open_v6, {"firewall": {"ipv4": fx.policy_facts("ACCEPT")}})
	count(dual_stack_gap.violations) == 0 with input as inp
}

test_missing_ipv4_is_not_this_rule if {
	count(dual_stack_gap.violations) == 0 with input as fx.with_firewall("ipv4", null)
}

test_chrony_listening_on_ipv6_without_ip6tables_save if {
	inp := object.union(no_ip6tables, {
		"ntp": null,
		"time": {"daemon": {"name": "chrony", "config_file": "etc/chrony.conf"}},
		"chrony": {"ntp_listen": {"port": 123, "ipv4": "0.0.0.0", "ipv6": "::"}},
	})
	some violation in dual_stack_gap.violations with input as inp
	contains(violation.message, "chronyd listens on IPv6 too (its NTP socket is open: no `port 0`, no -4 option)")
	violation.evidence[0].text == "(chronyd's NTP socket: UDP port 123, bound to ::)"
}

test_chrony_with_port_0_passes if {
	inp := object.union(no_ip6tables, {
		"ntp": null,
		"time": {"daemon": {"name": "chrony", "config_file": "etc/chrony.conf"}},
		"chrony": {"ntp_listen": {"port": 0, "ipv4": null, "ipv6": null}},
	})
	count(dual_stack_gap.violations) == 0 with input as inp
}
