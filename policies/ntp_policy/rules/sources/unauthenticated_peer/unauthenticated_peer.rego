# METADATA
# title: Unauthenticated symmetric peer or manycast client
# description: >-
#   A `peer` line sets up a symmetric association: each side may take time from the other, so a
#   peer that anyone can impersonate (its source address forged, its packets not authenticated) can
#   steer this clock, and this daemon's time flows back to it. A `manycastclient` line mobilises an
#   association with every server that answers its multicast group: without authentication, any host
#   on that network becomes a time source. Broadcast and multicast client modes have the same flaw
#   (the Team Cymru template warns against them; puppetlabs-ntp leaves `broadcastclient` off;
#   ntpsec removed broadcast, multicast and manycast modes). This rule fires for each `peer` and
#   `manycastclient` line without authentication: no `key N` whose N is a `trustedkey`, no `autokey`
#   (ntpd) and no `nts` (ntpsec). The `broadcastclient` and `multicastclient` directives are not in
#   the policy input yet, so they are not judged.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/confopt/
#     description: ntpd server, pool, peer and manycastclient commands (key, autokey)
#   - ref: https://www.ntp.org/documentation/4.2.8-series/authopt/
#     description: ntpd authentication options (keys, trustedkey)
# custom:
#   id: NTP017
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because no peer or manycastclient line lacks a key.
#   inputs:
#     - ntp
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "peer 192.0.2.8"
#     pass: "peer 192.0.2.8 key 4"
#   remediation: >-
#     Authenticate symmetric peers and manycast associations with a symmetric key both sides share:
#     `keys /etc/ntp.keys`, `trustedkey 4` and `peer 192.0.2.8 key 4` (the same key on the peer), or
#     replace the peer by a `server` line; remove `manycastclient`, `broadcastclient` and
#     `multicastclient` lines that cannot be authenticated (or keep `enable auth` with a `trustedkey`).
#   references:
#     - kind: Guide
#       id: Team Cymru Secure NTP Template
#       title: broadcast and multicast modes, symmetric keys
#       url: https://www.team-cymru.com/secure-ntp-template.html
#     - kind: Guide
#       id: puppetlabs-ntp broadcastclient
#       title: broadcastclient defaults to false
#       url: https://github.com/puppetlabs/puppetlabs-ntp
#     - kind: NIST 800-53
#       id: SC-45(2)
#       title: System Time Synchronization | Secondary Authoritative Time Source (rev5)
package ntp_policy.rules.sources.unauthenticated_peer

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

_what := {
	"peer": "is a symmetric peer without authentication: a host that forges its address can steer this clock",
	"manycastclient": concat("", [
		"mobilises every server that answers the multicast group, without authentication:",
		" any host on that network becomes a time source",
	]),
}

# METADATA
# description: One violation per peer or manycastclient line that is not authenticated.
violations contains result.fail(
	rego.metadata.chain(),
	object.get(association, "location", ntp.config_start),
	concat("", [ntp.association_subject(association), " ", _what[association.mode], _key_note(association)]),
	[ntp.association_evidence(association)],
) if {
	not ntp.judged_as_ntpsec
	some association in ntp.associations
	object.get(association, "mode", null) in object.keys(_what)
	not ntp.authenticated(association, ntp.trusted_key_set)
}

# METADATA
# description: |
#   One violation per broadcastclient/multicastclient line (and `enable bclient`) while broadcasts
#   cannot be authenticated: authentication disabled, or no trusted key to check them with.
violations contains result.fail(
	rego.metadata.chain(),
	line.location,
	concat("", [
		"`", line.text, "` takes time from any host that broadcasts on the network, and ",
		_why_unauthenticated, ": a forged broadcast can steer this clock",
	]),
	[line],
) if {
	some line in _broadcast_lines
	_broadcasts_unauthenticated
}

# METADATA
# description: |
#   ntpsec has no broadcast, multicast or manycast modes, and treats `peer` as `server`: no line
#   mobilises an unauthenticated symmetric, broadcast or manycast association there.
not_applicable contains result.not_applicable(
	rego.metadata.chain(),
	concat("", [
		"the host is judged as ntpsec (", object.get(ntp.facts, ["daemon", "decided_by"], "?"), "), which has no",
		" broadcast, multicast or manycast modes and treats peer as server",
	]),
) if {
	ntp.judged_as_ntpsec
}

_key_note(association) := concat("", [" (key ", format_int(key, 10), " is not a trustedkey)"]) if {
	key := object.get(association, ["options", "key"], null)
	is_number(key)
}

_key_note(association) := "" if not is_number(object.get(association, ["options", "key"], null))

_broadcast_lines contains line if {
	some line in object.get(ntp.facts, "broadcast_client_lines", [])
}

_broadcast_lines contains {"location": bclient.location, "text": bclient.text} if {
	bclient := object.get(ntp.facts, ["system", "bclient"], {})
	bclient.enabled == true
	is_object(bclient.location)
}

_broadcasts_unauthenticated if _auth_disabled

_broadcasts_unauthenticated if count(ntp.trusted_keys) == 0

_auth_disabled if ntp.facts.system.auth.enabled == false

_why_unauthenticated := "authentication is disabled (disable auth)" if _auth_disabled

_why_unauthenticated := "no trustedkey can authenticate its packets" if {
	not _auth_disabled
	count(ntp.trusted_keys) == 0
}
