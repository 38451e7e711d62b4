package ntp_policy.rules.evidence.unresolved_include_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.evidence.unresolved_include

test_no_diagnostics_pass if {
	count(unresolved_include.violations) == 0 with input as fx.host
}

test_syntax_error_is_not_an_include_problem if {
	count(unresolved_include.violations) == 0 with input as fx.with_diagnostics([fx.diagnostic("syntax", "bad")])
}

test_unresolved_include_fails if {
	inp := fx.with_diagnostics([fx.diagnostic("include", "includefile /etc/ntp/extra.conf: not in the host dump")])
	some violation in unresolved_include.violations with input as inp
	violation.rule == "NTP004"
	violation.severity == "medium"
	violation.message == concat("", [
		"includefile /etc/ntp/extra.conf: not in the host dump; what that file configures was not checked, ",
		"so this host's findings may be incomplete",
	])
	violation.evidence == [{"location": fx.loc(7), "text": "restrict defualt noquery"}]
}
