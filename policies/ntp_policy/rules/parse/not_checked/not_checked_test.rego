package ntp_policy.rules.parse.not_checked_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.parse.not_checked

test_no_diagnostics_pass if {
	count(not_checked.violations) == 0 with input as fx.host
}

test_other_diagnostics_are_not_this_rule if {
	inp := fx.with_diagnostics([fx.diagnostic("unreadable", "u"), fx.diagnostic("include", "i")])
	count(not_checked.violations) == 0 with input as inp
}

test_a_cap_reached_fails if {
	inp := fx.with_diagnostics([fx.diagnostic("not-checked", "more than 1000 included files: includefile not followed")])
	some violation in not_checked.violations with input as inp
	violation.rule == "PARSE004"
	violation.severity == "high"
	violation.message == "more than 1000 included files: includefile not followed; the rest of the host was checked"
}
