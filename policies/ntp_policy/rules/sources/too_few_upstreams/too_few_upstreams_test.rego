package ntp_policy.rules.sources.too_few_upstreams_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.sources.too_few_upstreams

with_associations(list) := fx.with_ntp({"associations": list})

test_three_servers_pass if {
	count(too_few_upstreams.violations) == 0 with input as fx.host
}

test_host_without_ntp_conf_passes if {
	count(too_few_upstreams.violations) == 0 with input as object.union(fx.host, {"ntp": null, "time": null})
}

test_template_is_not_judged if {
	count(too_few_upstreams.violations) == 0 with input as object.union(with_associations([]), {"time": null})
}

test_unusable_source_is_not_counted if {
	inp := with_associations([
		fx.association(10, "0.pool.ntp.org", {}),
		fx.association(11, "1.pool.ntp.org", {}),
		fx.association(12, "192.0.2.7", {
			"text": "server 192.0.2.7 noselect",
			"selectable": false,
			"unusable_reasons": ["noselect"],
		}),
	])
	violations := too_few_upstreams.violations with input as inp
	violations == {{
		"rule": "NTP003",
		"severity": "medium",
		"message": concat("", [
			"Only 2 usable time sources (server, pool or peer lines ntpd can select, and hardware reference ",
			"clocks); counted: `server 0.pool.ntp.org iburst` at etc/ntp.conf:10, ",
			"`server 1.pool.ntp.org iburst` at etc/ntp.conf:11; this policy requires at least 3",
		]),
		"location": fx.loc(10),
		"evidence": [
			{"location": fx.loc(10), "text": "server 0.pool.ntp.org iburst"},
			{"location": fx.loc(11), "text": "server 1.pool.ntp.org iburst"},
			{"location": fx.loc(12), "text": "server 192.0.2.7 noselect (not usable: noselect)"},
		],
		"remediation": concat(" ", [
			"Configure at least min_upstreams independent time sources, e.g. `pool pool.ntp.org iburst`",
			"or one line per server such as `server 0.pool.ntp.org iburst`, `server 1.pool.ntp.org iburst`,",
			"`server 2.pool.ntp.org iburst`; remove `noselect` from sources that are meant to be used.",
		]),
	}}
}

test_duplicate_addresses_count_once if {
	inp := with_associations([
		fx.association(10, "0.pool.ntp.org", {}),
		fx.association(11, "0.pool.ntp.org", {}),
		fx.association(12, "1.pool.ntp.org", {}),
	])
	some violation in too_few_upstreams.violations with input as inp
	startswith(violation.message, "Only 2 usable")
}

test_local_clock_and_broadcast_do_not_count if {
	inp := with_associations([
		fx.association(10, "0.pool.ntp.org", {}),
		fx.association(11, "127.127.1.0", {"address_kind": "refclock", "text": "server 127.127.1.0", "local_clock": true}),
		fx.association(13, "local", {
			"mode": "refclock", "address_kind": "refclock",
			"text": "refclock local", "local_clock": true,
		}),
		fx.association(12, "192.0.2.255", {"mode": "broadcast", "text": "broadcast 192.0.2.255"}),
	])
	some violation in too_few_upstreams.violations with input as inp
	startswith(violation.message, "Only 1 usable time source (")
	contains(violation.message, "counted: `server 0.pool.ntp.org iburst` at etc/ntp.conf:10;")
	count(violation.evidence) == 4
}

# A stratum-1 server: a GPS and its PPS are time sources of their own.
test_hardware_reference_clocks_count if {
	inp := with_associations([
		fx.association(10, "127.127.20.0", {"address_kind": "refclock", "text": "server 127.127.20.0", "local_clock": false}),
		fx.association(11, "pps", {
			"mode": "refclock", "address_kind": "refclock",
			"text": "refclock pps", "local_clock": false,
		}),
		fx.association(12, "0.pool.ntp.org", {}),
	])
	count(too_few_upstreams.violations) == 0 with input as inp
	violations := too_few_upstreams.violations with input as inp with input.settings.min_upstreams as 4
	some violation in violations
	contains(violation.message, "Only 3 usable time sources")
	contains(violation.message, "counted: `server 127.127.20.0` at etc/ntp.conf:10, `refclock pps` at etc/ntp.conf:11")
}

test_pool_and_peer_count if {
	inp := with_associations([
		fx.association(10, "pool.ntp.org", {"mode": "pool"}),
		fx.association(11, "192.0.2.8", {"mode": "peer"}),
		fx.association(12, "192.0.2.9", {}),
	])
	count(too_few_upstreams.violations) == 0 with input as inp
}

test_no_usable_source if {
	inp := with_associations([fx.association(10, "192.0.2.7", {"selectable": false, "unusable_reasons": ["a", "b"]})])
	some violation in too_few_upstreams.violations with input as inp
	startswith(violation.message, "No usable time source (")
	violation.evidence[0].text == "server 192.0.2.7 iburst (not usable: a; b)"
}

test_no_association_at_all_is_located_at_line_one if {
	some violation in too_few_upstreams.violations with input as with_associations([])
	violation.location == {"file": "etc/ntp.conf", "line": 1, "column": 1}
	violation.evidence == []
	violation.message == concat("", [
		"No server, pool or peer line: the daemon has no upstream time source; ",
		"this policy requires at least 3",
	])
}

test_min_upstreams_setting_is_honoured if {
	inp := with_associations([fx.association(10, "0.pool.ntp.org", {})])
	count(too_few_upstreams.violations) == 0 with input as inp with input.settings.min_upstreams as 1
	some violation in too_few_upstreams.violations with input as inp with input.settings.min_upstreams as 5
	endswith(violation.message, "at least 5")
}

test_missing_settings_default_to_three if {
	inp := object.remove(with_associations([fx.association(10, "0.pool.ntp.org", {})]), ["settings"])
	some violation in too_few_upstreams.violations with input as inp
	endswith(violation.message, "at least 3")
}

test_passing_evidence_is_the_counted_sources if {
	too_few_upstreams.passed_evidence == {
		fx.passed("NTP003", fx.loc(10), "server 0.pool.ntp.org iburst"),
		fx.passed("NTP003", fx.loc(11), "server 1.pool.ntp.org iburst"),
		fx.passed("NTP003", fx.loc(12), "server 2.pool.ntp.org iburst"),
	} with input as fx.host
}

test_an_unusable_source_is_not_passing_evidence if {
	inp := fx.with_ntp({"associations": [
		fx.association(10, "0.pool.ntp.org", {}),
		fx.association(11, "1.pool.ntp.org", {"selectable": false, "unusable_reasons": ["noselect"]}),
	]})
	expected := {fx.passed("NTP003", fx.loc(10), "server 0.pool.ntp.org iburst")}
	too_few_upstreams.passed_evidence == expected with input as inp
}
