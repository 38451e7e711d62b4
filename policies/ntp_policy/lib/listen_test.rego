package ntp_policy.lib.listen_test

import data.ntp_policy.lib.fixtures_test as fx
import data.ntp_policy.lib.listen

test_ntp_config_start if {
	listen.config_start == fx.loc(1) with input as fx.host
	listen.config_start == fx.loc(1) with input as fx.with_ntp({"template": true})
	not listen.config_start with input as object.union(fx.host, {"ntp": null, "time": null})
	chrony := {"ntp": null, "time": {"daemon": {"config_file": "etc/chrony.conf"}}}
	start := {"file": "etc/chrony.conf", "line": 1, "column": 1}
	listen.config_start == start with input as object.union(fx.host, chrony)
}

test_daemon_listens_on_both_families_by_default if {
	listen.daemon_listens("ipv4") with input as fx.host
	listen.daemon_listens("ipv6") with input as fx.host
	not listen.daemon_listens("ipv6") with input as object.union(fx.host, {"ntp": null})
}

test_interface_ignore_turns_a_family_off if {
	inp := fx.with_ntp({"interfaces": [fx.interface(20, "ignore", "ipv6")]})
	not listen.daemon_listens("ipv6") with input as inp
	listen.daemon_listens("ipv4") with input as inp
	not listen.daemon_listens("ipv4") with input as fx.with_ntp({"interfaces": [fx.interface(20, "drop", "IPv4")]})
}

test_a_later_listen_line_may_turn_it_back_on if {
	inp := fx.with_ntp({"interfaces": [fx.interface(20, "ignore", "ipv6"), fx.interface(21, "listen", "eth0")]})
	listen.daemon_listens("ipv6") with input as inp
	earlier := fx.with_ntp({"interfaces": [fx.interface(20, "listen", "eth0"), fx.interface(21, "drop", "ipv6")]})
	not listen.daemon_listens("ipv6") with input as earlier
}

test_listen_evidence_is_the_interface_lines_as_written if {
	written := object.union(fx.interface(21, "listen", "eth0"), {"text": "interface  listen   eth0"})
	inp := fx.with_ntp({"interfaces": [fx.interface(20, "ignore", "ipv6"), written]})
	listen.evidence("ipv6") == [
		{"location": fx.loc(20), "text": "interface ignore ipv6"},
		{"location": fx.loc(21), "text": "interface  listen   eth0"},
	] with input as inp
	listen.evidence("ipv6") == [{
		"location": fx.loc(1),
		"text": "(no interface ignore ipv6 line: ntpd listens on every address of the family, its default)",
	}] with input as fx.host
	listen.interface_text({}) == "interface ? ?"
	listen.interface_text({"action": "drop", "match": "ipv6", "text": null}) == "interface drop ipv6"
}

chrony_host(listening) := object.union(fx.host, {
	"ntp": null,
	"time": {"daemon": {"config_file": "etc/chrony.conf"}},
	"chrony": {"ntp_listen": listening},
})

test_chronyd_listens_where_its_ntp_socket_is_open if {
	open := chrony_host({"port": 123, "ipv4": "0.0.0.0", "ipv6": null})
	listen.daemon_listens("ipv4") with input as open
	not listen.daemon_listens("ipv6") with input as open
	listen.daemon_name == "chronyd" with input as open
	listen.access_control == "the allow/deny lines are" with input as open
	listen.reason("ipv4") == "its NTP socket is open: no `port 0`, no -6 option" with input as open
	listen.evidence("ipv4") == [{
		"location": {"file": "etc/chrony.conf", "line": 1, "column": 1},
		"text": "(chronyd's NTP socket: UDP port 123, bound to 0.0.0.0)",
	}] with input as open
	not listen.daemon_listens("ipv4") with input as chrony_host({"port": 0, "ipv4": null, "ipv6": null})
}

test_ntpd_wording if {
	listen.daemon_name == "ntpd" with input as fx.host
	listen.access_control == "the restrict list is" with input as fx.host
	listen.reason("ipv6") == "no interface line turns IPv6 off" with input as fx.host
	listen.daemon_configured with input as fx.host
	not listen.daemon_configured with input as object.union(fx.host, {"ntp": null, "time": null})
}
