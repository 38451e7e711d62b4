# METADATA
# title: chronyd acts as an NTP server on a client-only profile
# description: >-
#   The DISA STIG asks that a host's chronyd be a client only: it takes time from its sources and
#   serves none. chronyd opens its NTP server port only for a family some `allow` line opens (and never
#   with `port 0`), so the port is open exactly when an `allow` line lets some address in, trusted or
#   not, on a port other than 0. This rule fails when chronyd would open the NTP server port for IPv4 or
#   IPv6; CHRONY001 judges who may use it. It runs under the stig profile, where the benchmark puts it;
#   a dedicated time server that is meant to serve is waived for that host.
# related_resources:
#   - ref: https://chrony-project.org/doc/4.3/chrony.conf.html#port
#     description: chrony.conf port (0 - client-only mode) and allow
# custom:
#   id: CHRONY005
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because no `allow` line opens the NTP server port (or `port 0`
#     keeps it closed).
#   inputs:
#     - chrony
#   profiles:
#     - stig
#   examples:
#     fail: "allow 192.0.2.0/24"
#     pass: "port 0"
#   remediation: >-
#     Make the host a client only: remove its `allow` lines and write `port 0`, which keeps chronyd from
#     opening the NTP server port whatever is allowed. A server that is meant to serve its network is
#     waived for that host with that justification.
#   references:
#     - kind: SSG
#       id: chronyd_client_only
#       title: Disable chrony daemon from acting as server
#     - kind: STIG
#       id: RHEL-08-030741
#       title: RHEL 8 must disable the chrony daemon from acting as a server
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.chrony.acts_as_server

import data.ntp_policy.lib.chrony
import data.ntp_policy.lib.result

_family_names := {"ipv4": "IPv4", "ipv6": "IPv6"}

_listen := object.get(chrony.facts, "ntp_listen", {})

_open_families := sort([name |
	some family in ["ipv4", "ipv6"]
	is_string(object.get(_listen, family, null))
	name := _family_names[family]
])

_allow_lines := [line | some line in chrony.facts.access_lines; line.directive == "allow"]

_location := _allow_lines[0].location if count(_allow_lines) > 0

_location := chrony.config_start if count(_allow_lines) == 0

# METADATA
# description: One violation when chronyd opens its NTP server port for some family.
violations contains result.fail(
	rego.metadata.chain(),
	_location,
	concat("", [
		"chronyd acts as an NTP server: it opens UDP port ", format_int(object.get(_listen, "port", 123), 10),
		" for ", concat(" and ", _open_families), " because `allow` lines let clients in",
		"; this profile wants a client only (port 0, no allow)",
	]),
	[chrony.line_evidence(line) | some line in _allow_lines],
) if {
	is_object(chrony.facts)
	count(_open_families) > 0
}
