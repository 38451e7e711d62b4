package ntp_policy.main_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.main

# The hardened host follows CIS and STIG: `limited` and `disable monitor` both written. The only rule it
# breaks is NTP021 (that `disable monitor` has no effect), which runs under the baseline profile only.
test_compliant_host_has_no_violations if {
	failing_ids == {"NTP021"} with input as fx.hardened_host
}

# The ids of the rules with violations (the result set also holds not-applicable and passed-evidence entries).
failing_ids contains violation.rule if {
	some violation in main.violations
	is_string(violation.severity)
}

# The baseline fixture host passes every baseline rule; what remains are the hardening rules of the cis and
# stig profiles only (kod without limited, ntpd on every interface, no explicit `restrict -6 default`
# line, unauthenticated upstreams), which TypeScript leaves out under the baseline profile.
test_baseline_host_fails_only_rules_outside_the_baseline_profile if {
	ids := failing_ids with input as fx.host
	ids == {"NTP008", "NTP018", "NTP019", "NTP020"}
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
	ids := failing_ids with input as inp
	ids == {
		"NTP001", "NTP002", "NTP003", "NTP004", "NTP005", "NTP006", "NTP007", "NTP011", "NTP015", "NTP018",
		"NTP019", "PARSE001", "PARSE002", "PARSE003",
	}
}

test_not_applicable_entries_join_the_result_set if {
	na := {{"rule": "NTP007", "reason": "ntpsec has no mode 7"}}
	entries := {entry | some entry in main.violations; entry.not_applicable} with input as fx.hardened_host
		with data.ntp_policy.rules.access.x.not_applicable as na # regal ignore:unresolved-reference
	entries == {{"rule": "NTP007", "not_applicable": "ntpsec has no mode 7"}}
}

test_passed_evidence_entries_join_the_result_set if {
	evidence := {"rule": "NTP011", "location": fx.loc(9), "text": "disable monitor"}
	entries := {entry | some entry in main.violations; entry.passed_evidence} with input as fx.hardened_host
		with data.ntp_policy.rules.access.x.passed_evidence as {evidence} # regal ignore:unresolved-reference
	{"rule": "NTP011", "passed_evidence": {"location": fx.loc(9), "text": "disable monitor"}} in entries
}

test_ntpsec_hosts_get_not_applicable_entries if {
	inp := json.patch(fx.hardened_host, [{"op": "add", "path": "/ntp/daemon", "value": {
		"flavor": "ntpsec", "decided_by": "syntax", "version": null,
	}}])
	{entry.rule | some entry in main.violations with input as inp; entry.not_applicable} == {"NTP007", "NTP017"}
	count({entry | some entry in main.violations with input as fx.hardened_host; entry.not_applicable}) == 0
}
