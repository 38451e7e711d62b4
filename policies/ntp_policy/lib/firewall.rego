# METADATA
# title: Firewall helpers
# description: |
#   Helpers shared by the rules that read the host firewall facts (`input.firewall`) and the facts
#   that need both layers (`input.exposure`). A family whose facts are null (the dump has no file
#   for it), missing, or empty (the file holds no iptables table) is absent from `families`, so rules
#   that iterate over them produce nothing for it: an empty dump is missing evidence, never a firewall
#   that accepts everything.
package ntp_policy.lib.firewall

# METADATA
# description: The address families, in the order findings name them.
family_keys := ["ipv4", "ipv6"]

# METADATA
# description: The firewall facts of each family the dump has a non-empty file for, by family key (ipv4, ipv6).
families[key] := facts if {
	some key in family_keys
	facts := object.get(input, ["firewall", key], null)
	is_object(facts)
	object.get(facts, "empty", false) != true
}

# METADATA
# description: The cross-layer facts (ntp.conf and firewall) of each family that has both layers, by family key.
exposures[key] := facts if {
	some key in family_keys
	facts := object.get(input, ["exposure", key], null)
	is_object(facts)
}

# METADATA
# scope: document
# description: |
#   True when the dump has no firewall evidence for the family: no file (its facts are null or
#   missing), or an empty one.
missing(key) if not is_object(object.get(input, ["firewall", key], null))

missing(key) if empty(key)

# METADATA
# description: |
#   True when the family's file holds no iptables table: what iptables-save prints on a host whose
#   firewall is nftables or firewalld.
empty(key) if input.firewall[key].empty == true

_save_command := {"ipv4": "iptables-save", "ipv6": "ip6tables-save"}

# METADATA
# scope: document
# description: How a missing family's evidence is missing, in words (`no ip6tables-save`, `an empty iptables-save`).
absence(key) := concat("", ["no ", object.get(_save_command, key, "firewall dump")]) if not empty(key)

absence(key) := concat("", [
	"an empty ", object.get(input, ["firewall", key, "file"], "firewall dump"),
	" (no iptables table: the firewall, if any, is nftables or firewalld)",
]) if {
	empty(key)
	not nft(input.firewall[key])
}

absence(key) := concat("", [
	"an empty ", object.get(input, ["firewall", key, "file"], "firewall dump"),
	" (no nftables table: nothing shows a firewall)",
]) if {
	empty(key)
	nft(input.firewall[key])
}

# METADATA
# description: The family as people write it (IPv4, IPv6).
family_name(key) := object.get({"ipv4": "IPv4", "ipv6": "IPv6"}, key, "unknown family")

# METADATA
# description: |
#   The firewall of a family as findings name it, e.g. `IPv4 firewall (iptables-save)`, or with every
#   file it is read from (`IPv4 firewall (iptables-save + nft-ruleset)`).
subject(key, facts) := concat("", [family_name(key), " firewall (", _source_files(facts), ")"])

_source_files(facts) := concat(" + ", [source.file | some source in facts.sources]) if {
	count(object.get(facts, "sources", [])) > 1
} else := object.get(facts, "file", "?")

# METADATA
# description: |
#   True when the family's firewall facts name an nftables ruleset first (`format: "nft"`): messages and
#   fixes are then written in nft syntax.
nft(facts) if facts.format == "nft"

# METADATA
# scope: document
# description: |
#   The nft table and chain a fix goes into (`inet filter input`): those of the first evidence line when
#   it is an nft line, else the input filter chain of the facts, else `inet filter input`.
nft_chain(facts, rules) := concat(" ", [rules[0].table, rules[0].chain]) if {
	count(rules) > 0
	rules[0].format == "nft"
	is_string(rules[0].table)
	is_string(rules[0].chain)
} else := concat(" ", [chain.table, chain.chain]) if {
	chain := object.get(facts, "input_chain", null)
	is_object(chain)
	chain.format == "nft"
} else := "inet filter input"

# METADATA
# description: The nft table a fix adds chains to (`inet filter`), that of the input filter chain when it is nft.
nft_table(facts) := chain.table if {
	chain := object.get(facts, "input_chain", null)
	is_object(chain)
	chain.format == "nft"
} else := "inet filter"

# METADATA
# description: The nft address expression of a family (`ip`, `ip6`).
nft_address(key) := object.get({"ipv4": "ip", "ipv6": "ip6"}, key, "ip")

