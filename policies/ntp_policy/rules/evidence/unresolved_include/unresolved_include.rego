# METADATA
# title: includefile could not be resolved (incomplete evidence)
# description: >-
#   An `includefile` line names a file that is not in the host dump, lies outside the host
#   directory, includes itself, or nests too deep. Whatever that file configures (restrict lines,
#   servers, `disable monitor`) was not seen, so the other findings for this host may be wrong in
#   either direction: a missing finding is not evidence of compliance.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/miscopt/
#     description: ntpd includefile command
# custom:
#   id: NTP004
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because every includefile line was resolved and read.
#   inputs:
#     - ntp
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "includefile /etc/ntp/not-in-the-dump.conf"
#     pass: "includefile /etc/ntp/upstreams.conf"
#   remediation: >-
#     Add the included file to the host dump at the path the includefile line names (resolved
#     inside the host directory), or correct the includefile path.
#   references:
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
package ntp_policy.rules.evidence.unresolved_include

import data.ntp_policy.lib.diagnostics
import data.ntp_policy.lib.result

# METADATA
# description: One violation per include diagnostic.
violations contains result.fail(
	rego.metadata.chain(),
	diagnostics.location(diagnostic),
	diagnostics.message(diagnostic, _consequence),
	diagnostics.evidence(diagnostic),
) if {
	some diagnostic in diagnostics.of_kind(input.diagnostics, {"include"})
}

_consequence := "; what that file configures was not checked, so this host's findings may be incomplete"
