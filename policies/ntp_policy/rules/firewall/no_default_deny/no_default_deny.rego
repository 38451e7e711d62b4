# METADATA
# title: Host firewall does not deny by default
# description: >-
#   The filter INPUT chain of the family does not end in a deny: its policy is ACCEPT (or the file
#   does not set it, which leaves the kernel's ACCEPT) and no unconditional DROP or REJECT rule catches
#   every packet that reaches the end of the chain. Everything no rule explicitly drops is then
#   accepted, so any service that listens on the host, ntpd on UDP/123 included, is reachable from
#   wherever the network routes, and a new service is exposed the moment it starts. Benchmarks ask for
#   deny by default and allow by exception, for IPv4 and IPv6 alike. The check is per family: an
#   ip6tables-save without a deny fails even when iptables-save has one.
# related_resources:
#   - ref: https://manpages.debian.org/iptables-save
#     description: iptables-save(8) and the chain policy lines it writes (`:INPUT DROP [0:0]`)
# custom:
#   id: FW002
#   severity: medium
#   inputs:
#     - firewall
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: ":INPUT ACCEPT [0:0]"
#     pass: ":INPUT DROP [0:0]"
#   remediation: >-
#     Set the filter INPUT policy to DROP in both dumps, `:INPUT DROP [0:0]` in the `*filter` table of
#     iptables-save and of ip6tables-save, after accepting what the host needs
#     (`-A INPUT -i lo -j ACCEPT`, `-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
#     `-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT` for the trusted networks); or end INPUT
#     with `-A INPUT -j DROP`.
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
#       id: Debian 11 v1.0.0 3.5.3.2.1
#       title: Ensure iptables default deny firewall policy
#     - kind: CIS
#       id: RHEL 7 v3.1.1 3.5.3.2.4
#       title: Ensure iptables default deny firewall policy
#     - kind: SSG
#       id: set_iptables_default_rule
#       title: Set Default iptables Policy for Incoming Packets
#     - kind: SSG
#       id: set_ip6tables_default_rule
#       title: Set Default ip6tables Policy for Incoming Packets
#     - kind: STIG
#       id: V-230504
#       title: RHEL-08-040090, employ a deny-all, allow-by-exception policy for network connections
#     - kind: NIST 800-53
#       id: SC-7(5)
#       title: Boundary Protection | Deny by Default - Allow by Exception
#     - kind: NIST 800-53
#       id: CM-7(b)
#       title: Least Functionality
package ntp_policy.rules.firewall.no_default_deny

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.result

# METADATA
# description: One violation per family whose INPUT chain does not deny by default.
violations contains result.fail_fix(
	rego.metadata.chain(),
	firewall.policy_location(facts),
	_message(key, facts),
	firewall.policy_evidence(facts),
	_fix(facts),
) if {
	some key, facts in firewall.families
	object.get(facts, "default_deny", false) != true
}

# On an nftables host, the fix in nft syntax.
_fix(facts) := concat("", [
	"Accept what the host needs first (`iif lo accept`, `ct state established,related accept`, `udp dport 123",
	" ip saddr @ntp_clients accept` for the trusted networks), then set the input chain's policy to drop: `nft chain ",
	firewall.nft_chain(facts, []), " { policy drop; }` (and `policy drop;` in the chain of /etc/nftables.conf)",
]) if {
	firewall.nft(facts)
} else := null

_message(key, facts) := concat("", [
	firewall.subject(key, facts), ": INPUT does not deny by default (", _policy(facts),
	", and no unconditional DROP or REJECT rule ends the chain): every packet no rule drops is accepted,",
	" so any listening service no rule covers is open to every source the network routes",
])

_policy(facts) := concat("", [
	"policy ", facts.input_policy, " at ", firewall.line_ref(facts.input_policy_location),
]) if {
	is_string(facts.input_policy)
	is_object(facts.input_policy_location)
}

_policy(facts) := concat("", ["policy ", facts.input_policy]) if {
	is_string(facts.input_policy)
	not is_object(object.get(facts, "input_policy_location", null))
}

_policy(facts) := "the file does not set the filter INPUT policy, so the kernel's ACCEPT stays" if {
	not is_string(object.get(facts, "input_policy", null))
}

# METADATA
# description: |
#   Passing evidence: the `:INPUT DROP` policy line of each family that denies by default. When the
#   deny comes from a final DROP or REJECT rule the facts do not name that rule, so no line is shown.
passed_evidence contains result.pass(rego.metadata.chain(), item) if {
	some facts in firewall.families
	facts.default_deny == true
	facts.input_policy == "DROP"
	some item in firewall.policy_lines(facts)
}