# METADATA
# description: The trusted networks (settings) of a family.
trusted_networks(key) := [network |
	some network in input.settings.trusted_networks
	_family_of(network) == key
]

_family_of(network) := "ipv6" if contains(network, ":")

_family_of(network) := "ipv4" if not contains(network, ":")

# METADATA
# scope: document
# description: |
#   An nft command that drops new datagrams (`proto` udp or tcp) to port 123 from outside the trusted
#   networks and loopback, inserted first in the chain of `rules[0]` (or the input chain):
#   `nft insert rule inet filter input iifname != "lo" ip saddr != { 192.0.2.0/24 } udp dport 123 drop`.
nft_drop_untrusted(key, facts, rules, proto) := concat("", [
	"nft insert rule ", nft_chain(facts, rules), " iifname != \"lo\" ", nft_address(key), " saddr != { ",
	concat(", ", trusted_networks(key)), " } ", proto, " dport 123 drop",
]) if {
	count(trusted_networks(key)) > 0
} else := concat("", [
	"nft insert rule ", nft_chain(facts, rules), " iifname != \"lo\" meta nfproto ", key, " ", proto, " dport 123 drop",
])

# METADATA
# description: Line 1, column 1 of the family's firewall file, where findings no rule line decides are located.
file_start(facts) := {"file": object.get(facts, "file", null), "line": 1, "column": 1}

# METADATA
# scope: document
# description: |
#   Where the filter INPUT policy of the family is set, or line 1 of its file when the file does not
#   set it.
policy_location(facts) := facts.input_policy_location if is_object(facts.input_policy_location)

policy_location(facts) := file_start(facts) if not is_object(object.get(facts, "input_policy_location", null))

# METADATA
# scope: document
# description: |
#   The filter INPUT policy line as written, as a list of one evidence item, or none when the file
#   does not set it (passing evidence shows only lines that are there).
policy_lines(facts) := [{"location": facts.input_policy_location, "text": policy_text(facts)}] if {
	is_object(facts.input_policy_location)
}

policy_lines(facts) := [] if not is_object(object.get(facts, "input_policy_location", null))

# METADATA
# scope: document
# description: |
#   The filter INPUT policy line as evidence, as written (`:INPUT DROP [0:0]`), or, when the file does
#   not set it, line 1 of the file with a note on what iptables-restore does then.
policy_evidence(facts) := [{
	"location": facts.input_policy_location,
	"text": policy_text(facts),
}] if {
	is_object(facts.input_policy_location)
}

policy_evidence(facts) := [{
	"location": file_start(facts),
	"text": "(no :INPUT policy line for the filter table: the kernel's policy stays, ACCEPT unless changed)",
}] if {
	not is_object(object.get(facts, "input_policy_location", null))
}

# METADATA
# scope: document
# description: |
#   The filter INPUT policy line as written (`:INPUT DROP [0:0]`, `-P INPUT DROP`), or, when the facts
#   do not give the line, rebuilt from the policy (`:INPUT DROP`).
policy_text(facts) := facts.input_policy_text if is_string(facts.input_policy_text)

policy_text(facts) := concat("", [":INPUT ", _policy_name(facts)]) if {
	not is_string(object.get(facts, "input_policy_text", null))
}

_policy_name(facts) := facts.input_policy if is_string(facts.input_policy)

_policy_name(facts) := "?" if not is_string(object.get(facts, "input_policy", null))

# METADATA
# scope: document
# description: |
#   The policy of a filter chain the facts name `<chain>_policy` (`FORWARD` → `forward_policy`,
#   `OUTPUT` → `output_policy`): ACCEPT or DROP, or null when the file does not set it.
chain_policy(facts, chain) := policy if {
	policy := object.get(facts, concat("", [lower(chain), "_policy"]), null)
	is_string(policy)
}

chain_policy(facts, chain) := null if {
	not is_string(object.get(facts, concat("", [lower(chain), "_policy"]), null))
}

# METADATA
# scope: document
# description: |
#   The policy line of a filter chain other than INPUT (`forward_policy_line`, `output_policy_line`),
#   or null when the file does not declare the chain.
chain_policy_line(facts, chain) := line if {
	line := object.get(facts, concat("", [lower(chain), "_policy_line"]), null)
	is_object(line)
}

chain_policy_line(facts, chain) := null if {
	not is_object(object.get(facts, concat("", [lower(chain), "_policy_line"]), null))
}

