package ntp_policy.rules.chrony.source_kind_mixed_test

import data.ntp_policy.lib.chrony_fixtures_test as fx
import data.ntp_policy.rules.chrony.source_kind_mixed

_pool := object.union(
	fx.source(4, "2.debian.pool.ntp.org"),
	{"mode": "pool", "text": "pool 2.debian.pool.ntp.org iburst"},
)

_mixed := object.union(fx.host, {"time": {"sources": [fx.source(1, "a.example"), _pool]}})

test_any_kind_is_the_default_and_never_fires if {
	count(source_kind_mixed.violations) == 0 with input as _mixed
	count(source_kind_mixed.violations) == 0 with input as object.union(_mixed, {"settings": {"source_kind": "any"}})
}

test_server_only_policy_reports_the_pool_line if {
	inp := object.union(_mixed, {"settings": {"source_kind": "server"}})
	[v] := [v | some v in source_kind_mixed.violations with input as inp]
	v.rule == "CHRONY006"
	v.location == fx.loc(4)
	v.message == concat("", [
		"`pool 2.debian.pool.ntp.org iburst` at etc/chrony/chrony.conf:4 is a pool line,",
		" and this policy wants server lines only (source_kind: server)",
	])
}

test_pool_only_policy_reports_the_server_lines if {
	inp := object.union(_mixed, {"settings": {"source_kind": "pool"}})
	[v] := [v | some v in source_kind_mixed.violations with input as inp]
	v.location == fx.loc(1)
}

test_ntpd_host_is_not_judged if {
	inp := object.union(_mixed, {"chrony": null, "settings": {"source_kind": "server"}})
	count(source_kind_mixed.violations) == 0 with input as inp
}
