package ntp_policy.lib.firewall_nft_test

import data.ntp_policy.lib.firewall
import data.ntp_policy.lib.fixtures_test as fx

test_subject_names_every_source_file if {
	sources := [{"file": "iptables-save", "format": "iptables"}, {"file": "nft-ruleset", "format": "nft"}]
	facts := {"file": "iptables-save", "sources": sources}
	firewall.subject("ipv4", facts) == "IPv4 firewall (iptables-save + nft-ruleset)"
	firewall.subject("ipv4", {"file": "iptables-save"}) == "IPv4 firewall (iptables-save)"
}

test_empty_nft_ruleset_is_missing_evidence if {
	inp := fx.nft_host({"empty": true})
	firewall.missing("ipv4") with input as inp
	firewall.absence("ipv4") == "an empty nft-ruleset (no nftables table: nothing shows a firewall)" with input as inp
}

test_nft_chain_prefers_the_evidence_line_then_the_input_chain if {
	rule := fx.nft_rule(9, "udp dport 123 jump ntp", "accepts")
	firewall.nft_chain({}, [object.union(rule, {"chain": "ntp"})]) == "inet filter ntp"
	firewall.nft_chain({"input_chain": {"format": "nft", "table": "ip fw", "chain": "in"}}, []) == "ip fw in"
	iptables_input := {"input_chain": {"format": "iptables", "table": "filter", "chain": "INPUT"}}
	firewall.nft_chain(iptables_input, []) == "inet filter input"
	firewall.nft_table({}) == "inet filter"
	firewall.nft_table({"input_chain": {"format": "nft", "table": "ip fw", "chain": "in"}}) == "ip fw"
}

test_drop_untrusted_names_the_trusted_networks_of_the_family if {
	v4 := "nft insert rule inet filter input iifname != \"lo\" ip saddr != { 192.0.2.0/24 } udp dport 123 drop"
	firewall.nft_drop_untrusted("ipv4", {}, [], "udp") == v4 with input as fx.host
	v6 := "nft insert rule inet filter input iifname != \"lo\" meta nfproto ipv6 tcp dport 123 drop"
	firewall.nft_drop_untrusted("ipv6", {}, [], "tcp") == v6 with input as fx.host
}
