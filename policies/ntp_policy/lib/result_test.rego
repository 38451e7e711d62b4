package ntp_policy.lib.result_test

import data.ntp_policy.lib.result

location := {"file": "f", "line": 2, "column": 3}

test_reads_id_severity_and_remediation_from_the_chain if {
	chain := [
		{"path": ["ntp_policy", "rules", "c", "r", "violations"]},
		{
			"path": ["ntp_policy", "rules", "c", "r"],
			"annotations": {"scope": "package", "custom": {"id": "X001", "severity": "low", "remediation": "fix"}},
		},
	]
	result.fail(chain, location, "m", []) == {
		"rule": "X001",
		"severity": "low",
		"message": "m",
		"location": location,
		"evidence": [],
		"remediation": "fix",
	}
}

test_innermost_annotation_with_an_id_wins if {
	chain := [
		{"path": ["a", "r"], "annotations": {"scope": "rule", "custom": {"id": "INNER", "severity": "high"}}},
		{"path": ["a"], "annotations": {"scope": "package", "custom": {"id": "OUTER", "severity": "low"}}},
	]
	violation := result.fail(chain, location, "m", [])
	violation.rule == "INNER"
	violation.severity == "high"
	violation.remediation == null
}

test_missing_metadata_gives_nulls_not_nothing if {
	violation := result.fail([{"path": ["a", "r"], "annotations": {"title": "t"}}, {"path": ["a"]}], location, "m", [])
	violation.rule == null
	violation.severity == null
	violation.message == "m"
}

test_the_real_chain_of_a_rule if {
	some violation in data.ntp_policy.rules.parse.rejected_line.violations with input as {"diagnostics": [{
		"kind": "syntax",
		"message": "m",
		"location": location,
		"text": "t",
	}]}
	violation.rule == "PARSE001"
	violation.severity == "medium"
}

test_not_applicable_names_the_rule_of_the_chain if {
	chain := [{
		"path": ["ntp_policy", "rules", "c", "r"],
		"annotations": {"scope": "package", "custom": {"id": "X001", "severity": "low"}},
	}]
	result.not_applicable(chain, "no mode 7 in ntpsec") == {"rule": "X001", "reason": "no mode 7 in ntpsec"}
}

test_pass_keeps_only_located_lines if {
	chain := [{"annotations": {"custom": {"id": "NTP011"}}}]
	result.pass(chain, {"location": {"file": "etc/ntp.conf", "line": 8, "column": 1}, "text": "disable monitor"}) == {
		"rule": "NTP011",
		"location": {"file": "etc/ntp.conf", "line": 8, "column": 1},
		"text": "disable monitor",
	}
	not result.pass(chain, {"location": {"file": null, "line": 1, "column": 1}, "text": "(built-in)"})
}

test_fail_fix_replaces_the_remediation_and_null_keeps_it if {
	chain := [
		{"path": ["ntp_policy", "rules", "c", "r", "violations"]},
		{
			"path": ["ntp_policy", "rules", "c", "r"],
			"annotations": {"scope": "package", "custom": {"id": "X001", "severity": "low", "remediation": "fix"}},
		},
	]
	result.fail_fix(chain, location, "m", [], "chrony fix").remediation == "chrony fix"
	result.fail_fix(chain, location, "m", [], null).remediation == "fix"
}
