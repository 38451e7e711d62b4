# METADATA
# title: ntp.conf and the host firewall disagree about who may reach ntpd
# description: >-
#   ntpd's access list (restrict) and the host firewall (INPUT) both decide who reaches the daemon, and
#   defence in depth needs them to agree. This rule compares the two, per address family. When ntpd
#   answers mode 6/7 queries (ntpq, ntpdc; no noquery) from addresses outside the trusted networks and
#   the firewall admits UDP/123 from those same addresses, no layer stops the query: the daemon's state,
#   its peers and recent clients, and the amplification of CVE-2013-5211 are open to them. When
#   ntp.conf serves time to a client network (a restrict line for it, not the default entry) that the
#   firewall never admits, the configuration promises a service the clients cannot get: they do not
#   synchronise, and someone will open the firewall in a hurry. Neither mismatch is visible to a check
#   that reads one layer only.
# related_resources:
#   - ref: https://www.ntp.org/documentation/4.2.8-series/accopt/
#     description: ntpd access control commands and options (restrict, noquery, noserve)
#   - ref: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
#     description: CVE-2013-5211, ntpd monlist traffic amplification
# custom:
#   id: XL001
#   severity: medium
#   consequence_of:
#     - FW001
#     - NTP001
#   inputs:
#     - time
#     - firewall
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "restrict default kod nomodify notrap nopeer"
#     pass: "restrict default kod nomodify notrap nopeer noquery"
#   remediation: >-
#     Make the layers agree. For queries: close both, adding noquery to the restrict entries that cover
#     untrusted addresses (`restrict -4 default kod nomodify notrap nopeer noquery`,
#     `restrict -6 default kod nomodify notrap nopeer noquery`) and accepting UDP/123 only from the
#     trusted networks (`-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT` before
#     `-A INPUT -p udp --dport 123 -j DROP`). For served clients: admit them in the firewall
#     (`-A INPUT -p udp --dport 123 -s 198.51.100.0/24 -j ACCEPT` for a `restrict 198.51.100.0 mask
#     255.255.255.0` line), or remove the restrict line if they are no longer served.
#   references:
#     - kind: ntp-policy
#       id: ntp-policy cross-layer check
#       title: ntp.conf access list compared with the host firewall (no peer tool does this)
#     - kind: NIST 800-53
#       id: SC-7
#       title: Boundary Protection
#     - kind: CVE
#       id: CVE-2013-5211
#       title: ntpd monlist (REQ_MON_GETLIST) traffic amplification
#       url: https://nvd.nist.gov/vuln/detail/CVE-2013-5211
package ntp_policy.rules.cross.layers_disagree

import data.ntp_policy.lib.daemon
import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.result

# METADATA
# description: ntpd answers queries from untrusted addresses that the firewall admits (per family).
violations contains result.fail_fix(
	rego.metadata.chain(),
	_query_location(key, exposure),
	_query_message(key, exposure),
	array.concat(
		array.concat(_lines_evidence(_queryable_entries(exposure)), firewall.rule_evidence(_admitting(key))),
		firewall.assumption_evidence(object.get(_firewall(key), ["ntp_inbound", "assumptions"], [])),
	),
	_query_fix(key),
) if {
	some key, exposure in firewall.exposures
	count(_queryable(exposure)) > 0
}

# METADATA
# description: ntp.conf serves time to clients the firewall never admits (per family).
violations contains result.fail_fix(
	rego.metadata.chain(),
	_served_location(key, exposure),
	_served_message(key, exposure),
	array.concat(
		array.concat(_lines_evidence(_served_entries(exposure)), firewall.rule_evidence(_accepted_by(key))),
		firewall.policy_evidence(_firewall(key)),
	),
	_served_fix(key),
) if {
	some key, exposure in firewall.exposures
	count(object.get(exposure, "served_but_blocked", [])) > 0
}

_firewall(key) := object.get(firewall.families, key, {})

# On an nftables host, the firewall half of each fix as nft commands.
_query_fix(key) := concat("", [
	"Make the layers agree: add noquery to the restrict entries that cover untrusted addresses (`restrict ",
	_restrict_family(key), " default kod nomodify notrap nopeer noquery`), and accept UDP/123 only from the",
	" trusted networks: `", firewall.nft_drop_untrusted(key, _firewall(key), _admitting(key), "udp"), "`",
]) if {
	firewall.nft(_firewall(key))
} else := null

_served_fix(key) := concat("", [
	"Admit the served clients in the firewall, before the rule or policy that drops them: `nft insert rule ",
	firewall.nft_chain(_firewall(key), []), " ", firewall.nft_address(key),
	" saddr { <the restrict line's network> } udp dport 123 accept`, or remove the restrict line if they are",
	" no longer served",
]) if {
	firewall.nft(_firewall(key))
} else := _chrony_served_fix

_restrict_family(key) := object.get({"ipv4": "-4", "ipv6": "-6"}, key, "-4")

_inbound(key, field) := object.get(_firewall(key), ["ntp_inbound", field], [])

_accepted_by(key) := _inbound(key, "accepted_by")

