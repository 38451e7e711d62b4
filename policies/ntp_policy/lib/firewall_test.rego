package ntp_policy.lib.firewall_test

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.main

test_families_of_the_baseline if {
	fams := firewall.families with input as fx.host
	object.keys(fams) == {"ipv4", "ipv6"}
	fams.ipv4.file == "iptables-save"
	exps := firewall.exposures with input as fx.host
	object.keys(exps) == {"ipv4", "ipv6"}
}

test_null_and_missing_families_are_absent if {
	object.keys(firewall.families) == {"ipv4"} with input as fx.with_firewall("ipv6", null)
	count(firewall.families) == 0 with input as object.remove(fx.host, {"firewall"})
	count(firewall.exposures) == 0 with input as object.remove(fx.host, {"exposure"})
	firewall.missing("ipv6") with input as fx.with_firewall("ipv6", null)
	not firewall.missing("ipv4") with input as fx.with_firewall("ipv6", null)
	firewall.missing("ipv4") with input as object.remove(fx.host, {"firewall"})
}

test_an_empty_dump_is_missing_evidence if {
	inp := fx.with_firewall("ipv6", {"empty": true})
	object.keys(firewall.families) == {"ipv4"} with input as inp
	firewall.missing("ipv6") with input as inp
	firewall.empty("ipv6") with input as inp
	not firewall.empty("ipv4") with input as inp
	firewall.absence("ipv6") == concat("", [
		"an empty ip6tables-save (no iptables table: the firewall, if any, is nftables or firewalld)",
	]) with input as inp
	firewall.absence("ipv4") == "no iptables-save" with input as fx.with_firewall("ipv4", null)
}

test_names if {
	firewall.family_name("ipv4") == "IPv4"
	firewall.family_name("ipv6") == "IPv6"
	firewall.family_name("x") == "unknown family"
	firewall.subject("ipv6", fx.firewall_v6) == "IPv6 firewall (ip6tables-save)"
	firewall.subject("ipv4", {}) == "IPv4 firewall (?)"
	firewall.file_start(fx.firewall_v4) == fx.v4_loc(1)
	firewall.file_start({}) == {"file": null, "line": 1, "column": 1}
}

test_policy_location_and_evidence if {
	firewall.policy_location(fx.firewall_v4) == fx.v4_loc(3)
	firewall.policy_evidence(fx.firewall_v4) == [{"location": fx.v4_loc(3), "text": ":INPUT DROP [0:0]"}]
	restore := object.union(fx.firewall_v4, {"input_policy_text": "-P INPUT DROP"})
	firewall.policy_evidence(restore) == [{"location": fx.v4_loc(3), "text": "-P INPUT DROP"}]
	without_text := object.remove(fx.firewall_v4, {"input_policy_text"})
	firewall.policy_evidence(without_text) == [{"location": fx.v4_loc(3), "text": ":INPUT DROP"}]
	firewall.policy_text(object.union(fx.firewall_v4, {"input_policy_text": null})) == ":INPUT DROP"
	unset := object.union(fx.firewall_v4, {"input_policy": null, "input_policy_location": null})
	firewall.policy_location(unset) == fx.v4_loc(1)
	firewall.policy_evidence(unset) == [{
		"location": fx.v4_loc(1),
		"text": "(no :INPUT policy line for the filter table: the kernel's policy stays, ACCEPT unless changed)",
	}]
	odd := object.union(fx.firewall_v4, {"input_policy": null, "input_policy_text": null})
	firewall.policy_evidence(odd) == [{"location": fx.v4_loc(3), "text": ":INPUT ?"}]
}

test_rule_evidence if {
	firewall.rule_evidence([fx.v4_trusted_accept, {"location": fx.v4_loc(9), "text": "-A INPUT -j X", "effect": ""}]) == [
		{"location": fx.v4_loc(8), "text": "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT — accepts"},
		{"location": fx.v4_loc(9), "text": "-A INPUT -j X"},
	]
	firewall.rule_evidence([{}]) == [{"location": null, "text": ""}]
}

test_assumption_evidence if {
	assumption := {"location": fx.v4_loc(9), "text": "-A INPUT -m recent --rcheck -j ACCEPT", "reason": "recent list"}
	firewall.assumption_evidence([assumption, {}]) == [
		{"location": fx.v4_loc(9), "text": "-A INPUT -m recent --rcheck -j ACCEPT — recent list"},
		{"location": null, "text": " — assumed to match"},
	]
}

