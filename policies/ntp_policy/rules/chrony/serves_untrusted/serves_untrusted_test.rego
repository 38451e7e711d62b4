package ntp_policy.rules.chrony.serves_untrusted_test

import data.ntp_policy.lib.chrony_fixtures_test as fx
import data.ntp_policy.rules.chrony.serves_untrusted

_open := {
	"addresses": ["0.0.0.0/1"], "untrusted": true, "untrusted_example": "203.0.113.1",
	"lines": [{"location": fx.loc(4), "text": "allow"}],
}

test_client_only_host_passes if {
	count(serves_untrusted.violations) == 0 with input as fx.host
}

test_allow_all_fails_at_the_line if {
	inp := object.union(fx.host, {"time": {"serves_time": {"ipv4": _open}}})
	[v] := [v | some v in serves_untrusted.violations with input as inp]
	v.rule == "CHRONY001"
	v.location == fx.loc(4)
	v.message == concat("", [
		"IPv4: chronyd answers NTP clients outside the trusted networks (for example 203.0.113.1),",
		" opened by `allow` at etc/chrony/chrony.conf:4",
	])
	v.evidence == [{"location": fx.loc(4), "text": "allow"}]
}

test_trusted_allow_passes_with_its_line if {
	line := {
		"directive": "allow", "all": false, "subnet": "192.0.2.0/24", "hostname": false,
		"location": fx.loc(4), "text": "allow 192.0.2.0/24",
	}
	inp := fx.with_chrony({"access_lines": [line]})
	count(serves_untrusted.violations) == 0 with input as inp
	passed := {"rule": "CHRONY001", "location": fx.loc(4), "text": "allow 192.0.2.0/24"}
	passed in serves_untrusted.passed_evidence with input as inp
}

test_ntpd_host_is_not_judged if {
	inp := object.union(fx.host, {"chrony": null, "time": {"serves_time": {"ipv4": _open}}})
	count(serves_untrusted.violations) == 0 with input as inp
}

test_chrony_beside_running_ntpd_is_not_applicable if {
	inp := object.union(fx.host, {"time": {"daemon": {"name": "ntpd"}, "serves_time": {"ipv4": _open}}})
	count(serves_untrusted.violations) == 0 with input as inp
	count(serves_untrusted.not_applicable) == 1 with input as inp
}
