# METADATA
# title: ntp-policy entrypoint
# description: |
#   The one entrypoint compiled to WebAssembly. It collects the violations of every rule package
#   under data.ntp_policy.rules.<category>.<rule> without naming them, so adding a rule directory is
#   enough to add a rule.
package ntp_policy.main

# METADATA
# title: All violations
# description: The set of violations of every rule, for one host's policy input document.
# entrypoint: true
violations contains violation if {
	some category, rule
	some violation in data.ntp_policy.rules[category][rule].violations # regal ignore:mixed-iteration
}

# METADATA
# title: Rules that do not apply
# description: |
#   A rule that cannot judge a host says so in its package's `not_applicable` set ({rule, reason}, see
#   lib.result.not_applicable); it joins the result set as {rule, not_applicable: reason} and the report
#   shows the rule as not applicable on that host, with the reason, instead of passed.
violations contains {"rule": entry.rule, "not_applicable": entry.reason} if {
	some category, rule
	some entry in data.ntp_policy.rules[category][rule].not_applicable # regal ignore:mixed-iteration
}

# METADATA
# title: Lines that satisfy a rule
# description: |
#   A rule's `passed_evidence` set (see lib.result.pass) names the lines that satisfy it; each joins the
#   result set as {rule, passed_evidence: {location, text}} and the report shows them under the rule
#   where it passes ("Passed controls"), instead of a bare "no violation found".
violations contains {"rule": entry.rule, "passed_evidence": {"location": entry.location, "text": entry.text}} if {
	some category, rule
	some entry in data.ntp_policy.rules[category][rule].passed_evidence # regal ignore:mixed-iteration
}
