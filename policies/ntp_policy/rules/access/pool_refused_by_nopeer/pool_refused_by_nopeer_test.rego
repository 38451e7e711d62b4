package ntp_policy.rules.access.pool_refused_by_nopeer_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.access.pool_refused_by_nopeer

pool_line := fx.association(2, "pool.ntp.org", {"mode": "pool", "text": "pool pool.ntp.org iburst"})

with_pool(source) := fx.hardened_with({
	"restrict": {"source": source},
	"associations": array.concat(fx.hardened_ntp_facts.associations, [pool_line]),
})

test_hardened_host_passes if {
	count(pool_refused_by_nopeer.violations) == 0 with input as fx.hardened_host
}

test_pool_with_restrict_source_passes if {
	count(pool_refused_by_nopeer.violations) == 0 with input as with_pool(fx.hardened_source)
}

test_pool_without_restrict_source_fails if {
	violations := pool_refused_by_nopeer.violations with input as with_pool(null)
	violations == {{
		"rule": "NTP009",
		"severity": "medium",
		"message": concat("", [
			"`pool pool.ntp.org iburst` at etc/ntp.conf:2: ntpd refuses the servers this pool finds (pool",
			" associations are mobilised like peers), because restrict entry 0.0.0.0/0 (IPv4; `restrict -4",
			" default kod limited nomodify notrap nopeer noquery` at etc/ntp.conf:3) and restrict entry ::/0",
			" (IPv6; `restrict -6 default kod limited nomodify notrap nopeer noquery` at etc/ntp.conf:4) have",
			" nopeer and there is no restrict source line to let pool servers in; the pool contributes no time",
			" source",
		]),
		"location": fx.loc(2),
		"evidence": [
			{"location": fx.loc(2), "text": "pool pool.ntp.org iburst"},
			fx.hardened_entries[0].lines[0],
			fx.hardened_entries[1].lines[0],
		],
		"remediation": concat(" ", [
			"Add a source template without nopeer so that pool servers are accepted while the defaults keep",
			"it: `restrict source kod nomodify notrap noquery` (keep",
			"`restrict -4 default kod nomodify notrap nopeer noquery` and its `-6` twin as they are), or",
			"replace the pool line with `server` lines.",
		]),
	}}
}

test_source_with_nopeer_fails_and_is_cited if {
	source := {"flags": ["nomodify", "nopeer"], "lines": [fx.text_line(7, "restrict source nomodify nopeer")]}
	some violation in pool_refused_by_nopeer.violations with input as with_pool(source)
	contains(violation.message, concat("", [
		" have nopeer and restrict source (`restrict source nomodify nopeer` at etc/ntp.conf:7)",
		" has nopeer too;",
	]))
	violation.evidence[3] == source.lines[0]
}

test_source_with_ignore_fails if {
	source := {"flags": ["ignore"], "lines": [fx.text_line(7, "restrict source ignore")]}
	some violation in pool_refused_by_nopeer.violations with input as with_pool(source)
	contains(violation.message, "restrict source (`restrict source ignore` at etc/ntp.conf:7) has ignore;")
}

test_family_of_the_pool_line_decides if {
	v4_pool := object.union(pool_line, {"family": "ipv4", "text": "pool -4 pool.ntp.org"})
	v6_open := fx.entry({"family": "ipv6", "prefix": "::/0", "flags": ["noquery"], "lines": [fx.line(4)]})
	inp := object.union(fx.hardened_entry_replaced(1, v6_open), {"ntp": {
		"restrict": {"source": null},
		"associations": [v4_pool],
	}})
	some violation in pool_refused_by_nopeer.violations with input as inp
	contains(violation.message, "because restrict entry 0.0.0.0/0 (IPv4; ")
	contains(violation.message, "etc/ntp.conf:3) has nopeer and there is no restrict source line")
}

test_ipv6_pool_passes_when_the_ipv6_default_has_no_nopeer if {
	v6_pool := object.union(pool_line, {"family": "ipv6", "text": "pool -6 pool.ntp.org"})
	v6_open := fx.entry({"family": "ipv6", "prefix": "::/0", "flags": ["noquery"], "lines": [fx.line(4)]})
	inp := object.union(fx.hardened_entry_replaced(1, v6_open), {"ntp": {
		"restrict": {"source": null},
		"associations": [v6_pool],
	}})
	count(pool_refused_by_nopeer.violations) == 0 with input as inp
}

test_ntpsec_lets_pool_servers_in if {
	inp := object.union(with_pool(null), {"ntp": {"daemon": {"flavor": "ntpsec"}}})
	count(pool_refused_by_nopeer.violations) == 0 with input as inp
}

test_server_lines_are_not_affected if {
	inp := fx.hardened_with({"restrict": {"source": null}})
	count(pool_refused_by_nopeer.violations) == 0 with input as inp
}
