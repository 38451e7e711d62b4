package ntp_policy.rules.access.default_without_nopeer_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.default_without_nopeer

no_nopeer_v4 := fx.entry({
	"flags": ["kod", "limited", "nomodify", "noquery", "notrap"],
	"lines": [fx.text_line(3, "restrict -4 default kod limited nomodify notrap noquery")],
})

test_hardened_host_passes if {
	count(default_without_nopeer.violations) == 0 with input as fx.hardened_host
}

test_compliant_baseline_passes if {
	count(default_without_nopeer.violations) == 0 with input as fx.host
}

test_default_without_nopeer_fails if {
	inp := fx.hardened_entry_replaced(0, no_nopeer_v4)
	violations := default_without_nopeer.violations with input as inp
	violations == {{
		"rule": "NTP007",
		"severity": "medium",
		"message": concat("", [
			"restrict entry 0.0.0.0/0 (IPv4; `restrict -4 default kod limited nomodify notrap noquery` at",
			" etc/ntp.conf:3) has no nopeer: hosts such as 203.0.113.1 may mobilise new associations with ntpd",
			" (symmetric-active, broadcast and manycast server packets); only the daemon's authentication",
			" requirement (enable auth, the default) stands in the way",
		]),
		"location": fx.loc(3),
		"evidence": no_nopeer_v4.lines,
		"remediation": concat(" ", [
			"Add nopeer to the default entries of both families:",
			"`restrict -4 default kod nomodify notrap nopeer noquery` and",
			"`restrict -6 default kod nomodify notrap nopeer noquery`; when the configuration uses `pool`,",
			"also add `restrict source kod nomodify notrap noquery` (without nopeer) so that pool servers",
			"are still accepted.",
		]),
	}}
}

test_disable_auth_is_cited if {
	inp := object.union(fx.hardened_entry_replaced(0, no_nopeer_v4), {"ntp": {"system": {"auth": {
		"enabled": false,
		"location": fx.loc(15),
		"text": "disable auth",
	}}}})
	some violation in default_without_nopeer.violations with input as inp
	endswith(violation.message, concat("", [
		"authentication is disabled (`disable auth` at etc/ntp.conf:15), so nothing stops an",
		" unauthenticated host",
	]))
	violation.evidence == array.concat(no_nopeer_v4.lines, [{"location": fx.loc(15), "text": "disable auth"}])
}

test_disable_auth_without_a_line_is_named_without_evidence if {
	inp := object.union(fx.hardened_entry_replaced(0, no_nopeer_v4), {"ntp": {"system": {"auth": {
		"enabled": false,
		"location": null,
		"text": null,
	}}}})
	some violation in default_without_nopeer.violations with input as inp
	endswith(violation.message, "authentication is disabled (disable auth), so nothing stops an unauthenticated host")
	violation.evidence == no_nopeer_v4.lines
}

test_disable_auth_with_a_location_but_no_text_has_no_evidence if {
	inp := object.union(fx.hardened_entry_replaced(0, no_nopeer_v4), {"ntp": {"system": {"auth": {
		"enabled": false,
		"location": fx.loc(15),
		"text": null,
	}}}})
	some violation in default_without_nopeer.violations with input as inp
	violation.evidence == no_nopeer_v4.lines
}

test_address_entries_are_not_judged if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"kind": "address", "prefix": "10.0.0.0/8", "flags": []}))
	count(default_without_nopeer.violations) == 0 with input as inp
}

test_ignore_counts_as_nopeer if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"flags": ["ignore"]}))
	count(default_without_nopeer.violations) == 0 with input as inp
}

test_default_covered_by_trusted_networks_passes if {
	inp := fx.hardened_entry_replaced(0, fx.entry({"flags": [], "governs_untrusted": false}))
	count(default_without_nopeer.violations) == 0 with input as inp
}

test_ntpd_flagless_builtin_default_is_left_to_ntp001 if {
	inp := fx.hardened_entry_replaced(1, fx.entry({"family": "ipv6", "flags": [], "implicit": true, "lines": []}))
	count(default_without_nopeer.violations) == 0 with input as inp
}

test_ntpsec_builtin_default_without_nopeer_fails_at_line_one if {
	builtin := fx.entry({
		"family": "ipv6",
		"prefix": "::/0",
		"flags": ["limited", "noquery"],
		"implicit": true,
		"lines": [],
		"untrusted_example": null,
	})
	inp := fx.hardened_entry_replaced(1, builtin)
	violations := default_without_nopeer.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == {"file": "etc/ntp.conf", "line": 1, "column": 1}
	startswith(violation.message, concat("", [
		"ntpd's built-in default restrict entry ::/0 (IPv6; no restrict line configures it) has no nopeer:",
		" any host may mobilise",
	]))
	violation.evidence == [{
		"location": {"file": "etc/ntp.conf", "line": 1, "column": 1},
		"text": "restrict -6 default limited noquery (built-in: no line configures it)",
	}]
}

test_ntpsec_host_is_not_applicable_not_a_pass_or_fail if {
	classic := fx.with_entries([fx.entry({"flags": ["kod", "nomodify", "noquery", "notrap"]})])
	count(default_without_nopeer.violations) > 0 with input as classic
	ntpsec := json.patch(classic, [{"op": "add", "path": "/ntp/daemon", "value": {
		"flavor": "ntpsec", "decided_by": "version-file", "version": "ntpd ntpsec-1.2.2",
	}}])
	count(default_without_nopeer.violations) == 0 with input as ntpsec
	count(default_without_nopeer.not_applicable) == 0 with input as classic
	nas := default_without_nopeer.not_applicable with input as ntpsec
	count(nas) == 1
	some na in nas
	na.rule == "NTP007"
	startswith(na.reason, "the host is judged as ntpsec (version-file)")
}
