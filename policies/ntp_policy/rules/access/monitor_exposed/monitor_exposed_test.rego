package ntp_policy.rules.access.monitor_exposed_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.monitor_exposed

open_default := fx.entry({"flags": ["kod", "nomodify", "nopeer", "notrap"]})

system(monitor, mode7) := {"monitor": monitor, "mode7": mode7, "auth": {"enabled": true, "location": null}}

monitor_default_on := {"enabled": true, "location": null, "active": true}

mode7_off := {"enabled": false, "location": null}

test_compliant_baseline_passes if {
	count(monitor_exposed.violations) == 0 with input as fx.host
}

test_host_without_ntp_conf_passes if {
	count(monitor_exposed.violations) == 0 with input as object.union(fx.host, {"ntp": null})
}

test_monitor_disabled_passes_even_without_noquery if {
	count(monitor_exposed.violations) == 0 with input as fx.with_entries([open_default])
}

test_monitor_on_but_every_entry_has_noquery_passes if {
	inp := fx.with_ntp({"system": system(monitor_default_on, mode7_off)})
	count(monitor_exposed.violations) == 0 with input as inp
}

test_monitor_on_by_default_fails_at_the_entry if {
	inp := fx.with_ntp({
		"restrict": {"entries": [open_default], "source": null},
		"system": system(monitor_default_on, mode7_off),
	})
	violations := monitor_exposed.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.rule == "NTP002"
	violation.severity == "high"
	violation.location == fx.loc(3)
	violation.message == concat("", [
		"Monitoring is on (the daemon's default: there is no disable monitor line) while untrusted hosts ",
		"such as 203.0.113.1 may query the daemon through restrict entry 0.0.0.0/0 (IPv4) (no noquery): ",
		"ntpq mrulist (mode 6) gives them ",
		"the list of this server's recent clients",
	])
	violation.evidence == [{"location": fx.loc(3), "text": "restrict line 3"}]
	startswith(violation.remediation, concat("", [
		"Add `disable monitor`. ",
		"Add noquery to `restrict -4 default kod nomodify nopeer notrap` (etc/ntp.conf:3)",
	]))
	not contains(violation.remediation, "mode7")
}

test_enable_monitor_and_mode7_lines_are_located_and_named if {
	open_v6 := fx.entry({"family": "ipv6", "prefix": "::/0", "flags": []})
	inp := fx.with_ntp({
		"restrict": {"entries": [open_default, open_v6], "source": null},
		"system": system(
			{"enabled": true, "location": fx.loc(20), "text": "enable monitor stats", "active": true},
			{"enabled": true, "location": fx.loc(21), "text": "enable mode7"},
		),
	})
	some violation in monitor_exposed.violations with input as inp
	violation.location == fx.loc(20)
	startswith(violation.message, "Monitoring is enabled (enable monitor) while")
	contains(violation.message, "restrict entry 0.0.0.0/0 (IPv4) and 1 other entry (no noquery)")
	endswith(violation.message, "so ntpdc monlist answers too (the CVE-2013-5211 amplification vector)")
	violation.evidence == [
		{"location": fx.loc(20), "text": "enable monitor stats"},
		{"location": fx.loc(21), "text": "enable mode7"},
		{"location": fx.loc(3), "text": "restrict line 3"},
		{"location": fx.loc(3), "text": "restrict line 3"},
	]
	startswith(violation.remediation, "Remove `enable monitor stats` at etc/ntp.conf:20 (or write `disable monitor`).")
	endswith(violation.remediation, "Remove `enable mode7` at etc/ntp.conf:21.")
}

test_mode7_enabled_by_default_is_mentioned_without_a_line if {
	inp := fx.with_ntp({
		"restrict": {"entries": [open_default], "source": null},
		"system": system(monitor_default_on, {"enabled": true, "location": null}),
	})
	some violation in monitor_exposed.violations with input as inp
	contains(violation.message, "ntpdc monlist answers too")
	count(violation.evidence) == 1
}

