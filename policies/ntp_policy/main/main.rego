# METADATA
# title: ntp-policy entrypoint
# description: |
#   The one entrypoint compiled to WebAssembly. It collects the violations of every rule package
#   under data.ntp_policy.rules.<category>.<rule> without naming them, so adding a rule directory is
#   enough to add a rule.
package ntp_policy.main

# METADATA
# title: All violations
# description: |
#   Everything every rule says about one host's policy input document: its violations, the rules that do
#   not apply (see `_not_applicable`) and the lines that satisfy a rule (see `_passed`). An array, not a
#   set: each rule's own set has no duplicates and the entries of different rules differ by their rule
#   id, and a set would hash every entry again (tens of thousands on a host with thousands of lines).
#   The engine orders them.
# entrypoint: true
violations := array.concat(array.concat(_violations, _not_applicable), _passed)

_violations := [violation |
	some category, rule
	some violation in data.ntp_policy.rules[category][rule].violations # regal ignore:mixed-iteration
]

# A rule that cannot judge a host says so in its package's `not_applicable` set ({rule, reason}, see
# lib.result.not_applicable); it joins the result as {rule, not_applicable: reason} and the report shows
# the rule as not applicable on that host, with the reason, instead of passed.
_not_applicable := [{"rule": entry.rule, "not_applicable": entry.reason} |
	some category, rule
	some entry in data.ntp_policy.rules[category][rule].not_applicable # regal ignore:mixed-iteration
]

# A rule's `passed_evidence` set (see lib.result.pass) names the lines that satisfy it; each joins the
# result as {rule, passed_evidence: {location, text}} and the report shows them under the rule where it
# passes ("Passed controls"), instead of a bare "no violation found".
_passed := [{"rule": entry.rule, "passed_evidence": {"location": entry.location, "text": entry.text}} |
	some category, rule
	some entry in data.ntp_policy.rules[category][rule].passed_evidence # regal ignore:mixed-iteration
]
