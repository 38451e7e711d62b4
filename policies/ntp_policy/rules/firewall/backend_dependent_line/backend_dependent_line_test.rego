package ntp_policy.rules.firewall.backend_dependent_line_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.backend_dependent_line

_portability := object.union(
	fx.diagnostic("portability", concat("", [
		"user-defined chain NF_PERSIST_INPUT declared with counters but no policy ('-'): iptables-legacy-restore",
		" rejects this line, iptables-nft-restore accepts it, and the dump does not record which backend the",
		" host uses (no iptables-version)",
	])),
	{"location": {"file": "iptables-save", "line": 3, "column": 19}, "text": ":NF_PERSIST_INPUT [0:0]"},
)

test_no_diagnostics_pass if {
	count(backend_dependent_line.violations) == 0 with input as fx.host
}

test_rejections_of_the_recorded_backend_are_not_reported_here if {
	inp := fx.with_diagnostics([fx.diagnostic("syntax", "s"), fx.diagnostic("structure", "t")])
	count(backend_dependent_line.violations) == 0 with input as inp
}

test_backend_dependent_line_fails_low_at_the_line if {
	inp := fx.with_diagnostics([_portability])
	backend_dependent_line.violations == {{
		"rule": "FW012",
		"severity": "low",
		"message": _portability.message,
		"location": _portability.location,
		"evidence": [{"location": _portability.location, "text": ":NF_PERSIST_INPUT [0:0]"}],
		"remediation": concat(" ", [
			"Write the line so that both backends accept it (`:CHAIN - [0:0]` for user-defined chains, each",
			"chain declared once, a newline after the final COMMIT), or record the backend in the host dump:",
			"`iptables -V | head -n 1 > iptables-version` (scripts/collect-host-dump.sh does it).",
		]),
	}} with input as inp
}

test_each_line_counts if {
	second := object.union(_portability, {"location": {"file": "iptables-save", "line": 9, "column": 1}})
	inp := fx.with_diagnostics([_portability, second])
	count(backend_dependent_line.violations) == 2 with input as inp
}

test_not_applicable_on_an_nft_only_host if {
	count(backend_dependent_line.not_applicable) == 1 with input as fx.nft_host({})
	count(backend_dependent_line.not_applicable) == 0 with input as fx.host
}
