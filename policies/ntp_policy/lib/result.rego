# METADATA
# title: Violation builder
# description: |
#   The one way a rule reports a violation. The rule passes `rego.metadata.chain()`; its id, severity
#   and remediation are read from the `custom` block of the rule's package METADATA, so no rule repeats
#   them. `rego.metadata.chain()` is resolved at compile time, so this costs nothing in wasm.
package ntp_policy.lib.result

# METADATA
# description: |
#   The violation object {rule, severity, message, location, evidence, remediation} for the rule whose
#   metadata chain is `chain` (from `rego.metadata.chain()`). A missing METADATA field becomes null
#   rather than making the violation disappear: the TypeScript engine rejects it (fail closed).
fail(chain, location, message, evidence) := {
	"rule": object.get(meta, "id", null),
	"severity": object.get(meta, "severity", null),
	"message": message,
	"location": location,
	"evidence": evidence,
	"remediation": object.get(meta, "remediation", null),
} if {
	meta := _custom(chain)
}

# The `custom` block of the innermost annotation in the chain that carries a rule id.
_custom(chain) := object.get(ids[0], ["annotations", "custom"], {}) if {
	ids := [link |
		some link in chain
		object.get(link, ["annotations", "custom", "id"], null) != null
	]
	count(ids) > 0
}

_custom(chain) := {} if {
	every link in chain {
		object.get(link, ["annotations", "custom", "id"], null) == null
	}
}

# METADATA
# description: |
#   A rule's statement that it does not apply to this host, and why: {rule, reason}. A rule that cannot
#   apply is neither a pass nor a fail; it defines `not_applicable` and emits no violation. The
#   entrypoint collects these statements in `data.ntp_policy.main.not_applicable`.
not_applicable(chain, reason) := {"rule": object.get(_custom(chain), "id", null), "reason": reason}
