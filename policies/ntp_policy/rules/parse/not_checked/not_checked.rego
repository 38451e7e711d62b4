# METADATA
# title: Host not fully checked
# description: >-
#   Part of the host could not be checked because a safety limit was reached: the host took longer or
#   needed more memory than its budget, it names more included files than are followed, it produced
#   more diagnostics than are kept, or a line is too long to check. What was not checked is not
#   known to be compliant, so the host is reported rather than passed; the rest of the fleet is still
#   checked. A real configuration comes nowhere near these limits: reaching one usually means a
#   generated, corrupted or deliberately hostile file.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/ntp.conf/
#     description: ntp.conf configuration file syntax
# custom:
#   id: PARSE004
#   severity: high
#   passes_when: >-
#     No line shows this: it passes because no time, memory, include or diagnostic budget was
#     exceeded, so the whole host was checked.
#   inputs: []
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "(an ntp.conf whose includefile lines fan out to more than 1,000 included files)"
#     pass: "includefile /etc/ntp/servers.conf"
#   remediation: >-
#     Look at the file and line the finding names: remove the runaway include fan-out, the over-long
#     line or the generated bulk, or split the configuration. If the host is genuinely that large,
#     raise the budget (`--host-timeout`, `--host-memory`).
#   references:
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
package ntp_policy.rules.parse.not_checked

import data.ntp_policy.lib.diagnostics
import data.ntp_policy.lib.result

# METADATA
# description: One violation per limit that stopped part of the host from being checked.
violations contains result.fail(
	rego.metadata.chain(),
	diagnostics.location(diagnostic),
	diagnostics.message(diagnostic, "; the rest of the host was checked"),
	diagnostics.evidence(diagnostic),
) if {
	some diagnostic in diagnostics.of_kind(input.diagnostics, {"not-checked"})
}