test_short_list if {
	firewall.short_list([]) == ""
	firewall.short_list(["a"]) == "a"
	firewall.short_list(["a", "b", "c"]) == "a, b, c"
	firewall.short_list(["a", "b", "c", "d"]) == "a, b, c and 1 more"
	firewall.short_list(["a", "b", "c", "d", "e"]) == "a, b, c and 2 more"
}

test_address_list_names_the_widest_blocks_first if {
	cidrs := ["0.0.0.0/2", "64.0.0.0/3", "96.0.0.0/4", "128.0.0.0/1", "2001:db8::1", "x/abcd", "10.0.0.0/8", "y/"]
	firewall.widest_first(cidrs) == [
		"128.0.0.0/1", "0.0.0.0/2", "64.0.0.0/3", "96.0.0.0/4", "10.0.0.0/8",
		"2001:db8::1", "x/abcd", "y/",
	]
	firewall.address_list(cidrs) == "128.0.0.0/1, 0.0.0.0/2, 64.0.0.0/3 and 5 more"
	firewall.address_list(["2001:db8::/32", "::/0", "2001:db8::/120"]) == "::/0, 2001:db8::/32, 2001:db8::/120"
	firewall.address_list(["::/128", "::2/127", "8000::/1"]) == "8000::/1, ::2/127, ::/128"
}

test_address_list_uses_the_analysis_summary_when_shorter if {
	cidrs := [
		"128.0.0.0/1", "0.0.0.0/2", "64.0.0.0/3", "96.0.0.0/4",
		"112.0.0.0/5", "120.0.0.0/6", "124.0.0.0/7", "126.0.0.0/8",
	]
	key := concat("", [
		"0.0.0.0/2, 112.0.0.0/5, 120.0.0.0/6, 124.0.0.0/7, ",
		"126.0.0.0/8, 128.0.0.0/1, 64.0.0.0/3, 96.0.0.0/4",
	])
	summaries := {key: "any address except loopback", "10.0.0.0/8": "a description longer than the list itself"}
	firewall.address_list(cidrs) == "any address except loopback" with input.address_summaries as summaries
	firewall.address_list(["10.0.0.0/8"]) == "10.0.0.0/8" with input.address_summaries as summaries

	# A document without summaries (built by hand, or before schema 1.1): the blocks themselves.
	firewall.address_list(cidrs) == "128.0.0.0/1, 0.0.0.0/2, 64.0.0.0/3 and 5 more" with input as {}
}

test_line_refs if {
	firewall.line_ref(fx.v4_loc(8)) == "iptables-save:8"
	firewall.line_ref({}) == "?:?"
	firewall.rule_refs([fx.v4_trusted_accept, {}]) == "iptables-save:8, ?:?"
}

test_counted if {
	firewall.counted(1, "rule", "rules") == "1 rule"
	firewall.counted(0, "rule", "rules") == "0 rules"
	firewall.counted(2, "rule", "rules") == "2 rules"
}

test_main_collects_every_firewall_rule if {
	inp := object.union_n([
		fx.with_entries([fx.entry({"flags": ["nomodify"]})]),
		{"firewall": {"ipv4": {
			"input_policy": "ACCEPT",
			"default_deny": false,
			"complete": false,
			"ntp_inbound": {"may_accept_untrusted": ["0.0.0.0/0"]},
			"upstreams": [fx.upstream(10, "0.pool.ntp.org", "blocked", [])],
			"shadowed_rules": [{"location": fx.v4_loc(11), "text": "-A INPUT -p udp --dport 123 -j DROP"}],
		}}},
		{"exposure": {"ipv4": {"queryable_and_admitted_untrusted": ["0.0.0.0/0"]}}},
	])
	"NTP001" in {violation.rule | some violation in main.violations; is_string(violation.severity)} with input as inp
	firewall_ids == {"FW001", "FW002", "FW004", "FW005", "FW006", "FW010", "XL001"} with input as inp
	firewall_ids == {"FW003"} with input as fx.with_firewall("ipv6", null)
	firewall_ids == {"FW007"} with input as fx.with_firewall("ipv4", null)
}

# The ids of the firewall (FW…) and cross-layer (XL…) rules main collects; the NTP rules an input breaks
# are theirs to pin.
firewall_ids contains violation.rule if {
	some violation in main.violations
	is_string(violation.severity)
	_firewall_rule(violation.rule)
}

_firewall_rule(id) if startswith(id, "FW")

_firewall_rule(id) if startswith(id, "XL")

test_main_collects_the_catalogue_firewall_rules if {
	inp := fx.with_firewall("ipv6", {
		"loopback": {"accept_rule": null, "spoofed_drop_rule": null},
		"tcp_ntp_may_accept_untrusted": ["::/0"],
		"output_policy": "ACCEPT",
	})
	firewall_ids == {"FW008", "FW009", "FW011"} with input as inp
}

