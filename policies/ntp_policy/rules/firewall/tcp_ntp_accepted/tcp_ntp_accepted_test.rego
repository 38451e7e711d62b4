package ntp_policy.rules.firewall.tcp_ntp_accepted_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.tcp_ntp_accepted

untrusted := ["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/23", "192.0.3.0/24", "193.0.0.0/8"]

test_compliant_baseline_passes if {
	count(tcp_ntp_accepted.violations) == 0 with input as fx.host
}

test_no_firewall_facts_pass if {
	count(tcp_ntp_accepted.violations) == 0 with input as fx.without_firewall
	count(tcp_ntp_accepted.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_null_family_is_not_judged if {
	inp := object.union(fx.with_firewall("ipv4", null), {"firewall": {"ipv6": {"tcp_ntp_may_accept_untrusted": []}}})
	count(tcp_ntp_accepted.violations) == 0 with input as inp
}

test_tcp_accepted_by_a_rule_under_default_deny if {
	inp := fx.with_firewall("ipv4", {"tcp_ntp_may_accept_untrusted": untrusted})
	violations := tcp_ntp_accepted.violations with input as inp
	violations == {{
		"rule": "FW009",
		"severity": "low",
		"message": concat("", [
			"IPv4 firewall (iptables-save) may accept new TCP connections to port 123 from addresses outside the ",
			"trusted networks and loopback: 0.0.0.0/1, 128.0.0.0/2, 193.0.0.0/8 and 2 more; NTP runs over UDP only, ",
			"so no NTP client needs them and the open port is attack surface with no purpose (a rule of INPUT, or of ",
			"a chain it jumps to, accepts them: look for one without `-p udp` that matches port 123 or every port)",
		]),
		"location": fx.v4_loc(3),
		"evidence": [{"location": fx.v4_loc(3), "text": ":INPUT DROP [0:0]"}],
		"remediation": concat(" ", [
			"Accept NTP as UDP only: write every NTP rule with `-p udp` (`-A INPUT -s 192.0.2.0/24 -p udp",
			"--dport 123 -j ACCEPT`), never `-p tcp` or without a protocol, and deny the rest, with",
			"`:INPUT DROP [0:0]` or an explicit `-A INPUT -p tcp --dport 123 -j DROP`, in iptables-save and",
			"ip6tables-save alike.",
		]),
	}}
}

test_tcp_accepted_by_an_accept_policy if {
	facts := object.union(fx.policy_facts("ACCEPT"), {"tcp_ntp_may_accept_untrusted": ["::/1", "8000::/1"]})
	violations := tcp_ntp_accepted.violations with input as fx.with_firewall("ipv6", facts)
	count(violations) == 1
	some violation in violations
	violation.location == fx.v6_loc(3)
	endswith(violation.message, concat("", [
		"loopback: ::/1, 8000::/1; NTP runs over UDP only, so no NTP client needs them and the open port is ",
		"attack surface with no purpose (INPUT does not deny by default, FW002: every port no rule drops is open)",
	]))
	startswith(violation.message, "IPv6 firewall (ip6tables-save) may accept new TCP connections")
	violation.evidence == [{"location": fx.v6_loc(3), "text": ":INPUT ACCEPT [0:0]"}]
}

test_missing_facts_are_not_proof_of_a_deny if {
	bare := {"file": "iptables-save", "tcp_ntp_may_accept_untrusted": ["0.0.0.0/0"]}
	inp := object.union(object.remove(fx.host, {"firewall"}), {"firewall": {"ipv4": bare, "ipv6": null}})
	without := object.union(object.remove(fx.host, {"firewall"}), {"firewall": {"ipv4": {"file": "x"}, "ipv6": null}})
	count(tcp_ntp_accepted.violations) == 0 with input as without
	some violation in tcp_ntp_accepted.violations with input as inp
	violation.location == fx.v4_loc(1)
	contains(violation.message, "(INPUT does not deny by default, FW002")
}

test_nft_host_gets_an_nft_drop_for_tcp if {
	inp := fx.nft_host({"tcp_ntp_may_accept_untrusted": ["0.0.0.0/1"]})
	drop := "nft insert rule inet filter input iifname != \"lo\" ip saddr != { 192.0.2.0/24 } tcp dport 123 drop"
	some violation in tcp_ntp_accepted.violations with input as inp
	contains(violation.remediation, concat("", ["`", drop, "`"]))
}
