# METADATA
# title: Loopback traffic rules missing from INPUT
# description: >-
#   CIS asks every host firewall to accept all traffic on the loopback interface and to drop packets
#   that claim a loopback source address but arrive on another interface: `-A INPUT -i lo -j ACCEPT`
#   and `-A INPUT -s 127.0.0.0/8 -j DROP` in iptables-save, `-A INPUT -i lo -j ACCEPT` and
#   `-A INPUT -s ::1/128 -j DROP` in ip6tables-save. Without the first, traffic on `lo` is left to
#   whatever else the chain accepts, and under a default deny local clients such as ntpq may not
#   reach ntpd on the host itself. Without the second, no rule stops a packet with a spoofed loopback
#   source, the addresses ntpd trusts most (a `restrict 127.0.0.1` or `restrict ::1` line lifts
#   every restriction, runtime configuration included); the kernel discards most such packets as
#   martians, and the benchmark wants the firewall to make sure of it. The check is per family and,
#   like the benchmark's audit (`iptables -L INPUT -v -n`), reads the filter INPUT chain itself: the
#   same rules in a chain INPUT jumps to (ufw-before-input, RH-Firewall-1-INPUT) do not count. The
#   accept rule counts when it matches `-i lo` and nothing else, the drop rule when it drops (or
#   rejects) every loopback source, on any interface but `lo`, with no other match.
# related_resources:
#   - ref: https://manpages.debian.org/iptables-save
#     description: iptables-save(8), the dump the rules are read from
# custom:
#   id: FW008
#   severity: low
#   passes_when: >-
#     No line shows this: the loopback accept and spoofed-loopback drop rules are read by the firewall
#     analysis; the rule passes because both are in INPUT.
#   inputs:
#     - firewall
#   profiles:
#     - cis
#     - stig
#   examples:
#     fail: "-A INPUT -s 127.0.0.0/8 -j ACCEPT"
#     pass: "-A INPUT -i lo -j ACCEPT"
#   remediation: >-
#     At the top of INPUT, accept loopback traffic and then drop loopback sources arriving anywhere
#     else: `-A INPUT -i lo -j ACCEPT` followed by `-A INPUT -s 127.0.0.0/8 -j DROP` in iptables-save,
#     and `-A INPUT -i lo -j ACCEPT` followed by `-A INPUT -s ::1/128 -j DROP` in ip6tables-save
#     (with an OUTPUT policy of DROP, also `-A OUTPUT -o lo -j ACCEPT`).
#   references:
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.2.2
#       title: Ensure iptables loopback traffic is configured
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.3.2
#       title: Ensure ip6tables loopback traffic is configured
#     - kind: CIS
#       id: Ubuntu 22.04 v2.0.0 4.3.2.2
#       title: Ensure iptables loopback traffic is configured
#     - kind: CIS
#       id: Ubuntu 22.04 v2.0.0 4.3.3.2
#       title: Ensure ip6tables loopback traffic is configured
#     - kind: CIS
#       id: RHEL 7 v3.1.1 3.5.3.2.1
#       title: Ensure iptables loopback traffic is configured
#     - kind: CIS
#       id: RHEL 7 v3.1.1 3.5.3.3.1
#       title: Ensure ip6tables loopback traffic is configured
#     - kind: SSG
#       id: set_loopback_traffic
#       title: Set configuration for loopback traffic
#     - kind: SSG
#       id: set_ipv6_loopback_traffic
#       title: Set configuration for IPv6 loopback traffic
#     - kind: PCI-DSS
#       id: Req-1.3
#       title: Prohibit direct public access between the Internet and any system component (SSG mapping)
package ntp_policy.rules.firewall.loopback_rules_missing

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.result

# METADATA
# description: One violation per family whose INPUT chain lacks either loopback rule, at the INPUT policy line.
violations contains result.fail_fix(
	rego.metadata.chain(),
	firewall.policy_location(facts),
	_message(key, facts),
	array.concat(firewall.policy_evidence(facts), firewall.rule_evidence(_present(facts))),
	_fix(key, facts),
) if {
	some key, facts in firewall.families
	count(_missing(facts)) > 0
}

_rule(facts, name) := object.get(facts, ["loopback", name], null)

_missing(facts) := [name |
	some name in ["accept_rule", "spoofed_drop_rule"]
	not is_object(_rule(facts, name))
]

_present(facts) := [_rule(facts, name) |
	some name in ["accept_rule", "spoofed_drop_rule"]
	is_object(_rule(facts, name))
]

_message(key, facts) := concat("", [
	firewall.subject(key, facts), ": INPUT has no rule that ",
	concat(", and no rule that ", [_what(key, facts, name) | some name in _missing(facts)]),
	": ", concat("; ", [_effect(key, name) | some name in _missing(facts)]),
])

_what(_, facts, "accept_rule") := "accepts all loopback traffic (`-A INPUT -i lo -j ACCEPT`)" if not firewall.nft(facts)

_what(_, facts, "accept_rule") := "accepts all loopback traffic (`iif lo accept`)" if firewall.nft(facts)

_what(key, facts, "spoofed_drop_rule") := concat("", [
	"drops loopback sources arriving on other interfaces (`-A INPUT -s ",
	firewall.loopback_source(key), " -j DROP`)",
]) if {
	not firewall.nft(facts)
}

_what(key, facts, "spoofed_drop_rule") := concat("", [
	"drops loopback sources arriving on other interfaces (`iif != lo ", firewall.nft_address(key), " saddr ",
	firewall.loopback_source(key), " drop`)",
]) if {
	firewall.nft(facts)
}

# On an nftables host, the missing rules as nft commands, first in the input chain.
_fix(key, facts) := concat("", [
	"Insert the loopback rules first in the input chain: ",
	concat(" and ", [_nft_rule(key, facts, name) | some name in _missing(facts)]),
	" (and the same rules in /etc/nftables.conf)",
]) if {
	firewall.nft(facts)
} else := null

_nft_rule(_, facts, "accept_rule") := concat("", [
	"`nft insert rule ", firewall.nft_chain(facts, []), " iif lo accept`",
])

_nft_rule(key, facts, "spoofed_drop_rule") := concat("", [
	"`nft insert rule ", firewall.nft_chain(facts, []), " iif != lo ", firewall.nft_address(key), " saddr ",
	firewall.loopback_source(key), " drop`",
])

_effect(_, "accept_rule") := concat("", [
	"traffic on lo is left to the rest of the chain, so under a default deny local clients",
	" such as ntpq may not reach ntpd on the host itself",
])

_effect(key, "spoofed_drop_rule") := concat("", [
	"no rule stops packets with a spoofed ", firewall.loopback_source(key),
	" source, the addresses ntpd trusts most (`restrict ", _loopback_address(key),
	"` lifts every restriction)",
])

_loopback_address(key) := object.get({"ipv4": "127.0.0.1", "ipv6": "::1"}, key, "?")
