package ntp_policy.rules.chrony.makestep_unlimited_test

import data.ntp_policy.lib.chrony_fixtures_test as fx
import data.ntp_policy.rules.chrony.makestep_unlimited

test_limited_makestep_passes if {
	count(makestep_unlimited.violations) == 0 with input as fx.host
	passed := {"rule": "CHRONY004", "location": fx.loc(6), "text": "makestep 1 3"}
	passed in makestep_unlimited.passed_evidence with input as fx.host
}

test_negative_limit_fails if {
	inp := fx.with_chrony({"makestep": {
		"threshold": 0.5, "limit": -1, "steps_any_time": true,
		"location": fx.loc(6), "text": "makestep 0.5 -1",
	}})
	[v] := [v | some v in makestep_unlimited.violations with input as inp]
	v.message == concat("", [
		"`makestep 0.5 -1` at etc/chrony/chrony.conf:6: the limit -1 lets chronyd step the clock",
		" whenever its offset exceeds the threshold, not only at start-up",
	])
	v.evidence == [{"location": fx.loc(6), "text": "makestep 0.5 -1"}]
}

test_no_makestep_passes if {
	count(makestep_unlimited.violations) == 0 with input as fx.with_chrony({"makestep": null})
}
