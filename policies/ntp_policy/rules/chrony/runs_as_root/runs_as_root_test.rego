package ntp_policy.rules.chrony.runs_as_root_test

import data.ntp_policy.lib.chrony_fixtures_test as fx
import data.ntp_policy.rules.chrony.runs_as_root

test_unprivileged_user_passes_with_where_it_is_named if {
	count(runs_as_root.violations) == 0 with input as fx.host
	count(runs_as_root.not_applicable) == 0 with input as fx.host
	some p in runs_as_root.passed_evidence with input as fx.host
	p.text == "runs as _chrony"
}

test_user_root_fails if {
	inp := fx.with_chrony({"runs_as_user": {"user": "root", "from": "directive", "location": fx.loc(9)}})
	[v] := [v | some v in runs_as_root.violations with input as inp]
	v.rule == "CHRONY003"
	v.location == fx.loc(9)
	v.message == "chronyd runs as root: the user directive names root, so it never drops its privileges"
}

test_package_default_passes if {
	inp := fx.with_chrony({"runs_as_user": {"user": null, "from": "default", "location": null}})
	count(runs_as_root.violations) == 0 with input as inp
	count(runs_as_root.not_applicable) == 0 with input as inp
}

test_no_evidence_is_not_applicable if {
	base := fx.with_chrony({"runs_as_user": {"user": null, "from": "default", "location": null}})
	inp := object.union(base, {"files": []})
	count(runs_as_root.violations) == 0 with input as inp
	[na] := [na | some na in runs_as_root.not_applicable with input as inp]
	startswith(na.reason, "no -u option, no user directive")
}
