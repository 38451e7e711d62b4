package ntp_policy.rules.parse.unreadable_file_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.parse.unreadable_file

test_no_diagnostics_pass if {
	count(unreadable_file.violations) == 0 with input as fx.host
}

test_template_is_not_unreadable if {
	count(unreadable_file.violations) == 0 with input as fx.with_diagnostics([fx.diagnostic("template", "t")])
}

test_unreadable_file_fails if {
	inp := fx.with_diagnostics([fx.diagnostic("unreadable", "iptables-save contains NUL bytes")])
	some violation in unreadable_file.violations with input as inp
	violation.rule == "PARSE003"
	violation.severity == "high"
	violation.message == "iptables-save contains NUL bytes; nothing in it was checked"
}
