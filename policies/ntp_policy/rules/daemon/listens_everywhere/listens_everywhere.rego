# METADATA
# title: ntpd listens on every interface
# description: >-
#   By default ntpd opens UDP/123 on every address of every interface, present and future, so the
#   daemon answers on networks it was never meant to serve, and only the restrict list and the host
#   firewall decide what happens to what arrives there. The `interface` directive narrows this: rules
#   are applied to every address in order and the last one that matches decides, so
#   `interface ignore all` followed by `interface listen <address>` (or `interface listen eth1`)
#   leaves ntpd on the intended addresses only (`all` matches every address but the wildcard and
#   loopback). `interface ignore wildcard` alone is not enough: it closes only the wildcard socket,
#   which ntpd already opens in drop mode, and every interface address is still opened. This
#   best-practice rule (no benchmark item) fires when, for IPv4 or IPv6, the last `interface` line
#   that matches `all` or the family is not `ignore` or `drop`, or there is none.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/miscopt/
#     description: ntpd miscellaneous options (interface listen, ignore, drop)
# custom:
#   id: NTP018
#   severity: info
#   passes_when: >-
#     No line shows this: it passes because interface lines keep ntpd from listening on every address
#     of a family.
#   inputs:
#     - ntp
#   profiles:
#     - cis
#     - stig
#   examples:
#     fail: "interface ignore wildcard"
#     pass: "interface ignore all"
#   remediation: >-
#     Make ntpd listen only where it serves: `interface ignore all` followed by
#     `interface listen 192.0.2.123` (or the interface name, e.g. `interface listen eth1`); a pure
#     client can listen on loopback only (`interface ignore all` alone: loopback stays open).
#   references:
#     - kind: Guide
#       id: puppetlabs-ntp interfaces
#       title: interfaces and interfaces_ignore parameters (listen only on the given interfaces)
#       url: https://github.com/puppetlabs/puppetlabs-ntp
#     - kind: Issue
#       id: ffnord/ffnord-puppet-gateway#21
#       title: ntpd listens on all interfaces
#       url: https://github.com/ffnord/ffnord-puppet-gateway/issues/21
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.daemon.listens_everywhere

import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

_interfaces := object.get(ntp.facts, "interfaces", [])

_family_names := {"ipv4": "IPv4", "ipv6": "IPv6"}

# The interface lines that match every address of the family, in order.
_matching(family) := [line |
	some line in _interfaces
	lower(object.get(line, "match", "")) in {"all", family}
]

_open(family) if count(_matching(family)) == 0

_open(family) if {
	lines := _matching(family)
	count(lines) > 0
	lines[count(lines) - 1].action == "listen"
}

_open_families := [family | some family in ["ipv4", "ipv6"]; _open(family)]

# Listen lines that re-open a family after it was ignored (the last matching line).
_reopening := sort({line |
	some family in _open_families
	lines := _matching(family)
	count(lines) > 0
	line := lines[count(lines) - 1]
})

_wildcard_lines := [line |
	some line in _interfaces
	lower(object.get(line, "match", "")) == "wildcard"
	line.action in {"ignore", "drop"}
]

# METADATA
# description: One violation per host where ntpd listens on every address of some family.
violations contains result.fail(rego.metadata.chain(), _location, _message, _evidence) if {
	is_object(ntp.facts)
	count(_open_families) > 0
}

_location := object.get(_reopening[0], "location", ntp.config_start) if count(_reopening) > 0

_location := ntp.config_start if count(_reopening) == 0

_message := concat("", [
	"ntpd listens on every ", concat(" and ", [_family_names[f] | some f in _open_families]),
	" address of the host", _why, ": UDP/123 is open on every interface, present and future, and only",
	" the restrict list and the firewall decide what it answers there",
])

_why := concat("", [" (", concat(", ", [_reopen_text(line) | some line in _reopening]), ")"]) if {
	count(_reopening) > 0
}

_why := concat("", [
	" (`", _wildcard_lines[0].text, "` at ", ntp.location_text(_wildcard_lines[0].location),
	" closes only the wildcard socket; no `interface ignore all` line)",
]) if {
	count(_reopening) == 0
	count(_wildcard_lines) > 0
}

_why := " (no `interface ignore all` line: ntpd's default)" if {
	count(_reopening) == 0
	count(_wildcard_lines) == 0
}

_reopen_text(line) := concat("", [
	"`", object.get(line, "text", ""), "` at ", ntp.location_text(line.location), " re-opens them",
])

_evidence := [{"location": object.get(line, "location", null), "text": object.get(line, "text", "")} |
	some line in _interfaces
] if {
	count(_interfaces) > 0
}

_evidence := [{"location": ntp.config_start, "text": "(no interface line: ntpd opens every address, its default)"}] if {
	count(_interfaces) == 0
}
