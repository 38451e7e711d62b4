package ntp_policy.rules.sources.unauthorized_upstream_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.sources.unauthorized_upstream

with_sources(list, authorized) := object.union(
	fx.hardened_with({"associations": list}),
	{"settings": {"authorized_upstreams": authorized}},
)

test_hardened_host_passes if {
	count(unauthorized_upstream.violations) == 0 with input as fx.hardened_host
}

test_empty_list_authorises_everything if {
	inp := with_sources([fx.association(10, "time.unvetted.example", {})], [])
	count(unauthorized_upstream.violations) == 0 with input as inp
}

test_missing_setting_authorises_everything if {
	inp := json.remove(fx.hardened_with({"associations": [fx.association(10, "x.example", {})]}), ["settings"])
	count(unauthorized_upstream.violations) == 0 with input as inp
}

test_unlisted_host_name_fails if {
	inp := with_sources([fx.association(10, "time.unvetted.example", {})], ["*.pool.ntp.org"])
	violations := unauthorized_upstream.violations with input as inp
	violations == {{
		"rule": "NTP014",
		"severity": "medium",
		"message": concat("", [
			"`server time.unvetted.example iburst` at etc/ntp.conf:10: time.unvetted.example is not an authorised",
			" time source (authorized_upstreams: *.pool.ntp.org)",
		]),
		"location": fx.loc(10),
		"evidence": [{"location": fx.loc(10), "text": "server time.unvetted.example iburst"}],
		"remediation": concat(" ", [
			"Replace the source with an authorised one (e.g. `server 0.us.pool.ntp.mil iburst maxpoll 10`",
			"for DoD systems), or, when the source is in fact approved, add its name or network to",
			"authorized_upstreams in the ntp-policy configuration.",
		]),
	}}
}

test_globs_cross_dots_and_ignore_case if {
	inp := with_sources(
		[fx.association(10, "0.Debian.pool.ntp.org", {}), fx.association(11, "time1.google.com", {})],
		["*.POOL.ntp.org", "time?.google.com"],
	)
	count(unauthorized_upstream.violations) == 0 with input as inp
}

test_glob_does_not_match_a_lookalike_domain if {
	inp := with_sources([fx.association(10, "pool.ntp.org.evil.example", {})], ["*.pool.ntp.org"])
	count(unauthorized_upstream.violations) == 1 with input as inp
}

test_cidrs_match_literals_of_both_families if {
	v4 := fx.association(10, "192.0.2.7", {"address_kind": "ipv4"})
	v6 := fx.association(11, "2001:db8:1::7", {"address_kind": "ipv6"})
	inp := with_sources([v4, v6], ["192.0.2.0/24", "2001:db8:1::/48"])
	count(unauthorized_upstream.violations) == 0 with input as inp
	outside := fx.association(12, "2001:db8:2::7", {"address_kind": "ipv6"})
	authorized := ["192.0.2.0/24", "2001:db8:1::/48"]
	count(unauthorized_upstream.violations) == 1 with input as with_sources([v4, outside], authorized)
}

test_literal_written_differently_matches if {
	v6 := fx.association(10, "2001:db8:0:0::7", {"address_kind": "ipv6"})
	count(unauthorized_upstream.violations) == 0 with input as with_sources([v6], ["2001:db8::7"])
}

test_host_name_against_cidrs_only_is_explained if {
	inp := with_sources([fx.association(10, "ntp1.corp.example", {})], ["10.0.0.0/8"])
	some violation in unauthorized_upstream.violations with input as inp
	endswith(violation.message, concat("", [
		"(authorized_upstreams: 10.0.0.0/8); a host name is matched against the globs only (it cannot be",
		" resolved offline)",
	]))
}

test_refclocks_and_broadcast_lines_are_not_judged if {
	refclock := fx.association(10, "127.127.1.0", {"address_kind": "refclock"})
	broadcast := fx.association(11, "192.0.2.255", {"mode": "broadcast", "address_kind": "ipv4"})
	count(unauthorized_upstream.violations) == 0 with input as with_sources([refclock, broadcast], ["*.pool.ntp.org"])
}

test_manycastclient_is_judged if {
	manycast := fx.association(10, "224.0.1.1", {"mode": "manycastclient", "address_kind": "ipv4"})
	count(unauthorized_upstream.violations) == 1 with input as with_sources([manycast], ["*.pool.ntp.org"])
}

test_association_without_address_is_still_reported if {
	unnamed := json.remove(fx.association(10, "x", {}), ["address"])
	some violation in unauthorized_upstream.violations with input as with_sources([unnamed], ["*.pool.ntp.org"])
	contains(violation.message, ": ? is not an authorised time source")
}
