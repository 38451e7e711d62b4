# METADATA
# title: UDP/123 open to untrusted sources without rate limiting
# description: >-
#   The host firewall may accept new NTP datagrams (UDP port 123) from addresses outside the trusted
#   networks, and nothing limits how fast they arrive: no rule on their way through INPUT uses the
#   limit, hashlimit, recent or connlimit match, and ntpd does not limit them either (no restrict
#   entry that governs untrusted addresses of the family carries `limited`). A flood of requests then
#   reaches the daemon at full rate, a denial of service for its real clients and, where ntpd answers,
#   a reflector at the attacker's pace. The DISA STIG asks that the firewall can rate-limit the
#   interfaces such traffic arrives on; ntpd's `restrict … kod limited` does the same job inside the
#   daemon, so either counts. When the host has no ntp.conf (or it is a template) only the firewall
#   counts. Servers that must answer the Internet (public pool servers) are where this matters most;
#   elsewhere FW001 reports the exposure itself.
# related_resources:
#   - ref: https://ipset.netfilter.org/iptables-extensions.man.html
#     description: iptables-extensions(8), the limit and hashlimit matches
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control options, `restrict … limited` and `kod`
# custom:
#   id: FW010
#   severity: low
#   passes_when: >-
#     No line shows this: it passes because UDP/123 is not open to untrusted sources, or a rule rate
#     limits it, or ntpd itself limits clients.
#   inputs:
#     - firewall
#   profiles:
#     - stig
#   examples:
#     fail: "-A INPUT -p udp -m udp --dport 123 -j ACCEPT"
#     pass: "-A INPUT -p udp -m udp --dport 123 -m limit --limit 50/sec -j ACCEPT"
#   remediation: >-
#     Limit the rate of NTP datagrams from untrusted sources, in the firewall before the rule that
#     accepts them, per source: `-A INPUT -p udp --dport 123 -m hashlimit --hashlimit-above 8/sec
#     --hashlimit-burst 16 --hashlimit-mode srcip --hashlimit-name ntp -j DROP` (in ip6tables-save too);
#     or in ntpd, by adding `limited` (with `kod`) to the restrict entries that govern untrusted
#     addresses: `restrict -4 default kod limited nomodify notrap nopeer noquery` and
#     `restrict -6 default kod limited nomodify notrap nopeer noquery`.
#   references:
#     - kind: STIG
#       id: V-230525
#       title: >-
#         RHEL-08-040150, a firewall must be able to protect against or limit the effects of Denial of
#         Service (DoS) attacks by ensuring RHEL 8 can implement rate-limiting measures on impacted
#         network interfaces
#     - kind: CCI
#       id: CCI-002385
#       title: Protect against or limit the effects of denial of service attacks
#     - kind: NIST 800-53
#       id: SC-5
#       title: Denial-of-service Protection
package ntp_policy.rules.firewall.ntp_not_rate_limited

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: |
#   One violation per family whose firewall may accept UDP/123 from untrusted addresses with neither a
#   rate-limiting rule on the way nor `limited` on a restrict entry governing untrusted addresses, at
#   the first rule that lets them in.
violations contains result.fail_fix(
	rego.metadata.chain(),
	firewall.untrusted_accepting_location(facts),
	_message(key, facts),
	array.concat(firewall.rule_evidence(firewall.untrusted_accepting(facts)), _entry_evidence(key)),
	_fix(facts),
) if {
	some key, facts in firewall.families
	count(_untrusted(facts)) > 0
	count(object.get(facts, ["ntp_inbound", "rate_limited_by"], [])) == 0
	not _daemon_limits(key)
}

_untrusted(facts) := object.get(facts, ["ntp_inbound", "may_accept_untrusted"], [])

# The restrict entries of the family that govern some address outside the trusted networks and loopback.
_untrusted_entries(key) := [entry |
	some entry in ntp.restrict_entries
	entry.family == key
	entry.governs_untrusted == true
]

_daemon_limits(key) if {
	some entry in _untrusted_entries(key)
	"limited" in object.get(entry, "flags", [])
}

_entry_evidence(key) := [item |
	some entry in _untrusted_entries(key)
	some item in ntp.entry_evidence(entry)
]

# On an nftables host, the fix as an nft command before the rule that accepts the datagrams.
_fix(facts) := concat("", [
	"Limit the rate of new UDP/123 datagrams before the rule that accepts them: `nft insert rule ",
	firewall.nft_chain(facts, firewall.untrusted_accepting(facts)),
	" udp dport 123 ct state new limit rate over 50/second burst 100 packets drop`, or add `limited` (with `kod`)",
	" to the restrict entries that govern untrusted addresses",
]) if {
	firewall.nft(facts)
} else := null

_message(key, facts) := concat("", [
	firewall.subject(key, facts),
	" may accept new UDP/123 datagrams from addresses outside the trusted networks and loopback (",
	firewall.address_list(_untrusted(facts)),
	") and nothing limits their rate: no rule on their way uses limit, hashlimit, recent or connlimit, and ",
	_daemon(key),
	"; a flood of requests reaches ntpd at full rate (denial of service for its clients)",
])

_daemon(key) := concat("", [
	"no restrict entry that governs untrusted ", firewall.family_name(key), " addresses has `limited` (",
	firewall.rule_refs([{"location": ntp.entry_location(entry)} | some entry in _untrusted_entries(key)]),
	")",
]) if {
	count(_untrusted_entries(key)) > 0
}

_daemon(key) := concat("", [
	"no restrict entry governs untrusted ", firewall.family_name(key), " addresses with `limited`",
]) if {
	ntp.facts
	count(_untrusted_entries(key)) == 0
}

_daemon(_) := "there is no ntp.conf to limit them (`restrict … limited`)" if {
	not is_object(object.get(input, "ntp", null))
}

_daemon(_) := "the ntp.conf is a template, so whether ntpd limits them (`restrict … limited`) cannot be seen" if {
	is_object(input.ntp)
	not ntp.facts
}
