package ntp_policy.main_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.main

test_compliant_host_has_no_violations if {
	count(main.violations) == 0 with input as fx.host
}

test_every_rule_is_collected if {
	inp := object.union(
		fx.with_ntp({
			"restrict": {"entries": [fx.entry({"flags": []})], "source": null},
			"system": {
				"monitor": {"enabled": true, "location": null, "active": true},
				"mode7": {"enabled": false, "location": null},
			},
			"associations": [],
		}),
		{"diagnostics": [
			fx.diagnostic("syntax", "s"),
			fx.diagnostic("template", "t"),
			fx.diagnostic("unreadable", "u"),
			fx.diagnostic("include", "i"),
		]},
	)
	ids := {violation.rule | some violation in main.violations} with input as inp
	ids == {"NTP001", "NTP002", "NTP003", "NTP004", "PARSE001", "PARSE002", "PARSE003"}
}