# The rules (and policies) through which untrusted sources may get in; when the facts name none, every
# rule that accepts UDP/123.
_admitting(key) := _inbound(key, "accepted_untrusted_by") if count(_inbound(key, "accepted_untrusted_by")) > 0

_admitting(key) := _accepted_by(key) if count(_inbound(key, "accepted_untrusted_by")) == 0

_lines_evidence(lines) := [{"location": object.get(line, "location", null), "text": object.get(line, "text", "")} |
	some line in lines
]

# The restrict lines that let those addresses query (no noquery), as written.
_queryable_entries(exposure) := object.get(exposure, "queryable_untrusted_entries", [])

# The restrict line that answers the queries, else the firewall rule that admits them, else the INPUT policy.
_query_location(_, exposure) := object.get(_queryable_entries(exposure)[0], "location", null) if {
	count(_queryable_entries(exposure)) > 0
}

_query_location(key, exposure) := object.get(_admitting(key)[0], "location", null) if {
	count(_queryable_entries(exposure)) == 0
	count(_admitting(key)) > 0
}

_query_location(key, exposure) := firewall.policy_location(_firewall(key)) if {
	count(_queryable_entries(exposure)) == 0
	count(_admitting(key)) == 0
}

_query_message(key, exposure) := concat("", [
	firewall.family_name(key), ": ntpd answers mode 6/7 queries (ntpq, ntpdc) from ",
	firewall.address_list(_queryable(exposure)), _example(exposure),
	" outside the trusted networks", _no_noquery(_queryable_entries(exposure)), " and the ",
	firewall.subject(key, _firewall(key)), " admits UDP/123 from there", _admitted_by(_admitting(key)),
	": no layer stops the query",
])

# `example` is an address of queryable_and_admitted_untrusted when that list is not empty.
_example(exposure) := concat("", [" (for example ", exposure.example, ")"]) if is_string(exposure.example)

_example(exposure) := "" if not is_string(object.get(exposure, "example", null))

_no_noquery(lines) := concat("", [" (restrict line ", firewall.rule_refs(lines), " has no noquery)"]) if {
	count(lines) == 1
}

_no_noquery(lines) := concat("", [" (restrict lines ", firewall.rule_refs(lines), " have no noquery)"]) if {
	count(lines) > 1
}

_no_noquery(lines) := "" if count(lines) == 0

_admitted_by(rules) := concat("", [" (accepted at ", firewall.rule_refs(rules), ")"]) if count(rules) > 0

_admitted_by(rules) := "" if count(rules) == 0

# chrony: the client networks are `allow` lines.
_chrony_served_fix := concat(" ", [
	"Make the layers agree: admit the clients an `allow` line serves in the firewall",
	"(`-A INPUT -p udp --dport 123 -s 198.51.100.0/24 -j ACCEPT` for `allow 198.51.100.0/24`),",
	"or remove the allow line if they are no longer served.",
]) if {
	daemon.is_chrony
}

_chrony_served_fix := null if not daemon.is_chrony

_served_entries(exposure) := object.get(exposure, "served_but_blocked_entries", [])

_served_location(_, exposure) := object.get(_served_entries(exposure)[0], "location", null) if {
	count(_served_entries(exposure)) > 0
}

_served_location(key, exposure) := firewall.policy_location(_firewall(key)) if count(_served_entries(exposure)) == 0

_served_message(key, exposure) := concat("", [
	firewall.family_name(key), ": ", daemon.config_name, " serves time to ",
	firewall.address_list(exposure.served_but_blocked),
	_restrict_lines(_served_entries(exposure)), " but the ", firewall.subject(key, _firewall(key)),
	" never admits UDP/123 from there: clients there", _served_example(exposure),
	" cannot synchronise with this server",
])

# `example` is an address of served_but_blocked only when no address is queryable and admitted.
_served_example(exposure) := _example(exposure) if count(_queryable(exposure)) == 0

_served_example(exposure) := "" if count(_queryable(exposure)) > 0

_queryable(exposure) := object.get(exposure, "queryable_and_admitted_untrusted", [])

_restrict_lines(lines) := concat("", [" (", _directive, " line ", firewall.rule_refs(lines), ")"]) if count(lines) == 1

_restrict_lines(lines) := concat("", [" (", _directive, " lines ", firewall.rule_refs(lines), ")"]) if count(lines) > 1

_restrict_lines(lines) := "" if count(lines) == 0

_directive := "allow" if daemon.is_chrony

_directive := "restrict" if not daemon.is_chrony

# METADATA
# description: |
#   Passing evidence, per family where the two layers agree: the firewall's INPUT policy line and the
#   rules through which UDP/123 gets in (ntp.conf's side is NTP001's evidence).
passed_evidence contains result.pass(rego.metadata.chain(), item) if {
	some key, exposure in firewall.exposures
	count(_queryable(exposure)) == 0
	count(object.get(exposure, "served_but_blocked", [])) == 0
	some item in array.concat(firewall.policy_lines(_firewall(key)), firewall.rule_evidence(_accepted_by(key)))
}
