package ntp_policy.rules.sources.unauthenticated_upstreams_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.sources.unauthenticated_upstreams

test_hardened_host_passes if {
	count(unauthenticated_upstreams.violations) == 0 with input as fx.hardened_host
}

test_host_without_ntp_conf_passes if {
	inp := object.union(fx.hardened_host, {"ntp": null, "time": null})
	count(unauthenticated_upstreams.violations) == 0 with input as inp
}

test_unkeyed_servers_fail_once_with_every_line if {
	list := [
		fx.hardened_server(10, "0.pool.ntp.org", 1),
		fx.association(11, "ntp1.example.org", {"options": {"key": 7}, "text": "server ntp1.example.org key 7"}),
		fx.association(12, "ntp2.example.org", {}),
	]
	violations := unauthenticated_upstreams.violations with input as fx.hardened_with({"associations": list})
	violations == {{
		"rule": "NTP020",
		"severity": "medium",
		"message": concat("", [
			"2 of 3 remote time sources are not authenticated (no key that is a trustedkey, no autokey, no nts):",
			" `server ntp1.example.org key 7` at etc/ntp.conf:11 (key 7 is not a trustedkey), `server",
			" ntp2.example.org iburst` at etc/ntp.conf:12; whoever can answer in their place can set this clock",
		]),
		"location": fx.loc(11),
		"evidence": [
			{"location": fx.loc(11), "text": "server ntp1.example.org key 7"},
			{"location": fx.loc(12), "text": "server ntp2.example.org iburst"},
		],
		"remediation": concat(" ", [
			"Authenticate every time source: with ntpd, `keys /etc/ntp.keys`, `trustedkey 1` and",
			"`server ntp1.example.org iburst maxpoll 10 key 1` (the key shared with the server's operator);",
			"with ntpsec, `server time.cloudflare.com nts` for NTS-capable servers.",
		]),
	}}
}

test_nts_and_autokey_count if {
	list := [
		fx.association(10, "time.cloudflare.com", {"options": {"nts": true}}),
		fx.association(11, "ntp1.example.org", {"options": {"autokey": true}}),
	]
	count(unauthenticated_upstreams.violations) == 0 with input as fx.hardened_with({"associations": list})
}

test_refclocks_are_not_judged if {
	list := [fx.association(10, "127.127.28.0", {"address_kind": "refclock"})]
	count(unauthenticated_upstreams.violations) == 0 with input as fx.hardened_with({"associations": list})
}

test_chrony_sources_get_a_chrony_fix if {
	source := {
		"mode": "server", "address": "a.example", "address_kind": "hostname", "options": {"iburst": true},
		"authenticated": false, "location": {"file": "etc/chrony.conf", "line": 3, "column": 1},
		"text": "server a.example iburst",
	}
	inp := object.union(fx.host, {"ntp": null, "time": {"daemon": {"name": "chrony"}, "sources": [source]}})
	[v] := [v | some v in unauthenticated_upstreams.violations with input as inp]
	v.message == concat("", [
		"1 of 1 remote time sources are not authenticated (no key, no nts): ",
		"`server a.example iburst` at etc/chrony.conf:3; whoever can answer in their place can set this clock",
	])
	startswith(v.remediation, "Authenticate every time source: `server time.cloudflare.com iburst nts`")
}
