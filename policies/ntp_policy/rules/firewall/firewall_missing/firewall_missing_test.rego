package ntp_policy.rules.firewall.firewall_missing_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.firewall.firewall_missing

no_firewall := fx.without_firewall

test_compliant_baseline_passes if {
	count(firewall_missing.violations) == 0 with input as fx.host
}

test_no_firewall_fails_at_ntp_conf_line_one if {
	violations := firewall_missing.violations with input as no_firewall
	violations == {{
		"rule": "FW007",
		"severity": "info",
		"message": concat("", [
			"The host firewall was not in the dump (no iptables-save, no ip6tables-save): UDP/123 exposure cannot ",
			"be judged, so no firewall finding here is evidence of compliance; the restrict list is the only ",
			"control this check could see",
		]),
		"location": fx.loc(1),
		"evidence": [],
		"remediation": concat(" ", [
			"Add the host firewall to the dump: `iptables-save > iptables-save` and",
			"`ip6tables-save > ip6tables-save` in the host directory (also found as rules.v4 / rules.v6 and",
			"etc/iptables/rules.v4 / rules.v6); if the host really has no firewall, add one with",
			"`:INPUT DROP [0:0]` and `-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT` for the trusted",
			"networks.",
		]),
	}}
	count(firewall_missing.violations) == 1 with input as object.remove(fx.host, {"firewall"})
}

test_template_ntp_conf_counts_as_present if {
	count(firewall_missing.violations) == 1 with input as object.union(no_firewall, {"ntp": {"template": true}})
}

test_without_ntp_conf_nothing_to_judge if {
	count(firewall_missing.violations) == 0 with input as object.union(no_firewall, {"ntp": null, "time": null})
	no_daemon := {"ntp": null, "time": null}
	count(firewall_missing.violations) == 0 with input as object.union(fx.with_firewall("ipv4", null), no_daemon)
}

test_missing_iptables_beside_ip6tables_fails_at_the_ip6tables_file if {
	violations := firewall_missing.violations with input as fx.with_firewall("ipv4", null)
	count(violations) == 1
	some violation in violations
	violation.location == fx.v6_loc(1)
	violation.message == concat("", [
		"Missing evidence: the dump has the IPv6 firewall (ip6tables-save) but no iptables-save; ntpd listens on ",
		"IPv4 (no interface line turns IPv4 off), so IPv4 UDP/123 exposure cannot be judged",
	])
	violation.evidence == [{
		"location": fx.loc(1),
		"text": "(no interface ignore ipv4 line: ntpd listens on every address of the family, its default)",
	}]
}

test_ipv4_ignored_passes if {
	interfaces := [fx.interface(20, "ignore", "ipv4")]
	inp := object.union(fx.with_firewall("ipv4", null), {"ntp": {"interfaces": interfaces}})
	count(firewall_missing.violations) == 0 with input as inp
}

test_missing_ip6tables_is_fw003_not_fw007 if {
	count(firewall_missing.violations) == 0 with input as fx.with_firewall("ipv6", null)
}

test_empty_dumps_are_missing_evidence if {
	empty := object.union(fx.host, {"firewall": {
		"ipv4": {"empty": true, "file": "iptables-save"},
		"ipv6": {"empty": true, "file": "ip6tables-save"},
	}})
	some violation in firewall_missing.violations with input as empty
	violation.message == concat("", [
		"The host firewall was not in the dump (an empty iptables-save (no iptables table: the firewall, if",
		" any, is nftables or firewalld), an empty ip6tables-save (no iptables table: the firewall, if any, is",
		" nftables or firewalld)): UDP/123 exposure cannot be judged, so no firewall finding here is evidence",
		" of compliance; the restrict list is the only control this check could see",
	])
}

# A chrony host: ntp is null, time and chrony describe chronyd.
chrony_host(base, listen) := object.union(base, {
	"ntp": null,
	"time": {"daemon": {"name": "chrony", "config_file": "etc/chrony.conf"}},
	"chrony": {"ntp_listen": listen},
})

open_listen := {"port": 123, "ipv4": "0.0.0.0", "ipv6": "::"}

test_chrony_host_without_firewall_fails_at_chrony_conf if {
	violations := firewall_missing.violations with input as chrony_host(no_firewall, open_listen)
	count(violations) == 1
	some violation in violations
	violation.location == {"file": "etc/chrony.conf", "line": 1, "column": 1}
	endswith(violation.message, "the allow/deny lines are the only control this check could see")
}

test_chrony_listening_on_ipv4_without_iptables_save if {
	violations := firewall_missing.violations with input as chrony_host(fx.with_firewall("ipv4", null), open_listen)
	some violation in violations
	violation.message == concat("", [
		"Missing evidence: the dump has the IPv6 firewall (ip6tables-save) but no iptables-save; chronyd listens on ",
		"IPv4 (its NTP socket is open: no `port 0`, no -6 option), so IPv4 UDP/123 exposure cannot be judged",
	])
	violation.evidence == [{
		"location": {"file": "etc/chrony.conf", "line": 1, "column": 1},
		"text": "(chronyd's NTP socket: UDP port 123, bound to 0.0.0.0)",
	}]
}

test_chrony_ipv6_only_passes_without_iptables_save if {
	inp := chrony_host(fx.with_firewall("ipv4", null), {"port": 123, "ipv4": null, "ipv6": "::"})
	count(firewall_missing.violations) == 0 with input as inp
}
