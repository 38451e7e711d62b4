package ntp_policy.rules.evidence.no_daemon_config_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.evidence.no_daemon_config

file(path, kind) := {"path": path, "kind": kind, "sha256": "0", "bytes": 1}

without_conf(files) := object.union(fx.host, {"ntp": null, "time": null, "files": files, "diagnostics": []})

test_version_file_without_ntp_conf_fails_at_the_version_file if {
	violations := no_daemon_config.violations with input as without_conf([file("ntp-version", "ntp-version")])
	count(violations) == 1
	some violation in violations
	violation.rule == "NTP022"
	violation.severity == "high"
	violation.location == {"file": "ntp-version", "line": 1, "column": 1}
	startswith(violation.message, "A time daemon is installed (ntp-version records its version) but the dump")
}

test_firewall_only_host_fails if {
	some violation in no_daemon_config.violations with input as without_conf([file("iptables-save", "iptables")])
	violation.location.file == "iptables-save"
	startswith(violation.message, "The host has firewall evidence (iptables-save) but no ntp.conf")
}

test_host_with_ntp_conf_passes if {
	count(no_daemon_config.violations) == 0 with input as fx.host
}

test_unreadable_ntp_conf_is_parse003_not_this_rule if {
	inp := object.union(without_conf([file("ntp-version", "ntp-version")]), {"diagnostics": [{
		"kind": "unreadable", "message": "etc/ntp.conf: too large",
		"location": {"file": "etc/ntp.conf", "line": 1, "column": 1}, "text": null, "expected": [],
	}]})
	count(no_daemon_config.violations) == 0 with input as inp
}

test_chrony_host_passes if {
	files := [file("etc/chrony/chrony.conf", "chrony.conf"), file("iptables-save", "iptables")]
	inp := object.union(without_conf(files), {"chrony": {"daemon": "chrony"}})
	count(no_daemon_config.violations) == 0 with input as inp
}

test_chrony_version_without_chrony_conf_fails if {
	some violation in no_daemon_config.violations with input as without_conf([file("chrony-version", "chrony-version")])
	violation.location.file == "chrony-version"
	violation.evidence[0].text == "(chronyd -v recorded: a time daemon is installed)"
}

test_unreadable_chrony_conf_is_parse003_not_this_rule if {
	diagnostic := {"kind": "unreadable", "message": "x", "location": {"file": "etc/chrony.conf", "line": 1, "column": 1}}
	inp := object.union(without_conf([file("chrony-version", "chrony-version")]), {"diagnostics": [diagnostic]})
	count(no_daemon_config.violations) == 0 with input as inp
}
