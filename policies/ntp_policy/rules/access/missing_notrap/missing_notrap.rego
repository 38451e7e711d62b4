# METADATA
# title: Restrict entry for untrusted hosts lacks notrap
# description: >-
#   `notrap` declines the mode 6 trap service: without it, a host the entry governs may register
#   itself (or, with a forged source address, a victim) as a trap receiver, and ntpd then sends it
#   event messages unasked: an information leak about the daemon's state and a small reflection
#   vector. CIS wants `notrap` on the default entries of both families, and every entry that covers
#   hosts outside loopback and the trusted networks should carry it too. This rule fires for each
#   configured restrict entry that is the most specific match for some untrusted address and has
#   neither `notrap` nor `ignore`, and for a `restrict source` template without them. The message says
#   whether the entry also answers queries (no `noquery`), in which case trap registration works
#   today rather than being defence in depth. ntpd's built-in default entry (no `restrict default`
#   line) is NTP001's finding: its fix writes the whole line. The rule belongs to the CIS and STIG
#   profiles: where the entry answers queries, NTP001 (every profile) already reports the live exposure
#   and its fix adds `notrap` with the rest of the CIS flags; where `noquery` is there, `notrap` is
#   defence in depth, which is what those benchmarks ask for.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control commands and options (restrict, notrap)
#   - ref: https://www.team-cymru.com/secure-ntp-template.html
#     description: Team Cymru Secure NTP Template
# custom:
#   id: NTP006
#   severity: low
#   inputs:
#     - ntp
#   profiles:
#     - cis
#     - stig
#   examples:
#     fail: "restrict default kod nomodify nopeer noquery"
#     pass: "restrict default kod nomodify notrap nopeer noquery"
#   remediation: >-
#     Add notrap to every restrict line that covers hosts outside loopback and the trusted
#     networks, starting with the defaults of both families and the source template:
#     `restrict -4 default kod nomodify notrap nopeer noquery`,
#     `restrict -6 default kod nomodify notrap nopeer noquery`,
#     `restrict source kod nomodify notrap noquery`.
#   references:
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 2.1.4.1
#       title: Ensure ntp access control is configured
#     - kind: CIS
#       id: Debian 11 v1.0.0 2.1.4.1
#       title: Ensure ntp access control is configured
#     - kind: CIS
#       id: RHEL 7 v3.1.1 2.2.1.3
#       title: Ensure ntp is configured
#     - kind: CIS
#       id: Distribution Independent Linux 2.2.1.2
#       title: Ensure ntp is configured
#     - kind: SSG
#       id: ntpd_configure_restrictions
#       title: Configure the ntpd access restrictions (CCE-92325-0)
#     - kind: Guide
#       id: Team Cymru Secure NTP Template
#       title: restrict default ... nomodify notrap ... (UNIX ntpd section)
#       url: https://www.team-cymru.com/secure-ntp-template.html
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.access.missing_notrap

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.restrict_flag
import data.ntp_policy.lib.result

# METADATA
# description: One violation per configured entry governing untrusted addresses without notrap (or ignore).
violations contains result.fail(
	rego.metadata.chain(),
	ntp.entry_location(entry),
	restrict_flag.entry_message(entry, "notrap", _live, _latent),
	ntp.entry_evidence(entry),
) if {
	some entry in restrict_flag.untrusted_entries_without("notrap")
}

# METADATA
# description: One violation when the restrict source template lacks notrap (or ignore).
violations contains result.fail(
	rego.metadata.chain(),
	ntp.source_location(source),
	restrict_flag.source_message(source, "notrap", _live, _latent),
	ntp.source_evidence(source),
) if {
	source := restrict_flag.source_without("notrap")
}

# When the entry answers queries (no noquery).
_live := concat("", [
	" may register as mode 6 trap receivers (or register a forged victim address),",
	" and ntpd then sends them its event messages unasked",
])

# When noquery blocks every query today.
_latent := concat("", [
	" would be allowed to register as mode 6 trap receivers were noquery ever removed",
	" (noquery blocks every mode 6 request today; notrap is the second line of defence)",
])

# METADATA
# description: Passing evidence — the entries governing untrusted addresses that carry notrap (or ignore).
passed_evidence contains result.pass(rego.metadata.chain(), item) if {
	some entry in restrict_flag.untrusted_entries_with("notrap")
	some item in ntp.entry_lines(entry)
}

# METADATA
# description: Passing evidence — the restrict source template when it carries notrap (or ignore).
passed_evidence contains result.pass(rego.metadata.chain(), item) if {
	not restrict_flag.source_without("notrap")
	some item in ntp.source_evidence(ntp.restrict_source)
}
