# METADATA
# title: File is a template, not checked
# description: >-
#   The file contains template markup (Jinja, ERB, Go templates, …), so it is not a configuration the
#   daemon could read and nothing in it was checked. The configuration that runs is whatever the
#   template renders to, which may or may not be compliant: check the rendered file instead.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/ntp.conf/
#     description: ntp.conf configuration file syntax
# custom:
#   id: PARSE002
#   severity: low
#   passes_when: >-
#     No line shows this: the absence of template placeholders is what passes.
#   inputs: []
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "{% for server in ntp_servers %}"
#     pass: "server 0.pool.ntp.org iburst"
#   remediation: >-
#     Render the template (e.g. with the configuration-management tool's dry run) and run
#     ntp-policy on the rendered file; keep templates out of host dumps.
#   references:
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
package ntp_policy.rules.parse.template_file

import data.ntp_policy.lib.diagnostics
import data.ntp_policy.lib.result

# METADATA
# description: One violation per template diagnostic.
violations contains result.fail(
	rego.metadata.chain(),
	diagnostics.location(diagnostic),
	diagnostics.message(diagnostic, "; nothing in it was checked"),
	diagnostics.evidence(diagnostic),
) if {
	some diagnostic in diagnostics.of_kind(input.diagnostics, {"template"})
}
