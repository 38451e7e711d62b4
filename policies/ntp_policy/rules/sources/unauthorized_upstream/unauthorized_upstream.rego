# METADATA
# title: Time source not on the authorised list
# description: >-
#   The DISA STIG wants clocks compared with an authoritative time source (for DoD systems, a DoD
#   server such as `0.us.pool.ntp.mil`), and CIS asks that the daemon use the organisation's
#   authorised time servers: a source nobody vetted can steer the clock of every host that follows it.
#   The authorised sources are the policy setting `authorized_upstreams`, a list of host-name globs
#   (`*` matches any characters, dots included, so `*.pool.ntp.org` covers `0.debian.pool.ntp.org`;
#   case is ignored) and CIDRs (IPv4 and IPv6). This rule fires for each `server`, `pool`, `peer` and
#   `manycastclient` line whose address matches none of them; an address written as a host name is
#   only matched against the globs, because it cannot be resolved offline. With an empty list (the
#   default) every source is authorised and the rule says nothing.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/confopt/
#     description: ntpd server, pool and peer commands
# custom:
#   id: NTP014
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because every time source is on the authorised list (or no list is
#     configured).
#   inputs:
#     - time
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "server time.unvetted.example iburst"
#     pass: "server 0.us.pool.ntp.mil iburst maxpoll 10"
#   remediation: >-
#     Replace the source with an authorised one (e.g. `server 0.us.pool.ntp.mil iburst maxpoll 10`
#     for DoD systems), or, when the source is in fact approved, add its name or network to
#     authorized_upstreams in the ntp-policy configuration.
#   references:
#     - kind: STIG
#       id: V-230484
#       title: RHEL-08-030740, compare internal clocks with an authoritative (DoD) time server
#     - kind: STIG
#       id: V-257945
#       title: RHEL-09-252020, securely compare internal information system clocks
#     - kind: STIG
#       id: V-260519
#       title: UBTU-22-252010, compare internal clocks with an authoritative time server
#     - kind: CIS
#       id: Ubuntu 22.04 v2.0.0 2.3.2.1
#       title: Ensure systemd-timesyncd configured with authorized timeserver
#     - kind: CIS
#       id: Ubuntu 22.04 v2.0.0 2.3.3.1
#       title: Ensure chrony is configured with authorized timeserver
#     - kind: SSG
#       id: var_multiple_time_servers
#       title: The list of authorised time servers (nist, stig and vendor options)
#     - kind: NIST 800-53
#       id: AU-8(1)(a)
#       title: Time Stamps | Synchronization with Authoritative Time Source
package ntp_policy.rules.sources.unauthorized_upstream

import data.ntp_policy.lib.daemon
import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

_authorized := [pattern |
	some pattern in ntp.setting("authorized_upstreams", [])
	is_string(pattern)
]

_judged_modes := {"server", "pool", "peer", "manycastclient"}

# METADATA
# description: One violation per time-source line whose address no authorised glob or CIDR matches.
violations contains result.fail(
	rego.metadata.chain(),
	object.get(association, "location", daemon.config_start),
	concat("", [
		ntp.association_subject(association), ": ", object.get(association, "address", "?"),
		" is not an authorised time source (authorized_upstreams: ", concat(", ", _authorized), ")",
		_hostname_note(association),
	]),
	[ntp.association_evidence(association)],
) if {
	count(_authorized) > 0
	some association in daemon.sources
	association.mode in _judged_modes
	object.get(association, "address_kind", "hostname") != "refclock"
	not _matches_any(association)
}

_matches_any(association) if {
	some pattern in _authorized
	_matches(pattern, association)
}

# A CIDR matches an address literal inside it.
_matches(pattern, association) if {
	contains(pattern, "/")
	association.address_kind in {"ipv4", "ipv6"}
	net.cidr_contains(pattern, association.address)
}

# A glob matches the address as written (host name or literal), ignoring case.
_matches(pattern, association) if {
	not contains(pattern, "/")
	glob.match(lower(pattern), ["/"], lower(association.address))
}

# An address literal written another way (2001:db8::1 and 2001:0db8:0:0::1 are one address).
_matches(pattern, association) if {
	not contains(pattern, "/")
	association.address_kind in {"ipv4", "ipv6"}
	net.cidr_contains(concat("", [pattern, _host_length[association.address_kind]]), association.address)
}

_host_length := {"ipv4": "/32", "ipv6": "/128"}

_hostname_note(association) := "; a host name is matched against the globs only (it cannot be resolved offline)" if {
	_cidrs_for_hostname(association)
}

_hostname_note(association) := "" if not _cidrs_for_hostname(association)

_cidrs_for_hostname(association) if {
	object.get(association, "address_kind", "hostname") == "hostname"
	some pattern in _authorized
	contains(pattern, "/")
}
