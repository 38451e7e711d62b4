# METADATA
# title: No explicit restrict default line for a family (restrict -6 default)
# description: >-
#   CIS (and SSG's ntpd_configure_restrictions, whose check has a second test for IPv6) asks for a
#   default restriction line for each address family: `restrict default …` or `restrict -4 default …`
#   for IPv4 and `restrict -6 default …` for IPv6. A plain `restrict default` line has covered both
#   families only since ntpd 4.2.5p178; on older daemons, and for any reader of the file, IPv6 is then
#   left to ntpd's built-in default entry, which has no flags at all. This rule fires for IPv4 when no
#   line configures the IPv4 default entry, and for IPv6 when no `restrict -6 default` line does
#   (a plain `restrict default` does not count). Whether the flags are right is the business of NTP001,
#   NTP005, NTP006 and NTP007; this rule asks for the explicit line.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control commands and options (restrict -4/-6 default)
# custom:
#   id: NTP019
#   severity: low
#   passes_when: >-
#     No line shows this: it passes because each family has an explicit restrict default line.
#   inputs:
#     - ntp
#   profiles:
#     - cis
#   examples:
#     fail: "restrict default kod nomodify notrap nopeer noquery"
#     pass: "restrict -6 default kod nomodify notrap nopeer noquery"
#   remediation: >-
#     Write one default line per family: `restrict -4 default kod nomodify notrap nopeer noquery`
#     and `restrict -6 default kod nomodify notrap nopeer noquery`.
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
#       title: Configure the ntpd access restrictions (CCE-92325-0; IPv4 and IPv6 tests)
#     - kind: Guide
#       id: puppetlabs-ntp restrict defaults
#       title: RedHat and Debian family defaults carry both restrict -4 default and restrict -6 default
#       url: https://github.com/puppetlabs/puppetlabs-ntp
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.access.no_explicit_family_default

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

_wanted("ipv4") := "`restrict default` or `restrict -4 default`"

_wanted("ipv6") := "`restrict -6 default`"

_defaults(family) := [entry |
	some entry in ntp.restrict_entries
	entry.kind == "default"
	entry.family == family
]

# IPv4: any line that configures the default entry (`restrict default` counts).
_explicit("ipv4") if {
	some entry in _defaults("ipv4")
	ntp.configured(entry)
}

# IPv6: a `restrict -6 default` line.
_explicit("ipv6") if {
	some entry in _defaults("ipv6")
	some line in object.get(entry, "lines", [])
	regex.match(`^restrict\s+-6\s+default(\s|$)`, object.get(line, "text", ""))
}

# METADATA
# description: One violation per family without an explicit default line.
violations contains result.fail(
	rego.metadata.chain(),
	_location(family),
	_message(family),
	_evidence(family),
) if {
	is_object(ntp.facts)
	some family in ["ipv4", "ipv6"]
	not _explicit(family)
}

_configured(family) := [entry | some entry in _defaults(family); ntp.configured(entry)]

_location(family) := ntp.entry_location(_configured(family)[0]) if count(_configured(family)) > 0

_location(family) := ntp.config_start if count(_configured(family)) == 0

_message(family) := concat("", [
	"The IPv6 default restrict entry is set only by ", ntp.entry_subject(_configured(family)[0]),
	": a plain `restrict default` covers IPv6 only on ntpd 4.2.5p178 and later, and CIS asks for an",
	" explicit `restrict -6 default` line with the same flags",
]) if {
	count(_configured(family)) > 0
}

_message(family) := concat("", [
	"No ", _wanted(family), " line configures the ", _family_name(family),
	" default restrict entry: ntpd's built-in default (no flags) applies to every ", _family_name(family),
	" host no other line covers, and CIS asks for an explicit line per family",
]) if {
	count(_configured(family)) == 0
}

_family_name("ipv4") := "IPv4"

_family_name("ipv6") := "IPv6"

_evidence(family) := ntp.entry_evidence(_configured(family)[0]) if count(_configured(family)) > 0

_evidence(family) := [{
	"location": ntp.config_start,
	"text": concat("", ["(no ", _wanted(family), " line)"]),
}] if {
	count(_configured(family)) == 0
}
