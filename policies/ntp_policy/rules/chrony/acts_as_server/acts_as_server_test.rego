package ntp_policy.rules.chrony.acts_as_server_test

import data.ntp_policy.lib.chrony_fixtures_test as fx
import data.ntp_policy.rules.chrony.acts_as_server

test_client_only_host_passes if {
	count(acts_as_server.violations) == 0 with input as fx.host
}

test_allow_opens_the_server_port if {
	line := {
		"directive": "allow", "all": false, "subnet": "192.0.2.0/24", "hostname": false,
		"location": fx.loc(4), "text": "allow 192.0.2.0/24",
	}
	inp := fx.with_chrony({"ntp_listen": {"port": 123, "ipv4": "0.0.0.0", "ipv6": null}, "access_lines": [line]})
	[v] := [v | some v in acts_as_server.violations with input as inp]
	v.rule == "CHRONY005"
	v.location == fx.loc(4)
	v.message == concat("", [
		"chronyd acts as an NTP server: it opens UDP port 123 for IPv4 because `allow` lines let clients in;",
		" this profile wants a client only (port 0, no allow)",
	])
	v.evidence == [{"location": fx.loc(4), "text": "allow 192.0.2.0/24"}]
}

test_ntpd_host_is_not_judged if {
	count(acts_as_server.violations) == 0 with input as object.union(fx.host, {"chrony": null})
}
