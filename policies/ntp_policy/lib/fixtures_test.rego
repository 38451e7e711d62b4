# METADATA
# title: Test fixtures
# description: |
#   Policy input documents for the Rego unit tests (the shape of src/model/input.ts). The baseline
#   host is compliant: every rule test starts from it and breaks one thing.
package ntp_policy.lib.fixtures_test

# METADATA
# description: A location in the host's ntp.conf.
loc(line) := {"file": "etc/ntp.conf", "line": line, "column": 1}

# METADATA
# description: A restrict line of the host's ntp.conf as written, for an entry's lines.
line(n) := {"location": loc(n), "text": concat("", ["restrict line ", format_int(n, 10)])}

# METADATA
# description: A restrict entry, the IPv4 default with CIS flags, configured on line 3, unless overridden.
entry(overrides) := object.union(
	{
		"family": "ipv4",
		"kind": "default",
		"prefix": "0.0.0.0/0",
		"mask": "0.0.0.0",
		"mask_noncontiguous": false,
		"ntpport": false,
		"flags": ["kod", "nomodify", "noquery", "nopeer", "notrap"],
		"implicit": false,
		"lines": [line(3)],
		"governs_non_loopback": true,
		"governs_untrusted": true,
		"untrusted_example": "203.0.113.1",
	},
	overrides,
)

# METADATA
# description: A selectable server association on the given line, unless overridden.
association(line, address, overrides) := object.union(
	{
		"mode": "server",
		"address": address,
		"address_kind": "hostname",
		"family": null,
		"options": {"iburst": true},
		"location": loc(line),
		"text": concat(" ", ["server", address, "iburst"]),
		"selectable": true,
		"unusable_reasons": [],
	},
	overrides,
)

# METADATA
# description: The compliant baseline restrict list.
entries := [
	entry({}),
	entry({
		"family": "ipv6",
		"prefix": "::/0",
		"mask": "::",
		"lines": [line(4)],
		"untrusted_example": "2001:db8::1",
	}),
	entry({
		"kind": "address",
		"prefix": "127.0.0.1/32",
		"mask": "255.255.255.255",
		"flags": [],
		"lines": [line(5)],
		"governs_non_loopback": false,
		"governs_untrusted": false,
		"untrusted_example": null,
	}),
	entry({
		"family": "ipv6",
		"kind": "address",
		"prefix": "::1/128",
		"mask": "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"flags": [],
		"lines": [line(6)],
		"governs_non_loopback": false,
		"governs_untrusted": false,
		"untrusted_example": null,
	}),
]

# METADATA
# description: The compliant baseline ntp.conf facts.
ntp_facts := {
	"config_file": "etc/ntp.conf",
	"template": false,
	"daemon": {"flavor": "ntpd", "decided_by": "assumed", "version": null},
	"restrict": {"entries": entries, "source": null},
	"associations": [
		association(10, "0.pool.ntp.org", {}),
		association(11, "1.pool.ntp.org", {}),
		association(12, "2.pool.ntp.org", {}),
	],
	"system": {
		"monitor": {"enabled": false, "location": loc(8), "text": "disable monitor", "active": false},
		"mode7": {"enabled": false, "location": null},
		"auth": {"enabled": true, "location": null},
	},
	"trusted_keys": [],
	"includes": [],
	"interfaces": [],
	"tos": {},
}

# METADATA
# description: The compliant baseline host.
host := {
	"schema_version": "1.0",
	"host": "ntp1",
	"settings": {"trusted_networks": ["192.0.2.0/24"], "min_upstreams": 3},
	"files": [{"path": "etc/ntp.conf", "kind": "ntp.conf", "sha256": "0", "bytes": 1}],
	"diagnostics": [],
	"ntp": ntp_facts,
}

# METADATA
# description: The baseline host with some ntp facts replaced.
with_ntp(overrides) := object.union(host, {"ntp": object.union(ntp_facts, overrides)})

# METADATA
# description: The baseline host with these restrict entries.
with_entries(list) := with_ntp({"restrict": {"entries": list, "source": null}})

# METADATA
# description: The baseline host with these diagnostics.
with_diagnostics(list) := object.union(host, {"diagnostics": list})

# METADATA
# description: A diagnostic of the given kind on line 7.
diagnostic(kind, message) := {
	"kind": kind,
	"message": message,
	"location": loc(7),
	"text": "restrict defualt noquery",
	"expected": [],
}
