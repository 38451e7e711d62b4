# METADATA
# title: Monitoring not disabled (no disable monitor)
# description: >-
#   ntpd's monitoring facility keeps the MRU list of the hosts that recently sent it packets: the
#   data behind ntpq's mrulist and, with mode 7, ntpdc's monlist, the amplifier of CVE-2013-5211.
#   It is on by default. The standard hardening (the Red Hat and CERT advisories for CVE-2013-5211,
#   configuration-management defaults such as puppetlabs-ntp's `disable_monitor: true`) switches it
#   off with `disable monitor`, so that a restrict line that later loses `noquery` does not expose a
#   client list. This rule fires whenever monitoring is enabled, whether or not anyone can query it
#   today: it belongs to the hardened profiles (CIS, STIG). NTP002 is the finding for a client list
#   that is reachable now. A restrict entry with `limited` keeps monitoring active even after
#   `disable monitor`; that case passes here, because the line is what this rule asks for, and NTP021
#   reports that the line has no effect.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/miscopt/
#     description: ntpd miscellaneous options (enable/disable monitor)
#   - ref: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     description: CVE-2013-5211, ntpd monlist traffic amplification
# custom:
#   id: NTP011
#   severity: low
#   inputs:
#     - ntp
#   profiles:
#     - cis
#     - stig
#   examples:
#     fail: "enable monitor"
#     pass: "disable monitor"
#   remediation: >-
#     Add `disable monitor` to ntp.conf (and remove any `enable monitor` line).
#   references:
#     - kind: CVE
#       id: CVE-2013-5211
#       title: ntpd monlist (REQ_MON_GETLIST) traffic amplification
#       url: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     - kind: Guide
#       id: Red Hat solution 690293
#       title: CVE-2013-5211 workaround (noquery on the default entries, or disable monitor)
#       url: https://access.redhat.com/solutions/690293
#     - kind: Guide
#       id: puppetlabs-ntp disable_monitor
#       title: disable_monitor defaults to true
#       url: https://github.com/puppetlabs/puppetlabs-ntp
package ntp_policy.rules.access.monitor_not_disabled

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: One violation per host when monitoring is enabled (by a line or by the daemon's default).
violations contains result.fail(rego.metadata.chain(), _location, _message, _evidence) if {
	is_object(ntp.facts)
	object.get(_monitor, "enabled", true) == true
}

_monitor := object.get(ntp.facts, ["system", "monitor"], {})

_by_line if is_object(object.get(_monitor, "location", null))

_location := _monitor.location if _by_line

_location := ntp.config_start if not _by_line

_message := concat("", [
	"`", object.get(_monitor, "text", "enable monitor"), "` at ", ntp.location_text(_monitor.location),
	" keeps monitoring on", _consequence,
]) if {
	_by_line
}

_message := concat("", ["Monitoring is on (the daemon's default: there is no disable monitor line)", _consequence]) if {
	not _by_line
}

_consequence := concat("", [
	": ntpd keeps the list of its recent clients that ntpq mrulist (and ntpdc monlist under mode 7)",
	" hands to any host whose restrict entry lacks noquery",
])

_evidence := [{"location": _monitor.location, "text": object.get(_monitor, "text", "enable monitor")}] if _by_line

_evidence := [{"location": ntp.config_start, "text": "(monitoring enabled by the daemon's default)"}] if not _by_line

# METADATA
# description: Passing evidence — the `disable monitor` line.
passed_evidence contains result.pass(
	rego.metadata.chain(),
	{"location": _monitor.location, "text": object.get(_monitor, "text", "disable monitor")},
) if {
	_monitor.enabled == false
	_by_line
}
