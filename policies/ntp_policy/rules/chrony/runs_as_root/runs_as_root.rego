# METADATA
# title: chronyd does not drop root privileges
# description: >-
#   chronyd starts as root to set the clock and bind its ports, then switches to the account named by
#   `-u USER` in the service options or the `user` directive (the options win). Left as root, any flaw
#   in its packet parsing runs with full privileges. Debian's and RHEL's packages build chronyd to drop
#   to `_chrony` / `chrony` when neither says otherwise, and the service options file is the evidence
#   that the host runs such a package build; a source build without `--with-user` stays root. This
#   rule fails when `-u root` or `user root` is configured, passes when an unprivileged account is
#   named or the package's options file is present, and is not applicable when the dump shows neither
#   (no way to tell which build runs).
# related_resources:
#   - ref: https://chrony-project.org/doc/4.3/chrony.conf.html#user
#     description: chrony.conf user
# custom:
#   id: CHRONY003
#   severity: medium
#   inputs:
#     - chrony
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "user root"
#     pass: "user chrony"
#   remediation: >-
#     Run chronyd as its own unprivileged account: `OPTIONS="-u chrony"` in /etc/sysconfig/chronyd
#     (`DAEMON_OPTS="-u _chrony"` in /etc/default/chrony on Debian), or `user chrony` in chrony.conf,
#     and remove any `-u root` / `user root`.
#   references:
#     - kind: SSG
#       id: chronyd_run_as_chrony_user
#       title: Ensure that chronyd is running under chrony user account
#     - kind: CIS
#       id: RHEL 9 v2.0.0 2.3.3
#       title: Ensure chrony is not run as the root user
#     - kind: NIST 800-53
#       id: AC-6
#       title: Least Privilege
package ntp_policy.rules.chrony.runs_as_root

import data.ntp_policy.lib.chrony
import data.ntp_policy.lib.result

_runs_as := object.get(chrony.facts, "runs_as_user", {})

_options_files := [file | some file in object.get(input, "files", []); file.kind == "chrony-options"]

_where := "the service options (-u)" if _runs_as.from == "options"

_where := "the user directive" if _runs_as.from == "directive"

# METADATA
# description: One violation when chronyd keeps running as root.
violations contains result.fail(
	rego.metadata.chain(),
	object.get(_runs_as, "location", chrony.config_start),
	concat("", ["chronyd runs as root: ", _where, " names root, so it never drops its privileges"]),
	[{
		"location": object.get(_runs_as, "location", chrony.config_start),
		"text": concat("", ["runs as root (from ", _where, ")"]),
	}],
) if {
	is_object(chrony.facts)
	_runs_as.user == "root"
}

# METADATA
# description: No user named and no package options file, so which build runs (and its default user) is unknown.
not_applicable contains result.not_applicable(
	rego.metadata.chain(),
	concat("", [
		"no -u option, no user directive and no service options file (etc/sysconfig/chronyd, etc/default/chrony):",
		" the distribution packages drop to chrony/_chrony by default, a source build stays root",
	]),
) if {
	is_object(chrony.facts)
	_runs_as.from == "default"
	count(_options_files) == 0
}

# METADATA
# description: Passing evidence, where the unprivileged account is named.
passed_evidence contains result.pass(rego.metadata.chain(), {
	"location": _runs_as.location,
	"text": concat("", ["runs as ", _runs_as.user]),
}) if {
	is_object(chrony.facts)
	is_string(_runs_as.user)
	_runs_as.user != "root"
	is_object(_runs_as.location)
}
