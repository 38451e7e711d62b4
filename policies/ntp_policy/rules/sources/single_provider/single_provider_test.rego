package ntp_policy.rules.sources.single_provider_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.rules.sources.single_provider

with_sources(list) := fx.hardened_with({"associations": list})

test_hardened_host_passes if {
	count(single_provider.violations) == 0 with input as fx.hardened_host
}

test_compliant_baseline_passes if {
	count(single_provider.violations) == 0 with input as fx.host
}

test_one_domain_fails if {
	inp := with_sources([
		fx.association(10, "time1.example.com", {}),
		fx.association(11, "TIME2.example.com.", {}),
		fx.association(12, "time1.example.com", {}),
	])
	violations := single_provider.violations with input as inp
	violations == {{
		"rule": "NTP016",
		"severity": "low",
		"message": concat("", [
			"All 2 usable upstream time sources belong to one provider (domain example.com): `server",
			" time1.example.com iburst` at etc/ntp.conf:10, `server TIME2.example.com. iburst` at etc/ntp.conf:11;",
			" a fault, a leap-second smear or a compromise there reaches every source at once, and ntpd cannot",
			" outvote an error they share",
		]),
		"location": fx.loc(10),
		"evidence": [
			{"location": fx.loc(10), "text": "server time1.example.com iburst"},
			{"location": fx.loc(11), "text": "server TIME2.example.com. iburst"},
		],
		"remediation": concat(" ", [
			"Add sources run by other providers and networks, for example `pool pool.ntp.org iburst` or",
			"`server time.cloudflare.com iburst` beside `server time1.example.com iburst`, so that no single",
			"operator or network can take out or skew every source at once.",
		]),
	}}
}

test_two_domains_pass if {
	inp := with_sources([fx.association(10, "time1.example.com", {}), fx.association(11, "time.cloudflare.com", {})])
	count(single_provider.violations) == 0 with input as inp
}

test_country_code_second_level_is_part_of_the_domain if {
	same := with_sources([fx.association(10, "ntp1.example.co.uk", {}), fx.association(11, "ntp2.example.co.uk", {})])
	some violation in single_provider.violations with input as same
	contains(violation.message, "(domain example.co.uk)")
}

test_different_domains_under_a_country_code_pass if {
	different := with_sources([fx.association(10, "ntp.one.co.uk", {}), fx.association(11, "ntp.two.co.uk", {})])
	count(single_provider.violations) == 0 with input as different
}

test_a_single_usable_source_is_left_to_ntp003 if {
	inp := with_sources([
		fx.association(10, "time1.example.com", {}),
		fx.association(11, "time2.example.com", {"selectable": false}),
	])
	count(single_provider.violations) == 0 with input as inp
}

test_pool_ntp_org_is_exempt if {
	inp := with_sources([fx.association(10, "0.debian.pool.ntp.org", {}), fx.association(11, "pool.ntp.org", {})])
	count(single_provider.violations) == 0 with input as inp
}

test_one_ipv4_network_fails if {
	inp := with_sources([
		fx.association(10, "198.51.100.7", {"address_kind": "ipv4"}),
		fx.association(11, "198.51.100.200", {"address_kind": "ipv4"}),
	])
	some violation in single_provider.violations with input as inp
	contains(violation.message, "belong to one provider (network 198.51.100.0/24): ")
}

test_two_ipv4_networks_pass if {
	other := with_sources([
		fx.association(10, "198.51.100.7", {"address_kind": "ipv4"}),
		fx.association(11, "198.51.101.7", {"address_kind": "ipv4"}),
	])
	count(single_provider.violations) == 0 with input as other
}

test_one_ipv6_network_fails if {
	inp := with_sources([
		fx.association(10, "2001:db8:1::7", {"address_kind": "ipv6"}),
		fx.association(11, "2001:db8:1:ff::8", {"address_kind": "ipv6"}),
	])
	some violation in single_provider.violations with input as inp
	contains(violation.message, "belong to one provider (the /48 of 2001:db8:1::7): ")
}

test_two_ipv6_networks_pass if {
	other := with_sources([
		fx.association(10, "2001:db8:1::7", {"address_kind": "ipv6"}),
		fx.association(11, "2001:db8:2::8", {"address_kind": "ipv6"}),
	])
	count(single_provider.violations) == 0 with input as other
}

test_mixed_names_and_literals_are_not_compared if {
	inp := with_sources([
		fx.association(10, "time1.example.com", {}),
		fx.association(11, "192.0.2.7", {"address_kind": "ipv4"}),
	])
	count(single_provider.violations) == 0 with input as inp
}

test_refclocks_do_not_count if {
	inp := with_sources([
		fx.association(10, "time1.example.com", {}),
		fx.association(11, "127.127.1.0", {"address_kind": "refclock"}),
	])
	count(single_provider.violations) == 0 with input as inp
}

test_the_pool_apex_name_is_exempt_too if {
	inp := with_sources([fx.association(10, "pool.ntp.org", {}), fx.association(11, "time.ntp.org", {})])
	count(single_provider.violations) == 0 with input as inp
}

test_many_sources_are_listed_up_to_ten if {
	inp := with_sources([fx.association(i + 10, name, {}) |
		some i in numbers.range(1, 12)
		name := concat("", ["time", format_int(i, 10), ".example.com"])
	])
	some violation in single_provider.violations with input as inp
	startswith(violation.message, "All 12 usable upstream time sources belong to one provider (domain example.com): ")
	contains(violation.message, "`server time10.example.com iburst` at etc/ntp.conf:20 and 2 more;")
	count(violation.evidence) == 10
}

test_the_first_line_of_each_address_counts_whatever_the_order if {
	inp := with_sources([
		fx.association(10, "time2.example.com", {}),
		fx.association(11, "time1.example.com", {"selectable": false}),
		fx.association(12, "TIME1.example.com", {}),
		fx.association(13, "time2.example.com", {}),
		fx.association(14, "time1.example.com", {}),
	])
	some violation in single_provider.violations with input as inp
	[e.location.line | some e in violation.evidence] == [10, 12]
}

test_repeated_addresses_in_reverse_order_count_once_at_their_first_line if {
	names := [concat("", ["t", format_int(200 - i, 10), ".example.com"]) | some i in numbers.range(0, 99)]
	inp := with_sources(array.concat(
		[fx.association(i + 10, upper(name), {}) | some i, name in names],
		[fx.association(i + 110, name, {}) | some i, name in names],
	))
	some violation in single_provider.violations with input as inp
	startswith(violation.message, concat("", [
		"All 100 usable upstream time sources belong to one provider (domain example.com):",
		" `server T200.EXAMPLE.COM iburst` at etc/ntp.conf:10, ",
	]))
	contains(violation.message, "`server T191.EXAMPLE.COM iburst` at etc/ntp.conf:19 and 90 more;")
	[e.location.line | some e in violation.evidence] == numbers.range(10, 19)
}
