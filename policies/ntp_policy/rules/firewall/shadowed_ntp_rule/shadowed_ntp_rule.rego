# METADATA
# title: Firewall rule about NTP can never match (shadowed)
# description: >-
#   A rule about UDP port 123 sits behind earlier rules that already decide every packet it could
#   match, so it never takes effect. Usually it was written to restrict or allow NTP and silently does
#   neither: a DROP for untrusted sources placed after a broad ACCEPT, or an ACCEPT for a client network
#   placed after a DROP of all UDP/123. Whoever reads the ruleset believes the rule protects the host;
#   the packets never see it. The finding cites the shadowed rule and the rules that shadow it.
# related_resources:
#   - ref: https://github.com/batfish/batfish
#     description: Batfish, whose filterLineReachability question reports filter lines no packet can reach
# custom:
#   id: FW005
#   severity: low
#   passes_when: >-
#     No line shows this: it passes because no firewall rule about NTP is hidden behind an earlier
#     rule.
#   inputs:
#     - firewall
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "-A INPUT -p udp -j ACCEPT"
#     pass: "-A INPUT -s 192.0.2.0/24 -p udp -j ACCEPT"
#   remediation: >-
#     Move the rule above the rules that shadow it, or delete it if it is obsolete; for example, put
#     `-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT` before `-A INPUT -p udp --dport 123 -j
#     DROP`, and a `-A INPUT -p udp --dport 123 -j DROP` before the broad `-A INPUT -j ACCEPT` it
#     follows.
#   references:
#     - kind: Tool
#       id: Batfish filterLineReachability
#       title: Unreachable (shadowed) filter lines
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
#     - kind: NIST 800-53
#       id: SC-7
#       title: Boundary Protection
package ntp_policy.rules.firewall.shadowed_ntp_rule

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.result

# METADATA
# description: One violation per shadowed UDP/123 rule, at the shadowed rule.
violations contains result.fail(
	rego.metadata.chain(),
	object.get(rule, "location", null),
	_message(key, facts, rule),
	array.concat(
		[{"location": object.get(rule, "location", null), "text": object.get(rule, "text", "")}],
		firewall.rule_evidence(object.get(rule, "shadowed_by", [])),
	),
) if {
	some key, facts in firewall.families
	some rule in object.get(facts, "shadowed_rules", [])
}

_message(key, facts, rule) := concat("", [
	firewall.subject(key, facts), ": the UDP/123 rule `", object.get(rule, "text", ""),
	"` can never match, because ", _earlier(object.get(rule, "shadowed_by", [])),
	" every packet it could match; it has no effect",
])

_earlier(rules) := concat("", ["the earlier rule at ", firewall.rule_refs(rules), " decides"]) if count(rules) == 1

_earlier(rules) := concat("", ["the earlier rules at ", firewall.rule_refs(rules), " decide"]) if count(rules) > 1

_earlier(rules) := "earlier rules decide" if count(rules) == 0
