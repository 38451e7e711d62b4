# METADATA
# title: kod without limited has no effect
# description: >-
#   `kod` asks ntpd to answer a client that exceeds the `discard` rate limits with a Kiss-o'-Death
#   packet, telling it to back off. Only `limited` makes ntpd enforce those limits, so "if the kod
#   flag is used in a restriction which does not have the limited flag, no KoD responses will result":
#   the line looks rate-limited and is not, and abusive clients are served at whatever rate they send.
#   This rule fires for each configured restrict entry (and the `restrict source` template) that has
#   `kod` but neither `limited` nor `ignore`. It is a low-severity correctness check in the STIG
#   profile only: the CIS benchmarks' own recommended line (`restrict -4 default kod nomodify notrap
#   nopeer noquery`) has this flaw, so the CIS profile does not report it. Adding `limited` also keeps
#   ntpd's client list (the MRU monitor list) active even with `disable monitor`, which is harmless
#   while the same entry has `noquery`.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control commands and options (kod, limited, discard)
#   - ref: https://docs.netgate.com/tnsr/en/latest/ntp/config.html
#     description: Netgate TNSR NTP configuration (kod only works when paired with limited)
# custom:
#   id: NTP008
#   severity: low
#   passes_when: >-
#     No line shows this: it passes because no restrict entry has kod without limited.
#   inputs:
#     - ntp
#   profiles:
#     - stig
#   examples:
#     fail: "restrict default kod nomodify notrap nopeer noquery"
#     pass: "restrict default kod limited nomodify notrap nopeer noquery"
#   remediation: >-
#     Add limited next to kod so that the rate limits are enforced and the Kiss-o'-Death is sent:
#     `restrict -4 default kod limited nomodify notrap nopeer noquery` and
#     `restrict -6 default kod limited nomodify notrap nopeer noquery` (keep noquery on these
#     entries: limited keeps the monitor list active), or remove kod where rate limiting is not wanted.
#   references:
#     - kind: Guide
#       id: Netgate TNSR NTP documentation
#       title: kod only works when paired with the limited option
#       url: https://docs.netgate.com/tnsr/en/latest/ntp/config.html
#     - kind: Issue
#       id: NixOS/nixpkgs#50732
#       title: ntp default restrict lines, suggested `limited kod`
#       url: https://github.com/NixOS/nixpkgs/issues/50732
package ntp_policy.rules.access.kod_without_limited

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: One violation per configured entry with kod but without limited (or ignore).
violations contains result.fail(
	rego.metadata.chain(),
	ntp.entry_location(entry),
	concat("", [ntp.entry_subject(entry), _no_effect]),
	ntp.entry_evidence(entry),
) if {
	some entry in ntp.restrict_entries
	ntp.configured(entry)
	_kod_without_limited(entry)
}

# METADATA
# description: One violation when the restrict source template has kod without limited.
violations contains result.fail(
	rego.metadata.chain(),
	ntp.source_location(source),
	concat("", [ntp.source_subject(source), _no_effect]),
	ntp.source_evidence(source),
) if {
	source := ntp.restrict_source
	_kod_without_limited(source)
}

_kod_without_limited(entry) if {
	ntp.has_flag(entry, "kod")
	not ntp.has_flag(entry, "limited")
	not ntp.has_flag(entry, "ignore")
}

_no_effect := concat("", [
	" has kod without limited, so kod does nothing: ntpd sends a Kiss-o'-Death only to a client it refuses",
	" for exceeding the discard rate limits, and only limited enforces them",
])
