# METADATA
# title: chrony source of a kind the site standard does not use
# description: >-
#   Some site standards want one kind of source line: named `server`s only (a pool's servers change
#   without notice, so the upstreams cannot be vetted or allowed through an egress firewall one by one),
#   or a `pool` only (the operator's DNS decides). When the configuration's `source_kind` is `server` or
#   `pool`, each server or pool line of chrony.conf (and of its includes and sourcedir files) of the other
#   kind is reported; `peer` lines and reference clocks are not judged. With `source_kind: any`, the
#   default, the rule never fires: ComplianceAsCode's chronyd_configure_pool_and_server even asks for both
#   kinds.
# related_resources:
#   - ref: https://chrony-project.org/doc/4.3/chrony.conf.html#pool
#     description: chrony.conf server and pool
# custom:
#   id: CHRONY006
#   severity: low
#   passes_when: >-
#     No line shows this: it passes because every server and pool line is of the configured kind, or no
#     kind is configured (source_kind any).
#   inputs:
#     - chrony
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "pool 2.debian.pool.ntp.org iburst"
#     pass: "server ntp1.example.org iburst"
#   remediation: >-
#     Use the kind of source line the site standard names: replace `pool 2.debian.pool.ntp.org iburst`
#     with the vetted servers (`server ntp1.example.org iburst`, one line each) for `source_kind: server`,
#     or the other way round; or set `source_kind: any` where a mix is intended.
#   references:
#     - kind: SSG
#       id: chronyd_configure_pool_and_server
#       title: Configure chrony to use both pool and server directives (the opposite standard)
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
package ntp_policy.rules.chrony.source_kind_mixed

import data.ntp_policy.lib.chrony
import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

_wanted := ntp.setting("source_kind", "any")

_other := {"server": "pool", "pool": "server"}

# METADATA
# description: One violation per server or pool line of the kind the configuration does not want.
violations contains result.fail(
	rego.metadata.chain(),
	source.location,
	concat("", [
		"`", source.text, "` at ", chrony.location_text(source.location), " is a ", source.mode,
		" line, and this policy wants ", _wanted, " lines only (source_kind: ", _wanted, ")",
	]),
	[chrony.line_evidence(source)],
) if {
	chrony.neutral
	_wanted in {"server", "pool"}
	some source in input.time.sources
	source.mode == _other[_wanted]
}
