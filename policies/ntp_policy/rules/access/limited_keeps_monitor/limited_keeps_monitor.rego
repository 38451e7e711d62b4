# METADATA
# title: disable monitor is ineffective because of limited
# description: >-
#   `limited` (rate limiting, and `kod` with it) needs the MRU list of recent clients, so a restrict
#   entry with `limited` keeps monitoring on although `disable monitor` is written: ntpd keeps the
#   client list behind ntpq's mrulist, and ntpsec logs "'monitor' cannot be disabled while 'limited'
#   is enabled". The configuration says one thing and the daemon does another. Nothing is exposed by
#   this alone — who can read the list is NTP001 and NTP002 — so the rule is low: make the intent
#   explicit. ntpsec's built-in default entry carries `limited` itself, so on ntpsec `disable monitor`
#   is ineffective unless the default entries are written without it. NTP011 is the finding for a
#   configuration without `disable monitor`; this rule is for one where it is written but has no effect.
#   It runs under the baseline profile only: the CIS and STIG profiles ask for both `limited` (NTP008)
#   and `disable monitor` (NTP011), as those benchmarks do, so there it would contradict the benchmark.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control options (limited and kod keep monitoring active)
#   - ref: https://docs.ntpsec.org/latest/miscopt.html
#     description: ntpsec miscellaneous options (enable/disable monitor)
# custom:
#   id: NTP021
#   severity: low
#   passes_when: >-
#     No line shows this: it passes because no restrict entry with limited keeps monitoring on behind
#     a `disable monitor` line (or there is no `disable monitor` line).
#   inputs:
#     - ntp
#   profiles:
#     - baseline
#   examples:
#     fail: |-
#       restrict default kod limited nomodify notrap nopeer noquery
#       disable monitor
#     pass: |-
#       restrict default kod limited nomodify notrap nopeer noquery
#   remediation: >-
#     Decide which you want. To stop monitoring, drop `limited` (and `kod`, which needs it) from the
#     restrict entries, e.g. `restrict -4 default nomodify notrap nopeer noquery`. To keep rate
#     limiting, accept that ntpd keeps the MRU list and make sure only loopback and the trusted
#     networks may query it (noquery everywhere else, NTP001/NTP002); the `disable monitor` line then
#     documents nothing and can go.
#   references:
#     - kind: CVE
#       id: CVE-2013-5211
#       title: ntpd monlist (REQ_MON_GETLIST) traffic amplification
#       url: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
package ntp_policy.rules.access.limited_keeps_monitor

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: One violation per host when `disable monitor` is written and an entry with `limited` keeps monitoring on.
violations contains result.fail(rego.metadata.chain(), _monitor.location, _message, _evidence) if {
	_monitor.enabled == false
	is_object(_monitor.location)
	count(_limiting) + count(_limiting_source) > 0
}

_monitor := object.get(ntp.facts, ["system", "monitor"], {})

# The entries with `limited`, in input order (ntpsec's built-in default included).
_limiting := [entry |
	some entry in ntp.restrict_entries
	ntp.has_flag(entry, "limited")
]

# The `restrict source` template with `limited` gives every association's entry `limited` too.
_limiting_source := [ntp.restrict_source | ntp.has_flag(ntp.restrict_source, "limited")]

_first_subject := ntp.entry_subject(_limiting[0]) if count(_limiting) > 0

_first_subject := ntp.source_subject(_limiting_source[0]) if count(_limiting) == 0

_message := concat("", [
	"`", object.get(_monitor, "text", "disable monitor"), "` at ", ntp.location_text(_monitor.location),
	" has no effect: ", _first_subject, _others,
	" carries limited, which keeps monitoring (the MRU list of recent clients) running",
	" ('monitor' cannot be disabled while 'limited' is enabled)",
])

_limiting_count := count(_limiting) + count(_limiting_source)

_others := "" if _limiting_count == 1

_others := " and 1 other entry" if _limiting_count == 2

_others := concat("", [" and ", format_int(_limiting_count - 1, 10), " other entries"]) if _limiting_count > 2

_evidence := array.concat(
	[{"location": _monitor.location, "text": object.get(_monitor, "text", "disable monitor")}],
	array.concat(
		[item | some entry in _limiting; some item in ntp.entry_evidence(entry)],
		[item | some source in _limiting_source; some item in ntp.source_evidence(source)],
	),
)
