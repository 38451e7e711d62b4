# METADATA
# title: Mode 7 (ntpdc) enabled
# description: >-
#   Mode 7 is the private request protocol of the deprecated ntpdc program. ntpd 4.2.8 ships with it
#   off and only `enable mode7` turns it back on; ntpsec removed it altogether. It carries the
#   monlist request of CVE-2013-5211, whose reply is many times the size of the request (the NTP
#   amplification attacks of 2014), and it has been the entry point of further ntpd vulnerabilities.
#   Every host whose restrict entry lacks `noquery` can use it once it is enabled. This rule fires
#   when an `enable mode7` line (or a daemon default) turns mode 7 on, and says which non-local entries
#   let hosts use it. NTP002 additionally reports the monlist exposure when monitoring is on.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/miscopt/
#     description: ntpd miscellaneous options (enable/disable mode7)
#   - ref: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     description: CVE-2013-5211, ntpd monlist traffic amplification
# custom:
#   id: NTP010
#   severity: medium
#   passes_when: >-
#     No line shows this: the absence of an `enable mode7` line is what passes (mode 7 stays off).
#   inputs:
#     - ntp
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "enable mode7"
#     pass: "disable mode7"
#   remediation: >-
#     Remove the `enable mode7` line (mode 7 is off by default in ntpd 4.2.8), or write
#     `disable mode7`; use ntpq (mode 6) instead of ntpdc for monitoring.
#   references:
#     - kind: CVE
#       id: CVE-2013-5211
#       title: ntpd monlist (REQ_MON_GETLIST) traffic amplification
#       url: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     - kind: Guide
#       id: puppetlabs-ntp enable_mode7
#       title: enable_mode7 defaults to false (used by the deprecated ntpdc program)
#       url: https://github.com/puppetlabs/puppetlabs-ntp
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.access.ntpdc_mode_enabled

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: One violation per host when mode 7 is enabled.
violations contains result.fail(
	rego.metadata.chain(),
	_location,
	concat("", [_subject, " turns on ntpdc's mode 7 request protocol (monlist, CVE-2013-5211)", _reach]),
	array.concat(_mode7_evidence, [item | some entry in _exposing; some item in ntp.entry_evidence(entry)]),
) if {
	_mode7.enabled == true
}

_mode7 := object.get(ntp.facts, ["system", "mode7"], {})

_by_line if is_object(object.get(_mode7, "location", null))

_location := _mode7.location if _by_line

_location := ntp.config_start if not _by_line

_subject := concat("", [
	"`", object.get(_mode7, "text", "enable mode7"), "` at ", ntp.location_text(_mode7.location),
]) if {
	_by_line
}

_subject := "The daemon's default (no disable mode7 line)" if not _by_line

_mode7_evidence := [{"location": _mode7.location, "text": object.get(_mode7, "text", "enable mode7")}] if _by_line

_mode7_evidence := [{"location": ntp.config_start, "text": "(mode 7 enabled by the daemon's default)"}] if {
	not _by_line
}

# Entries that govern some non-loopback address and answer queries: those hosts can use mode 7.
_exposing := [entry |
	some entry in ntp.restrict_entries
	entry.governs_non_loopback == true
	ntp.answers_queries(entry)
]

_reach := concat("", [
	"; ", ntp.entry_subject(_exposing[0]), _others, " non-local hosts use it (no noquery)",
]) if {
	count(_exposing) > 0
}

_reach := concat("", [
	"; every entry that governs non-local hosts has noquery or ignore, so only local users can reach it",
	" today, and one restrict line without noquery opens it to more",
]) if {
	count(_exposing) == 0
}

_others := " lets" if count(_exposing) == 1

_others := " and 1 other entry let" if count(_exposing) == 2

_others := concat("", [" and ", format_int(count(_exposing) - 1, 10), " other entries let"]) if count(_exposing) > 2