test_three_exposing_entries_are_counted if {
	inp := fx.with_ntp({
		"restrict": {"entries": [open_default, open_default, open_default], "source": null},
		"system": system(monitor_default_on, mode7_off),
	})
	some violation in monitor_exposed.violations with input as inp
	contains(violation.message, "and 2 other entries (no noquery)")
}

limited_default := fx.entry({"flags": ["kod", "limited", "nomodify", "noquery", "nopeer", "notrap"]})

lan(untrusted) := fx.entry({
	"kind": "address",
	"prefix": "192.0.2.0/24",
	"mask": "255.255.255.0",
	"flags": ["nomodify"],
	"lines": [fx.line(6)],
	"governs_untrusted": untrusted,
	"untrusted_example": null,
})

test_trusted_lan_reading_the_client_list_passes if {
	inp := fx.with_ntp({
		"restrict": {"entries": [limited_default, lan(false)], "source": null},
		"system": system({"enabled": false, "location": fx.loc(8), "text": "disable monitor", "active": true}, mode7_off),
	})
	count(monitor_exposed.violations) == 0 with input as inp
}

test_limited_forces_monitoring_on_for_untrusted_hosts if {
	inp := fx.with_ntp({
		"restrict": {"entries": [limited_default, lan(true)], "source": null},
		"system": system({"enabled": false, "location": fx.loc(8), "text": "disable monitor", "active": true}, mode7_off),
	})
	some violation in monitor_exposed.violations with input as inp
	violation.location == fx.loc(6)
	startswith(violation.message, "Monitoring is forced on by a restrict entry with limited while untrusted hosts may")
	violation.evidence == [
		{"location": fx.loc(6), "text": "restrict line 6"},
		{"location": fx.loc(3), "text": "restrict line 3"},
	]

	# The advice is this host's: disable monitor is there, limited is what to drop, no mode7 line.
	startswith(violation.remediation, "`disable monitor` is written, but `limited` keeps monitoring on (etc/ntp.conf:3)")
	contains(violation.remediation, "Add noquery to `restrict 192.0.2.0 mask 255.255.255.0 nomodify` (etc/ntp.conf:6)")
	not contains(violation.remediation, "Add `disable monitor`")
	not contains(violation.remediation, "mode7")
}

test_loopback_entry_without_noquery_passes if {
	inp := fx.with_ntp({"system": system(monitor_default_on, mode7_off)})
	count(monitor_exposed.violations) == 0 with input as inp
}

test_missing_system_facts_fail_closed if {
	inp := json.remove(fx.with_entries([open_default]), ["ntp/system"])
	some violation in monitor_exposed.violations with input as inp
	startswith(violation.message, "Monitoring is on (the daemon's default")
}

test_passing_evidence_is_disable_monitor_and_the_noquery_entries if {
	monitor_exposed.passed_evidence == {
		fx.passed("NTP002", fx.loc(8), "disable monitor"),
		fx.passed_restrict("NTP002", 3),
		fx.passed_restrict("NTP002", 4),
	} with input as fx.host
}

test_disable_monitor_kept_active_by_limited_is_not_passing_evidence if {
	inp := fx.with_ntp({"system": {
		"monitor": {"enabled": false, "location": fx.loc(8), "text": "disable monitor", "active": true},
		"mode7": {"enabled": false, "location": null},
	}})
	monitor_exposed.passed_evidence == {fx.passed_restrict("NTP002", 3), fx.passed_restrict("NTP002", 4)} with input as inp
}

test_an_exposing_entry_with_limited_is_listed_once if {
	exposing_limited := object.union(lan(true), {"flags": ["limited", "nomodify"]})
	inp := fx.with_ntp({
		"restrict": {"entries": [limited_default, exposing_limited], "source": null},
		"system": system({"enabled": false, "location": fx.loc(8), "text": "disable monitor", "active": true}, mode7_off),
	})
	some violation in monitor_exposed.violations with input as inp
	violation.evidence == [
		{"location": fx.loc(6), "text": "restrict line 6"},
		{"location": fx.loc(3), "text": "restrict line 3"},
	]
}
