# METADATA
# title: No time-daemon configuration the tool understands
# description: >-
#   The host is in the dump — it holds `ntp-version` (the collector writes it whenever ntpd or ntpsec
#   is installed) or a firewall dump — but no ntp.conf. Nothing about the time daemon can then be
#   judged: no rule about restrict lines, monitoring or time sources runs, and a report without
#   findings would look clean only because the evidence is missing. The host may run a daemon this
#   tool does not read (systemd-timesyncd, OpenNTPD), or the collector could not find its
#   configuration. Missing evidence is never compliance, so this is a finding of its own.
# related_resources:
#   - ref: https://docs.ntpsec.org/latest/ntp_conf.html
#     description: ntp.conf, the configuration file this check reads
# custom:
#   id: NTP022
#   severity: high
#   passes_when: >-
#     No line shows this: it passes because the host has a time-daemon configuration the tool reads,
#     or nothing on it (an installed daemon, firewall evidence) calls for one.
#   inputs: []
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "(ntp-version or iptables-save in the host directory, no ntp.conf)"
#     pass: "(ntp.conf, etc/ntp.conf, etc/ntpsec/ntp.conf or a chrony.conf in the host directory)"
#   remediation: >-
#     Add the time daemon's configuration to the dump: `ntp.conf`, `etc/ntp.conf` or
#     `etc/ntpsec/ntp.conf` in the host directory (scripts/collect-host-dump.sh copies it). If the host
#     runs a daemon this tool does not read (systemd-timesyncd, OpenNTPD), review that configuration by
#     hand and waive this finding for the host with that justification.
#   references:
#     - kind: NIST 800-53
#       id: CM-6
#       title: Configuration Settings
#     - kind: NIST 800-53
#       id: AU-8
#       title: Time Stamps
package ntp_policy.rules.evidence.no_daemon_config

import data.ntp_policy.lib.result

# METADATA
# description: One violation per host that has time-daemon or firewall evidence but no ntp.conf.
violations contains result.fail(
	rego.metadata.chain(),
	{"file": _marker.path, "line": 1, "column": 1},
	_message,
	[{"location": {"file": _marker.path, "line": 1, "column": 1}, "text": _marker_text}],
) if {
	not is_object(input.ntp)
	not is_object(input.chrony)
	count(_config_files) == 0
	count(_unreadable_config) == 0
	count(_markers) > 0
}

_files := object.get(input, "files", [])

_config_files := [file | some file in _files; file.kind in {"ntp.conf", "ntp.include", "chrony.conf", "chrony.include"}]

# An ntp.conf that exists but could not be read is PARSE003's finding, not this one.
_unreadable_config := [diagnostic |
	some diagnostic in object.get(input, "diagnostics", [])
	diagnostic.kind == "unreadable"
	_config_name(object.get(diagnostic, ["location", "file"], ""))
]

_config_name(file) if endswith(file, "ntp.conf")

_config_name(file) if endswith(file, "chrony.conf")

# The files that put the host in the dump: the daemon's version first, then the firewall dumps.
_markers := array.concat(
	[file | some file in _files; file.kind in {"ntp-version", "chrony-version"}],
	[file | some file in _files; file.kind in {"iptables", "ip6tables"}],
)

_marker := _markers[0]

_marker_text := "(ntpd --version recorded: a time daemon is installed)" if _marker.kind == "ntp-version"

_marker_text := "(chronyd -v recorded: a time daemon is installed)" if _marker.kind == "chrony-version"

_marker_text := "(a firewall dump, and no ntp.conf beside it)" if not _marker.kind in {"ntp-version", "chrony-version"}

_message := concat("", [
	"A time daemon is installed (", _marker.path, " records its version) but the dump has no ntp.conf",
	" (nor etc/ntp.conf, etc/ntpsec/ntp.conf): no time-daemon configuration this tool understands,",
	" so nothing about the daemon's access control or time sources was checked",
]) if {
	_marker.kind in {"ntp-version", "chrony-version"}
}

_message := concat("", [
	"The host has firewall evidence (", _marker.path, ") but no ntp.conf (nor etc/ntp.conf, etc/ntpsec/ntp.conf):",
	" no time-daemon configuration this tool understands, so nothing about the daemon was checked",
]) if {
	not _marker.kind in {"ntp-version", "chrony-version"}
}
