# METADATA
# title: Client list (monlist/mrulist) reachable from other hosts
# description: >-
#   With monitoring on, ntpd keeps a list of the hosts that recently sent it packets. Any host that
#   may query the daemon (no `noquery`) can read that list: with ntpq's mrulist (mode 6) and, when
#   mode 7 is enabled, with ntpdc's monlist, whose reply is many times the size of the request
#   (CVE-2013-5211, the NTP amplification attacks of 2014). It also tells a stranger who the clients
#   are. Monitoring is on unless `disable monitor` is set, and a restrict entry with `limited` turns
#   it back on regardless. This rule fires when monitoring is active while some entry that governs
#   an address outside loopback and the trusted networks (`trusted_networks`, `--trusted`) lets
#   queries through. The trusted networks reading the client list is not the exposure this rule is
#   about; a `limited` that keeps monitoring on despite `disable monitor` is NTP021.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/miscopt/
#     description: ntpd miscellaneous options (enable/disable monitor, mode7)
#   - ref: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     description: CVE-2013-5211, ntpd monlist traffic amplification
# custom:
#   id: NTP002
#   severity: high
#   consequence_of:
#     - NTP001
#   inputs:
#     - ntp
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "enable monitor"
#     pass: "disable monitor"
#   remediation: >-
#     Add `disable monitor` and noquery on the default entries
#     (`restrict -4 default kod nomodify notrap nopeer noquery`,
#     `restrict -6 default kod nomodify notrap nopeer noquery`), and remove `enable mode7`;
#     note that `limited` on any restrict entry keeps monitoring active even with `disable monitor`.
#   references:
#     - kind: CVE
#       id: CVE-2013-5211
#       title: ntpd monlist (REQ_MON_GETLIST) traffic amplification
#       url: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     - kind: NIST 800-53
#       id: SC-5
#       title: Denial-of-Service Protection
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.access.monitor_exposed

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: One violation per host when monitoring is active and some non-local entry answers queries.
violations contains object.union(
	result.fail(rego.metadata.chain(), _location, _message, _evidence),
	{"remediation": _advice},
) if {
	object.get(_monitor, "active", true) == true
	count(_exposing) > 0
}

# The fix, from the host's own lines: only the steps this host still needs.
_advice := concat(" ", array.concat(_monitor_steps, array.concat(_noquery_steps, _mode7_steps)))

_monitor_steps := [concat("", [
	"Remove `", object.get(_monitor, "text", "enable monitor"), "` at ", ntp.location_text(_monitor.location),
	" (or write `disable monitor`).",
])] if {
	_monitor_enabled_by_line
}

_monitor_steps := ["Add `disable monitor`."] if {
	not _monitor_enabled_by_line
	object.get(_monitor, "enabled", true) == true
}

_monitor_steps := [concat("", [
	"`disable monitor` is written, but `limited` keeps monitoring on (",
	_limited_lines, "): drop `limited` there, or keep it and close queries instead.",
])] if {
	_monitor.enabled == false
}

_limited_lines := ntp.location_text(ntp.entry_location(_limiting_all[0])) if count(_limiting_all) == 1

_limited_lines := concat("", [
	ntp.location_text(ntp.entry_location(_limiting_all[0])), " and ", format_int(count(_limiting_all) - 1, 10), " more",
]) if {
	count(_limiting_all) > 1
}

_limiting_all := [entry |
	some entry in ntp.restrict_entries
	"limited" in object.get(entry, "flags", [])
]

_noquery_steps := [concat("", [
	"Add noquery to ", _noquery_targets,
	" so that only loopback and the trusted networks (`trusted_networks`, `--trusted`) may query.",
])]

_first_fixes := concat(", ", [_entry_fix(entry) | some entry in array.slice(_exposing, 0, 3)])

_noquery_targets := _first_fixes if count(_exposing) <= 3

_noquery_targets := concat("", [
	_first_fixes,
	" and ", format_int(count(_exposing) - 3, 10), " more entries",
]) if {
	count(_exposing) > 3
}

_entry_fix(entry) := concat("", [
	"`", ntp.restrict_text(entry), "` (", ntp.location_text(ntp.entry_location(entry)), ")",
]) if {
	ntp.configured(entry)
}

_entry_fix(entry) := concat("", [
	"the ", ntp.family_name(entry), " default, which no line configures (write `",
	ntp.restrict_text(entry), " noquery`)",
]) if {
	not ntp.configured(entry)
}

