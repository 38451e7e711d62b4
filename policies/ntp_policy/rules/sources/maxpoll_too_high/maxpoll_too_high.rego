# METADATA
# title: Poll interval above the allowed maximum (maxpoll)
# description: >-
#   `maxpoll N` caps the interval between two polls of a time source at 2^N seconds. The longer the
#   interval, the longer the clock runs on its own before an error is noticed and corrected. The DISA
#   STIG (RHEL-08-030740 and its siblings) and SSG's chronyd_or_ntpd_set_maxpoll ask for `maxpoll`
#   of at most 16 (SSG's default variable: 10) on every `server`, `pool` and `peer` line, and the STIG
#   audits the line itself, so a line without `maxpoll` fails there. The limit is the policy setting
#   `max_poll` (17 in the baseline profile, ntpd's own ceiling; 10 in the cis and stig profiles) and
#   whether `maxpoll` must be written is `require_maxpoll` (stig). A line without `maxpoll` polls up to
#   ntpd's default of 2^10 seconds, which fails when the limit is lower. Reference clocks are not
#   judged. `maxpoll` must be on the server line itself; a standalone setting does not count.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/confopt/
#     description: ntpd server, pool and peer commands (minpoll, maxpoll)
# custom:
#   id: NTP013
#   severity: medium
#   passes_when: >-
#     No line shows this: it passes because no remote time source polls less often than the allowed
#     maximum.
#   inputs:
#     - time
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "server 0.pool.ntp.org iburst maxpoll 17"
#     pass: "server 0.pool.ntp.org iburst maxpoll 10"
#   remediation: >-
#     Write maxpoll on every server, pool and peer line, at or below the policy's max_poll
#     (10 in the cis and stig profiles): `server 0.pool.ntp.org iburst maxpoll 10`.
#   references:
#     - kind: STIG
#       id: V-230484
#       title: RHEL-08-030740, compare internal clocks with an authoritative time server (maxpoll)
#     - kind: STIG
#       id: V-257945
#       title: RHEL-09-252020, securely compare internal information system clocks (maxpoll)
#     - kind: STIG
#       id: V-260519
#       title: UBTU-22-252010, compare internal clocks with an authoritative time server (maxpoll)
#     - kind: STIG
#       id: V-221866
#       title: OL07-00-040500, synchronize clocks with an authoritative time source (ntpd or chrony)
#     - kind: SSG
#       id: chronyd_or_ntpd_set_maxpoll
#       title: Configure Time Service Maxpoll Interval (CCE-84059-5)
#     - kind: NIST 800-53
#       id: AU-8(1)(b)
#       title: Time Stamps | Synchronization with Authoritative Time Source
#     - kind: NIST 800-53
#       id: AU-12(1)
#       title: Audit Record Generation | System-wide and Time-correlated Audit Trail
#     - kind: NIST 800-53
#       id: CM-6(a)
#       title: Configuration Settings
package ntp_policy.rules.sources.maxpoll_too_high

import data.ntp_policy.lib.daemon
import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# ntpd's (and ntpsec's) maxpoll when a line does not set it: 2^10 s.
_default_maxpoll := 10

_limit := ntp.setting("max_poll", 17)

_required if ntp.setting("require_maxpoll", false) == true

# METADATA
# description: One violation per server, pool or peer line whose maxpoll is above the limit.
violations contains result.fail(
	rego.metadata.chain(),
	object.get(association, "location", daemon.config_start),
	concat("", [
		ntp.association_subject(association), ": maxpoll ", format_int(maxpoll, 10), " lets ", daemon.program, " wait 2^",
		format_int(maxpoll, 10), " s (", format_int(bits.lsh(1, maxpoll), 10), " s) between polls, above ",
		_limit_text,
	]),
	[ntp.association_evidence(association)],
) if {
	some association in daemon.sources
	ntp.remote_upstream(association)
	maxpoll := _maxpoll(association)
	maxpoll > _limit
}

# METADATA
# description: One violation per server, pool or peer line without maxpoll, when that is not allowed.
violations contains result.fail(
	rego.metadata.chain(),
	object.get(association, "location", daemon.config_start),
	concat("", [ntp.association_subject(association), " has no maxpoll", _missing_consequence]),
	[ntp.association_evidence(association)],
) if {
	_missing_fails
	some association in daemon.sources
	ntp.remote_upstream(association)
	not _maxpoll(association)
}

_maxpoll(association) := value if {
	value := object.get(association, ["options", "maxpoll"], null)
	is_number(value)
}

_maxpoll(association) := to_number(value) if {
	value := object.get(association, ["options", "maxpoll"], null)
	is_string(value)
	regex.match(`^[0-9]{1,2}$`, value)
}

_limit_text := concat("", ["the policy's limit of ", format_int(_limit, 10), " (max_poll)"])

_missing_fails if _required

_missing_fails if _default_maxpoll > _limit

_missing_consequence := concat("", [
	": this profile requires maxpoll, at most ", format_int(_limit, 10),
	", on every server, pool and peer line (require_maxpoll)",
]) if {
	_required
}

_missing_consequence := concat("", [
	", so ", daemon.program, " polls it as rarely as every 2^10 s (its default), above ", _limit_text,
]) if {
	not _required
}