# METADATA
# scope: document
# description: |
#   The policy of a filter chain other than INPUT as evidence: its line as written when the file has
#   one; otherwise line 1 of the family's file with a note in parentheses (so that no reporter takes it
#   for line 1 as written) on the policy or on what iptables-restore does when the file does not set it.
chain_policy_evidence(facts, chain) := {"location": line.location, "text": line.text} if {
	line := chain_policy_line(facts, chain)
	line != null
}

chain_policy_evidence(facts, chain) := {"location": file_start(facts), "text": _chain_policy_text(facts, chain)} if {
	chain_policy_line(facts, chain) == null
}

_chain_policy_text(facts, chain) := concat("", [
	"(the filter table's ", chain, " policy is ", chain_policy(facts, chain),
	": :", chain, " ", chain_policy(facts, chain), ")",
]) if {
	chain_policy(facts, chain) != null
}

_chain_policy_text(facts, chain) := concat("", [
	"(no :", chain, " policy line for the filter table: the kernel's policy stays, ACCEPT unless changed)",
]) if {
	chain_policy(facts, chain) == null
}

# METADATA
# description: The loopback source block of the family as firewall rules write it (127.0.0.0/8, ::1/128).
loopback_source(key) := object.get({"ipv4": "127.0.0.0/8", "ipv6": "::1/128"}, key, "?")

# METADATA
# scope: document
# description: |
#   The rules (and policies) through which new UDP/123 datagrams from outside the trusted networks
#   may be accepted (`ntp_inbound.accepted_untrusted_by`); when the facts name none, every rule that
#   accepts such datagrams (`ntp_inbound.accepted_by`).
untrusted_accepting(facts) := _inbound_list(facts, "accepted_untrusted_by") if {
	count(_inbound_list(facts, "accepted_untrusted_by")) > 0
}

untrusted_accepting(facts) := _inbound_list(facts, "accepted_by") if {
	count(_inbound_list(facts, "accepted_untrusted_by")) == 0
}

_inbound_list(facts, field) := object.get(facts, ["ntp_inbound", field], [])

# METADATA
# scope: document
# description: |
#   Where a finding about UDP/123 from untrusted sources is located: the first rule (or policy) that
#   lets them in, else the INPUT policy line, else line 1 of the file.
untrusted_accepting_location(facts) := object.get(untrusted_accepting(facts)[0], "location", null) if {
	count(untrusted_accepting(facts)) > 0
}

untrusted_accepting_location(facts) := policy_location(facts) if count(untrusted_accepting(facts)) == 0

# METADATA
# description: |
#   Firewall rules (RuleEvidence) as evidence: the rule as written, then what it does to the packets
#   in question, e.g. `-A INPUT -p udp --dport 123 -j ACCEPT — accepts`.
rule_evidence(rules) := [{"location": object.get(rule, "location", null), "text": rule_text(rule)} |
	some rule in rules
]

# METADATA
# scope: document
# description: A firewall rule as written, then its effect after a dash when the facts give one.
rule_text(rule) := concat("", [object.get(rule, "text", ""), " — ", rule.effect]) if {
	is_string(rule.effect)
	rule.effect != ""
}

rule_text(rule) := object.get(rule, "text", "") if not _has_effect(rule)

_has_effect(rule) if {
	is_string(rule.effect)
	rule.effect != ""
}

# METADATA
# description: Undecidable matches (Assumption) as evidence, the rule as written, then what was assumed.
assumption_evidence(assumptions) := [{
	"location": object.get(assumption, "location", null),
	"text": concat("", [
		object.get(assumption, "text", ""),
		" — ", object.get(assumption, "reason", "assumed to match"),
	]),
} |
	some assumption in assumptions
]

# METADATA
# scope: document
# description: A list for a message, at most its first three items, then how many more.
short_list(items) := concat(", ", items) if count(items) <= 3

short_list(items) := concat("", [
	concat(", ", array.slice(items, 0, 3)),
	" and ", format_int(count(items) - 3, 10), " more",
]) if {
	count(items) > 3
}

