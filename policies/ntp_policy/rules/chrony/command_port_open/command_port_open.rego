# METADATA
# title: chronyd's command port is open to the network
# description: >-
#   chronyd answers chronyc on UDP port 323 (`cmdport`) bound to 127.0.0.1 and ::1 by default, and
#   from localhost only. `bindcmdaddress` with a non-loopback address opens the socket to the network,
#   and `cmdallow` lets other hosts use it: they get the monitoring commands (tracking, sources,
#   clients), which disclose the time sources and the clients this server has seen and answer with
#   replies larger than the request. Local administration needs none of it (chronyc uses the Unix
#   socket), so benchmarks ask for the network command socket to be closed (`cmdport 0`). This rule
#   fires when the IP command socket listens on a non-loopback address, or when some address outside
#   loopback may command chronyd.
# related_resources:
#   - ref: https://chrony-project.org/doc/4.3/chrony.conf.html#cmdport
#     description: chrony.conf cmdport, bindcmdaddress, cmdallow
# custom:
#   id: CHRONY002
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because the command socket listens on loopback only (or is closed
#     with `cmdport 0`) and no `cmdallow` lets another host in.
#   inputs:
#     - chrony
#   profiles:
#     - cis
#     - stig
#   examples:
#     fail: "bindcmdaddress 0.0.0.0"
#     pass: "cmdport 0"
#   remediation: >-
#     Close the network command socket with `cmdport 0` (chronyc on the host keeps working through
#     the Unix socket), or at least remove `cmdallow` lines and non-loopback `bindcmdaddress` lines.
#   references:
#     - kind: SSG
#       id: chronyd_no_chronyc_network
#       title: Disable network management of chrony daemon
#     - kind: STIG
#       id: RHEL-08-030742
#       title: RHEL 8 must disable network management of the chrony daemon
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.chrony.command_port_open

import data.ntp_policy.lib.chrony
import data.ntp_policy.lib.result

_loopback := {"ipv4": "127.0.0.0/8", "ipv6": "::1/128"}

_family_names := {"ipv4": "IPv4", "ipv6": "IPv6"}

_listen := object.get(chrony.facts, "command_listen", {})

# Families whose command socket is bound to an address outside loopback.
_exposed_families contains family if {
	some family in {"ipv4", "ipv6"}
	bound := _listen[family]
	is_string(bound)
	not net.cidr_contains(_loopback[family], bound)
}

_bind_lines := object.get(chrony.facts, "bindcmdaddress_lines", [])

_cmdallow_lines := [line |
	some line in chrony.facts.access_lines
	line.directive == "cmdallow"
]

_remote := [cidr |
	some family in {"ipv4", "ipv6"}
	some cidr in object.get(chrony.facts, ["may_query_or_command", family], [])
	not net.cidr_contains(_loopback[family], cidr)
]

_open if count(_exposed_families) > 0

_open if count(_remote) > 0

_lines := array.concat(_bind_lines, _cmdallow_lines)

_location := _lines[0].location if count(_lines) > 0

_location := chrony.config_start if count(_lines) == 0

_why := concat("", [
	"the command socket listens on ",
	concat(", ", sort([concat("", [_family_names[f], " ", _listen[f]]) | some f in _exposed_families])),
	" (port ", format_int(object.get(_listen, "port", 323), 10), ")",
]) if {
	count(_exposed_families) > 0
}

_why := "the command socket listens on loopback only" if count(_exposed_families) == 0

_who := concat("", ["; ", concat(", ", _remote), " may send it chronyc commands"]) if count(_remote) > 0

_who := "; only localhost may send it commands (no cmdallow reaches it)" if count(_remote) == 0

# METADATA
# description: One violation when chronyd's IP command port is open to the network.
violations contains result.fail(
	rego.metadata.chain(),
	_location,
	concat("", ["chronyd's command port is open to the network: ", _why, _who]),
	[chrony.line_evidence(line) | some line in _lines],
) if {
	is_object(chrony.facts)
	_open
}
