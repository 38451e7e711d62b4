package ntp_policy.rules.access.loopback_not_exempt_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.loopback_not_exempt

without_loopback := fx.hardened_with({"restrict": {"entries": [fx.hardened_entries[0], fx.hardened_entries[1]]}})

test_hardened_host_passes if {
	count(loopback_not_exempt.violations) == 0 with input as fx.hardened_host
}

test_compliant_baseline_passes if {
	count(loopback_not_exempt.violations) == 0 with input as fx.host
}

test_locked_defaults_without_loopback_lines_fail_per_family if {
	violations := loopback_not_exempt.violations with input as without_loopback
	violations == {
		{
			"rule": "NTP012",
			"severity": "info",
			"message": concat("", [
				"Nothing exempts loopback: 127.0.0.1 takes its restrictions from restrict entry 0.0.0.0/0 (IPv4;",
				" `restrict -4 default kod limited nomodify notrap nopeer noquery` at etc/ntp.conf:3), which has",
				" noquery, so ntpq on this host cannot query ntpd (add `restrict 127.0.0.1`)",
			]),
			"location": fx.loc(3),
			"evidence": fx.hardened_entries[0].lines,
			"remediation": concat(" ", [
				"Exempt loopback from the restrictions of the defaults: add `restrict 127.0.0.1` and",
				"`restrict ::1` (no flags) after the `restrict default` lines.",
			]),
		},
		{
			"rule": "NTP012",
			"severity": "info",
			"message": concat("", [
				"Nothing exempts loopback: ::1 takes its restrictions from restrict entry ::/0 (IPv6;",
				" `restrict -6 default kod limited nomodify notrap nopeer noquery` at etc/ntp.conf:4), which has",
				" noquery, so ntpq on this host cannot query ntpd (add `restrict ::1`)",
			]),
			"location": fx.loc(4),
			"evidence": fx.hardened_entries[1].lines,
			"remediation": concat(" ", [
				"Exempt loopback from the restrictions of the defaults: add `restrict 127.0.0.1` and",
				"`restrict ::1` (no flags) after the `restrict default` lines.",
			]),
		},
	}
}

test_open_default_needs_no_loopback_line if {
	open_v4 := fx.entry({"flags": ["nomodify"], "lines": [fx.line(3)]})
	inp := fx.hardened_with({"restrict": {"entries": [open_v4, fx.hardened_entries[1], fx.hardened_entries[3]]}})
	count(loopback_not_exempt.violations) == 0 with input as inp
}

test_most_specific_covering_entry_decides if {
	loopback_net := fx.entry({
		"kind": "address",
		"prefix": "127.0.0.0/8",
		"flags": ["ignore"],
		"lines": [fx.line(5)],
		"governs_non_loopback": false,
		"governs_untrusted": false,
	})
	ntpport_host := fx.entry({
		"kind": "address",
		"prefix": "127.0.0.1/32",
		"ntpport": true,
		"flags": [],
		"lines": [fx.line(6)],
	})
	inp := fx.hardened_with({"restrict": {"entries": [
		fx.hardened_entries[0],
		loopback_net,
		ntpport_host,
		fx.hardened_entries[1],
		fx.hardened_entries[3],
	]}})
	violations := loopback_not_exempt.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(5)
	contains(violation.message, "127.0.0.1 takes its restrictions from restrict entry 127.0.0.0/8 (IPv4;")
	contains(violation.message, "which has ignore, so ntpq")
}

test_restrict_localhost_counts_for_both_families if {
	localhost := fx.entry({
		"kind": "hostname",
		"prefix": "localhost",
		"mask": null,
		"flags": [],
		"lines": [fx.text_line(5, "restrict localhost")],
		"governs_non_loopback": false,
		"governs_untrusted": false,
	})
	inp := fx.hardened_with({"restrict": {"entries": [fx.hardened_entries[0], fx.hardened_entries[1], localhost]}})
	count(loopback_not_exempt.violations) == 0 with input as inp
}

test_restrict_localhost_with_noquery_fails if {
	localhost := fx.entry({
		"kind": "hostname",
		"prefix": "LocalHost",
		"mask": null,
		"flags": ["noquery"],
		"lines": [fx.text_line(5, "restrict LocalHost noquery")],
		"governs_non_loopback": false,
		"governs_untrusted": false,
	})
	inp := fx.hardened_with({"restrict": {"entries": [fx.hardened_entries[0], fx.hardened_entries[1], localhost]}})
	violations := loopback_not_exempt.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(5)
	startswith(violation.message, concat("", [
		"restrict entry LocalHost (IPv4; `restrict LocalHost noquery` at etc/ntp.conf:5)",
		" has noquery",
	]))
}

test_no_covering_entry_passes if {
	inp := fx.hardened_with({"restrict": {"entries": []}})
	count(loopback_not_exempt.violations) == 0 with input as inp
}
