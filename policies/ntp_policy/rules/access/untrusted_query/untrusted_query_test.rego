package ntp_policy.rules.access.untrusted_query_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.untrusted_query

test_compliant_baseline_passes if {
	count(untrusted_query.violations) == 0 with input as fx.host
}

test_host_without_ntp_conf_passes if {
	count(untrusted_query.violations) == 0 with input as object.union(fx.host, {"ntp": null})
}

test_template_is_not_judged if {
	count(untrusted_query.violations) == 0 with input as fx.with_entries([fx.entry({"flags": [], "implicit": true})])
		with input.ntp.template as true
}

test_configured_default_without_noquery_fails if {
	inp := fx.with_entries([fx.entry({"flags": ["kod", "nomodify"]})])
	violations := untrusted_query.violations with input as inp
	violations == {{
		"rule": "NTP001",
		"severity": "high",
		"message": concat("", [
			"restrict entry 0.0.0.0/0 (IPv4) has neither noquery nor ignore: untrusted hosts such as ",
			"203.0.113.1 can query ntpd with ntpq (mode 6) and ntpdc (mode 7)",
		]),
		"location": fx.loc(3),
		"evidence": [{"location": fx.loc(3), "text": "restrict line 3"}],
		"remediation": concat(" ", [
			"Add noquery to the restrict entries that cover untrusted addresses, starting with the",
			"defaults of both families: `restrict -4 default kod nomodify notrap nopeer noquery` and",
			"`restrict -6 default kod nomodify notrap nopeer noquery`; allow queries only from loopback",
			"and the trusted networks (`restrict 127.0.0.1`, `restrict ::1`). A network that is meant to",
			"query (your LAN, a monitoring host) is not a finding once it is declared trusted: run with",
			"`--trusted 192.168.1.0/24`, or list it under `trusted_networks:` in .ntp-policy.yaml.",
		]),
	}}
}

test_implicit_default_fails_at_line_one if {
	inp := fx.with_entries([fx.entry({
		"family": "ipv6",
		"prefix": "::/0",
		"flags": [],
		"implicit": true,
		"lines": [],
		"untrusted_example": "2001:db8::1",
	})])
	some violation in untrusted_query.violations with input as inp
	violation.location == {"file": "etc/ntp.conf", "line": 1, "column": 1}
	violation.evidence == [{
		"location": {"file": "etc/ntp.conf", "line": 1, "column": 1},
		"text": "restrict -6 default (built-in: no line configures it)",
	}]
	startswith(violation.message, "ntpd's built-in default restrict entry ::/0 (IPv6; no restrict default line")
	contains(violation.message, "such as 2001:db8::1")
}

test_both_implicit_defaults_fail_separately if {
	inp := fx.with_entries([
		fx.entry({"flags": [], "implicit": true, "lines": []}),
		fx.entry({"family": "ipv6", "prefix": "::/0", "flags": [], "implicit": true, "lines": []}),
	])
	count(untrusted_query.violations) == 2 with input as inp
}

test_ignore_counts_as_noquery if {
	count(untrusted_query.violations) == 0 with input as fx.with_entries([fx.entry({"flags": ["ignore"]})])
}

test_entry_governing_only_trusted_hosts_passes if {
	inp := fx.with_entries([fx.entry({
		"kind": "address",
		"prefix": "192.0.2.0/24",
		"mask": "255.255.255.0",
		"flags": ["nomodify"],
		"governs_untrusted": false,
		"untrusted_example": null,
	})])
	count(untrusted_query.violations) == 0 with input as inp
}

test_merged_entry_has_one_violation_with_every_line if {
	inp := fx.with_entries([fx.entry({
		"kind": "address",
		"prefix": "10.0.0.0/8",
		"mask": "255.0.0.0",
		"flags": ["nomodify", "notrap"],
		"lines": [fx.line(5), fx.line(9)],
		"untrusted_example": "10.0.0.1",
	})])
	violations := untrusted_query.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(5)
	violation.evidence == [
		{"location": fx.loc(5), "text": "restrict line 5"},
		{"location": fx.loc(9), "text": "restrict line 9"},
	]
	startswith(violation.message, "restrict entry 10.0.0.0/8 (IPv4) has neither")
}

