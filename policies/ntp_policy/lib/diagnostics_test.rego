package ntp_policy.lib.diagnostics_test

import data.ntp_policy.lib.diagnostics
import data.ntp_policy.lib.fixtures_test as fx

test_of_kind_keeps_input_order if {
	list := [fx.diagnostic("syntax", "a"), fx.diagnostic("include", "b"), fx.diagnostic("syntax", "c"), {}]
	[d.message | some d in diagnostics.of_kind(list, {"syntax"})] == ["a", "c"]
}

test_evidence_and_message if {
	d := fx.diagnostic("syntax", "a")
	diagnostics.evidence(d) == [{"location": fx.loc(7), "text": "restrict defualt noquery"}]
	diagnostics.evidence({}) == [{"location": null, "text": ""}]
	diagnostics.message(d, "; b") == "a; b"
	diagnostics.message({}, "x") == "x"
}
