# METADATA
# title: Every usable time source belongs to one provider
# description: >-
#   RFC 8633 (BCP 223) asks for at least four independent, diverse time sources: sources that share
#   an operator, a network or a software lineage fail together (an outage, a misconfiguration, a
#   leap-second smear, a compromise), and ntpd's falseticker detection cannot outvote an error they all
#   share. This heuristic warns when every usable upstream (a `server`, `pool` or `peer` line ntpd can
#   select; at least two) is run by one apparent provider: host names under the same registered domain
#   (`time1.example.com`, `time2.example.com`; the last two labels, three under a two-letter country
#   code with a generic second level such as `co.uk`), or address literals in the same IPv4 /24 or IPv6
#   /48. Names under `pool.ntp.org` are exempt: the NTP Pool hands out servers of many independent
#   operators. Mixed host names and literals are not compared.
# related_resources:
#   - ref: https://www.rfc-editor.org/rfc/rfc8633#section-3.2
#     description: RFC 8633 (BCP 223) section 3.2, use enough, independent and diverse time sources
# custom:
#   id: NTP016
#   severity: low
#   passes_when: >-
#     No line shows this: it passes because the usable time sources belong to more than one provider.
#   inputs:
#     - time
#   profiles:
#     - baseline
#     - cis
#     - stig
#   examples:
#     fail: "server time2.example.com iburst"
#     pass: "server time.cloudflare.com iburst"
#   remediation: >-
#     Add sources run by other providers and networks, for example `pool pool.ntp.org iburst` or
#     `server time.cloudflare.com iburst` beside `server time1.example.com iburst`, so that no single
#     operator or network can take out or skew every source at once.
#   references:
#     - kind: RFC
#       id: RFC 8633
#       title: Network Time Protocol Best Current Practices, section 3.2 (independent, diverse sources)
#       url: https://www.rfc-editor.org/rfc/rfc8633#section-3.2
#     - kind: NIST 800-53
#       id: SC-45(2)
#       title: System Time Synchronization | Secondary Authoritative Time Source (rev5)
package ntp_policy.rules.sources.single_provider

import data.ntp_policy.lib.daemon
import data.ntp_policy.lib.ntp
import data.ntp_policy.lib.result

# The usable upstreams, one per distinct address (the first line that names it), in file order.
# Linear in the number of lines: the lines are grouped by address in one pass (an object of index
# sets), each address keeps its smallest index, and one more pass in file order keeps the lines whose
# index is that smallest one. No `sort`: OPA's WebAssembly runtime sorts by insertion, which is
# quadratic on lines out of order (4,000 server lines in reverse order took seconds).
_usable := [association |
	some i, association in daemon.sources
	_selectable(association)
	_first_index[lower(association.address)] == i
]

_indices_by_address[lower(association.address)] contains i if {
	some i, association in daemon.sources
	_selectable(association)
}

_first_index[address] := min(indices) if {
	some address, indices in _indices_by_address
}

_selectable(association) if {
	ntp.remote_upstream(association)
	association.selectable == true
}

# A message and evidence of bounded size, however many lines the file has.
_max_listed := 10

_listed := array.slice(_usable, 0, _max_listed)

_more := concat("", [" and ", format_int(count(_usable) - _max_listed, 10), " more"]) if count(_usable) > _max_listed

_more := "" if count(_usable) <= _max_listed

# METADATA
# description: One violation per host whose usable upstreams (two or more) all belong to one provider.
violations contains result.fail(
	rego.metadata.chain(),
	object.get(_usable[0], "location", daemon.config_start),
	concat("", [
		"All ", format_int(count(_usable), 10), " usable upstream time sources belong to one provider (",
		provider, "): ", concat(", ", [ntp.association_subject(a) | some a in _listed]), _more,
		"; a fault, a leap-second smear or a compromise there reaches every source at once,",
		" and ", daemon.program, " cannot outvote an error they share",
	]),
	[ntp.association_evidence(a) | some a in _listed],
) if {
	count(_usable) >= 2
	not _pool_project
	some provider in _provider
}

# The NTP Pool is many independent operators behind one domain.
_pool_project if {
	some association in _usable
	_under_pool_ntp_org(lower(association.address))
}

_under_pool_ntp_org("pool.ntp.org")

_under_pool_ntp_org(name) if endswith(name, ".pool.ntp.org")

_kinds contains object.get(a, "address_kind", "hostname") if some a in _usable

# Host names: one registered domain.
_provider contains concat("", ["domain ", domain]) if {
	_kinds == {"hostname"}
	domains := {_registered_domain(a.address) | some a in _usable}
	count(domains) == 1
	some domain in domains
}

# IPv4 literals: one /24.
_provider contains concat("", ["network ", _v4_network(_usable[0].address)]) if {
	_kinds == {"ipv4"}
	every a in _usable {
		net.cidr_contains(concat("", [_usable[0].address, "/24"]), a.address)
	}
}

# IPv6 literals: one /48.
_provider contains concat("", ["the /48 of ", _usable[0].address]) if {
	_kinds == {"ipv6"}
	every a in _usable {
		net.cidr_contains(concat("", [_usable[0].address, "/48"]), a.address)
	}
}

_v4_network(address) := concat("", [concat(".", array.slice(split(address, "."), 0, 3)), ".0/24"])

# Generic second-level labels under two-letter country codes (co.uk, com.au, ne.jp, …).
_generic_second_level := {"ac", "co", "com", "edu", "gov", "ne", "net", "or", "org"}

_labels(name) := split(trim_suffix(lower(name), "."), ".")

_registered_domain(name) := concat(".", array.slice(labels, count(labels) - 3, count(labels))) if {
	labels := _labels(name)
	_country_second_level(labels)
}

_registered_domain(name) := concat(".", array.slice(labels, count(labels) - 2, count(labels))) if {
	labels := _labels(name)
	not _country_second_level(labels)
}

_country_second_level(labels) if {
	count(labels) >= 3
	count(labels[count(labels) - 1]) == 2
	labels[count(labels) - 2] in _generic_second_level
}
