# METADATA
# title: chrony test fixtures
# description: |
#   A chrony host's policy input (src/model/input.ts, src/model/chrony.ts): a client of three servers
#   that serves nobody, with the command socket on loopback. Rule tests break one thing.
package ntp_policy.lib.chrony_fixtures_test

# METADATA
# description: A location in the host's chrony.conf.
loc(line) := {"file": "etc/chrony/chrony.conf", "line": line, "column": 1}

# METADATA
# description: A family nobody outside loopback gets access to.
closed := {"addresses": [], "untrusted": false, "untrusted_example": null, "lines": []}

# METADATA
# description: The compliant chrony facts.
chrony_facts := {
	"daemon": "chrony",
	"serves_time_to": {"ipv4": [], "ipv6": []},
	"may_query_or_command": {"ipv4": ["127.0.0.1/32"], "ipv6": ["::1/128"]},
	"sources": [],
	"runs_as_user": {
		"user": "_chrony", "from": "options",
		"location": {"file": "etc/default/chrony", "line": 1, "column": 1},
	},
	"ntp_listen": {"port": 123, "ipv4": null, "ipv6": null},
	"command_listen": {"port": 323, "ipv4": "127.0.0.1", "ipv6": "::1"},
	"command_socket": "/var/run/chrony/chronyd.sock",
	"nts_server": {"enabled": false, "port": 4460},
	"makestep": {"threshold": 1, "limit": 3, "steps_any_time": false, "location": loc(6), "text": "makestep 1 3"},
	"bindcmdaddress_lines": [],
	"max_maxpoll": 10,
	"local_stratum": null,
	"rtcsync": true,
	"driftfile": "/var/lib/chrony/chrony.drift",
	"keyfile": null,
	"authselectmode": null,
	"address_family": null,
	"access_lines": [],
}

# METADATA
# description: A chrony source as input.time carries it.
source(line, address) := {
	"mode": "server", "address": address, "address_kind": "hostname", "family": null,
	"options": {"iburst": true, "nts": true}, "authenticated": true, "maxpoll": null,
	"selectable": true, "unusable_reasons": [], "location": loc(line),
	"text": concat(" ", ["server", address, "iburst nts"]),
}

# METADATA
# description: The compliant chrony host.
host := {
	"schema_version": "1.1",
	"host": "chrony1",
	"settings": {"trusted_networks": ["192.0.2.0/24"], "min_upstreams": 3},
	"files": [
		{"path": "etc/chrony/chrony.conf", "kind": "chrony.conf", "sha256": "0", "bytes": 1},
		{"path": "etc/default/chrony", "kind": "chrony-options", "sha256": "0", "bytes": 1},
	],
	"diagnostics": [],
	"time": {
		"daemon": {"name": "chrony", "decided_by": "config-file", "version": null, "config_file": "etc/chrony/chrony.conf"},
		"also_configured": [],
		"serves_time": {"ipv4": closed, "ipv6": closed},
		"query_access": {"ipv4": closed, "ipv6": closed},
		"sources": [source(1, "a.example"), source(2, "b.example"), source(3, "c.example")],
	},
	"ntp": null,
	"chrony": chrony_facts,
	"firewall": {"ipv4": null, "ipv6": null},
	"exposure": {"ipv4": null, "ipv6": null},
}

# METADATA
# description: The host with some chrony facts replaced (objects merge, lists are replaced).
with_chrony(overrides) := object.union(host, {"chrony": object.union(chrony_facts, overrides)})
