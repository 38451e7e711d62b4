# METADATA
# title: Test fixtures
# description: |
#   Policy input documents for the Rego unit tests (the shape of src/model/input.ts). The baseline
#   host is compliant: every rule test starts from it and breaks one thing.
package ntp_policy.lib.fixtures_test

import data.ntp_policy.lib.time_fixtures_test as tf

# METADATA
# description: A location in the host's ntp.conf.
loc(line) := {"file": "etc/ntp.conf", "line": line, "column": 1}

# METADATA
# description: A line of passing evidence of `rule` (lib.result.pass) at `location`.
passed(rule, location, text) := {"rule": rule, "location": location, "text": text}

# METADATA
# description: The passing evidence of `rule` on restrict line n of the host's ntp.conf (see line(n)).
passed_restrict(rule, n) := passed(rule, loc(n), concat("", ["restrict line ", format_int(n, 10)]))

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
# description: A location in the host's iptables-save (IPv4) dump.
v4_loc(line) := {"file": "iptables-save", "line": line, "column": 1}

# METADATA
# description: A location in the host's ip6tables-save (IPv6) dump.
v6_loc(line) := {"file": "ip6tables-save", "line": line, "column": 1}

# METADATA
# description: A firewall rule (RuleEvidence) as the analysis reports it.
fw_rule(location, text, effect) := {"location": location, "text": text, "effect": effect}

# METADATA
# description: The rule of the baseline IPv4 firewall that accepts NTP from the trusted network.
v4_trusted_accept := fw_rule(v4_loc(8), "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT", "accepts")

# METADATA
# description: A rule that accepts NTP from anywhere, so also from outside the trusted networks.
v4_open_accept := fw_rule(v4_loc(9), "-A INPUT -p udp -m udp --dport 123 -j ACCEPT", "accepts")

# METADATA
# description: The baseline IPv4 rule that accepts everything on the loopback interface (line 4).
v4_loopback_accept := fw_rule(v4_loc(4), "-A INPUT -i lo -j ACCEPT", "accepts loopback traffic")

# METADATA
# description: The baseline IPv4 rule that drops loopback sources arriving on other interfaces (line 5).
v4_loopback_drop := fw_rule(v4_loc(5), "-A INPUT -s 127.0.0.0/8 -j DROP", "drops loopback sources")

# METADATA
# description: The baseline IPv6 rule that accepts everything on the loopback interface (line 4).
v6_loopback_accept := fw_rule(v6_loc(4), "-A INPUT -i lo -j ACCEPT", "accepts loopback traffic")

# METADATA
# description: The baseline IPv6 rule that drops the loopback source arriving on other interfaces (line 5).
v6_loopback_drop := fw_rule(v6_loc(5), "-A INPUT -s ::1/128 -j DROP", "drops loopback sources")

# METADATA
# description: |
#   An ntp.conf interface line (InterfaceFact) on the given line, with the text as written
#   (`interface ignore ipv6`).
interface(line, action, match) := {
	"action": action,
	"match": match,
	"location": loc(line),
	"text": concat(" ", ["interface", action, match]),
}

# METADATA
# description: |
#   Firewall facts for an INPUT policy (ACCEPT or DROP) set as iptables-save writes it, for
#   `with_firewall`; `default_deny` follows the policy.
policy_facts(policy) := {
	"input_policy": policy,
	"input_policy_text": concat("", [":INPUT ", policy, " [0:0]"]),
	"default_deny": policy == "DROP",
}

# METADATA
# description: An upstream path (UpstreamPathFact) for the association on the given ntp.conf line.
upstream(line, address, verdict, blocked_by) := {
	"address": address,
	"location": loc(line),
	"verdict": verdict,
	"blocked_by": blocked_by,
}

# METADATA
# description: |
#   The compliant baseline IPv4 firewall: `:INPUT DROP` on line 3, loopback traffic accepted (line 4)
#   and loopback sources from elsewhere dropped (line 5), established traffic accepted, UDP/123
#   accepted from the trusted 192.0.2.0/24 only (line 8), TCP/123 from nowhere, the upstreams
#   reachable; FORWARD and OUTPUT policies DROP (so every rule, CIS profile included, passes it).
firewall_v4 := {
	"file": "iptables-save",
	"complete": true,
	"incomplete_reasons": [],
	"input_policy": "DROP",
	"input_policy_location": v4_loc(3),
	"input_policy_text": ":INPUT DROP [0:0]",
	"default_deny": true,
	"ntp_inbound": {
		"may_accept": ["192.0.2.0/24"],
		"must_accept": ["192.0.2.0/24"],
		"may_accept_untrusted": [],
		"must_accept_untrusted": [],
		"untrusted_example": null,
		"accepted_by": [v4_trusted_accept],
		"accepted_untrusted_by": [],
		"assumptions": [],
		"rate_limited_by": [],
	},
	"upstreams": [
		upstream(10, "0.pool.ntp.org", "open", []),
		upstream(11, "1.pool.ntp.org", "open", []),
		upstream(12, "2.pool.ntp.org", "open", []),
	],
	"shadowed_rules": [],
	"forward_policy": "DROP",
	"output_policy": "DROP",
	"loopback": {"accept_rule": v4_loopback_accept, "spoofed_drop_rule": v4_loopback_drop},
	"tcp_ntp_may_accept_untrusted": [],
}

