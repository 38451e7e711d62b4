package ntp_policy.rules.parse.template_file_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.parse.template_file

test_no_diagnostics_pass if {
	count(template_file.violations) == 0 with input as fx.host
}

test_syntax_error_is_not_a_template if {
	count(template_file.violations) == 0 with input as fx.with_diagnostics([fx.diagnostic("syntax", "bad")])
}

test_template_fails if {
	inp := fx.with_diagnostics([fx.diagnostic("template", "etc/ntp.conf is a Jinja template")])
	some violation in template_file.violations with input as inp
	violation.rule == "PARSE002"
	violation.severity == "low"
	violation.message == "etc/ntp.conf is a Jinja template; nothing in it was checked"
	violation.location == fx.loc(7)
}
