# METADATA
# title: Default restrict entry lacks nopeer (unauthenticated peer mobilisation)
# description: >-
#   `nopeer` denies packets that would mobilise a new association unless they are authenticated:
#   symmetric-active packets (which make ntpd create an ephemeral symmetric-passive peer for the
#   sender), broadcast and manycast server packets. Without it on the default entry, any host on the
#   Internet may try to become one of this daemon's peers, and the daemon's own authentication setting
#   (`enable auth`, ntpd's default) is all that stands in the way; with `disable auth` nothing does.
#   CIS and the Team Cymru template put `nopeer` on the default entries of both families. This rule
#   fires for each default entry that governs untrusted addresses and has neither `nopeer` nor
#   `ignore`. A built-in default entry (no `restrict default` line) is reported only when it
#   otherwise denies queries (ntpsec's built-in `noquery limited`); ntpd's flagless built-in default
#   is NTP001's finding, whose fix writes the whole line. Note that in ntpd 4.2.8 `nopeer` also stops
#   `pool` servers unless a `restrict source` line without `nopeer` lets them in (NTP009).
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control commands and options (restrict, nopeer, restrict source)
#   - ref: https://www.team-cymru.com/secure-ntp-template.html
#     description: Team Cymru Secure NTP Template
# custom:
#   id: NTP007
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because every restrict default entry carries nopeer (or ignore).
#   inputs:
#     - ntp
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "restrict default kod nomodify notrap noquery"
#     pass: "restrict default kod nomodify notrap nopeer noquery"
#   remediation: >-
#     Add nopeer to the default entries of both families:
#     `restrict -4 default kod nomodify notrap nopeer noquery` and
#     `restrict -6 default kod nomodify notrap nopeer noquery`; when the configuration uses `pool`,
#     also add `restrict source kod nomodify notrap noquery` (without nopeer) so that pool servers
#     are still accepted.
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
#       title: restrict default ... nopeer ... (UNIX ntpd section)
#       url: https://www.team-cymru.com/secure-ntp-template.html
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
#     - kind: NIST 800-53
#       id: SC-5
#       title: Denial-of-Service Protection
package ntp_policy.rules.access.default_without_nopeer

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.restrict_flag
import data.ntp_policy.lib.result

# METADATA
# description: One violation per default entry governing untrusted addresses without nopeer (or ignore).
violations contains result.fail(
	rego.metadata.chain(),
	ntp.entry_location(entry),
	concat("", [
		ntp.entry_subject(entry), " has no nopeer: ", restrict_flag.who(entry, "hosts such as ", "any host"),
		" may mobilise new associations with ntpd (symmetric-active, broadcast and manycast server packets); ",
		_auth,
	]),
	array.concat(ntp.entry_evidence(entry), _auth_evidence),
) if {
	not ntp.judged_as_ntpsec
	some entry in ntp.restrict_entries
	entry.kind == "default"
	entry.governs_untrusted == true
	_judged(entry)
	not ntp.has_flag(entry, "nopeer")
	not ntp.has_flag(entry, "ignore")
}

# METADATA
# description: |
#   ntpsec mobilises no association from an incoming packet (no symmetric passive, broadcast or
#   manycast; `peer` is treated as `server`), so there is nothing for nopeer to refuse.
not_applicable contains result.not_applicable(
	rego.metadata.chain(),
	concat("", [
		"the host is judged as ntpsec (", object.get(ntp.facts, ["daemon", "decided_by"], "?"), "), which mobilises no",
		" association from an incoming packet: nopeer has nothing to refuse",
	]),
) if {
	ntp.judged_as_ntpsec
}

_judged(entry) if ntp.configured(entry)

# A built-in default that answers queries is NTP001's (its fix writes the whole line).
_judged(entry) if {
	not ntp.configured(entry)
	not ntp.answers_queries(entry)
}

_auth_fact := object.get(ntp.facts, ["system", "auth"], {})

_auth_disabled if _auth_fact.enabled == false

_auth := "only the daemon's authentication requirement (enable auth, the default) stands in the way" if {
	not _auth_disabled
}

_auth := concat("", [
	"authentication is disabled (", _auth_line, "), so nothing stops an unauthenticated host",
]) if {
	_auth_disabled
}

_auth_line := concat("", ["`", _auth_fact.text, "` at ", ntp.location_text(_auth_fact.location)]) if {
	is_string(object.get(_auth_fact, "text", null))
}

_auth_line := "disable auth" if not is_string(object.get(_auth_fact, "text", null))

# The disable auth line as evidence, when the facts carry it (a comprehension: empty otherwise).
_auth_evidence := [{"location": _auth_fact.location, "text": _auth_fact.text} |
	_auth_disabled
	is_object(object.get(_auth_fact, "location", null))
	is_string(object.get(_auth_fact, "text", null))
]
