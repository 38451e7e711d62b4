package ntp_policy.rules.access.kod_without_limited_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.kod_without_limited

test_hardened_host_passes if {
	count(kod_without_limited.violations) == 0 with input as fx.hardened_host
}

test_cis_default_line_fails if {
	written := fx.text_line(3, "restrict default kod nomodify notrap nopeer noquery")
	inp := fx.hardened_entry_replaced(0, fx.entry({"lines": [written]}))
	violations := kod_without_limited.violations with input as inp
	violations == {{
		"rule": "NTP008",
		"severity": "low",
		"message": concat("", [
			"restrict entry 0.0.0.0/0 (IPv4; `restrict default kod nomodify notrap nopeer noquery` at etc/ntp.conf:3)",
			" has kod without limited, so kod does nothing: ntpd sends a Kiss-o'-Death only to a client it refuses",
			" for exceeding the discard rate limits, and only limited enforces them",
		]),
		"location": fx.loc(3),
		"evidence": [written],
		"remediation": concat(" ", [
			"Add limited next to kod so that the rate limits are enforced and the Kiss-o'-Death is sent:",
			"`restrict -4 default kod limited nomodify notrap nopeer noquery` and",
			"`restrict -6 default kod limited nomodify notrap nopeer noquery` (keep noquery on these",
			"entries: limited keeps the monitor list active), or remove kod where rate limiting is not wanted.",
		]),
	}}
}

test_loopback_and_trusted_entries_are_judged_too if {
	inp := fx.hardened_entry_replaced(2, fx.entry({
		"kind": "address",
		"prefix": "127.0.0.1/32",
		"flags": ["kod"],
		"lines": [fx.line(5)],
		"governs_non_loopback": false,
		"governs_untrusted": false,
	}))
	some violation in kod_without_limited.violations with input as inp
	violation.location == fx.loc(5)
}

test_ignore_passes if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"flags": ["ignore", "kod"]}))
	count(kod_without_limited.violations) == 0 with input as inp
}

test_builtin_entry_is_not_judged if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"flags": ["kod"], "implicit": true, "lines": []}))
	count(kod_without_limited.violations) == 0 with input as inp
}

test_source_template_fails if {
	source := {
		"flags": ["kod", "nomodify", "noquery", "notrap"],
		"lines": [fx.text_line(7, "restrict source kod nomodify notrap noquery")],
	}
	inp := fx.hardened_with({"restrict": {"source": source}})
	violations := kod_without_limited.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(7)
	startswith(violation.message, concat("", [
		"restrict source (`restrict source kod nomodify notrap noquery` at etc/ntp.conf:7)",
		" has kod",
	]))
}
