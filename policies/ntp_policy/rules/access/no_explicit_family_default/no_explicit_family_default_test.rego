package ntp_policy.rules.access.no_explicit_family_default_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.no_explicit_family_default

line_one := {"file": "etc/ntp.conf", "line": 1, "column": 1}

test_hardened_host_passes if {
	count(no_explicit_family_default.violations) == 0 with input as fx.hardened_host
}

test_host_without_ntp_conf_passes if {
	count(no_explicit_family_default.violations) == 0 with input as object.union(fx.hardened_host, {"ntp": null})
}

test_plain_restrict_default_does_not_count_for_ipv6 if {
	both := fx.text_line(3, "restrict default kod limited nomodify notrap nopeer noquery")
	v4 := fx.entry({"flags": fx.hardened_flags, "lines": [both]})
	v6 := fx.entry({"family": "ipv6", "prefix": "::/0", "flags": fx.hardened_flags, "lines": [both]})
	inp := fx.hardened_with({"restrict": {"entries": [v4, v6, fx.hardened_entries[2], fx.hardened_entries[3]]}})
	violations := no_explicit_family_default.violations with input as inp
	violations == {{
		"rule": "NTP019",
		"severity": "low",
		"message": concat("", [
			"The IPv6 default restrict entry is set only by restrict entry ::/0 (IPv6; `restrict default kod",
			" limited nomodify notrap nopeer noquery` at etc/ntp.conf:3): a plain `restrict default` covers IPv6",
			" only on ntpd 4.2.5p178 and later, and CIS asks for an explicit `restrict -6 default` line with the",
			" same flags",
		]),
		"location": fx.loc(3),
		"evidence": [both],
		"remediation": concat(" ", [
			"Write one default line per family: `restrict -4 default kod nomodify notrap nopeer noquery`",
			"and `restrict -6 default kod nomodify notrap nopeer noquery`.",
		]),
	}}
}

test_tabs_and_spaces_in_the_line_are_accepted if {
	v6 := fx.entry({
		"family": "ipv6",
		"prefix": "::/0",
		"lines": [fx.text_line(4, "restrict\t-6  default")],
	})
	inp := fx.hardened_entry_replaced(1, v6)
	count(no_explicit_family_default.violations) == 0 with input as inp
}

test_builtin_defaults_fail_for_both_families if {
	v4 := fx.entry({"flags": [], "implicit": true, "lines": []})
	v6 := fx.entry({"family": "ipv6", "prefix": "::/0", "flags": [], "implicit": true, "lines": []})
	inp := fx.hardened_with({"restrict": {"entries": [v4, v6]}})
	violations := no_explicit_family_default.violations with input as inp
	count(violations) == 2
	some v4_violation in violations
	v4_violation.evidence == [{"location": line_one, "text": "(no `restrict default` or `restrict -4 default` line)"}]
	v4_violation.location == line_one
	v4_violation.message == concat("", [
		"No `restrict default` or `restrict -4 default` line configures the IPv4 default restrict entry: ntpd's",
		" built-in default (no flags) applies to every IPv4 host no other line covers, and CIS asks for an",
		" explicit line per family",
	])
	some v6_violation in violations
	startswith(v6_violation.message, "No `restrict -6 default` line configures the IPv6 default restrict entry")
}

test_missing_default_entries_fail_closed if {
	inp := fx.hardened_with({"restrict": {"entries": []}})
	count(no_explicit_family_default.violations) == 2 with input as inp
}
