# METADATA
# title: ntp.conf helpers
# description: Helpers shared by the rules that read the ntp.conf facts (`input.ntp`).
package ntp_policy.lib.ntp

# METADATA
# description: |
#   The ntp.conf facts, when an ntp.conf was checked. Undefined when the host has no ntp.conf
#   (`input.ntp` is null) and when the file is a template (PARSE002 reports it; nothing was derived
#   from it), so the NTP rules produce nothing then.
facts := input.ntp if {
	is_object(input.ntp)
	object.get(input.ntp, "template", false) == false
}

# METADATA
# description: Line 1, column 1 of the ntp.conf, where findings about what no line configures are located.
config_start := {"file": object.get(facts, "config_file", null), "line": 1, "column": 1}

# METADATA
# description: The restrict entries ntpd built (the built-in defaults included), in input order.
restrict_entries := object.get(facts, ["restrict", "entries"], [])

# METADATA
# description: True when the entry lets the hosts it governs query the daemon (neither noquery nor ignore).
answers_queries(entry) if {
	flags := object.get(entry, "flags", [])
	not "noquery" in flags
	not "ignore" in flags
}

# METADATA
# description: The family as people write it (IPv4, IPv6).
family_name(entry) := object.get({"ipv4": "IPv4", "ipv6": "IPv6"}, object.get(entry, "family", ""), "unknown family")

# METADATA
# scope: document
# description: Where a finding about the entry is located, its first line, or line 1 for a built-in entry.
entry_location(entry) := entry.lines[0].location

entry_location(entry) := config_start if count(object.get(entry, "lines", [])) == 0

# METADATA
# description: |
#   The entry as a restrict line (`restrict -4 default kod noquery`, `restrict 192.0.2.0 mask
#   255.255.255.0 nomodify`). Duplicate lines are merged into one entry, so this is the effective entry.
restrict_text(entry) := concat(" ", [word |
	some word in array.concat(_target_words(entry), object.get(entry, "flags", []))
	word != ""
])

_target_words(entry) := ["restrict", _family_option(entry), "default"] if entry.kind == "default"

_target_words(entry) := ["restrict", split(entry.prefix, "/")[0], "mask", entry.mask] if {
	entry.kind == "address"
	is_string(entry.mask)
}

_target_words(entry) := ["restrict", object.get(entry, "prefix", "")] if {
	not entry.kind == "default"
	not _masked_address(entry)
}

_family_option(entry) := object.get({"ipv4": "-4", "ipv6": "-6"}, object.get(entry, "family", ""), "")

_masked_address(entry) if {
	entry.kind == "address"
	is_string(entry.mask)
}

# METADATA
# scope: document
# description: |
#   Evidence for an entry: one item per line that defines it, or, for a built-in entry, line 1
#   with a note that no line configures it.
entry_evidence(entry) := [{"location": line.location, "text": line.text} |
	some line in entry.lines
] if {
	count(object.get(entry, "lines", [])) > 0
}

entry_evidence(entry) := [{
	"location": config_start,
	"text": concat("", [restrict_text(entry), " (built-in: no line configures it)"]),
}] if {
	count(object.get(entry, "lines", [])) == 0
}