_mode7_steps := [concat("", [
	"Remove `", object.get(_mode7, "text", "enable mode7"), "` at ", ntp.location_text(_mode7.location), ".",
])] if {
	_mode7_enabled_by_line
}

_mode7_steps := [] if not _mode7_enabled_by_line

_monitor := object.get(ntp.facts, ["system", "monitor"], {})

_mode7 := object.get(ntp.facts, ["system", "mode7"], {})

# Entries that govern some untrusted address (outside loopback and the trusted networks) and answer
# queries, in input order.
_exposing := [entry |
	some entry in ntp.restrict_entries
	_exposes(entry)
]

_exposes(entry) if {
	entry.governs_untrusted == true
	ntp.answers_queries(entry)
}

# Monitoring enabled by a line: that line is what to change.
_monitor_enabled_by_line if {
	_monitor.enabled == true
	is_object(_monitor.location)
}

_mode7_enabled_by_line if {
	_mode7.enabled == true
	is_object(_mode7.location)
}

_location := _monitor.location if _monitor_enabled_by_line

_location := ntp.entry_location(_exposing[0]) if not _monitor_enabled_by_line

_evidence := array.concat(
	array.concat(_monitor_evidence, _mode7_evidence),
	[item | some entry in array.concat(_exposing, _limiting); some item in ntp.entry_evidence(entry)],
)

_monitor_evidence := [{"location": _monitor.location, "text": object.get(_monitor, "text", "enable monitor")}] if {
	_monitor_enabled_by_line
}

_monitor_evidence := [] if not _monitor_enabled_by_line

_mode7_evidence := [{"location": _mode7.location, "text": object.get(_mode7, "text", "enable mode7")}] if {
	_mode7_enabled_by_line
}

_mode7_evidence := [] if not _mode7_enabled_by_line

# When monitoring is only on because of `limited`, the entries with `limited` are evidence too.
_limiting := [entry |
	_monitor.enabled == false
	some entry in ntp.restrict_entries
	"limited" in object.get(entry, "flags", [])
	not _exposes(entry) # not `entry in _exposing`: a scan of the list per entry in WebAssembly
]

_message := concat("", [_monitor_state, _exposure, _mode7_note])

_monitor_state := "Monitoring is enabled (enable monitor)" if _monitor_enabled_by_line

_monitor_state := "Monitoring is on (the daemon's default: there is no disable monitor line)" if {
	not _monitor_enabled_by_line
	object.get(_monitor, "enabled", true) == true
}

_monitor_state := "Monitoring is forced on by a restrict entry with limited" if _monitor.enabled == false

_exposure := concat("", [
	" while untrusted hosts", _example, " may query the daemon through restrict entry ",
	object.get(_exposing[0], "prefix", "?"), " (", ntp.family_name(_exposing[0]), ")", _others, " (no noquery):",
	" ntpq mrulist (mode 6) gives them the list of this server's recent clients",
])

_example := concat("", [" such as ", _exposing[0].untrusted_example]) if is_string(_exposing[0].untrusted_example)

_example := "" if not is_string(object.get(_exposing[0], "untrusted_example", null))

_others := "" if count(_exposing) == 1

_others := " and 1 other entry" if count(_exposing) == 2

_others := concat("", [" and ", format_int(count(_exposing) - 1, 10), " other entries"]) if count(_exposing) > 2

_mode7_note := "; mode 7 is enabled, so ntpdc monlist answers too (the CVE-2013-5211 amplification vector)" if {
	_mode7.enabled == true
}

_mode7_note := "" if not _mode7.enabled == true

# METADATA
# description: Passing evidence (first way) — the `disable monitor` line that turns monitoring off.
passed_evidence contains result.pass(
	rego.metadata.chain(),
	{"location": _monitor.location, "text": object.get(_monitor, "text", "disable monitor")},
) if {
	_monitor.active == false
	is_object(_monitor.location)
}

# METADATA
# description: Passing evidence (second way) — the noquery (or ignore) entries governing non-local addresses.
passed_evidence contains result.pass(rego.metadata.chain(), item) if {
	some entry in ntp.restrict_entries
	entry.governs_non_loopback == true
	not ntp.answers_queries(entry)
	some item in ntp.entry_lines(entry)
}
