package ntp_policy.rules.access.missing_notrap_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.missing_notrap

test_hardened_host_passes if {
	count(missing_notrap.violations) == 0 with input as fx.hardened_host
}

test_compliant_baseline_passes if {
	count(missing_notrap.violations) == 0 with input as fx.host
}

test_default_without_notrap_but_noquery_fails_as_defence_in_depth if {
	written := fx.text_line(4, "restrict -6 default kod limited nomodify nopeer noquery")
	inp := fx.hardened_entry_replaced(1, fx.entry({
		"family": "ipv6",
		"prefix": "::/0",
		"flags": ["kod", "limited", "nomodify", "noquery", "nopeer"],
		"lines": [written],
		"untrusted_example": "2001:db8::1",
	}))
	violations := missing_notrap.violations with input as inp
	violations == {{
		"rule": "NTP006",
		"severity": "low",
		"message": concat("", [
			"restrict entry ::/0 (IPv6; `restrict -6 default kod limited nomodify nopeer noquery` at etc/ntp.conf:4)",
			" has no notrap: untrusted hosts such as 2001:db8::1 would be allowed to register as mode 6 trap",
			" receivers were noquery ever removed (noquery blocks every mode 6 request today; notrap is the second",
			" line of defence)",
		]),
		"location": fx.loc(4),
		"evidence": [written],
		"remediation": concat(" ", [
			"Add notrap to every restrict line that covers hosts outside loopback and the trusted",
			"networks, starting with the defaults of both families and the source template:",
			"`restrict -4 default kod nomodify notrap nopeer noquery`,",
			"`restrict -6 default kod nomodify notrap nopeer noquery`,",
			"`restrict source kod nomodify notrap noquery`.",
		]),
	}}
}

test_open_entry_fails_with_live_exposure if {
	open_entry := fx.entry({"flags": ["nomodify"], "lines": [fx.line(3)], "untrusted_example": null})
	inp := fx.hardened_entry_replaced(0, open_entry)
	some violation in missing_notrap.violations with input as inp
	violation.message == concat("", [
		"restrict entry 0.0.0.0/0 (IPv4; `restrict line 3` at etc/ntp.conf:3) has no notrap: untrusted hosts",
		" may register as mode 6 trap receivers (or register a forged victim address), and ntpd then sends them",
		" its event messages unasked",
	])
}

test_ignore_counts_as_notrap if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"flags": ["ignore"]}))
	count(missing_notrap.violations) == 0 with input as inp
}

test_entry_for_trusted_hosts_only_passes if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"flags": [], "governs_untrusted": false}))
	count(missing_notrap.violations) == 0 with input as inp
}

test_builtin_default_is_left_to_ntp001 if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"flags": [], "implicit": true, "lines": []}))
	count(missing_notrap.violations) == 0 with input as inp
}

test_source_template_without_notrap_fails if {
	source := {"flags": ["nomodify"], "lines": [fx.text_line(7, "restrict source nomodify")]}
	inp := fx.hardened_with({"restrict": {"source": source}})
	violations := missing_notrap.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(7)
	violation.message == concat("", [
		"restrict source (`restrict source nomodify` at etc/ntp.conf:7) has no notrap: every upstream server",
		" this daemon polls may register as mode 6 trap receivers (or register a forged victim address), and",
		" ntpd then sends them its event messages unasked",
	])
}

test_source_template_with_ignore_passes if {
	inp := fx.hardened_with({"restrict": {"source": {"flags": ["ignore"]}}})
	count(missing_notrap.violations) == 0 with input as inp
}

test_passing_evidence_is_the_entries_with_notrap if {
	expected := {fx.passed_restrict("NTP006", 3), fx.passed_restrict("NTP006", 4)}
	missing_notrap.passed_evidence == expected with input as fx.host
}

test_an_entry_without_notrap_is_not_passing_evidence if {
	inp := fx.with_entries([
		fx.entry({"flags": ["kod", "noquery"]}),
		fx.entry({"family": "ipv6", "prefix": "::/0", "lines": [fx.line(4)], "flags": ["ignore"]}),
	])
	missing_notrap.passed_evidence == {fx.passed_restrict("NTP006", 4)} with input as inp
}

test_source_template_with_notrap_is_passing_evidence if {
	source := {"flags": ["notrap"], "lines": [fx.line(7)]}
	inp := fx.with_ntp({"restrict": {"entries": [], "source": source}})
	missing_notrap.passed_evidence == {fx.passed_restrict("NTP006", 7)} with input as inp
}

test_source_template_without_notrap_is_not_passing_evidence if {
	source := {"flags": ["kod"], "lines": [fx.line(7)]}
	inp := fx.with_ntp({"restrict": {"entries": [], "source": source}})
	count(missing_notrap.passed_evidence) == 0 with input as inp
}
