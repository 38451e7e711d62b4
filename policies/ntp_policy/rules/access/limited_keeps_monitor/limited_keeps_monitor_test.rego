package ntp_policy.rules.access.limited_keeps_monitor_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.limited_keeps_monitor

limited_default := fx.entry({"flags": ["kod", "limited", "nomodify", "noquery", "nopeer", "notrap"]})

plain_default := fx.entry({"flags": ["kod", "nomodify", "noquery", "nopeer", "notrap"]})

monitor_disabled := {"enabled": false, "location": fx.loc(11), "text": "disable monitor", "active": true}

inp(entries, monitor) := fx.with_ntp({
	"restrict": {"entries": entries, "source": null},
	"system": {
		"monitor": monitor,
		"mode7": {"enabled": false, "location": null},
		"auth": {"enabled": true, "location": null},
	},
})

test_disable_monitor_with_limited_fails_at_the_disable_line if {
	violations := limited_keeps_monitor.violations with input as inp([limited_default], monitor_disabled)
	count(violations) == 1
	some violation in violations
	violation.rule == "NTP021"
	violation.severity == "low"
	violation.location == fx.loc(11)
	contains(violation.message, "`disable monitor` at etc/ntp.conf:11 has no effect")
	contains(violation.message, "carries limited")
	violation.evidence[0] == {"location": fx.loc(11), "text": "disable monitor"}
	count(violation.evidence) == 2
	contains(violation.remediation, "drop `limited`")
}

test_disable_monitor_without_limited_passes if {
	count(limited_keeps_monitor.violations) == 0 with input as inp([plain_default], monitor_disabled)
}

test_no_disable_monitor_line_is_not_this_rule if {
	monitor_on := {"enabled": true, "location": null, "active": true}
	count(limited_keeps_monitor.violations) == 0 with input as inp([limited_default], monitor_on)
}

test_host_without_ntp_conf_passes if {
	count(limited_keeps_monitor.violations) == 0 with input as object.union(fx.host, {"ntp": null})
}

test_limited_in_the_source_template_counts if {
	template := {"flags": ["kod", "limited", "noquery"], "lines": [fx.line(7)]}
	inp := fx.with_ntp({
		"restrict": {"entries": [plain_default], "source": template},
		"system": {"monitor": monitor_disabled, "mode7": {"enabled": false, "location": null}},
	})
	some violation in limited_keeps_monitor.violations with input as inp
	contains(violation.message, "has no effect: restrict source (`restrict line 7` at etc/ntp.conf:7) carries limited")
	violation.evidence == [{"location": fx.loc(11), "text": "disable monitor"}, fx.line(7)]
}
