# METADATA
# title: Upstream NTP traffic blocked by the host firewall
# description: >-
#   ntpd queries its upstream servers from the host: a new UDP datagram to port 123 leaves through
#   OUTPUT and the reply from port 123 comes back through INPUT. A firewall that drops either one leaves
#   the server secure but unsynchronised: its clock drifts, and every client that follows it drifts too.
#   This is a common result of tightening INPUT to a default deny without accepting established replies,
#   or of an OUTPUT policy of DROP. The rule fires for each `server`, `pool` and `peer` association whose
#   traffic the firewall blocks for every address it may have; an association only some of whose
#   addresses are blocked, or whose fate rests on undecidable matches, is not reported.
# related_resources:
#   - ref: https://www.team-cymru.com/secure-ntp-template.html
#     description: Team Cymru Secure NTP Template, client iptables rules
# custom:
#   id: FW004
#   severity: medium
#   inputs:
#     - ntp
#     - firewall
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: ":OUTPUT DROP [0:0]"
#     pass: "-A OUTPUT -p udp -m udp --dport 123 -j ACCEPT"
#   remediation: >-
#     Let the host's own NTP queries out and their replies in, before the rule that drops them:
#     `-A OUTPUT -p udp --dport 123 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT` and
#     `-A INPUT -p udp --sport 123 -m conntrack --ctstate ESTABLISHED -j ACCEPT` (in ip6tables-save
#     too for IPv6 upstreams), or `-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`
#     early in INPUT.
#   references:
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.2.3
#       title: Ensure iptables outbound and established connections are configured
#     - kind: CIS
#       id: Ubuntu 22.04 v2.0.0 4.3.2.3
#       title: Ensure iptables outbound and established connections are configured
#     - kind: Guide
#       id: Team Cymru Secure NTP Template
#       title: Client iptables rules (udp sport 123 ESTABLISHED in, udp dport 123 NEW,ESTABLISHED out)
#       url: https://www.team-cymru.com/secure-ntp-template.html
#     - kind: NIST 800-53
#       id: AU-8(1)
#       title: Time Stamps | Synchronization with Authoritative Time Source (rev4)
package ntp_policy.rules.firewall.upstream_blocked

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.result

# METADATA
# description: One violation per family and upstream association whose traffic the firewall blocks.
violations contains result.fail(
	rego.metadata.chain(),
	object.get(upstream, "location", null),
	_message(key, facts, upstream),
	firewall.rule_evidence(object.get(upstream, "blocked_by", [])),
) if {
	some key, facts in firewall.families
	some upstream in object.get(facts, "upstreams", [])
	upstream.verdict == "blocked"
}

_message(key, facts, upstream) := concat("", [
	firewall.subject(key, facts), " blocks the host's NTP traffic with its upstream ",
	object.get(upstream, "address", "?"), ": the queries to UDP/123 or their replies are dropped",
	_by(object.get(upstream, "blocked_by", [])),
	", so ntpd cannot synchronise with this source over ", firewall.family_name(key),
	" (secure but unsynchronised)",
])

_by(rules) := concat("", [" (by ", firewall.rule_refs(rules), ")"]) if count(rules) > 0

_by(rules) := "" if count(rules) == 0
