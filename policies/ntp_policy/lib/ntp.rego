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
entry_evidence(entry) := entry_lines(entry) if {
	count(object.get(entry, "lines", [])) > 0
}

entry_evidence(entry) := [{
	"location": config_start,
	"text": concat("", [restrict_text(entry), " (built-in: no line configures it)"]),
}] if {
	count(object.get(entry, "lines", [])) == 0
}

# METADATA
# description: |
#   The lines that define an entry, as evidence items {location, text}; none for a built-in entry
#   (what passing evidence uses: a built-in default is never shown as a line that satisfies a rule).
entry_lines(entry) := [{"location": line.location, "text": line.text} |
	some line in object.get(entry, "lines", [])
]

# METADATA
# description: |
#   A policy setting from `input.settings` (src/model/input.ts `Settings`), or the given default
#   when the input does not carry it.
setting(name, default_value) := object.get(input, ["settings", name], default_value)

# METADATA
# description: True when some line configures the entry (false for ntpd's built-in default entries).
configured(entry) if count(object.get(entry, "lines", [])) > 0

# METADATA
# description: True when the restrict entry (or the `restrict source` template) carries the flag.
has_flag(entry, flag) if flag in object.get(entry, "flags", [])

# METADATA
# scope: document
# description: Where a location is, as people read it in a message (`etc/ntp.conf:3`).
location_text(location) := concat(":", [
	object.get(location, "file", "?"),
	format_int(object.get(location, "line", 0), 10),
]) if {
	is_object(location)
}

location_text(location) := "?" if not is_object(location)

# METADATA
# scope: document
# description: |
#   A restrict entry as a message names it: its prefix and family, and the line that configures it
#   as written (`restrict entry 0.0.0.0/0 (IPv4; `restrict default kod` at etc/ntp.conf:3)`), or
#   that no line configures it (ntpd's built-in default entry).
entry_subject(entry) := concat("", [
	"restrict entry ", object.get(entry, "prefix", "?"), " (", family_name(entry), "; `",
	object.get(entry.lines[0], "text", ""), "` at ", location_text(object.get(entry.lines[0], "location", null)),
	_more_lines(count(entry.lines)), ")",
]) if {
	configured(entry)
}

entry_subject(entry) := concat("", [
	"ntpd's built-in default restrict entry ", object.get(entry, "prefix", "?"),
	" (", family_name(entry), "; no restrict line configures it)",
]) if {
	not configured(entry)
}

_more_lines(n) := "" if n < 2

_more_lines(2) := " and 1 more line"

_more_lines(n) := concat("", [" and ", format_int(n - 1, 10), " more lines"]) if n > 2

# METADATA
# description: The `restrict source` template, when a line configures it (undefined otherwise).
restrict_source := source if {
	source := object.get(facts, ["restrict", "source"], null)
	is_object(source)
}

# METADATA
# scope: document
# description: The `restrict source` template as a message names it, with its first line as written.
source_subject(source) := concat("", [
	"restrict source (`", object.get(source.lines[0], "text", ""), "` at ",
	location_text(object.get(source.lines[0], "location", null)), ")",
]) if {
	count(object.get(source, "lines", [])) > 0
}

source_subject(source) := "restrict source" if count(object.get(source, "lines", [])) == 0

# METADATA
# scope: document
# description: Where a finding about the `restrict source` template is located (its first line, else line 1).
source_location(source) := object.get(source.lines[0], "location", config_start) if {
	count(object.get(source, "lines", [])) > 0
}

source_location(source) := config_start if count(object.get(source, "lines", [])) == 0

# METADATA
# description: The lines that configure the `restrict source` template, as evidence.
source_evidence(source) := [{"location": object.get(line, "location", null), "text": object.get(line, "text", "")} |
	some line in object.get(source, "lines", [])
]

# METADATA
# description: |
#   The associations (server, pool, peer, broadcast and manycastclient lines and reference clocks),
#   in input order.
associations := object.get(facts, "associations", [])

# METADATA
# description: The association modes that make a remote host a time source of this daemon.
upstream_modes := {"server", "pool", "peer"}

# METADATA
# description: True for a server, pool or peer line naming a remote host (not a reference clock).
remote_upstream(association) if {
	object.get(association, "mode", null) in upstream_modes
	object.get(association, "address_kind", "refclock") != "refclock"
}

# METADATA
# description: An association line as evidence, as written.
association_evidence(association) := {
	"location": object.get(association, "location", null),
	"text": object.get(association, "text", ""),
}

# METADATA
# description: An association line as a message quotes it (`` `server 192.0.2.1 iburst` at etc/ntp.conf:10 ``).
association_subject(association) := concat("", [
	"`", object.get(association, "text", ""), "` at ",
	location_text(object.get(association, "location", null)),
])

# METADATA
# scope: document
# description: |
#   True when the association authenticates its time source: a `key` that is a trustedkey, `autokey`
#   (ntpd) or `nts` (ntpsec). `trusted_keys` is an array or a set of key ids (`trusted_key_set`: a
#   lookup instead of a scan per association).
authenticated(association, trusted_keys) if {
	key := object.get(association, ["options", "key"], null)
	is_number(key)
	_one_of(key, trusted_keys)
}

authenticated(association, _) if association.options.autokey == true

authenticated(association, _) if association.options.nts == true

# A set is looked up by hash; `x in collection` scans it in WebAssembly, like an array.
_one_of(x, collection) if {
	is_set(collection)
	collection[x]
}

_one_of(x, collection) if {
	not is_set(collection)
	x in collection
}

# METADATA
# description: The trusted key ids (`trustedkey`).
trusted_keys := object.get(facts, "trusted_keys", [])

# METADATA
# description: |
#   The trusted key ids as a set, for `authenticated`: one lookup per association however many keys
#   are trusted.
trusted_key_set := {key | some key in trusted_keys}

# METADATA
# description: |
#   The daemon the host is judged as (`ntpd` or `ntpsec`, `input.ntp.daemon.flavor`): from the dump's
#   ntp-version file, else from syntax only ntpsec accepts, else classic ntpd (the assumption that never
#   hides an exposure). Undefined without ntp.conf facts.
daemon_kind := object.get(facts, ["daemon", "flavor"], "ntpd")

# METADATA
# description: True when the host is judged as ntpsec.
judged_as_ntpsec if daemon_kind == "ntpsec"

# METADATA
# description: |
#   True for a hardware reference clock (GPS, PPS, a radio clock …): any refclock driver except the
#   undisciplined local clock (`127.127.1.x`, ntpsec `refclock local`). It keeps time of its own, so
#   it counts as a time source; the local clock only replays this host's own clock.
hardware_refclock(association) if {
	association.address_kind == "refclock"
	association.local_clock == false
}