# METADATA
# description: |
#   The compliant baseline IPv6 firewall (`:INPUT DROP` on line 3, the loopback rules on lines 4 and 5,
#   no UDP/123 or TCP/123 accepted from outside, FORWARD and OUTPUT policies DROP).
firewall_v6 := {
	"file": "ip6tables-save",
	"complete": true,
	"incomplete_reasons": [],
	"input_policy": "DROP",
	"input_policy_location": v6_loc(3),
	"input_policy_text": ":INPUT DROP [0:0]",
	"default_deny": true,
	"ntp_inbound": {
		"may_accept": [],
		"must_accept": [],
		"may_accept_untrusted": [],
		"must_accept_untrusted": [],
		"untrusted_example": null,
		"accepted_by": [],
		"accepted_untrusted_by": [],
		"assumptions": [],
		"rate_limited_by": [],
	},
	"upstreams": [
		upstream(10, "0.pool.ntp.org", "open", []),
		upstream(11, "1.pool.ntp.org", "open", []),
		upstream(12, "2.pool.ntp.org", "open", []),
	],
	"shadowed_rules": [],
	"forward_policy": "DROP",
	"output_policy": "DROP",
	"loopback": {"accept_rule": v6_loopback_accept, "spoofed_drop_rule": v6_loopback_drop},
	"tcp_ntp_may_accept_untrusted": [],
}

# METADATA
# description: The compliant baseline firewall facts, both families.
firewall_facts := {"ipv4": firewall_v4, "ipv6": firewall_v6}

# METADATA
# description: The compliant cross-layer facts of one family (nothing queryable, nothing served but blocked).
exposure_family := {
	"ntp_queryable": [],
	"ntp_served": [],
	"queryable_and_admitted_untrusted": [],
	"served_but_blocked": [],
	"served_but_blocked_entries": [],
	"queryable_untrusted_entries": [],
	"example": null,
}

# METADATA
# description: The compliant baseline cross-layer facts, both families.
exposure_facts := {"ipv4": exposure_family, "ipv6": exposure_family}

# METADATA
# description: |
#   The baseline host with the firewall facts of family `key` merged with `overrides` (objects merge,
#   lists are replaced); `null` removes the family, as for a dump without its file.
with_firewall(key, overrides) := object.union(host, {"firewall": {key: overrides}})

# METADATA
# description: The baseline host as a dump without firewall files (both families null, so no cross-layer facts).
without_firewall := object.union(host, {
	"firewall": {"ipv4": null, "ipv6": null},
	"exposure": {"ipv4": null, "ipv6": null},
})

# METADATA
# description: The baseline host without cross-layer facts.
without_exposure := object.union(host, {"exposure": {"ipv4": null, "ipv6": null}})

# METADATA
# description: The baseline host with the cross-layer facts of family `key` merged with `overrides` (or null).
with_exposure(key, overrides) := object.union(host, {"exposure": {key: overrides}})

# METADATA
# description: The compliant baseline host.
host := {
	"schema_version": "1.1",
	"host": "ntp1",
	"settings": {"trusted_networks": ["192.0.2.0/24"], "min_upstreams": 3},
	"files": [{"path": "etc/ntp.conf", "kind": "ntp.conf", "sha256": "0", "bytes": 1}],
	"diagnostics": [],
	"time": tf.time_of(ntp_facts),
	"ntp": ntp_facts,
	"chrony": null,
	"firewall": firewall_facts,
	"exposure": exposure_facts,
}

# METADATA
# description: The baseline host with some ntp facts replaced.
with_ntp(overrides) := object.union(host, {"ntp": facts, "time": tf.time_of(facts)}) if {
	facts := object.union(ntp_facts, overrides)
}

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

# ---- A fully hardened host (every rule, every profile), for the NTP005+ rule tests ----------------------------

# METADATA
# description: A configuration line of the host's ntp.conf on line n, as written.
text_line(n, text) := {"location": loc(n), "text": text}

# METADATA
# description: The flags of the hardened default entries (CIS flags plus limited, so that kod takes effect).
hardened_flags := ["kod", "limited", "nomodify", "noquery", "nopeer", "notrap"]

