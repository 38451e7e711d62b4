# METADATA
# title: Time sources not authenticated (no key, no NTS)
# description: >-
#   Plain NTP replies carry no proof of origin: anyone on the path between this host and its
#   upstream servers (or able to spoof their addresses) can answer in their place and move this
#   clock, and with it log timestamps, certificate and Kerberos validity, and every client that
#   follows this server. ntpd authenticates a source with a symmetric key (`keys` file,
#   `trustedkey N`, `server … key N`); ntpsec also offers Network Time Security (`server … nts`,
#   RFC 8915). This rule fires, in the STIG profile only, when some `server`, `pool` or `peer` line
#   naming a remote host is not authenticated: no `key` that is a `trustedkey`, no `autokey`, no `nts`.
#   Public servers rarely offer symmetric keys, so in practice this means NTS-capable servers or an
#   internal, keyed time service. The `keys` file directive itself is not in the policy input, so a
#   trusted key is taken to be loaded.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/authopt/
#     description: ntpd authentication options (keys, trustedkey, key)
#   - ref: https://www.rfc-editor.org/rfc/rfc8915
#     description: RFC 8915, Network Time Security for the Network Time Protocol
# custom:
#   id: NTP020
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because every time source is authenticated (key or nts).
#   inputs:
#     - time
#   profiles:
#     - stig
#   examples:
#     fail: "server ntp1.example.org iburst maxpoll 10"
#     pass: "server ntp1.example.org iburst maxpoll 10 key 1"
#   remediation: >-
#     Authenticate every time source: with ntpd, `keys /etc/ntp.keys`, `trustedkey 1` and
#     `server ntp1.example.org iburst maxpoll 10 key 1` (the key shared with the server's operator);
#     with ntpsec, `server time.cloudflare.com nts` for NTS-capable servers.
#   references:
#     - kind: SSG
#       id: chrony_set_nts
#       title: Configure NTS for chronyd (SRG-OS-000480-GPOS-00227)
#     - kind: Guide
#       id: Team Cymru Secure NTP Template
#       title: MD5 / symmetric keys for time sources
#       url: https://www.team-cymru.com/secure-ntp-template.html
#     - kind: RFC
#       id: RFC 8915
#       title: Network Time Security for the Network Time Protocol
#       url: https://www.rfc-editor.org/rfc/rfc8915
package ntp_policy.rules.sources.unauthenticated_upstreams

import data.ntp_policy.lib.daemon
import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

_remote := [association | some association in daemon.sources; ntp.remote_upstream(association)]

_unauthenticated := [association |
	some association in _remote
	association.authenticated != true
]

# METADATA
# description: One violation per host with unauthenticated remote time sources, each one as evidence.
violations contains result.fail_fix(
	rego.metadata.chain(),
	object.get(_unauthenticated[0], "location", daemon.config_start),
	concat("", [
		format_int(count(_unauthenticated), 10), " of ", format_int(count(_remote), 10),
		" remote time sources are not authenticated (", _means, "): ",
		concat(", ", [_describe(a) | some a in _unauthenticated]),
		"; whoever can answer in their place can set this clock",
	]),
	[ntp.association_evidence(a) | some a in _unauthenticated],
	_fix,
) if {
	count(_unauthenticated) > 0
}

_describe(association) := concat("", [
	ntp.association_subject(association), " (key ", format_int(key, 10), " is not a trustedkey)",
]) if {
	key := object.get(association, ["options", "key"], null)
	is_number(key)
}

_describe(association) := ntp.association_subject(association) if {
	not is_number(object.get(association, ["options", "key"], null))
}

_means := "no key, no nts" if daemon.is_chrony

_means := "no key that is a trustedkey, no autokey, no nts" if not daemon.is_chrony

# chrony: NTS, or a symmetric key from chronyd's keyfile.
_fix := concat(" ", [
	"Authenticate every time source: `server time.cloudflare.com iburst nts` for NTS-capable servers,",
	"or `keyfile /etc/chrony/chrony.keys` and `server ntp1.example.org iburst key 1` (the key shared",
	"with the server's operator).",
]) if {
	daemon.is_chrony
}

_fix := null if not daemon.is_chrony