test_chain_policy if {
	firewall.chain_policy(fx.firewall_v4, "FORWARD") == "DROP"
	firewall.chain_policy(object.union(fx.firewall_v4, {"output_policy": "ACCEPT"}), "OUTPUT") == "ACCEPT"
	firewall.chain_policy(object.union(fx.firewall_v4, {"output_policy": null}), "OUTPUT") == null
	firewall.chain_policy({}, "FORWARD") == null
	firewall.chain_policy_evidence(object.union(fx.firewall_v6, {"forward_policy": "ACCEPT"}), "FORWARD") == {
		"location": fx.v6_loc(1),
		"text": "(the filter table's FORWARD policy is ACCEPT: :FORWARD ACCEPT)",
	}
	firewall.chain_policy_evidence({}, "OUTPUT") == {
		"location": {"file": null, "line": 1, "column": 1},
		"text": "(no :OUTPUT policy line for the filter table: the kernel's policy stays, ACCEPT unless changed)",
	}
}

test_loopback_source if {
	firewall.loopback_source("ipv4") == "127.0.0.0/8"
	firewall.loopback_source("ipv6") == "::1/128"
	firewall.loopback_source("x") == "?"
}

test_untrusted_accepting_prefers_the_rules_that_let_untrusted_sources_in if {
	open := object.union(fx.firewall_v4, {"ntp_inbound": {
		"accepted_by": [fx.v4_trusted_accept, fx.v4_open_accept],
		"accepted_untrusted_by": [fx.v4_open_accept],
	}})
	firewall.untrusted_accepting(open) == [fx.v4_open_accept]
	firewall.untrusted_accepting_location(open) == fx.v4_loc(9)
	firewall.untrusted_accepting(fx.firewall_v4) == [fx.v4_trusted_accept]
	firewall.untrusted_accepting_location(fx.firewall_v4) == fx.v4_loc(8)
	firewall.untrusted_accepting(fx.firewall_v6) == []
	firewall.untrusted_accepting_location(fx.firewall_v6) == fx.v6_loc(3)
	firewall.untrusted_accepting({}) == []
	firewall.untrusted_accepting_location({"file": "iptables-save"}) == fx.v4_loc(1)
	firewall.untrusted_accepting_location({"ntp_inbound": {"accepted_by": [{}]}}) == null
}

test_policy_lines if {
	firewall.policy_lines(fx.firewall_v4) == [{"location": fx.v4_loc(3), "text": ":INPUT DROP [0:0]"}]
	firewall.policy_lines(object.union(fx.firewall_v4, {"input_policy_location": null})) == []
}

test_address_list_finds_the_summary_of_a_list_in_any_order if {
	summaries := {"10.0.0.0/8, 128.0.0.0/1, 9.0.0.0/8": "a summary", "10.0.0.0/8, 128.0.0.0/1, 9.0.0.1/32": "x"}

	# The key is the list sorted as strings; the list comes in any order.
	in_any_order := ["9.0.0.0/8", "128.0.0.0/1", "10.0.0.0/8"]
	firewall.address_list(in_any_order) == "a summary" with input.address_summaries as summaries

	# As long as a key, but another block: no summary.
	another := ["9.0.0.0/8", "128.0.0.0/1", "11.0.0.0/8"]
	firewall.address_list(another) == "128.0.0.0/1, 9.0.0.0/8, 11.0.0.0/8" with input.address_summaries as summaries

	# A block listed twice does not stand for a missing one.
	twice := ["9.0.0.0/8", "128.0.0.0/1", "128.0.0.0/1"]
	firewall.address_list(twice) == "128.0.0.0/1, 128.0.0.0/1, 9.0.0.0/8" with input.address_summaries as summaries
}

test_address_list_of_a_long_list_shows_the_three_widest_in_input_order_of_ties if {
	cidrs := [concat("", ["10.", format_int(i, 10), ".0.0/", format_int(32 - (i % 17), 10)]) |
		some i in numbers.range(0, 199)
	]

	# /16 is the widest present (i = 16, 33, 50, …), the first three of them in input order.
	firewall.address_list(cidrs) == "10.16.0.0/16, 10.33.0.0/16, 10.50.0.0/16 and 197 more"
	firewall.widest_first(cidrs)[0] == "10.16.0.0/16"
	firewall.widest_first(cidrs)[199] == "10.187.0.0/32"
	count(firewall.widest_first(cidrs)) == 200
}
