package ntp_policy.rules.chrony.command_port_open_test

import data.ntp_policy.lib.chrony_fixtures_test as fx
import data.ntp_policy.rules.chrony.command_port_open

test_loopback_command_socket_passes if {
	count(command_port_open.violations) == 0 with input as fx.host
}

test_non_local_bindcmdaddress_fails if {
	inp := fx.with_chrony({
		"command_listen": {"port": 323, "ipv4": "0.0.0.0", "ipv6": "::1"},
		"bindcmdaddress_lines": [{"location": fx.loc(7), "text": "bindcmdaddress 0.0.0.0"}],
	})
	[v] := [v | some v in command_port_open.violations with input as inp]
	v.rule == "CHRONY002"
	v.location == fx.loc(7)
	v.message == concat("", [
		"chronyd's command port is open to the network: the command socket listens on IPv4 0.0.0.0 (port 323);",
		" only localhost may send it commands (no cmdallow reaches it)",
	])
}

test_cmdallow_reaching_remote_hosts_fails if {
	line := {
		"directive": "cmdallow", "all": false, "subnet": "10.0.0.0/8", "hostname": false,
		"location": fx.loc(8), "text": "cmdallow 10.0.0.0/8",
	}
	inp := fx.with_chrony({
		"command_listen": {"port": 323, "ipv4": "0.0.0.0", "ipv6": "::1"},
		"may_query_or_command": {"ipv4": ["10.0.0.0/8", "127.0.0.1/32"], "ipv6": ["::1/128"]},
		"access_lines": [line],
	})
	[v] := [v | some v in command_port_open.violations with input as inp]
	endswith(v.message, "; 10.0.0.0/8 may send it chronyc commands")
	v.evidence == [{"location": fx.loc(8), "text": "cmdallow 10.0.0.0/8"}]
}

test_closed_command_port_passes if {
	inp := fx.with_chrony({
		"command_listen": {"port": 0, "ipv4": null, "ipv6": null},
		"may_query_or_command": {"ipv4": [], "ipv6": []},
	})
	count(command_port_open.violations) == 0 with input as inp
}
