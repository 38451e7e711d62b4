package ntp_policy.rules.sources.maxpoll_too_high_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.sources.maxpoll_too_high

with_associations(list) := fx.hardened_with({"associations": list})

test_hardened_host_passes if {
	count(maxpoll_too_high.violations) == 0 with input as fx.hardened_host
}

test_compliant_baseline_passes if {
	count(maxpoll_too_high.violations) == 0 with input as fx.host
}

test_settings_missing_use_the_baseline_defaults if {
	inp := json.remove(with_associations([fx.association(10, "ntp.example.org", {})]), ["settings"])
	count(maxpoll_too_high.violations) == 0 with input as inp
}

test_maxpoll_above_the_limit_fails if {
	line := fx.association(10, "0.pool.ntp.org", {
		"options": {"iburst": true, "maxpoll": 17},
		"text": "server 0.pool.ntp.org iburst maxpoll 17",
	})
	violations := maxpoll_too_high.violations with input as with_associations([line])
	violations == {{
		"rule": "NTP013",
		"severity": "medium",
		"message": concat("", [
			"`server 0.pool.ntp.org iburst maxpoll 17` at etc/ntp.conf:10: maxpoll 17 lets ntpd wait 2^17 s",
			" (131072 s) between polls, above the policy's limit of 10 (max_poll)",
		]),
		"location": fx.loc(10),
		"evidence": [{"location": fx.loc(10), "text": "server 0.pool.ntp.org iburst maxpoll 17"}],
		"remediation": concat(" ", [
			"Write maxpoll on every server, pool and peer line, at or below the policy's max_poll",
			"(10 in the cis and stig profiles): `server 0.pool.ntp.org iburst maxpoll 10`.",
		]),
	}}
}

test_maxpoll_as_a_string_is_read if {
	line := fx.association(10, "ntp.example.org", {"options": {"maxpoll": "12"}})
	count(maxpoll_too_high.violations) == 1 with input as with_associations([line])
	odd := fx.association(10, "ntp.example.org", {"options": {"maxpoll": "x"}})
	some violation in maxpoll_too_high.violations with input as with_associations([odd])
	contains(violation.message, "has no maxpoll: this profile requires maxpoll")
}

test_missing_maxpoll_fails_when_required if {
	line := fx.association(10, "ntp.example.org", {})
	violations := maxpoll_too_high.violations with input as with_associations([line])
	count(violations) == 1
	some violation in violations
	violation.message == concat("", [
		"`server ntp.example.org iburst` at etc/ntp.conf:10 has no maxpoll: this profile requires maxpoll,",
		" at most 10, on every server, pool and peer line (require_maxpoll)",
	])
}

test_missing_maxpoll_passes_when_not_required_and_the_default_is_low_enough if {
	inp := object.union(
		with_associations([fx.association(10, "ntp.example.org", {})]),
		{"settings": {"require_maxpoll": false}},
	)
	count(maxpoll_too_high.violations) == 0 with input as inp
}

test_missing_maxpoll_fails_below_ntpds_default if {
	inp := object.union(
		with_associations([fx.association(10, "ntp.example.org", {})]),
		{"settings": {"require_maxpoll": false, "max_poll": 8}},
	)
	some violation in maxpoll_too_high.violations with input as inp
	violation.message == concat("", [
		"`server ntp.example.org iburst` at etc/ntp.conf:10 has no maxpoll, so ntpd polls it as rarely as every",
		" 2^10 s (its default), above the policy's limit of 8 (max_poll)",
	])
}

test_refclocks_and_broadcast_lines_are_not_judged if {
	refclock := fx.association(10, "127.127.1.0", {"address_kind": "refclock", "text": "server 127.127.1.0"})
	broadcast := fx.association(11, "192.0.2.255", {"mode": "broadcast", "address_kind": "ipv4"})
	count(maxpoll_too_high.violations) == 0 with input as with_associations([refclock, broadcast])
}

test_pool_and_peer_lines_are_judged if {
	pool := fx.association(10, "pool.ntp.org", {"mode": "pool", "options": {"maxpoll": 11}})
	peer := fx.association(11, "192.0.2.8", {"mode": "peer", "address_kind": "ipv4", "options": {"maxpoll": 16}})
	count(maxpoll_too_high.violations) == 2 with input as with_associations([pool, peer])
}
