# METADATA
# title: input.time test fixtures
# description: |
#   `input.time` as the ntpd analysis derives it from ntp.conf facts (src/analyze/time/ntpd.ts), for
#   the hand-built hosts of lib/fixtures_test.rego.
package ntp_policy.lib.time_fixtures_test

# METADATA
# description: |
#   The daemon-neutral facts of ntp.conf facts: the daemon, its sources with `authenticated` and
#   `maxpoll`; nobody outside loopback served or querying.
time_of(ntp) := {
	"daemon": {
		"name": ntp.daemon.flavor, "decided_by": ntp.daemon.decided_by,
		"version": ntp.daemon.version, "config_file": ntp.config_file,
	},
	"also_configured": [],
	"serves_time": {"ipv4": closed, "ipv6": closed},
	"query_access": {"ipv4": closed, "ipv6": closed},
	"sources": [object.union(a, {"authenticated": _authenticated(a, keys), "maxpoll": _written_maxpoll(a)}) |
		some a in ntp.associations
	],
} if {
	keys := object.get(ntp, "trusted_keys", [])
	closed := {"addresses": [], "untrusted": false, "untrusted_example": null, "lines": []}
}

_authenticated(a, keys) if object.get(a, ["options", "key"], null) in keys

_authenticated(a, _) if a.options.autokey == true

_authenticated(a, _) if a.options.nts == true

_authenticated(a, keys) := false if {
	not object.get(a, ["options", "key"], null) in keys
	object.get(a, ["options", "autokey"], false) != true
	object.get(a, ["options", "nts"], false) != true
}

_written_maxpoll(a) := a.options.maxpoll if is_number(object.get(a, ["options", "maxpoll"], null))

_written_maxpoll(a) := null if not is_number(object.get(a, ["options", "maxpoll"], null))
