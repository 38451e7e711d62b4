package ntp_policy.rules.firewall.upstream_blocked_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.upstream_blocked

output_drop := fx.fw_rule(fx.v4_loc(5), ":OUTPUT DROP [0:0]", "policy DROP")

reply_drop := fx.fw_rule(fx.v4_loc(12), "-A INPUT -p udp -j DROP", "drops the replies")

test_compliant_baseline_passes if {
	count(upstream_blocked.violations) == 0 with input as fx.host
}

test_no_firewall_facts_pass if {
	count(upstream_blocked.violations) == 0 with input as fx.without_firewall
	count(upstream_blocked.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_blocked_upstream_fails_at_the_association_line if {
	inp := fx.with_firewall("ipv4", {"upstreams": [
		fx.upstream(10, "0.pool.ntp.org", "blocked", [output_drop]),
		fx.upstream(11, "1.pool.ntp.org", "open", []),
	]})
	violations := upstream_blocked.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.rule == "FW004"
	violation.severity == "medium"
	violation.location == fx.loc(10)
	violation.message == concat("", [
		"IPv4 firewall (iptables-save) blocks the host's NTP traffic with its upstream 0.pool.ntp.org: the queries ",
		"to UDP/123 or their replies are dropped (by iptables-save:5), so ntpd cannot synchronise with this source ",
		"over IPv4 (secure but unsynchronised)",
	])
	violation.evidence == [{"location": fx.v4_loc(5), "text": ":OUTPUT DROP [0:0] — policy DROP"}]
	contains(violation.remediation, "`-A OUTPUT -p udp --dport 123 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT`")
}

test_one_violation_per_blocked_upstream_and_family if {
	blocked := [
		fx.upstream(10, "0.pool.ntp.org", "blocked", [output_drop, reply_drop]),
		fx.upstream(11, "1.pool.ntp.org", "blocked", [reply_drop]),
		fx.upstream(12, "2.pool.ntp.org", "partial", [reply_drop]),
	]
	inp := object.union(fx.host, {"firewall": {"ipv4": {"upstreams": blocked}, "ipv6": {"upstreams": blocked}}})
	violations := upstream_blocked.violations with input as inp
	count(violations) == 4
	some violation in violations
	violation.location == fx.loc(10)
	contains(violation.message, "(by iptables-save:5, iptables-save:12)")
}

test_partial_and_open_pass if {
	inp := fx.with_firewall("ipv6", {"upstreams": [
		fx.upstream(10, "0.pool.ntp.org", "partial", [reply_drop]),
		fx.upstream(11, "1.pool.ntp.org", "open", []),
	]})
	count(upstream_blocked.violations) == 0 with input as inp
}

test_blocked_without_rules_still_fails if {
	inp := fx.with_firewall("ipv6", {"upstreams": [{"address": "2001:db8::123", "verdict": "blocked"}]})
	some violation in upstream_blocked.violations with input as inp
	violation.location == null
	violation.evidence == []
	contains(violation.message, "upstream 2001:db8::123: the queries to UDP/123 or their replies are dropped, so")
	contains(violation.message, "over IPv6")
}

notrack := fx.fw_rule(fx.v4_loc(4), "-A PREROUTING -p udp -m udp --dport 123 -j CT --notrack", "untracks the replies")

input_policy_drop := fx.fw_rule(fx.v4_loc(9), ":INPUT DROP [0:0]", "policy DROP")

test_a_notrack_line_is_named_as_the_cause_and_the_fix_does_not_add_an_existing_rule if {
	blocked := object.union(fx.upstream(10, "0.pool.ntp.org", "blocked", [input_policy_drop]), {
		"queries": "open",
		"replies": "blocked",
		"untracked_by": [notrack],
	})
	violations := upstream_blocked.violations with input as fx.with_firewall("ipv4", {"upstreams": [blocked]})
	count(violations) == 1
	some violation in violations
	violation.message == concat("", [
		"IPv4 firewall (iptables-save) blocks the host's NTP traffic with its upstream 0.pool.ntp.org: the replies ",
		"from UDP/123 are dropped (by iptables-save:9) after iptables-save:4 untracks them (untracked packets are ",
		"never ESTABLISHED, so no conntrack-state rule accepts them), so ntpd cannot synchronise with this source ",
		"over IPv4 (secure but unsynchronised); fix: exempt the host's NTP traffic with this upstream from ",
		"iptables-save:4 (a raw-table ACCEPT for it before that line) rather than adding an ESTABLISHED rule",
	])
}

test_only_the_blocked_direction_is_advised if {
	queries := object.union(fx.upstream(10, "0.pool.ntp.org", "blocked", [output_drop]), {
		"queries": "blocked",
		"replies": "open",
		"untracked_by": [],
	})
	replies := object.union(fx.upstream(11, "1.pool.ntp.org", "blocked", [reply_drop]), {
		"queries": "open",
		"replies": "blocked",
		"untracked_by": [],
	})
	violations := upstream_blocked.violations with input as fx.with_firewall("ipv4", {"upstreams": [queries, replies]})
	messages := {v.message | some v in violations}
	some q in messages
	contains(q, "0.pool.ntp.org: its queries to UDP/123 are dropped (by iptables-save:5)")
	endswith(q, "; fix: let the queries out (OUTPUT, UDP to port 123)")
	some r in messages
	contains(r, "1.pool.ntp.org: the replies from UDP/123 are dropped (by iptables-save:12)")
	endswith(r, "; fix: accept the replies (INPUT, UDP from port 123, ESTABLISHED)")
}
