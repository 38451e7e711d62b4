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
#   passes_when: >-
#     No line shows this: it passes because no rule of the firewall drops the traffic to or from the
#     configured upstream servers.
#   inputs:
#     - time
#     - firewall
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: ":OUTPUT DROP [0:0]"
#     pass: "-A OUTPUT -p udp -m udp --dport 123 -j ACCEPT"
#   remediation: >-
#     Let through the direction the finding names, before the line that blocks it. Queries:
#     `-A OUTPUT -p udp --dport 123 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT`. Replies:
#     `-A INPUT -p udp --sport 123 -m conntrack --ctstate ESTABLISHED -j ACCEPT` (in ip6tables-save too
#     for IPv6 upstreams). When the finding names a raw-table NOTRACK or `CT --notrack` line, the replies
#     are untracked and no ESTABLISHED rule can match them: exempt the upstreams' replies from that line
#     (`-t raw -I PREROUTING -p udp -s UPSTREAM --sport 123 -j ACCEPT` before it) rather than adding an
#     ESTABLISHED rule.
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
	object.get(upstream, "address", "?"), ": ", _what(upstream),
	_by(object.get(upstream, "blocked_by", [])),
	_untracked(object.get(upstream, "untracked_by", [])),
	", so ntpd cannot synchronise with this source over ", firewall.family_name(key),
	" (secure but unsynchronised)",
	_fix(upstream),
])

# Which direction is blocked, when the facts say (older or hand-written facts may not).
_what(upstream) := "its queries to UDP/123 are dropped" if {
	_direction(upstream) == "queries"
} else := "the replies from UDP/123 are dropped" if {
	_direction(upstream) == "replies"
} else := "the queries to UDP/123 or their replies are dropped"

_direction(upstream) := "queries" if {
	upstream.queries == "blocked"
	upstream.replies == "open"
} else := "replies" if {
	upstream.queries == "open"
	upstream.replies != "open"
} else := "both"

_by(rules) := concat("", [" (by ", firewall.rule_refs(rules), ")"]) if count(rules) > 0

_by(rules) := "" if count(rules) == 0

_untracked(rules) := concat("", [
	" after ", firewall.rule_refs(rules),
	" untracks them (untracked packets are never ESTABLISHED, so no conntrack-state rule accepts them)",
]) if {
	count(rules) > 0
}

_untracked(rules) := "" if count(rules) == 0

# Advice from the host's own lines: name the notrack line when it is the cause, else only the
# direction that is blocked.
_fix(upstream) := concat("", [
	"; fix: exempt the host's NTP traffic with this upstream from ", firewall.rule_refs(upstream.untracked_by),
	" (a raw-table ACCEPT for it before that line) rather than adding an ESTABLISHED rule",
]) if {
	count(object.get(upstream, "untracked_by", [])) > 0
} else := "; fix: let the queries out (OUTPUT, UDP to port 123)" if {
	_direction(upstream) == "queries"
} else := "; fix: accept the replies (INPUT, UDP from port 123, ESTABLISHED)" if {
	_direction(upstream) == "replies"
} else := ""
