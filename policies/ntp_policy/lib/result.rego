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

# METADATA
# scope: document
# description: |
#   Like `fail`, with a remediation written for this host in place of the rule's general one (e.g. an
#   nft command on a host whose firewall is an nftables ruleset, chrony.conf syntax on a chrony host);
#   a null `fix` keeps the general one.
fail_fix(chain, location, message, evidence, fix) := object.union(
	fail(chain, location, message, evidence),
	{"remediation": fix},
) if {
	is_string(fix)
}

fail_fix(chain, location, message, evidence, null) := fail(chain, location, message, evidence)

# METADATA
# description: |
#   One line of passing evidence {rule, location, text} for the rule whose metadata chain is `chain`:
#   `item` is an evidence item {location, text} of a line that satisfies the rule (the noquery entry,
#   the `disable monitor` line, the INPUT DROP policy). Rules add these to their `passed_evidence` set;
#   the report shows them under the rule only where the rule passes. Items without a located line
#   (built-in defaults) are left out: a passed control is never evidenced by an invented line.
pass(chain, item) := {
	"rule": object.get(meta, "id", null),
	"location": item.location,
	"text": object.get(item, "text", ""),
} if {
	meta := _custom(chain)
	is_string(item.location.file)
}

# The `custom` block of the innermost annotation in the chain that carries a rule id.
# METADATA
# description: |
#   The not-applicable entry {rule, reason} for the rule whose metadata chain is `chain`: the rule cannot
#   judge this host (e.g. ntpsec has no mode 7), so the report says why instead of calling it passed.
not_applicable(chain, reason) := {"rule": object.get(meta, "id", null), "reason": reason} if {
	meta := _custom(chain)
}

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
