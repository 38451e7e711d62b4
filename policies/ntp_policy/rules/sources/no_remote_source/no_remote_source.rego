# METADATA
# title: No remote time source
# description: >-
#   A time server needs at least one remote source to follow. A configuration whose only sources are
#   reference clocks, and in particular ntpd's undisciplined local clock (`server 127.127.1.0`, the
#   LOCAL driver), or that has no source line at all, lets the clock free-run: it drifts, and a server
#   that fudges its local clock to a low stratum hands that drifting time to its clients as if it were
#   authoritative. SSG (ntpd_specify_remote_server), CIS and the DISA STIG all ask for a remote
#   `server` or `pool` line. This rule fires when no `server`, `pool`, `peer` or `manycastclient` line
#   names a remote host and no hardware reference clock (GPS, PPS … — any refclock driver except the
#   undisciplined local clock, 127.127.1.x or `refclock local`) is configured: a stratum-1 server
#   with its own clocks passes. How many sources are usable is NTP003's question; this one asks
#   whether there is any at all.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/confopt/
#     description: ntpd server, pool and peer commands
#   - ref: https://www.ntp.org/documentation/drivers/driver1/
#     description: ntpd undisciplined local clock driver (127.127.1.0)
# custom:
#   id: NTP015
#   severity: high
#   passes_when: >-
#     No line shows this: it passes because at least one server, pool or peer line names a remote time
#     source.
#   inputs:
#     - time
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "server 127.127.1.0"
#     pass: "server 0.pool.ntp.org iburst"
#   remediation: >-
#     Add remote time sources, e.g. `pool pool.ntp.org iburst` or `server 0.pool.ntp.org iburst`
#     (your organisation's authorised servers where there are some), and remove the local clock
#     (`server 127.127.1.0` and its `fudge` line) unless the host is an isolated orphan-mode server.
#   references:
#     - kind: SSG
#       id: ntpd_specify_remote_server
#       title: Specify a Remote NTP Server (CCE-86508-9)
#     - kind: SSG
#       id: chronyd_or_ntpd_specify_remote_server
#       title: A remote time server for Chrony or NTP is configured
#     - kind: SSG
#       id: chronyd_specify_remote_server
#       title: A remote time server for chrony is configured
#     - kind: SSG
#       id: chronyd_server_directive
#       title: Ensure chrony is configured with a server or pool directive
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 2.1.4.2
#       title: Ensure ntp is configured with authorized timeserver
#     - kind: CIS
#       id: RHEL 8 v4.0.0 2.3.2
#       title: Ensure chrony is configured
#     - kind: CIS
#       id: RHEL 9 v2.0.0 2.3.2
#       title: Ensure chrony is configured
#     - kind: STIG
#       id: V-230484
#       title: RHEL-08-030740, compare internal clocks with an authoritative time server
#     - kind: NIST 800-53
#       id: AU-8(1)(a)
#       title: Time Stamps | Synchronization with Authoritative Time Source
#     - kind: NIST 800-53
#       id: CM-6(a)
#       title: Configuration Settings
#     - kind: PCI-DSS
#       id: Req-10.4.1
#       title: Critical systems have the correct and consistent time (SSG mapping; also 10.4.3)
package ntp_policy.rules.sources.no_remote_source

import data.ntp_policy.lib.daemon
import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

_remote_modes := {"server", "pool", "peer", "manycastclient"}

_remote contains association if {
	some association in daemon.sources
	association.mode in _remote_modes
	object.get(association, "address_kind", "hostname") != "refclock"
}

# A hardware reference clock (GPS, PPS …) is a time source of its own: a stratum-1 server passes.
_remote contains association if {
	some association in daemon.sources
	ntp.hardware_refclock(association)
}

_refclocks := [association |
	some association in daemon.sources
	association.address_kind == "refclock"
]

# METADATA
# description: One violation per host without any remote time source.
violations contains result.fail(
	rego.metadata.chain(),
	_location,
	_message,
	[ntp.association_evidence(association) | some association in _refclocks],
) if {
	is_object(daemon.facts)
	count(_remote) == 0
}

_location := object.get(_refclocks[0], "location", daemon.config_start) if count(_refclocks) > 0

_location := daemon.config_start if count(_refclocks) == 0

_message := concat("", [
	"No remote time source: the only time source is the undisciplined local clock (",
	concat(", ", [ntp.association_subject(association) | some association in _refclocks]),
	"), so the clock free-runs and clients are handed time no remote server confirms",
]) if {
	count(_refclocks) > 0
}

_message := concat("", [
	"No remote time source: there is no server, pool or peer line, so the clock free-runs",
	" and drifts",
]) if {
	count(_refclocks) == 0
}
