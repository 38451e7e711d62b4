# METADATA
# title: pool servers refused by nopeer (no restrict source line)
# description: >-
#   In ntpd 4.2.8 `nopeer` "also includes pool associations": the servers a `pool` line finds are
#   mobilised as new associations, which `nopeer` on the default entry refuses. The fix the ntpd
#   documentation gives is a `restrict source` line without `nopeer`, a template that becomes a host
#   entry for every association's address and lets the pool servers in. A configuration that follows
#   CIS (`nopeer` on the defaults) and uses `pool` without that line therefore gets no time from its
#   pool at all: the host looks configured and drifts. This rule fires for each `pool` line when the
#   daemon is ntpd (ntpsec lets pool servers "poke a hole in any restrictions"), the default entry of
#   a family the pool may resolve to has `nopeer`, and no `restrict source` line without `nopeer` (or
#   `ignore`) exists.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control commands and options (nopeer, restrict source)
#   - ref: https://docs.netgate.com/tnsr/en/latest/ntp/config.html
#     description: Netgate TNSR NTP configuration (nopeer on the default restriction, not on the source restriction)
# custom:
#   id: NTP009
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because no pool line is refused by nopeer (there is a restrict
#     source line, or no pool line).
#   inputs:
#     - ntp
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "pool pool.ntp.org iburst"
#     pass: "restrict source kod nomodify notrap noquery"
#   remediation: >-
#     Add a source template without nopeer so that pool servers are accepted while the defaults keep
#     it: `restrict source kod nomodify notrap noquery` (keep
#     `restrict -4 default kod nomodify notrap nopeer noquery` and its `-6` twin as they are), or
#     replace the pool line with `server` lines.
#   references:
#     - kind: Guide
#       id: Netgate TNSR NTP documentation
#       title: nopeer should be present in the default restriction but not in the source restriction when using pool
#       url: https://docs.netgate.com/tnsr/en/latest/ntp/config.html
#     - kind: Issue
#       id: saz/puppet-ntp#31
#       title: restrict source for pool servers
#       url: https://github.com/saz/puppet-ntp/pull/31
package ntp_policy.rules.access.pool_refused_by_nopeer

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: One violation per pool line whose servers ntpd 4.2.8 refuses because of nopeer.
violations contains result.fail(
	rego.metadata.chain(),
	object.get(association, "location", ntp.config_start),
	concat("", [
		ntp.association_subject(association), ": ntpd refuses the servers this pool finds",
		" (pool associations are mobilised like peers), because ", _blocking_text(blocking), " ",
		_verb(blocking), " nopeer and ", _source_text,
		"; the pool contributes no time source",
	]),
	array.concat(
		array.concat([ntp.association_evidence(association)], _entries_evidence(blocking)),
		_source_evidence,
	),
) if {
	object.get(ntp.facts, ["daemon", "flavor"], "ntpd") == "ntpd"
	not _source_admits_pool
	some association in ntp.associations
	association.mode == "pool"
	blocking := _blocking(association)
	count(blocking) > 0
}

_entries_evidence(entries) := [item | some entry in entries; some item in ntp.entry_evidence(entry)]

# The families a pool line may resolve to: the one written (-4/-6), else both.
_families(association) := {association.family} if is_string(association.family)

_families(association) := {"ipv4", "ipv6"} if not is_string(object.get(association, "family", null))

_blocking(association) := [entry |
	some entry in ntp.restrict_entries
	entry.kind == "default"
	entry.family in _families(association)
	ntp.has_flag(entry, "nopeer")
]

_blocking_text(blocking) := ntp.entry_subject(blocking[0]) if count(blocking) == 1

_blocking_text(blocking) := concat("", [ntp.entry_subject(blocking[0]), " and ", ntp.entry_subject(blocking[1])]) if {
	count(blocking) > 1
}

_verb(blocking) := "has" if count(blocking) == 1

_verb(blocking) := "have" if count(blocking) > 1

_source_admits_pool if {
	not ntp.has_flag(ntp.restrict_source, "nopeer")
	not ntp.has_flag(ntp.restrict_source, "ignore")
}

_source_text := "there is no restrict source line to let pool servers in" if not ntp.restrict_source

_source_text := concat("", [ntp.source_subject(ntp.restrict_source), " has nopeer too"]) if {
	ntp.has_flag(ntp.restrict_source, "nopeer")
}

_source_text := concat("", [ntp.source_subject(ntp.restrict_source), " has ignore"]) if {
	not ntp.has_flag(ntp.restrict_source, "nopeer")
	ntp.has_flag(ntp.restrict_source, "ignore")
}

_source_evidence := ntp.source_evidence(ntp.restrict_source) if ntp.restrict_source

_source_evidence := [] if not ntp.restrict_source
