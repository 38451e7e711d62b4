# METADATA
# title: File could not be read
# description: >-
#   The file could not be checked at all: it is binary, holds NUL bytes, is larger than the reader
#   accepts, or reading it failed. No rule saw its content, so the absence of other findings for
#   this host says nothing about it. An unreadable ntp.conf can also mean the daemon itself fails
#   to start or runs with defaults.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/ntp.conf/
#     description: ntp.conf configuration file syntax
# custom:
#   id: PARSE003
#   severity: high
#   passes_when: >-
#     No line shows this: it passes because every file of the host could be read.
#   inputs: []
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "(a binary file, or one with NUL bytes, where ntp.conf should be)"
#     pass: "server 0.pool.ntp.org iburst"
#   remediation: >-
#     Provide the file as plain UTF-8 or ASCII text under the size limit (re-collect it from the host),
#     or remove it from the host dump if it is not a configuration file.
#   references:
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
package ntp_policy.rules.parse.unreadable_file

import data.ntp_policy.lib.diagnostics
import data.ntp_policy.lib.result

# METADATA
# description: One violation per unreadable-file diagnostic.
violations contains result.fail(
	rego.metadata.chain(),
	diagnostics.location(diagnostic),
	diagnostics.message(diagnostic, "; nothing in it was checked"),
	diagnostics.evidence(diagnostic),
) if {
	some diagnostic in diagnostics.of_kind(input.diagnostics, {"unreadable"})
}