# METADATA
# description: |
#   Address blocks (CIDRs) for a message: the analysis's description of the set by what it leaves out
#   (`input.address_summaries`: `any address except 10.0.0.0/8 and loopback`) when that is shorter, else
#   the blocks themselves, the widest first (ties in input order), at most three, then how many more:
#   `0.0.0.0/2, 128.0.0.0/3, 192.0.0.0/23 and 27 more`.
address_list(cidrs) := summary if {
	summary := _address_summary(cidrs)
	summary != ""
	count(summary) < count(_widest_short_list(cidrs))
} else := _widest_short_list(cidrs)

# The summary the analysis computed for this list, else "". The analysis keys each summary by the
# list's CIDRs sorted and joined; the key is matched as a set (same size, every CIDR in the list), not
# by sorting the list: OPA's WebAssembly `sort` is an insertion sort, quadratic on a long list out of
# order. Only lists whose complement is a few blocks have a summary, so there are few keys to try.
_address_summary(cidrs) := summary if {
	listed := {cidr | some cidr in cidrs}
	some key, summary in object.get(input, "address_summaries", {})
	count(key) == _joined_length(cidrs)
	parts := split(key, ", ")
	count(parts) == count(listed)
	every part in parts {
		listed[part] # a hash lookup; `part in listed` scans the set in WebAssembly
	}
} else := ""

# The length of the CIDRs joined by ", " (a cheap test that rules out most keys without splitting them).
_joined_length(cidrs) := (sum([count(cidr) | some cidr in cidrs]) + (2 * count(cidrs))) - 2

# short_list(widest_first(cidrs)) without ordering the whole list: the message shows the three widest
# blocks and how many more there are, so three passes (one per prefix length, widest first) suffice.
_widest_short_list(cidrs) := short_list(cidrs) if count(cidrs) == 0

_widest_short_list(cidrs) := concat(", ", three) if {
	count(cidrs) > 0
	count(cidrs) <= 3
	three := _widest_three(cidrs)
}

_widest_short_list(cidrs) := concat("", [
	concat(", ", _widest_three(cidrs)),
	" and ", format_int(count(cidrs) - 3, 10), " more",
]) if {
	count(cidrs) > 3
}

_widest_three(cidrs) := array.slice(
	array.concat(array.concat(_with_key(keyed, keys, 0), _with_key(keyed, keys, 1)), _with_key(keyed, keys, 2)),
	0, 3,
) if {
	keyed := [[_prefix_key(cidr), cidr] | some cidr in cidrs]
	keys := sort({pair[0] | some pair in keyed})
}

# The CIDRs whose prefix key is the k-th smallest present, in input order (none past the last key).
_with_key(keyed, keys, k) := [pair[1] | some pair in keyed; pair[0] == keys[k]] if k < count(keys)

_with_key(_, keys, k) := [] if k >= count(keys)

# METADATA
# description: |
#   CIDRs ordered from the widest block to the narrowest; ties keep their input order. One pass per
#   prefix length present (at most 129) rather than a `sort` of the list, which OPA's WebAssembly
#   runtime does by insertion, quadratic on a long list out of order.
widest_first(cidrs) := [pair[1] |
	keyed := [[_prefix_key(cidr), cidr] | some cidr in cidrs]
	some key in sort({pair[0] | some pair in keyed})
	some pair in keyed
	pair[0] == key
]

# The prefix length zero-padded to three digits, so that strings sort as the numbers do (no regex or
# to_number: regex.match alone would double the size of policy.wasm). Anything else sorts last.
_prefix_key(cidr) := concat("", [substring("000", 0, 3 - count(length)), length]) if {
	_has_short_prefix(cidr)
	length := split(cidr, "/")[1]
}

_prefix_key(cidr) := "~" if not _has_short_prefix(cidr)

_has_short_prefix(cidr) if {
	parts := split(cidr, "/")
	count(parts) == 2
	count(parts[1]) > 0
	count(parts[1]) <= 3
}

# METADATA
# description: A location as people cite it, `file:line`.
line_ref(location) := concat("", [object.get(location, "file", "?"), ":", _line(location)])

_line(location) := format_int(location.line, 10) if is_number(location.line)

_line(location) := "?" if not is_number(object.get(location, "line", null))

# METADATA
# description: Where some rules are, for a message, at most three of them, then how many more.
rule_refs(rules) := short_list([line_ref(object.get(rule, "location", {})) | some rule in rules])

# METADATA
# scope: document
# description: A count with its noun, singular or plural (1 rule, 2 rules).
counted(1, singular, _) := concat(" ", ["1", singular])

counted(n, _, plural) := concat(" ", [format_int(n, 10), plural]) if n != 1
