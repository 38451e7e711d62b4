# METADATA
# title: Firewall dump is incomplete (incomplete evidence)
# description: >-
#   The firewall file does not show the whole firewall: a table has no COMMIT, iptables-restore would
#   reject a table, nftables-native tables exist beside it, or legacy tables hide behind the nft
#   backend. The rules that were not seen still run on the host. The analysis cannot prove what they
#   do; they can only drop more of what the visible rules accept, so an FW001 finding for the family
#   may still hold, but nothing the visible rules accept can be proven accepted (the upstream paths
#   and the clients ntp.conf serves included), and a missing finding is not evidence of compliance.
# related_resources:
#   - ref: https://manpages.debian.org/iptables-restore
#     description: iptables-restore(8), COMMIT and how a table is loaded
# custom:
#   id: FW006
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because the firewall dump is complete (every table and chain it
#     refers to is in it).
#   inputs:
#     - firewall
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "*filter"
#     pass: "COMMIT"
#   remediation: >-
#     Dump the whole firewall with the tool the host loads it with (`iptables-save` and
#     `ip6tables-save` of the backend in use, `iptables-legacy-save` for legacy tables,
#     `nft list ruleset` when nftables-native tables exist), make sure every table ends with COMMIT,
#     and fix the lines iptables-restore rejects.
#   references:
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
#     - kind: NIST 800-53
#       id: SC-7
#       title: Boundary Protection
#     - kind: NIST 800-53
#       id: CA-7
#       title: Continuous Monitoring
package ntp_policy.rules.firewall.incomplete_dump

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.result

# METADATA
# description: One violation per family whose firewall dump is incomplete.
violations contains result.fail_fix(
	rego.metadata.chain(),
	_location(facts),
	_message(key, facts),
	[{"location": object.get(item, "location", null), "text": object.get(item, "reason", "")} |
		some item in _reasons(facts)
	],
	_fix(facts),
) if {
	some key, facts in firewall.families
	object.get(facts, "complete", false) != true
}

_reasons(facts) := object.get(facts, "incomplete_reasons", [])

_location(facts) := object.get(_reasons(facts)[0], "location", null) if count(_reasons(facts)) > 0

_location(facts) := firewall.file_start(facts) if count(_reasons(facts)) == 0

_message(key, facts) := concat("", [
	firewall.subject(key, facts), " does not show the whole firewall", _why(_reasons(facts)),
	": the analysis cannot prove what the missing parts do; hidden rules can only drop more, so FW001 may",
	" still hold, but nothing can be proven accepted",
])

_why(reasons) := concat("", [" (", object.get(reasons[0], "reason", "?"), ")"]) if count(reasons) == 1

_why(reasons) := concat("", [
	" (", object.get(reasons[0], "reason", "?"), ", and ",
	firewall.counted(count(reasons) - 1, "more problem", "more problems"), ")",
]) if {
	count(reasons) > 1
}

_why(reasons) := "" if count(reasons) == 0

# On an nftables host: the whole ruleset as the kernel holds it, and a file nft -f loads.
_fix(facts) := concat("", [
	"Dump the whole ruleset as the kernel holds it (`nft list ruleset > nft-ruleset`, scripts/collect-host-dump.sh",
	" does it) and fix what `nft -c -f /etc/nftables.conf` rejects: nft loads a file all or nothing",
]) if {
	firewall.nft(facts)
} else := null
