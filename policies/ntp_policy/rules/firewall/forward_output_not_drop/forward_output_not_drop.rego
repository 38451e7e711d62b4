# METADATA
# title: FORWARD or OUTPUT policy is not DROP
# description: >-
#   CIS asks for a default deny on every chain of the filter table, not only INPUT: `:FORWARD DROP`
#   and `:OUTPUT DROP`, with rules that allow by exception what the host forwards and sends. With a
#   FORWARD policy of ACCEPT, whatever the kernel routes through the host (whenever forwarding is on)
#   passes unless a rule drops it; with an OUTPUT policy of ACCEPT, a compromised service on the host
#   can reach any destination, and nothing records what the host is meant to send. The check is per
#   family and reads the policies of the filter FORWARD and OUTPUT chains; a file that does not set
#   them leaves the kernel's ACCEPT. It belongs to the CIS profile: an OUTPUT policy of DROP takes
#   explicit rules for everything the host sends, its own NTP queries and DNS lookups included.
# related_resources:
#   - ref: https://manpages.debian.org/iptables-save
#     description: iptables-save(8) and the chain policy lines it writes (`:OUTPUT DROP [0:0]`)
# custom:
#   id: FW011
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because the FORWARD and OUTPUT chains are not open (policy DROP).
#   inputs:
#     - firewall
#   profiles:
#     - cis
#   examples:
#     fail: ":OUTPUT ACCEPT [0:0]"
#     pass: ":OUTPUT DROP [0:0]"
#   remediation: >-
#     Set the filter FORWARD and OUTPUT policies to DROP, `:FORWARD DROP [0:0]` and `:OUTPUT DROP [0:0]`
#     in the `*filter` table of iptables-save and of ip6tables-save. An OUTPUT policy of DROP stops
#     everything the host sends that no rule accepts, so accept what it needs first, or ntpd loses its
#     upstreams (FW004) and cannot resolve their names: `-A OUTPUT -o lo -j ACCEPT`,
#     `-A OUTPUT -p udp --dport 123 -j ACCEPT` (NTP queries), `-A OUTPUT -p udp --dport 53 -j ACCEPT`
#     and `-A OUTPUT -p tcp --dport 53 -j ACCEPT` (DNS), and
#     `-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT` (replies to what INPUT accepts).
#   references:
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.2.1
#       title: Ensure iptables default deny firewall policy
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.3.1
#       title: Ensure ip6tables default deny firewall policy
#     - kind: CIS
#       id: Ubuntu 22.04 v2.0.0 4.3.2.1
#       title: Ensure iptables default deny firewall policy
#     - kind: CIS
#       id: Ubuntu 22.04 v2.0.0 4.3.3.1
#       title: Ensure ip6tables default deny firewall policy
#     - kind: CIS
#       id: RHEL 7 v3.1.1 3.5.3.2.4
#       title: Ensure iptables default deny firewall policy
#     - kind: CIS
#       id: RHEL 7 v3.1.1 3.5.3.3.4
#       title: Ensure ip6tables default deny firewall policy
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 3.4.3.2.3
#       title: Ensure iptables outbound and established connections are configured
#     - kind: SSG
#       id: set_iptables_default_rule_forward
#       title: Set Default iptables Policy for Forwarded Packets
#     - kind: NIST 800-53
#       id: SC-7(5)
#       title: Boundary Protection | Deny by Default - Allow by Exception
#     - kind: NIST 800-53
#       id: CM-7(b)
#       title: Least Functionality
package ntp_policy.rules.firewall.forward_output_not_drop

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.result

# METADATA
# description: |
#   One violation per family whose FORWARD or OUTPUT policy is not DROP, naming the chains, located at
#   the first such chain's policy line (line 1 of the family's file when the file sets no policy).
violations contains result.fail_fix(
	rego.metadata.chain(),
	firewall.chain_policy_evidence(facts, _open_chains(facts)[0]).location,
	_message(key, facts),
	[firewall.chain_policy_evidence(facts, chain) | some chain in _open_chains(facts)],
	_fix(facts),
) if {
	some key, facts in firewall.families
	count(_open_chains(facts)) > 0
}

_open_chains(facts) := [chain |
	some chain in ["FORWARD", "OUTPUT"]
	firewall.chain_policy(facts, chain) != "DROP"
]

# On an nftables host, the fix in nft syntax (a base chain with policy drop on each hook).
_fix(facts) := concat("", [
	"Add base chains with policy drop for ",
	concat(" and ", [lower(chain) | some chain in _open_chains(facts)]),
	" after accepting what the host sends (`ct state established,related accept`, `udp dport 123 accept` for",
	" its upstreams), e.g. `nft add chain ", firewall.nft_table(facts),
	" output { type filter hook output priority filter; policy drop; }`",
]) if {
	firewall.nft(facts)
} else := null

_message(key, facts) := concat("", [
	firewall.subject(key, facts), ": ",
	concat(" and ", [_policy(facts, chain) | some chain in _open_chains(facts)]),
	", where CIS asks for DROP: ",
	concat(" and ", [_effect(chain) | some chain in _open_chains(facts)]),
	" unless a rule drops it",
])

_policy(facts, chain) := concat("", ["the ", chain, " policy is ", firewall.chain_policy(facts, chain)]) if {
	firewall.chain_policy(facts, chain) != null
}

_policy(facts, chain) := concat("", ["no ", chain, " policy is set (the kernel's ACCEPT stays)"]) if {
	firewall.chain_policy(facts, chain) == null
}

_effect("FORWARD") := "whatever the host routes (when forwarding is on) is forwarded"

_effect("OUTPUT") := "whatever the host sends leaves it"
