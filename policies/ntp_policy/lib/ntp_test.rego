package ntp_policy.lib.ntp_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.lib.ntp

test_facts_absent_without_ntp_conf if {
	not ntp.facts with input as object.union(fx.host, {"ntp": null})
}

test_facts_absent_for_a_template if {
	not ntp.facts with input as fx.with_ntp({"template": true})
}

test_facts_present if {
	ntp.facts.config_file == "etc/ntp.conf" with input as fx.host
	ntp.config_start == {"file": "etc/ntp.conf", "line": 1, "column": 1} with input as fx.host
	count(ntp.restrict_entries) == 4 with input as fx.host
}

test_answers_queries if {
	ntp.answers_queries(fx.entry({"flags": ["nomodify"]}))
	ntp.answers_queries({})
	not ntp.answers_queries(fx.entry({}))
	not ntp.answers_queries(fx.entry({"flags": ["ignore"]}))
}

test_family_name if {
	ntp.family_name(fx.entry({})) == "IPv4"
	ntp.family_name(fx.entry({"family": "ipv6"})) == "IPv6"
	ntp.family_name({}) == "unknown family"
}

test_restrict_text if {
	ntp.restrict_text(fx.entry({})) == "restrict -4 default kod nomodify noquery nopeer notrap"
	ntp.restrict_text(fx.entry({"family": "ipv6", "flags": []})) == "restrict -6 default"
	ntp.restrict_text(fx.entry({"family": null, "flags": []})) == "restrict default"
	v6 := fx.entry({"kind": "address", "prefix": "2001:db8::/32", "mask": "ffff:ffff::"})
	ntp.restrict_text(v6) == "restrict 2001:db8:: mask ffff:ffff:: kod nomodify noquery nopeer notrap"
	unmasked := fx.entry({"kind": "address", "prefix": "192.0.2.1/32", "mask": null, "flags": []})
	ntp.restrict_text(unmasked) == "restrict 192.0.2.1/32"
	named := fx.entry({"kind": "hostname", "prefix": "ntp.example.org", "mask": null, "flags": []})
	ntp.restrict_text(named) == "restrict ntp.example.org"
}

test_entry_location_and_evidence if {
	ntp.entry_location(fx.entry({})) == fx.loc(3)
	builtin := fx.entry({"lines": []})
	ntp.entry_location(builtin) == {"file": "etc/ntp.conf", "line": 1, "column": 1} with input as fx.host
	ntp.entry_evidence(fx.entry({"flags": [], "lines": [fx.line(3), fx.line(4)]})) == [
		{"location": fx.loc(3), "text": "restrict line 3"},
		{"location": fx.loc(4), "text": "restrict line 4"},
	]
}

test_authenticated_looks_the_key_up_in_an_array_or_a_set if {
	keyed := {"options": {"key": 7}}
	ntp.authenticated(keyed, [3, 7])
	ntp.authenticated(keyed, {3, 7})
	not ntp.authenticated(keyed, [3, 8])
	not ntp.authenticated(keyed, {3, 8})
	not ntp.authenticated({"options": {"key": "7"}}, {"7"})
	ntp.trusted_key_set == {3, 7} with input.ntp as {"trusted_keys": [7, 3, 7]}
}
