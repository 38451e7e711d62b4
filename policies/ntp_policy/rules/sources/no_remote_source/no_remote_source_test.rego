package ntp_policy.rules.sources.no_remote_source_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.sources.no_remote_source

local_clock := fx.association(10, "127.127.1.0", {
	"address_kind": "refclock",
	"family": "ipv4",
	"options": {},
	"text": "server 127.127.1.0",
	"selectable": false,
	"unusable_reasons": ["reference clock"],
})

test_hardened_host_passes if {
	count(no_remote_source.violations) == 0 with input as fx.hardened_host
}

test_host_without_ntp_conf_passes if {
	count(no_remote_source.violations) == 0 with input as object.union(fx.hardened_host, {"ntp": null, "time": null})
}

test_local_clock_only_fails if {
	violations := no_remote_source.violations with input as fx.hardened_with({"associations": [local_clock]})
	violations == {{
		"rule": "NTP015",
		"severity": "high",
		"message": concat("", [
			"No remote time source: the only time source is the undisciplined local clock (`server 127.127.1.0` at",
			" etc/ntp.conf:10), so the clock free-runs and clients are handed time no remote server confirms",
		]),
		"location": fx.loc(10),
		"evidence": [{"location": fx.loc(10), "text": "server 127.127.1.0"}],
		"remediation": concat(" ", [
			"Add remote time sources, e.g. `pool pool.ntp.org iburst` or `server 0.pool.ntp.org iburst`",
			"(your organisation's authorised servers where there are some), and remove the local clock",
			"(`server 127.127.1.0` and its `fudge` line) unless the host is an isolated orphan-mode server.",
		]),
	}}
}

test_no_source_at_all_fails_at_line_one if {
	violations := no_remote_source.violations with input as fx.hardened_with({"associations": []})
	some violation in violations
	violation.location == {"file": "etc/ntp.conf", "line": 1, "column": 1}
	violation.evidence == []
	violation.message == "No remote time source: there is no server, pool or peer line, so the clock free-runs and drifts"
}

test_broadcast_line_is_not_a_source if {
	broadcast := fx.association(11, "192.0.2.255", {"mode": "broadcast", "address_kind": "ipv4"})
	some violation in no_remote_source.violations with input as fx.hardened_with({"associations": [broadcast]})
	startswith(violation.message, "No remote time source: there is no server, pool or peer line")
	violation.evidence == []
}

test_a_noselect_remote_server_is_still_a_source_line if {
	remote := fx.association(11, "192.0.2.7", {"address_kind": "ipv4", "selectable": false})
	count(no_remote_source.violations) == 0 with input as fx.hardened_with({"associations": [local_clock, remote]})
}

test_peer_and_manycastclient_count if {
	peer := fx.association(11, "192.0.2.8", {"mode": "peer", "address_kind": "ipv4"})
	count(no_remote_source.violations) == 0 with input as fx.hardened_with({"associations": [peer]})
	manycast := fx.association(11, "224.0.1.1", {"mode": "manycastclient", "address_kind": "ipv4"})
	count(no_remote_source.violations) == 0 with input as fx.hardened_with({"associations": [manycast]})
}

test_stratum_one_server_with_a_hardware_clock_passes if {
	gps := fx.association(10, "127.127.20.0", {
		"address_kind": "refclock",
		"text": "server 127.127.20.0",
		"local_clock": false,
	})
	count(no_remote_source.violations) == 0 with input as fx.hardened_with({"associations": [gps]})
}
