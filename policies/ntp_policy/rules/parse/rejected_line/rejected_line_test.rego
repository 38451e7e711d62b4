package ntp_policy.rules.parse.rejected_line_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.parse.rejected_line

test_no_diagnostics_pass if {
	count(rejected_line.violations) == 0 with input as fx.host
}

test_other_kinds_are_not_reported_here if {
	inp := fx.with_diagnostics([fx.diagnostic("template", "t"), fx.diagnostic("include", "i")])
	count(rejected_line.violations) == 0 with input as inp
}

test_syntax_error_fails if {
	inp := fx.with_diagnostics([fx.diagnostic("syntax", "unknown restrict target 'defualt'")])
	rejected_line.violations == {{
		"rule": "PARSE001",
		"severity": "medium",
		"message": "unknown restrict target 'defualt'",
		"location": fx.loc(7),
		"evidence": [{"location": fx.loc(7), "text": "restrict defualt noquery"}],
		"remediation": concat(" ", [
			"Fix the line so the daemon accepts it (see the expected words in the message), or delete it;",
			"as written it is ignored (ntpd) or makes the whole file fail to load (iptables-restore).",
		]),
	}} with input as inp
}

test_structure_error_fails_and_each_diagnostic_counts if {
	inp := fx.with_diagnostics([
		fx.diagnostic("structure", "rule outside a table"),
		object.union(fx.diagnostic("syntax", "bad"), {"location": fx.loc(9), "text": null}),
	])
	violations := rejected_line.violations with input as inp
	count(violations) == 2
	some violation in violations
	violation.location == fx.loc(9)
	violation.evidence == [{"location": fx.loc(9), "text": ""}]
}

test_missing_location_is_kept_as_null if {
	inp := fx.with_diagnostics([object.remove(fx.diagnostic("syntax", "bad"), ["location", "text"])])
	some violation in rejected_line.violations with input as inp
	violation.location == null
}

test_line_chronyd_refuses_is_critical_with_a_chrony_fix if {
	message := "Invalid directive (\"severs\" is not a chrony.conf directive); chronyd will not start"
	inp := fx.with_diagnostics([fx.diagnostic("syntax", message)])
	[v] := [v | some v in rejected_line.violations with input as inp]
	v.severity == "critical"
	v.message == message
	v.location == fx.loc(7)
	startswith(v.remediation, "Fix the line so that chronyd accepts it")
}

test_chrony_note_that_only_mentions_a_start_failure_stays_medium if {
	message := "\"ntp.example\" is resolved when chronyd starts; if it does not resolve, chronyd will not start"
	inp := fx.with_diagnostics([fx.diagnostic("syntax", message)])
	[v] := [v | some v in rejected_line.violations with input as inp]
	v.severity == "medium"
}
