package ntp_policy.rules.daemon.listens_everywhere_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.daemon.listens_everywhere

with_interfaces(list) := fx.hardened_with({"interfaces": list})

test_hardened_host_passes if {
	count(listens_everywhere.violations) == 0 with input as fx.hardened_host
}

test_host_without_ntp_conf_passes if {
	count(listens_everywhere.violations) == 0 with input as object.union(fx.hardened_host, {"ntp": null})
}

test_no_interface_line_fails_at_line_one if {
	violations := listens_everywhere.violations with input as with_interfaces([])
	violations == {{
		"rule": "NTP018",
		"severity": "info",
		"message": concat("", [
			"ntpd listens on every IPv4 and IPv6 address of the host (no `interface ignore all` line: ntpd's",
			" default): UDP/123 is open on every interface, present and future, and only the restrict list and",
			" the firewall decide what it answers there",
		]),
		"location": {"file": "etc/ntp.conf", "line": 1, "column": 1},
		"evidence": [{
			"location": {"file": "etc/ntp.conf", "line": 1, "column": 1},
			"text": "(no interface line: ntpd opens every address, its default)",
		}],
		"remediation": concat(" ", [
			"Make ntpd listen only where it serves: `interface ignore all` followed by",
			"`interface listen 192.0.2.123` (or the interface name, e.g. `interface listen eth1`); a pure",
			"client can listen on loopback only (`interface ignore all` alone: loopback stays open).",
		]),
	}}
}

test_ignore_wildcard_alone_is_not_enough if {
	wildcard := fx.interface(20, "ignore", "wildcard")
	listen := fx.interface(21, "listen", "192.0.2.123")
	violations := listens_everywhere.violations with input as with_interfaces([wildcard, listen])
	some violation in violations
	violation.location == {"file": "etc/ntp.conf", "line": 1, "column": 1}
	contains(violation.message, concat("", [
		"every IPv4 and IPv6 address of the host (`interface ignore wildcard` at etc/ntp.conf:20 closes only",
		" the wildcard socket; no `interface ignore all` line)",
	]))
	violation.evidence == [
		{"location": fx.loc(20), "text": "interface ignore wildcard"},
		{"location": fx.loc(21), "text": "interface listen 192.0.2.123"},
	]
}

test_family_ignores_count_per_family if {
	v6 := fx.interface(20, "drop", "IPv6")
	some violation in listens_everywhere.violations with input as with_interfaces([v6])
	startswith(violation.message, "ntpd listens on every IPv4 address of the host (no `interface ignore all`")
}

test_both_families_ignored_pass if {
	both := [fx.interface(20, "ignore", "ipv4"), fx.interface(21, "drop", "ipv6")]
	count(listens_everywhere.violations) == 0 with input as with_interfaces(both)
}

test_a_later_listen_reopens_the_family if {
	lines := [fx.interface(20, "ignore", "all"), fx.interface(21, "listen", "ipv6")]
	some violation in listens_everywhere.violations with input as with_interfaces(lines)
	violation.location == fx.loc(21)
	contains(violation.message, concat("", [
		"every IPv6 address of the host (`interface listen ipv6` at etc/ntp.conf:21",
		" re-opens them)",
	]))
}

test_one_listen_line_reopening_both_families_is_cited_once if {
	lines := [fx.interface(20, "ignore", "all"), fx.interface(21, "listen", "all")]
	some violation in listens_everywhere.violations with input as with_interfaces(lines)
	contains(violation.message, concat("", [
		"every IPv4 and IPv6 address of the host (`interface listen all` at etc/ntp.conf:21",
		" re-opens them):",
	]))
}
