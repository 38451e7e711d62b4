# METADATA
# title: Untrusted hosts can query the daemon (mode 6/7)
# description: >-
#   A restrict entry without `noquery` (or `ignore`) lets every address it governs query ntpd with
#   ntpq (mode 6) and ntpdc (mode 7). Those queries disclose the daemon's version, operating system,
#   peers and recent clients, and their replies are far larger than the requests, which made open
#   NTP servers a favourite reflector for amplification attacks (CVE-2013-5211). Time service does
#   not need queries: `noquery` leaves it untouched. This rule looks at the access list the way ntpd
#   resolves it: every entry that is the most specific match for some address outside loopback and
#   the trusted networks must carry `noquery` or `ignore`, the default entries of both families
#   included, and so does ntpd's built-in default (no flags at all) when no `restrict default` line
#   replaces it. On a chrony host the same holds for chronyc's command port: chronyd answers its
#   monitoring commands to localhost only unless `cmdallow` (with a non-local `bindcmdaddress`) lets
#   other hosts in; an untrusted address that may do so is a finding.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control commands and options (restrict, noquery)
#   - ref: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     description: CVE-2013-5211, ntpd monlist traffic amplification
# custom:
#   id: NTP001
#   severity: high
#   inputs:
#     - time
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "restrict default kod nomodify notrap nopeer"
#     pass: "restrict default kod nomodify notrap nopeer noquery"
#   remediation: >-
#     Add noquery to the restrict entries that cover untrusted addresses, starting with the
#     defaults of both families: `restrict -4 default kod nomodify notrap nopeer noquery` and
#     `restrict -6 default kod nomodify notrap nopeer noquery`; allow queries only from loopback
#     and the trusted networks (`restrict 127.0.0.1`, `restrict ::1`). A network that is meant to
#     query (your LAN, a monitoring host) is not a finding once it is declared trusted: run with
#     `--trusted 192.168.1.0/24`, or list it under `trusted_networks:` in .ntp-policy.yaml.
#   references:
#     - kind: CIS
#       id: Ubuntu 20.04 v2.0.0 2.1.4.1
#       title: Ensure ntp access control is configured
#     - kind: CIS
#       id: Debian 11 v1.0.0 2.1.4.1
#       title: Ensure ntp access control is configured
#     - kind: CIS
#       id: RHEL 7 v3.1.1 2.2.1.3
#       title: Ensure ntp is configured
#     - kind: CIS
#       id: Distribution Independent Linux 2.2.1.2
#       title: Ensure ntp is configured
#     - kind: SSG
#       id: ntpd_configure_restrictions
#       title: Configure the ntpd access restrictions (CCE-92325-0)
#     - kind: CVE
#       id: CVE-2013-5211
#       title: ntpd monlist (REQ_MON_GETLIST) traffic amplification
#       url: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     - kind: NIST 800-53
#       id: CM-7
#       title: Least Functionality
#     - kind: NIST 800-53
#       id: SC-5
#       title: Denial-of-Service Protection
package ntp_policy.rules.access.untrusted_query

import data.ntp_policy.lib.daemon
import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# METADATA
# description: One violation per restrict entry that lets untrusted hosts query the daemon.
violations contains result.fail(
	rego.metadata.chain(),
	_location(entry),
	_message(entry),
	_evidence(entry),
) if {
	some entry in ntp.restrict_entries
	entry.governs_untrusted == true
	ntp.answers_queries(entry)
}

# METADATA
# description: |
#   chrony: one violation per family in which hosts outside loopback and the trusted networks may send
#   chronyc commands (a `cmdallow` reaching them, the command socket bound to a non-local address).
violations contains result.fail_fix(
	rego.metadata.chain(),
	_chrony_location(access),
	concat("", [
		object.get(_family_names, family, family), ": chronyd answers chronyc commands (tracking, sources, clients)",
		" from hosts outside the trusted networks such as ", object.get(access, "untrusted_example", "?"),
		_chrony_lines(access),
	]),
	[{"location": line.location, "text": line.text} | some line in object.get(access, "lines", [])],
	_chrony_fix,
) if {
	daemon.is_chrony
	some family, access in daemon.query_access
	access.untrusted == true
}

_family_names := {"ipv4": "IPv4", "ipv6": "IPv6"}

_chrony_location(access) := access.lines[0].location if count(object.get(access, "lines", [])) > 0

_chrony_location(access) := daemon.config_start if count(object.get(access, "lines", [])) == 0

_chrony_lines(access) := concat("", [
	" (", concat(", ", [_chrony_line(line) | some line in access.lines]), ")",
]) if {
	count(object.get(access, "lines", [])) > 0
}

_chrony_lines(access) := "" if count(object.get(access, "lines", [])) == 0

_chrony_fix := concat(" ", [
	"Answer chronyc from localhost only: remove the `cmdallow` lines that cover untrusted networks and",
	"bind the command socket to loopback (`bindcmdaddress 127.0.0.1`, `bindcmdaddress ::1`), or close it",
	"with `cmdport 0` (chronyc on the host keeps working through the Unix socket).",
])

_chrony_line(line) := concat("", ["`", line.text, "` at ", ntp.location_text(line.location)])

# A rejected `restrict default` line is the cause: the finding is located there and says so.
_rejected(entry) := object.get(entry, "rejected_lines", [])

_location(entry) := _rejected(entry)[0].location if count(_rejected(entry)) > 0

_location(entry) := ntp.entry_location(entry) if count(_rejected(entry)) == 0

_evidence(entry) := _rejected(entry) if count(_rejected(entry)) > 0

_evidence(entry) := ntp.entry_evidence(entry) if count(_rejected(entry)) == 0

_message(entry) := concat("", [
	"ntpd rejects `", _rejected(entry)[0].text, "` at ", ntp.location_text(_rejected(entry)[0].location),
	" (PARSE001), so no line replaces its built-in default restrict entry ", object.get(entry, "prefix", "?"),
	" (", ntp.family_name(entry), "), which has neither noquery nor ignore: untrusted hosts",
	_example(entry), " can query ntpd with ntpq (mode 6) and ntpdc (mode 7)",
]) if {
	count(_rejected(entry)) > 0
}

_message(entry) := concat("", [
	_subject(entry),
	" has neither noquery nor ignore: untrusted hosts",
	_example(entry),
	" can query ntpd with ntpq (mode 6) and ntpdc (mode 7)",
]) if {
	count(_rejected(entry)) == 0
}

_subject(entry) := concat("", [
	"ntpd's built-in default restrict entry ", object.get(entry, "prefix", "?"),
	" (", ntp.family_name(entry), "; no restrict default line replaces it)",
]) if {
	entry.implicit == true
}

_subject(entry) := concat("", [
	"restrict entry ", object.get(entry, "prefix", "?"),
	" (", ntp.family_name(entry), ")",
]) if {
	object.get(entry, "implicit", false) == false
}

_example(entry) := concat("", [" such as ", entry.untrusted_example]) if is_string(entry.untrusted_example)

_example(entry) := "" if not is_string(object.get(entry, "untrusted_example", null))

# METADATA
# description: |
#   Passing evidence: the lines of the entries governing untrusted addresses that carry noquery (or
#   ignore), with where they are.
passed_evidence contains result.pass(rego.metadata.chain(), item) if {
	some entry in ntp.restrict_entries
	entry.governs_untrusted == true
	not ntp.answers_queries(entry)
	some item in ntp.entry_lines(entry)
}
