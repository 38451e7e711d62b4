# METADATA
# title: chronyd serves time to untrusted networks
# description: >-
#   chronyd answers no NTP client until an `allow` line says so; `allow` without an address, `allow all`
#   or a wide subnet then opens the NTP server to every host that can reach it. An open time server
#   answers anyone (a reflector for spoofed traffic, a time source for hosts you never vetted) and
#   shows the daemon's presence. The last matching allow/deny line wins, as chronyd resolves it; this
#   rule fires when some address outside loopback and the trusted networks may get time, per family,
#   after `port`, `bindaddress` and the `-4`/`-6` daemon options are taken into account.
# related_resources:
#   - ref: https://chrony-project.org/doc/4.3/chrony.conf.html#allow
#     description: chrony.conf allow and deny
# custom:
#   id: CHRONY001
#   severity: high
#   inputs:
#     - chrony
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "allow"
#     pass: "allow 192.0.2.0/24"
#   remediation: >-
#     Allow only the networks this server serves: replace `allow` / `allow all` with
#     `allow 192.0.2.0/24` (one line per client network) and list those networks as trusted
#     (`--trusted 192.0.2.0/24` or `trusted_networks:`); a host that serves no client needs no `allow`
#     line at all, and `port 0` closes its NTP server port.
#   references:
#     - kind: CIS
#       id: RHEL 9 v2.0.0 2.3.2
#       title: Ensure chrony is configured
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
package ntp_policy.rules.chrony.serves_untrusted

import data.ntp_policy.lib.chrony
import data.ntp_policy.lib.result

_family_names := {"ipv4": "IPv4", "ipv6": "IPv6"}

# METADATA
# description: One violation per family in which chronyd serves time to some untrusted address.
violations contains result.fail(
	rego.metadata.chain(),
	_location(access),
	concat("", [
		object.get(_family_names, family, family), ": chronyd answers NTP clients outside the trusted networks (for example ",
		object.get(access, "untrusted_example", "?"), ")", _lines_text(access),
	]),
	[chrony.line_evidence(line) | some line in object.get(access, "lines", [])],
) if {
	chrony.neutral
	some family, access in object.get(input, ["time", "serves_time"], {})
	access.untrusted == true
}

_location(access) := access.lines[0].location if count(object.get(access, "lines", [])) > 0

_location(access) := chrony.config_start if count(object.get(access, "lines", [])) == 0

_lines_text(access) := concat("", [
	", opened by ", concat(", ", [chrony.line_subject(line) | some line in access.lines]),
]) if {
	count(object.get(access, "lines", [])) > 0
}

_lines_text(access) := "" if count(object.get(access, "lines", [])) == 0

# METADATA
# description: Passing evidence, the allow lines of a host that serves trusted networks only.
passed_evidence contains result.pass(rego.metadata.chain(), chrony.line_evidence(line)) if {
	chrony.neutral
	every _, access in object.get(input, ["time", "serves_time"], {}) {
		access.untrusted == false
	}
	some line in chrony.facts.access_lines
	line.directive == "allow"
}

# METADATA
# description: A chrony.conf beside the ntp.conf of the daemon that runs is not what serves time.
not_applicable contains result.not_applicable(
	rego.metadata.chain(),
	"the dump's ntp.conf describes the daemon that runs; this chrony.conf is judged by its own lines only",
) if {
	is_object(chrony.facts)
	not chrony.neutral
}
