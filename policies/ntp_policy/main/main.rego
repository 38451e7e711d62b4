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
#   {rule, reason} for every rule that declares it does not apply to this host (for example NTP007 on
#   an ntpsec host). Such a rule emits no violation: it is neither a pass nor a fail.
not_applicable contains statement if {
	some category, rule
	statement := data.ntp_policy.rules[category][rule].not_applicable # regal ignore:mixed-iteration
}
