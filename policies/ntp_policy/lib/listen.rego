# METADATA
# title: Where the time daemon listens
# description: |
#   Helpers for the firewall rules that need to know whether the host's time daemon listens on a family
#   (FW003, FW007), whichever daemon it is: ntpd from its interface lines, chronyd from its NTP socket
#   (`port`, `bindaddress`, `-4`/`-6` in its service options). Messages name the daemon and its own
#   access control.
package ntp_policy.lib.listen

_ntpd if is_object(input.ntp)

_chronyd if {
	not _ntpd
	is_object(input.chrony)
}

_interfaces := object.get(input, ["ntp", "interfaces"], [])

_chrony_listen := object.get(input, ["chrony", "ntp_listen"], {})

# METADATA
# scope: document
# description: A time daemon's configuration is in the dump (an ntp.conf, even a template, or a chrony.conf).
daemon_configured if _ntpd

daemon_configured if is_object(input.time)

# METADATA
# scope: document
# description: |
#   Line 1, column 1 of the time daemon's main configuration file (ntp.conf, also for a template, whose facts
#   lib.ntp hides; else chrony.conf), where findings about what no line configures are located.
config_start := {"file": object.get(input.ntp, "config_file", null), "line": 1, "column": 1} if _ntpd

config_start := {"file": input.time.daemon.config_file, "line": 1, "column": 1} if {
	not _ntpd
	is_object(input.time)
}

# METADATA
# scope: document
# description: |
#   True when a time daemon is configured and listens on the family's addresses. ntpd does on both families
#   unless an `interface ignore|drop ipv4|ipv6` line turns the family off and no later `interface
#   listen` line (the last matching interface line wins) may turn some of it back on; chronyd does unless
#   `port 0` closes its NTP socket or `-4`/`-6` in its service options keeps it to the other family.
daemon_listens(key) if {
	_ntpd
	not _family_ignored(key)
}

daemon_listens(key) if {
	_chronyd
	is_string(_chrony_listen[key])
}

_family_ignored(key) if {
	some i, rule in _interfaces
	object.get(rule, "action", "") in {"ignore", "drop"}
	lower(object.get(rule, "match", "")) == key
	not _listen_after(i)
}

_listen_after(i) if {
	some j, rule in _interfaces
	j > i
	rule.action == "listen"
}

# METADATA
# scope: document
# description: The daemon that listens, as messages name it.
daemon_name := "ntpd" if _ntpd

daemon_name := "chronyd" if _chronyd

# METADATA
# scope: document
# description: Why the daemon listens on the family, as messages say it ("no interface line turns IPv6 off").
reason(key) := concat("", ["no interface line turns ", _family_label[key], " off"]) if _ntpd

reason(key) := concat("", ["its NTP socket is open: no `port 0`, no ", _other_option[key], " option"]) if _chronyd

_family_label := {"ipv4": "IPv4", "ipv6": "IPv6"}

_other_option := {"ipv4": "-6", "ipv6": "-4"}

# METADATA
# scope: document
# description: The daemon's own access control, as messages name it, with its verb.
access_control := "the restrict list is" if _ntpd

access_control := "the allow/deny lines are" if _chronyd

# METADATA
# scope: document
# description: |
#   Evidence for the daemon listening on a family: ntpd's interface lines, or line 1 of the ntp.conf with a
#   note that no line restricts the interfaces; for chronyd, its NTP socket at line 1 of chrony.conf.
evidence(_) := [{"location": object.get(rule, "location", null), "text": interface_text(rule)} |
	some rule in _interfaces
] if {
	_ntpd
	count(_interfaces) > 0
}

evidence(key) := [{
	"location": config_start,
	"text": concat("", [
		"(no interface ignore ", key,
		" line: ntpd listens on every address of the family, its default)",
	]),
}] if {
	_ntpd
	count(_interfaces) == 0
}

evidence(key) := _chrony_evidence[key] if _chronyd

_chrony_evidence[key] := [{
	"location": config_start,
	"text": concat("", [
		"(chronyd's NTP socket: UDP port ", format_int(_chrony_listen.port, 10), ", bound to ", bound, ")",
	]),
}] if {
	some key in ["ipv4", "ipv6"]
	bound := _chrony_listen[key]
	is_string(bound)
}

# METADATA
# scope: document
# description: |
#   An interface line of ntp.conf as written, or, when the facts do not give the line, as ntpd reads
#   it (`interface ignore ipv6`).
interface_text(rule) := rule.text if is_string(rule.text)

interface_text(rule) := concat(" ", ["interface", object.get(rule, "action", "?"), object.get(rule, "match", "?")]) if {
	not is_string(object.get(rule, "text", null))
}
