# METADATA
# title: Loopback not exempt from the restrictions (no restrict 127.0.0.1 / ::1)
# description: >-
#   Under a locked-down default (`noquery`, or `ignore`), the host's own administrators are locked
#   out too: ntpq run on the server itself comes from 127.0.0.1 or ::1, and without a more specific
#   entry for those addresses the default entry governs them. The usual templates (Team Cymru,
#   puppetlabs-ntp, the Debian package) therefore add `restrict 127.0.0.1` and `restrict ::1`, which
#   lift every restriction for loopback only. This informational rule fires per family when the entry
#   that governs the loopback address (the most specific address or default entry that covers it, or
#   a `restrict localhost` line) has `noquery` or `ignore`; when loopback may already query, nothing
#   needs adding.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control commands and options (restrict)
#   - ref: https://www.team-cymru.com/secure-ntp-template.html
#     description: Team Cymru Secure NTP Template
# custom:
#   id: NTP012
#   severity: info
#   passes_when: >-
#     No line shows this: it passes because no restrict entry keeps loopback from querying ntpd.
#   inputs:
#     - ntp
#   profiles:
#     - cis
#     - stig
#   examples:
#     fail: "restrict default kod nomodify notrap nopeer noquery"
#     pass: "restrict 127.0.0.1"
#   remediation: >-
#     Exempt loopback from the restrictions of the defaults: add `restrict 127.0.0.1` and
#     `restrict ::1` (no flags) after the `restrict default` lines.
#   references:
#     - kind: Guide
#       id: Team Cymru Secure NTP Template
#       title: restrict 127.0.0.1 and restrict ::1 (UNIX ntpd section)
#       url: https://www.team-cymru.com/secure-ntp-template.html
#     - kind: Guide
#       id: puppetlabs-ntp restrict defaults
#       title: default restrict list with 127.0.0.1 and ::1
#       url: https://github.com/puppetlabs/puppetlabs-ntp
#     - kind: Issue
#       id: puppetlabs/puppetlabs-ntp#234
#       title: client example with restrict 127.0.0.1
#       url: https://github.com/puppetlabs/puppetlabs-ntp/pull/234
package ntp_policy.rules.access.loopback_not_exempt

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: One violation per family whose loopback address is governed by an entry that denies queries.
violations contains result.fail(
	rego.metadata.chain(),
	ntp.entry_location(entry),
	concat("", [
		"Nothing exempts loopback: ", address, " takes its restrictions from ", ntp.entry_subject(entry),
		", which has ", _blocking_flag(entry), ", so ntpq on this host cannot query ntpd (add `restrict ",
		address, "`)",
	]),
	ntp.entry_evidence(entry),
) if {
	not _localhost_line
	some family, address in _loopback
	covering := _covering(family, address)
	count(covering) > 0
	entry := _most_specific(covering)
	_blocking_flag(entry)
}

# METADATA
# description: One violation when a `restrict localhost` line itself denies queries.
violations contains result.fail(
	rego.metadata.chain(),
	ntp.entry_location(entry),
	concat("", [
		ntp.entry_subject(entry), " has ", _blocking_flag(entry),
		", so ntpq on this host cannot query ntpd (add `restrict 127.0.0.1` and `restrict ::1` without it)",
	]),
	ntp.entry_evidence(entry),
) if {
	some entry in ntp.restrict_entries
	_is_localhost(entry)
	_blocking_flag(entry)
}

_loopback := {"ipv4": "127.0.0.1", "ipv6": "::1"}

_localhost_names := {"localhost", "localhost.localdomain", "localhost6", "ip6-localhost", "ip6-loopback"}

_is_localhost(entry) if {
	entry.kind == "hostname"
	lower(entry.prefix) in _localhost_names
}

# A `restrict localhost` line governs loopback (a host name creates host entries for its addresses).
_localhost_line if {
	some entry in ntp.restrict_entries
	_is_localhost(entry)
}

_covering(family, address) := [entry |
	some entry in ntp.restrict_entries
	entry.family == family
	entry.kind in {"default", "address"}
	object.get(entry, "ntpport", false) == false
	net.cidr_contains(entry.prefix, address)
]

_length(entry) := to_number(split(entry.prefix, "/")[1])

_most_specific(covering) := [entry |
	some entry in covering
	_length(entry) == max({_length(e) | some e in covering})
][0]

_blocking_flag(entry) := "ignore" if ntp.has_flag(entry, "ignore")

_blocking_flag(entry) := "noquery" if {
	not ntp.has_flag(entry, "ignore")
	ntp.has_flag(entry, "noquery")
}
