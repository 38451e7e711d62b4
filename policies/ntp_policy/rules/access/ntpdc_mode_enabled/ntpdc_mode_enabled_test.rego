package ntp_policy.rules.access.ntpdc_mode_enabled_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.ntpdc_mode_enabled

enable_line := {"enabled": true, "location": fx.loc(14), "text": "enable mode7"}

with_mode7(mode7) := object.union(fx.hardened_host, {"ntp": {"system": {"mode7": mode7}}})

test_hardened_host_passes if {
	count(ntpdc_mode_enabled.violations) == 0 with input as fx.hardened_host
}

test_compliant_baseline_passes if {
	count(ntpdc_mode_enabled.violations) == 0 with input as fx.host
}

test_disable_mode7_line_passes if {
	inp := with_mode7({"enabled": false, "location": fx.loc(14), "text": "disable mode7"})
	count(ntpdc_mode_enabled.violations) == 0 with input as inp
}

test_enable_mode7_behind_noquery_fails if {
	violations := ntpdc_mode_enabled.violations with input as with_mode7(enable_line)
	violations == {{
		"rule": "NTP010",
		"severity": "medium",
		"message": concat("", [
			"`enable mode7` at etc/ntp.conf:14 turns on ntpdc's mode 7 request protocol (monlist, CVE-2013-5211);",
			" every entry that governs non-local hosts has noquery or ignore, so only local users can reach it",
			" today, and one restrict line without noquery opens it to more",
		]),
		"location": fx.loc(14),
		"evidence": [{"location": fx.loc(14), "text": "enable mode7"}],
		"remediation": concat(" ", [
			"Remove the `enable mode7` line (mode 7 is off by default in ntpd 4.2.8), or write",
			"`disable mode7`; use ntpq (mode 6) instead of ntpdc for monitoring.",
		]),
	}}
}

test_enable_mode7_with_open_entries_names_them if {
	open := fx.entry({"flags": ["nomodify"], "lines": [fx.text_line(3, "restrict default nomodify")]})
	lan := fx.entry({
		"kind": "address",
		"prefix": "192.0.2.0/24",
		"flags": [],
		"lines": [fx.line(9)],
		"governs_untrusted": false,
	})
	inp := object.union(with_mode7(enable_line), {"ntp": {"restrict": {"entries": [open, open, lan]}}})
	some violation in ntpdc_mode_enabled.violations with input as inp
	endswith(violation.message, concat("", [
		"; restrict entry 0.0.0.0/0 (IPv4; `restrict default nomodify` at etc/ntp.conf:3) and 2 other entries",
		" let non-local hosts use it (no noquery)",
	]))
	count(violation.evidence) == 4
}

test_enable_mode7_with_two_open_entries if {
	open := fx.entry({"flags": ["nomodify"], "lines": [fx.text_line(3, "restrict default nomodify")]})
	inp := object.union(with_mode7(enable_line), {"ntp": {"restrict": {"entries": [open, open]}}})
	some violation in ntpdc_mode_enabled.violations with input as inp
	contains(violation.message, "etc/ntp.conf:3) and 1 other entry let non-local hosts use it")
}

test_enable_mode7_with_one_open_entry if {
	open := fx.entry({"flags": ["nomodify"], "lines": [fx.text_line(3, "restrict default nomodify")]})
	inp := object.union(with_mode7(enable_line), {"ntp": {"restrict": {"entries": [open]}}})
	some violation in ntpdc_mode_enabled.violations with input as inp
	contains(violation.message, "etc/ntp.conf:3) lets non-local hosts use it")
}

test_mode7_on_by_default_is_located_at_line_one if {
	violations := ntpdc_mode_enabled.violations with input as with_mode7({"enabled": true, "location": null, "text": null})
	some violation in violations
	violation.location == {"file": "etc/ntp.conf", "line": 1, "column": 1}
	startswith(violation.message, "The daemon's default (no disable mode7 line) turns on")
	violation.evidence == [{
		"location": {"file": "etc/ntp.conf", "line": 1, "column": 1},
		"text": "(mode 7 enabled by the daemon's default)",
	}]
}
