# METADATA
# title: Line the daemon would reject
# description: >-
#   ntpd skips a line it cannot parse, logs a complaint at startup and carries on, and
#   iptables-restore refuses the whole file for one bad line. Either way the configuration that
#   runs is not the one that was written: a `restrict` line with a typo leaves the default in
#   force, a misspelled `disable monitor` leaves monitoring on. The line is left out of the policy
#   input exactly as the daemon leaves it out; this rule makes sure it is not forgotten. It reports
#   syntax errors and well-formed lines in the wrong place (an iptables rule outside a table, a
#   missing COMMIT). chronyd is stricter still: it refuses to start on a line of chrony.conf (or of a
#   file it includes) that it cannot parse, and the host then keeps no time at all, so such a line is
#   reported as critical, with chronyd's own wording.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/ntp.conf/
#     description: ntp.conf configuration file syntax
# custom:
#   id: PARSE001
#   severity: medium
#   passes_when: >-
#     No line shows this: the absence of a line the daemon would reject is what passes.
#   inputs: []
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "restrict default kod nomodify notrap nopeer noqeury"
#     pass: "restrict default kod nomodify notrap nopeer noquery"
#   remediation: >-
#     Fix the line so the daemon accepts it (see the expected words in the message), or delete it;
#     as written it is ignored (ntpd) or makes the whole file fail to load (iptables-restore).
#   references:
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
package ntp_policy.rules.parse.rejected_line

import data.ntp_policy.lib.diagnostics
import data.ntp_policy.lib.result

# METADATA
# description: One violation per syntax or structure diagnostic.
violations contains result.fail(
	rego.metadata.chain(),
	diagnostics.location(diagnostic),
	diagnostics.message(diagnostic, ""),
	diagnostics.evidence(diagnostic),
) if {
	some diagnostic in diagnostics.of_kind(input.diagnostics, {"syntax", "structure"})
	not _stops_chronyd(diagnostic)
}

# METADATA
# description: A line chronyd refuses stops the daemon, so it is critical, with a chrony fix.
violations contains object.union(
	result.fail_fix(
		rego.metadata.chain(),
		diagnostics.location(diagnostic),
		diagnostics.message(diagnostic, ""),
		diagnostics.evidence(diagnostic),
		concat(" ", [
			"Fix the line so that chronyd accepts it (chrony.conf(5); `chronyd -p -f FILE` prints the",
			"configuration it parsed), or delete it: with it chronyd exits at start-up and the host keeps no time.",
		]),
	),
	{"severity": "critical"},
) if {
	some diagnostic in diagnostics.of_kind(input.diagnostics, {"syntax"})
	_stops_chronyd(diagnostic)
}

_stops_chronyd(diagnostic) if endswith(object.get(diagnostic, "message", ""), "; chronyd will not start")
