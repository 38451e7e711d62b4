package ntp_policy.rules.firewall.shadowed_ntp_rule_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.shadowed_ntp_rule

broad_accept := fx.fw_rule(fx.v4_loc(6), "-A INPUT -p udp -j ACCEPT", "accepts")

shadowed := {
	"location": fx.v4_loc(11),
	"text": "-A INPUT -p udp --dport 123 -j DROP",
	"shadowed_by": [broad_accept],
}

test_compliant_baseline_passes if {
	count(shadowed_ntp_rule.violations) == 0 with input as fx.host
}

test_no_firewall_facts_pass if {
	count(shadowed_ntp_rule.violations) == 0 with input as fx.without_firewall
	count(shadowed_ntp_rule.violations) == 0 with input as object.remove(fx.host, {"firewall"})
}

test_shadowed_rule_fails_at_the_shadowed_rule if {
	violations := shadowed_ntp_rule.violations with input as fx.with_firewall("ipv4", {"shadowed_rules": [shadowed]})
	count(violations) == 1
	some violation in violations
	violation.rule == "FW005"
	violation.severity == "low"
	violation.location == fx.v4_loc(11)
	violation.message == concat("", [
		"IPv4 firewall (iptables-save): the UDP/123 rule `-A INPUT -p udp --dport 123 -j DROP` can never match, ",
		"because the earlier rule at iptables-save:6 decides every packet it could match; it has no effect",
	])
	violation.evidence == [
		{"location": fx.v4_loc(11), "text": "-A INPUT -p udp --dport 123 -j DROP"},
		{"location": fx.v4_loc(6), "text": "-A INPUT -p udp -j ACCEPT — accepts"},
	]
}

test_several_shadowing_rules_and_several_shadowed if {
	other := fx.fw_rule(fx.v6_loc(7), "-A INPUT -s ::/1 -j ACCEPT", "accepts")
	second := fx.fw_rule(fx.v6_loc(8), "-A INPUT -s 8000::/1 -j ACCEPT", "accepts")
	rules := [
		{"location": fx.v6_loc(12), "text": "-A INPUT -p udp --dport 123 -j DROP", "shadowed_by": [other, second]},
		{"location": fx.v6_loc(13), "text": "-A INPUT -p udp --dport 123 -j REJECT", "shadowed_by": []},
	]
	violations := shadowed_ntp_rule.violations with input as fx.with_firewall("ipv6", {"shadowed_rules": rules})
	count(violations) == 2
	some first in violations
	first.location == fx.v6_loc(12)
	contains(first.message, "because the earlier rules at ip6tables-save:7, ip6tables-save:8 decide every packet")
	count(first.evidence) == 3
	some bare in violations
	bare.location == fx.v6_loc(13)
	contains(bare.message, "can never match, because earlier rules decide every packet")
}
