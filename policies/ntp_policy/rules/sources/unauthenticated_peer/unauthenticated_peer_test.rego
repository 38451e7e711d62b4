package ntp_policy.rules.sources.unauthenticated_peer_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.sources.unauthenticated_peer

peer(options, text) := fx.association(13, "192.0.2.8", {
	"mode": "peer",
	"address_kind": "ipv4",
	"family": "ipv4",
	"options": options,
	"text": text,
})

with_extra(association) := fx.hardened_with({"associations": array.concat(
	fx.hardened_ntp_facts.associations,
	[association],
)})

test_hardened_host_passes if {
	count(unauthenticated_peer.violations) == 0 with input as fx.hardened_host
}

test_compliant_baseline_passes if {
	count(unauthenticated_peer.violations) == 0 with input as fx.host
}

test_peer_without_key_fails if {
	violations := unauthenticated_peer.violations with input as with_extra(peer({}, "peer 192.0.2.8"))
	violations == {{
		"rule": "NTP017",
		"severity": "medium",
		"message": concat("", [
			"`peer 192.0.2.8` at etc/ntp.conf:13 is a symmetric peer without authentication: a host that forges",
			" its address can steer this clock",
		]),
		"location": fx.loc(13),
		"evidence": [{"location": fx.loc(13), "text": "peer 192.0.2.8"}],
		"remediation": concat(" ", [
			"Authenticate symmetric peers and manycast associations with a symmetric key both sides share:",
			"`keys /etc/ntp.keys`, `trustedkey 4` and `peer 192.0.2.8 key 4` (the same key on the peer), or",
			"replace the peer by a `server` line; remove `manycastclient`, `broadcastclient` and",
			"`multicastclient` lines that cannot be authenticated (or keep `enable auth` with a `trustedkey`).",
		]),
	}}
}

test_peer_with_an_untrusted_key_fails if {
	some violation in unauthenticated_peer.violations with input as with_extra(peer({"key": 9}, "peer 192.0.2.8 key 9"))
	endswith(violation.message, "can steer this clock (key 9 is not a trustedkey)")
}

test_peer_with_a_trusted_key_passes if {
	count(unauthenticated_peer.violations) == 0 with input as with_extra(peer({"key": 2}, "peer 192.0.2.8 key 2"))
}

test_autokey_and_nts_count_as_authentication if {
	count(unauthenticated_peer.violations) == 0 with input as with_extra(peer({"autokey": true}, "peer 192.0.2.8 autokey"))
	count(unauthenticated_peer.violations) == 0 with input as with_extra(peer({"nts": true}, "peer 192.0.2.8 nts"))
}

test_manycastclient_without_key_fails if {
	manycast := fx.association(14, "224.0.1.1", {
		"mode": "manycastclient",
		"address_kind": "ipv4",
		"options": {},
		"text": "manycastclient 224.0.1.1",
	})
	some violation in unauthenticated_peer.violations with input as with_extra(manycast)
	violation.message == concat("", [
		"`manycastclient 224.0.1.1` at etc/ntp.conf:14 mobilises every server that answers the multicast group,",
		" without authentication: any host on that network becomes a time source",
	])
}

test_unauthenticated_servers_are_not_this_rules_business if {
	count(unauthenticated_peer.violations) == 0 with input as with_extra(fx.association(14, "ntp.example.org", {}))
}

test_association_without_location_is_named_without_one if {
	unlocated := json.remove(peer({}, "peer 192.0.2.8"), ["location"])
	some violation in unauthenticated_peer.violations with input as with_extra(unlocated)
	startswith(violation.message, "`peer 192.0.2.8` at ? is a symmetric peer")
	violation.location == {"file": "etc/ntp.conf", "line": 1, "column": 1}
}

test_broadcastclient_without_trusted_key_fails if {
	line := {"location": fx.loc(9), "text": "broadcastclient"}
	inp := object.union(fx.host, {"ntp": {"broadcast_client_lines": [line], "trusted_keys": []}})
	violations := unauthenticated_peer.violations with input as inp
	count(violations) == 1
	some violation in violations
	violation.location == fx.loc(9)
	contains(violation.message, "no trustedkey can authenticate")
	violation.evidence == [line]
}

test_enable_bclient_with_auth_disabled_fails if {
	inp := object.union(fx.host, {"ntp": {
		"trusted_keys": [4],
		"system": {
			"auth": {"enabled": false, "location": fx.loc(3), "text": "disable auth"},
			"bclient": {"enabled": true, "location": fx.loc(8), "text": "enable bclient"},
		},
	}})
	some violation in unauthenticated_peer.violations with input as inp
	violation.location == fx.loc(8)
	contains(violation.message, "authentication is disabled")
}

test_authenticated_broadcastclient_passes if {
	line := {"location": fx.loc(9), "text": "multicastclient 224.0.1.1"}
	inp := object.union(fx.host, {"ntp": {"broadcast_client_lines": [line], "trusted_keys": [4]}})
	count(unauthenticated_peer.violations) == 0 with input as inp
}

test_ntpsec_host_is_not_applicable_not_a_pass_or_fail if {
	classic := fx.with_ntp({"associations": [fx.association(12, "192.0.2.9", {"mode": "peer"})]})
	count(unauthenticated_peer.violations) > 0 with input as classic
	ntpsec := json.patch(classic, [{"op": "add", "path": "/ntp/daemon", "value": {
		"flavor": "ntpsec", "decided_by": "version-file", "version": "ntpd ntpsec-1.2.2",
	}}])
	count(unauthenticated_peer.violations) == 0 with input as ntpsec
	count(unauthenticated_peer.not_applicable) == 0 with input as classic
	nas := unauthenticated_peer.not_applicable with input as ntpsec
	count(nas) == 1
	some na in nas
	na.rule == "NTP017"
	startswith(na.reason, "the host is judged as ntpsec (version-file)")
}
