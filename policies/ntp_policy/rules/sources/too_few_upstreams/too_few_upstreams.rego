# METADATA
# title: Too few usable upstream time sources
# description: >-
#   ntpd needs several independent sources to tell a good clock from a bad one: with one source it
#   follows that source blindly, with two it cannot decide which is wrong, and a falseticker can
#   only be outvoted when at least three agree. RFC 8633 (BCP 223) recommends at least four.
#   This rule counts the distinct addresses of the `server`, `pool` and `peer` lines that ntpd could
#   select (not `noselect`, not blocked from replying by the access list) and the hardware reference
#   clocks (GPS, PPS … — any refclock except the undisciplined local clock, 127.127.1.x or `refclock
#   local`), and fails when there are fewer than the configured `min_upstreams` (default 3). A
#   stratum-1 server's own clocks are time sources; the local clock only replays this host's clock.
#   A `pool` line counts as one source here. The message lists the sources that were counted.
# related_resources:
#   - ref: https://www.rfc-editor.org/rfc/rfc8633#section-3.2
#     description: RFC 8633 (BCP 223) section 3.2, use enough time sources
#   - ref: https://www.ntp.org/documentation/4.2.8-series/confopt/
#     description: ntpd server, pool and peer commands
# custom:
#   id: NTP003
#   severity: medium
#   inputs:
#     - time
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "server 0.pool.ntp.org iburst"
#     pass: |-
#       server 0.pool.ntp.org iburst
#       server 1.pool.ntp.org iburst
#       server 2.pool.ntp.org iburst
#   remediation: >-
#     Configure at least min_upstreams independent time sources, e.g. `pool pool.ntp.org iburst`
#     or one line per server such as `server 0.pool.ntp.org iburst`, `server 1.pool.ntp.org iburst`,
#     `server 2.pool.ntp.org iburst`; remove `noselect` from sources that are meant to be used.
#   references:
#     - kind: SSG
#       id: ntpd_specify_multiple_servers
#       title: Specify additional remote NTP servers
#     - kind: SSG
#       id: chronyd_or_ntpd_specify_multiple_servers
#       title: Specify additional remote NTP servers
#     - kind: SSG
#       id: chronyd_configure_pool_and_server
#       title: Configure chrony to use both pool and server directives
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 2.1.4.2
#       title: Ensure ntp is configured with authorized timeserver
#     - kind: STIG
#       id: V-230484
#       title: RHEL-08-030740, compare internal clocks with an authoritative time server
#     - kind: NIST 800-53
#       id: AU-8(1)
#       title: Time Stamps | Synchronization with Authoritative Time Source (rev4)
#     - kind: NIST 800-53
#       id: AU-8(2)
#       title: Time Stamps | Secondary Authoritative Time Source (rev4)
#     - kind: NIST 800-53
#       id: SC-45(2)
#       title: System Time Synchronization | Secondary Authoritative Time Source (rev5)
#     - kind: RFC
#       id: RFC 8633
#       title: Network Time Protocol Best Current Practices, section 3.2
#       url: https://www.rfc-editor.org/rfc/rfc8633#section-3.2
package ntp_policy.rules.sources.too_few_upstreams

import data.ntp_policy.lib.daemon
import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: One violation per host with fewer usable upstream sources than min_upstreams.
violations contains result.fail(rego.metadata.chain(), _location, _message, _evidence) if {
	is_object(daemon.facts)
	count(_usable) < _required
}

_required := object.get(input, ["settings", "min_upstreams"], 3)

_associations := daemon.sources

_upstream_modes := {"server", "pool", "peer"}

# The sources ntpd could select: network upstreams and hardware reference clocks (a stratum-1 server's
# GPS or PPS counts; the undisciplined local clock does not).
_counted := [association |
	some association in _associations
	association.selectable == true
	_source(association)
]

_source(association) if {
	association.mode in _upstream_modes
	association.address_kind != "refclock"
}

_source(association) if ntp.hardware_refclock(association)

# Distinct sources (a repeated address is one source).
_usable contains association.address if some association in _counted

_location := object.get(_associations[0], "location", null)

_location := daemon.config_start if count(_associations) == 0

_evidence := [{"location": object.get(association, "location", null), "text": _describe(association)} |
	some association in _associations
]

_describe(association) := object.get(association, "text", "") if {
	count(object.get(association, "unusable_reasons", [])) == 0
}

_describe(association) := concat("", [
	object.get(association, "text", ""),
	" (not usable: ", concat("; ", association.unusable_reasons), ")",
]) if {
	count(object.get(association, "unusable_reasons", [])) > 0
}

_message := concat("", [
	_count_text, " (server, pool or peer lines ", daemon.program, " can select, and hardware reference clocks)",
	_counted_text, "; this policy requires at least ", format_int(_required, 10),
]) if {
	count(_associations) > 0
}

_message := concat("", [
	"No server, pool or peer line: the daemon has no upstream time source; this policy requires at least ",
	format_int(_required, 10),
]) if {
	count(_associations) == 0
}

_count_text := "No usable time source" if count(_usable) == 0

_count_text := "Only 1 usable time source" if count(_usable) == 1

_count_text := concat("", ["Only ", format_int(count(_usable), 10), " usable time sources"]) if {
	count(_usable) > 1
}

_counted_text := "" if count(_counted) == 0

_counted_text := concat("", [
	"; counted: ",
	concat(", ", [ntp.association_subject(association) | some association in _counted]),
]) if {
	count(_counted) > 0
}

# METADATA
# description: Passing evidence — the lines of the usable upstream sources that were counted.
passed_evidence contains result.pass(
	rego.metadata.chain(),
	{"location": object.get(association, "location", null), "text": object.get(association, "text", "")},
) if {
	some association in _counted
}
