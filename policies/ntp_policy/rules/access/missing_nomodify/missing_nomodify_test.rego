package ntp_policy.rules.access.missing_nomodify_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.missing_nomodify

test_hardened_host_passes if {
	count(missing_nomodify.violations) == 0 with input as fx.hardened_host
}

test_compliant_baseline_passes if {
	count(missing_nomodify.violations) == 0 with input as fx.host
}

test_host_without_ntp_conf_passes if {
	count(missing_nomodify.violations) == 0 with input as object.union(fx.hardened_host, {"ntp": null})
}

test_default_without_nomodify_but_noquery_fails_as_defence_in_depth if {
	written := fx.text_line(3, "restrict -4 default kod limited notrap nopeer noquery")
	inp := fx.hardened_entry_replaced(0, fx.entry({
		"flags": ["kod", "limited", "noquery", "nopeer", "notrap"],
		"lines": [written],
	}))
	violations := missing_nomodify.violations with input as inp
	violations == {{
		"rule": "NTP005",
		"severity": "medium",
		"message": concat("", [
			"restrict entry 0.0.0.0/0 (IPv4; `restrict -4 default kod limited notrap nopeer noquery` at etc/ntp.conf:3)",
			" has no nomodify: untrusted hosts such as 203.0.113.1 would be allowed to send ntpq and ntpdc requests",
			" that change ntpd's configuration at run time were noquery ever removed (noquery blocks every query",
			" today; nomodify is the second line of defence)",
		]),
		"location": fx.loc(3),
		"evidence": [written],
		"remediation": concat(" ", [
			"Add nomodify to every restrict line that covers hosts outside loopback and the trusted",
			"networks, starting with the defaults of both families and the source template:",
			"`restrict -4 default kod nomodify notrap nopeer noquery`,",
			"`restrict -6 default kod nomodify notrap nopeer noquery`,",
			"`restrict source kod nomodify notrap noquery`.",
		]),
	}}
}

test_open_network_entry_fails_with_live_exposure if {
	written := [
		fx.text_line(9, "restrict 10.0.0.0 mask 255.0.0.0 notrap"),
		fx.text_line(14, "restrict 10.0.0.0 mask 255.0.0.0"),
	]
	inp := fx.hardened_with({"restrict": {"entries": array.concat(fx.hardened_entries, [fx.entry({
		"kind": "address",
		"prefix": "10.0.0.0/8",
		"mask": "255.0.0.0",
		"flags": ["notrap"],
		"lines": written,
		"untrusted_example": null,
	})])}})
	violations := missing_nomodify.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(9)
	violation.evidence == written
	violation.message == concat("", [
		"restrict entry 10.0.0.0/8 (IPv4; `restrict 10.0.0.0 mask 255.0.0.0 notrap` at etc/ntp.conf:9 and 1 more line)",
		" has no nomodify: untrusted hosts may send ntpq and ntpdc requests that change ntpd's configuration at",
		" run time (no noquery either: only the control and request keys stand in the way)",
	])
}

test_three_lines_are_counted if {
	inp := fx.hardened_entry_replaced(1, fx.entry({
		"family": "ipv6",
		"prefix": "::/0",
		"flags": ["noquery"],
		"lines": [fx.line(4), fx.line(5), fx.line(6)],
	}))
	some violation in missing_nomodify.violations with input as inp
	contains(violation.message, "at etc/ntp.conf:4 and 2 more lines) has no nomodify")
	contains(violation.message, "(IPv6; `restrict line 4`")
}

test_ignore_counts_as_nomodify if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"flags": ["ignore"], "lines": [fx.line(3)]}))
	count(missing_nomodify.violations) == 0 with input as inp
}

test_entry_for_trusted_hosts_only_passes if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"flags": [], "governs_untrusted": false}))
	count(missing_nomodify.violations) == 0 with input as inp
}

test_builtin_default_is_left_to_ntp001 if {
	inp := fx.hardened_entry_replaced(1, fx.entry({"family": "ipv6", "flags": [], "implicit": true, "lines": []}))
	count(missing_nomodify.violations) == 0 with input as inp
}

test_source_template_without_nomodify_fails if {
	source := {"flags": ["notrap", "noquery"], "lines": [fx.text_line(7, "restrict source notrap noquery")]}
	inp := fx.hardened_with({"restrict": {"source": source}})
	violations := missing_nomodify.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(7)
	violation.evidence == source.lines
	startswith(violation.message, concat("", [
		"restrict source (`restrict source notrap noquery` at etc/ntp.conf:7) has no nomodify: every upstream",
		" server this daemon polls would be allowed to send",
	]))
}

test_source_template_without_lines_is_located_at_line_one if {
	inp := fx.hardened_with({"restrict": {"source": {"flags": [], "lines": []}}})
	some violation in missing_nomodify.violations with input as inp
	violation.location == {"file": "etc/ntp.conf", "line": 1, "column": 1}
	violation.evidence == []
	startswith(violation.message, "restrict source has no nomodify: every upstream server this daemon polls may send")
}

test_no_source_template_passes if {
	inp := fx.hardened_with({"restrict": {"source": null}})
	count(missing_nomodify.violations) == 0 with input as inp
}

test_passing_evidence_is_the_entries_with_nomodify if {
	expected := {fx.passed_restrict("NTP005", 3), fx.passed_restrict("NTP005", 4)}
	missing_nomodify.passed_evidence == expected with input as fx.host
}

test_an_entry_without_nomodify_is_not_passing_evidence if {
	inp := fx.with_entries([
		fx.entry({"flags": ["kod", "noquery"]}),
		fx.entry({"family": "ipv6", "prefix": "::/0", "lines": [fx.line(4)], "flags": ["ignore"]}),
	])
	missing_nomodify.passed_evidence == {fx.passed_restrict("NTP005", 4)} with input as inp
}

test_source_template_with_nomodify_is_passing_evidence if {
	source := {"flags": ["nomodify"], "lines": [fx.line(7)]}
	inp := fx.with_ntp({"restrict": {"entries": [], "source": source}})
	missing_nomodify.passed_evidence == {fx.passed_restrict("NTP005", 7)} with input as inp
}

test_source_template_without_nomodify_is_not_passing_evidence if {
	source := {"flags": ["kod"], "lines": [fx.line(7)]}
	inp := fx.with_ntp({"restrict": {"entries": [], "source": source}})
	count(missing_nomodify.passed_evidence) == 0 with input as inp
}
