# METADATA
# title: Time-daemon helpers
# description: |
#   Helpers shared by the rules that read the daemon-neutral facts (`input.time`): they hold for ntpd,
#   ntpsec and chrony alike.
package ntp_policy.lib.daemon

# METADATA
# description: |
#   The daemon-neutral facts, when a time-daemon configuration was checked. Undefined when the host has
#   none (`input.time` is null, an ntp.conf template included), so the rules produce nothing then.
facts := input.time if is_object(input.time)

# METADATA
# description: The daemon the host is judged as (`ntpd`, `ntpsec` or `chrony`).
name := object.get(facts, ["daemon", "name"], "ntpd")

# METADATA
# description: True when the host is judged as chrony.
is_chrony if name == "chrony"

# METADATA
# scope: document
# description: The daemon's program as messages name it (`ntpd` for ntpd and ntpsec, `chronyd`).
program := "chronyd" if is_chrony

program := "ntpd" if not is_chrony

# METADATA
# scope: document
# description: The daemon's configuration file as messages name it (`ntp.conf`, `chrony.conf`).
config_name := "chrony.conf" if is_chrony

config_name := "ntp.conf" if not is_chrony

# METADATA
# description: Line 1, column 1 of the configuration, where findings about what no line configures are located.
config_start := {"file": object.get(facts, ["daemon", "config_file"], null), "line": 1, "column": 1}

# METADATA
# description: |
#   The upstream time sources (server, pool and peer lines and reference clocks), in reading order, each
#   with `authenticated`, `maxpoll` (as written, null for the daemon's default) and `selectable`.
sources := object.get(facts, "sources", [])

# METADATA
# description: The default maxpoll (log2 seconds) of a line that writes none, 10 for ntpd and chrony.
default_maxpoll := 10

# METADATA
# description: Who may get time from this host, per family (`ipv4`, `ipv6`).
serves_time := object.get(facts, "serves_time", {})

# METADATA
# description: Who may query or command the daemon over the network, per family.
query_access := object.get(facts, "query_access", {})