# METADATA
# description: |
#   The hardened restrict list: explicit defaults of both families with `kod limited nomodify notrap
#   nopeer noquery` (lines 3 and 4), loopback open (lines 5 and 6).
hardened_entries := [
	entry({
		"flags": hardened_flags,
		"lines": [text_line(3, "restrict -4 default kod limited nomodify notrap nopeer noquery")],
	}),
	entry({
		"family": "ipv6",
		"prefix": "::/0",
		"mask": "::",
		"flags": hardened_flags,
		"lines": [text_line(4, "restrict -6 default kod limited nomodify notrap nopeer noquery")],
		"untrusted_example": "2001:db8::1",
	}),
	entry({
		"kind": "address",
		"prefix": "127.0.0.1/32",
		"mask": "255.255.255.255",
		"flags": [],
		"lines": [text_line(5, "restrict 127.0.0.1")],
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
		"lines": [text_line(6, "restrict ::1")],
		"governs_non_loopback": false,
		"governs_untrusted": false,
		"untrusted_example": null,
	}),
]

# METADATA
# description: The hardened `restrict source` template on line 7 (no nopeer, so pool servers get in).
hardened_source := {
	"flags": ["kod", "limited", "nomodify", "noquery", "notrap"],
	"lines": [text_line(7, "restrict source kod limited nomodify notrap noquery")],
}

# METADATA
# description: A hardened server line on the given line (maxpoll 10, a trusted key).
hardened_server(line, address, key) := association(line, address, {
	"options": {"iburst": true, "maxpoll": 10, "key": key},
	"text": concat("", ["server ", address, " iburst maxpoll 10 key ", format_int(key, 10)]),
})

# METADATA
# description: |
#   The ntp.conf facts of a host that passes every rule in every profile: the hardened restrict list
#   and source template, `disable monitor` (line 8; still active because of limited), three
#   authenticated pool.ntp.org servers with maxpoll 10 (lines 10-12), keys 1-3 trusted, and ntpd
#   listening on one address only (`interface ignore all`, `interface listen 192.0.2.123`).
hardened_ntp_facts := object.union(ntp_facts, {
	"restrict": {"entries": hardened_entries, "source": hardened_source},
	"associations": [
		hardened_server(10, "0.pool.ntp.org", 1),
		hardened_server(11, "1.pool.ntp.org", 2),
		hardened_server(12, "2.pool.ntp.org", 3),
	],
	"system": {
		"monitor": {"enabled": false, "location": loc(8), "text": "disable monitor", "active": true},
		"mode7": {"enabled": false, "location": null, "text": null},
		"auth": {"enabled": true, "location": null, "text": null},
	},
	"trusted_keys": [1, 2, 3],
	"interfaces": [interface(20, "ignore", "all"), interface(21, "listen", "192.0.2.123")],
})

# METADATA
# description: The STIG settings of the hardened host (maxpoll 10 required, pool.ntp.org authorised).
hardened_settings := {
	"profile": "stig",
	"trusted_networks": ["192.0.2.0/24"],
	"min_upstreams": 3,
	"max_poll": 10,
	"require_maxpoll": true,
	"authorized_upstreams": ["*.pool.ntp.org"],
}

# METADATA
# description: The hardened host.
hardened_host := object.union(host, {
	"settings": hardened_settings,
	"ntp": hardened_ntp_facts,
	"time": tf.time_of(hardened_ntp_facts),
})

# METADATA
# description: The hardened host with some ntp facts replaced (objects merge, lists are replaced).
hardened_with(overrides) := object.union(hardened_host, {"ntp": facts, "time": tf.time_of(facts)}) if {
	facts := object.union(hardened_ntp_facts, overrides)
}

# METADATA
# description: The hardened host with some settings replaced.
hardened_with_settings(overrides) := object.union(
	hardened_host,
	{"settings": object.union(hardened_settings, overrides)},
)

# METADATA
# description: The hardened restrict list with entry i replaced by `replacement` (the source template kept).
hardened_entry_replaced(i, replacement) := hardened_with({"restrict": {"entries": [e |
	some j, original in hardened_entries
	e := _pick(i == j, replacement, original)
]}})

_pick(true, replacement, _) := replacement

_pick(false, _, original) := original

# METADATA
# description: A location in an nftables ruleset (`nft-ruleset`).
nft_loc(line) := {"file": "nft-ruleset", "line": line, "column": 5}

# METADATA
# description: A rule of the nftables ruleset's `inet filter input` chain, as firewall evidence.
nft_rule(line, text, effect) := {
	"location": nft_loc(line), "text": text, "effect": effect,
	"format": "nft", "table": "inet filter", "chain": "input",
}

# METADATA
# description: |
#   The baseline host whose IPv4 firewall is an nftables ruleset (`nft-ruleset`, chain `inet filter input`),
#   its facts merged with `overrides`; no IPv6 firewall facts.
nft_host(overrides) := object.union(host, {
	"firewall": {
		"ipv4": object.union(
			{
				"file": "nft-ruleset", "format": "nft",
				"sources": [{"file": "nft-ruleset", "format": "nft"}],
				"input_chain": {"format": "nft", "table": "inet filter", "chain": "input"},
				"input_policy_location": nft_loc(3),
				"input_policy_text": "type filter hook input priority filter; policy drop;",
			},
			overrides,
		),
		"ipv6": null,
	},
	"exposure": {"ipv6": null},
})
