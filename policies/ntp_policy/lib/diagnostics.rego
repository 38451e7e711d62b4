# METADATA
# title: Diagnostic helpers
# description: |
#   Helpers for the rules that turn reader and parser diagnostics (`input.diagnostics`) into
#   violations. The diagnostics are facts; the rules decide which of them are findings.
package ntp_policy.lib.diagnostics

# METADATA
# description: The diagnostics whose kind is in `kinds`, in input order.
of_kind(diagnostics, kinds) := [diagnostic |
	some diagnostic in diagnostics
	object.get(diagnostic, "kind", null) in kinds
]

# METADATA
# description: Where the diagnostic is (null when missing, which the engine rejects rather than drop it).
location(diagnostic) := object.get(diagnostic, "location", null)

# METADATA
# description: The diagnostic's message, with an optional consequence appended.
message(diagnostic, consequence) := concat("", [object.get(diagnostic, "message", ""), consequence])

# METADATA
# description: The line the diagnostic is about, as evidence (empty text when the line is not known).
evidence(diagnostic) := [{"location": location(diagnostic), "text": _text(diagnostic)}]

_text(diagnostic) := diagnostic.text if is_string(diagnostic.text)

_text(diagnostic) := "" if not is_string(object.get(diagnostic, "text", null))
