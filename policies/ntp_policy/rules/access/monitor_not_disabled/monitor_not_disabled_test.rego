package ntp_policy.rules.access.monitor_not_disabled_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.monitor_not_disabled

with_monitor(monitor) := object.union(fx.hardened_host, {"ntp": {"system": {"monitor": monitor}}})

test_hardened_host_passes if {
	count(monitor_not_disabled.violations) == 0 with input as fx.hardened_host
}

test_compliant_baseline_passes if {
	count(monitor_not_disabled.violations) == 0 with input as fx.host
}

test_host_without_ntp_conf_passes if {
	count(monitor_not_disabled.violations) == 0 with input as object.union(fx.hardened_host, {"ntp": null})
}

test_monitoring_on_by_default_fails_at_line_one if {
	inp := with_monitor({"enabled": true, "location": null, "text": null, "active": true})
	violations := monitor_not_disabled.violations with input as inp
	violations == {{
		"rule": "NTP011",
		"severity": "low",
		"message": concat("", [
			"Monitoring is on (the daemon's default: there is no disable monitor line): ntpd keeps the list of",
			" its recent clients that ntpq mrulist (and ntpdc monlist under mode 7) hands to any host whose",
			" restrict entry lacks noquery",
		]),
		"location": {"file": "etc/ntp.conf", "line": 1, "column": 1},
		"evidence": [{
			"location": {"file": "etc/ntp.conf", "line": 1, "column": 1},
			"text": "(monitoring enabled by the daemon's default)",
		}],
		"remediation": "Add `disable monitor` to ntp.conf (and remove any `enable monitor` line).",
	}}
}

test_enable_monitor_line_fails_at_the_line if {
	inp := with_monitor({"enabled": true, "location": fx.loc(9), "text": "enable monitor stats", "active": true})
	some violation in monitor_not_disabled.violations with input as inp
	violation.location == fx.loc(9)
	startswith(violation.message, "`enable monitor stats` at etc/ntp.conf:9 keeps monitoring on: ntpd keeps")
	violation.evidence == [{"location": fx.loc(9), "text": "enable monitor stats"}]
}

test_missing_monitor_fact_fails_closed if {
	inp := json.remove(fx.hardened_host, ["ntp/system/monitor"])
	some violation in monitor_not_disabled.violations with input as inp
	startswith(violation.message, "Monitoring is on (the daemon's default")
}

test_disable_monitor_with_limited_passes if {
	count(monitor_not_disabled.violations) == 0 with input as fx.hardened_host
	fx.hardened_host.ntp.system.monitor.active == true
}

test_passing_evidence_is_the_disable_monitor_line if {
	monitor_not_disabled.passed_evidence == {fx.passed("NTP011", fx.loc(8), "disable monitor")} with input as fx.host
}

test_enable_monitor_is_not_passing_evidence if {
	inp := fx.with_ntp({"system": {"monitor": {"enabled": true, "location": fx.loc(8), "text": "enable monitor"}}})
	count(monitor_not_disabled.passed_evidence) == 0 with input as inp
}
