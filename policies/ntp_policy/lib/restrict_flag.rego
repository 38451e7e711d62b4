# METADATA
# title: Restrict-flag helpers
# description: |
#   What the rules that want one restrict flag on every entry governing untrusted hosts share (NTP005
#   nomodify, NTP006 notrap; NTP007 nopeer words its subject the same way): the entries and the
#   `restrict source` template that lack the flag, and the message parts. Each rule keeps its own
#   metadata and its own consequence text.
package ntp_policy.lib.restrict_flag

import data.ntp_policy.lib.ntp

# METADATA
# description: |
#   Configured restrict entries that are the most specific match for some untrusted address and
#   carry neither `flag` nor `ignore`, in input order. (ntpd's built-in default entry is NTP001's: its
#   fix writes the whole line.) An array, not a set: the entries are distinct already, and a set would
#   hash every entry, lines and all, on the way in.
untrusted_entries_without(flag) := [entry |
	some entry in ntp.restrict_entries
	entry.governs_untrusted == true
	ntp.configured(entry)
	not ntp.has_flag(entry, flag)
	not ntp.has_flag(entry, "ignore")
]

# METADATA
# description: The `restrict source` template when it carries neither `flag` nor `ignore`.
source_without(flag) := source if {
	source := ntp.restrict_source
	not ntp.has_flag(source, flag)
	not ntp.has_flag(source, "ignore")
}

# METADATA
# scope: document
# description: |
#   Who the entry lets in, for messages: `<prefix><example address>` when the facts name an untrusted
#   example address, else `fallback`.
who(entry, prefix, _) := concat("", [prefix, entry.untrusted_example]) if is_string(entry.untrusted_example)

who(entry, _, fallback) := fallback if not is_string(object.get(entry, "untrusted_example", null))

# METADATA
# scope: document
# description: |
#   The consequence of the missing flag: `live` when the entry (or template) answers queries (no
#   `noquery`), `latent` when noquery blocks them today and the flag is the second line of defence.
consequence(entry, live, _) := live if ntp.answers_queries(entry)

consequence(entry, _, latent) := latent if not ntp.answers_queries(entry)

# METADATA
# description: |
#   The configured entries governing untrusted addresses that carry `flag` (or `ignore`), in input
#   order: the lines that satisfy the rule, as its passing evidence.
untrusted_entries_with(flag) := [entry |
	some entry in ntp.restrict_entries
	entry.governs_untrusted == true
	ntp.configured(entry)
	not _lacks(entry, flag)
]

_lacks(entry, flag) if {
	not ntp.has_flag(entry, flag)
	not ntp.has_flag(entry, "ignore")
}

# METADATA
# description: The message for an entry without `flag`.
entry_message(entry, flag, live, latent) := concat("", [
	ntp.entry_subject(entry), " has no ", flag, ": ", who(entry, "untrusted hosts such as ", "untrusted hosts"),
	consequence(entry, live, latent),
])

# METADATA
# description: The message for a `restrict source` template without `flag`.
source_message(source, flag, live, latent) := concat("", [
	ntp.source_subject(source), " has no ", flag, ": every upstream server this daemon polls",
	consequence(source, live, latent),
])