test_hostname_entry_without_example if {
	inp := fx.with_entries([fx.entry({
		"kind": "hostname",
		"prefix": "ntp.example.org",
		"mask": null,
		"flags": [],
		"untrusted_example": null,
	})])
	some violation in untrusted_query.violations with input as inp
	violation.evidence[0].text == "restrict line 3"
	violation.message == concat("", [
		"restrict entry ntp.example.org (IPv4) has neither noquery nor ignore: ",
		"untrusted hosts can query ntpd with ntpq (mode 6) and ntpdc (mode 7)",
	])
}

test_missing_optional_fields_do_not_hide_the_violation if {
	inp := fx.with_entries([{"family": "ipv4", "kind": "default", "prefix": "0.0.0.0/0", "governs_untrusted": true}])
	some violation in untrusted_query.violations with input as inp
	violation.location == {"file": "etc/ntp.conf", "line": 1, "column": 1}
	violation.evidence[0].text == "restrict -4 default (built-in: no line configures it)"
}

test_a_rejected_restrict_default_line_is_where_the_finding_is if {
	typo := {"location": fx.loc(6), "text": "restrict default kod nomodify notrap nopeer noqeury"}
	builtin := fx.entry({"flags": [], "implicit": true, "lines": [], "rejected_lines": [typo]})
	violations := untrusted_query.violations with input as fx.with_entries([builtin])
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(6)
	violation.evidence == [typo]
	startswith(violation.message, concat("", [
		"ntpd rejects `restrict default kod nomodify notrap nopeer noqeury` at etc/ntp.conf:6 (PARSE001), ",
		"so no line replaces its built-in default restrict entry 0.0.0.0/0 (IPv4)",
	]))
	contains(violation.remediation, "--trusted")
}

test_passing_evidence_is_the_noquery_entries_governing_untrusted_addresses if {
	expected := {fx.passed_restrict("NTP001", 3), fx.passed_restrict("NTP001", 4)}
	untrusted_query.passed_evidence == expected with input as fx.host
}

test_an_entry_without_noquery_is_not_passing_evidence if {
	inp := fx.with_entries([
		fx.entry({"flags": ["kod", "nomodify"]}),
		fx.entry({"family": "ipv6", "prefix": "::/0", "lines": [fx.line(4)], "flags": ["ignore"]}),
	])
	untrusted_query.passed_evidence == {fx.passed_restrict("NTP001", 4)} with input as inp
}

test_implicit_default_is_never_passing_evidence if {
	inp := fx.with_entries([fx.entry({"flags": ["noquery"], "implicit": true, "lines": []})])
	count(untrusted_query.passed_evidence) == 0 with input as inp
}

test_chrony_cmdallow_reaching_untrusted_hosts_fails if {
	access := {
		"addresses": ["10.0.0.0/8"], "untrusted": true, "untrusted_example": "10.0.0.1",
		"lines": [{"location": {"file": "etc/chrony.conf", "line": 5, "column": 1}, "text": "cmdallow 10.0.0.0/8"}],
	}
	closed := {"addresses": [], "untrusted": false, "untrusted_example": null, "lines": []}
	inp := object.union(fx.host, {"ntp": null, "time": {
		"daemon": {"name": "chrony", "config_file": "etc/chrony.conf"},
		"query_access": {"ipv4": access, "ipv6": closed},
	}})
	[v] := [v | some v in untrusted_query.violations with input as inp]
	v.location == {"file": "etc/chrony.conf", "line": 5, "column": 1}
	v.message == concat("", [
		"IPv4: chronyd answers chronyc commands (tracking, sources, clients) from hosts outside the trusted",
		" networks such as 10.0.0.1 (`cmdallow 10.0.0.0/8` at etc/chrony.conf:5)",
	])
}

test_chrony_local_commands_only_pass if {
	closed := {"addresses": [], "untrusted": false, "untrusted_example": null, "lines": []}
	inp := object.union(fx.host, {"ntp": null, "time": {
		"daemon": {"name": "chrony", "config_file": "etc/chrony.conf"},
		"query_access": {"ipv4": closed, "ipv6": closed},
	}})
	count(untrusted_query.violations) == 0 with input as inp
}
