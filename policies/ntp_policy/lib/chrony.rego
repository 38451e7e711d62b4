# METADATA
# title: chrony.conf helpers
# description: Helpers shared by the rules that read the chrony facts (`input.chrony`).
package ntp_policy.lib.chrony

# METADATA
# description: The chrony facts, when a chrony.conf was checked; undefined otherwise, so chrony rules produce nothing.
facts := input.chrony if is_object(input.chrony)

# METADATA
# description: |
#   True when the daemon-neutral facts (`input.time`) describe chronyd: the host's only daemon
#   configuration, or the one its chrony-version says runs.
neutral if {
	is_object(facts)
	input.time.daemon.name == "chrony"
}

# METADATA
# description: Line 1, column 1 of the chrony.conf, where findings about what no line configures are located.
config_start := {"file": object.get(input, ["time", "daemon", "config_file"], _chrony_file), "line": 1, "column": 1}

_chrony_file := [file.path | some file in object.get(input, "files", []); file.kind == "chrony.conf"][0]

# METADATA
# description: A configuration line as evidence.
line_evidence(line) := {"location": object.get(line, "location", null), "text": object.get(line, "text", "")}

# METADATA
# scope: document
# description: Where a location is, as a message names it (`etc/chrony/chrony.conf:3`).
location_text(location) := concat(":", [
	object.get(location, "file", "?"),
	format_int(object.get(location, "line", 0), 10),
]) if {
	is_object(location)
}

location_text(location) := "?" if not is_object(location)

# METADATA
# description: A line as a message quotes it (`` `allow all` at etc/chrony/chrony.conf:4 ``).
line_subject(line) := concat("", [
	"`", object.get(line, "text", ""), "` at ",
	location_text(object.get(line, "location", null)),
])
