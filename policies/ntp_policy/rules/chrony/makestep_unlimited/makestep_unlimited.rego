# METADATA
# title: chronyd may step the clock at any time
# description: >-
#   `makestep THRESHOLD LIMIT` lets chronyd step (jump) the clock instead of slewing it when the offset
#   exceeds the threshold, during the first LIMIT clock updates; a negative limit (`makestep 1 -1`)
#   allows a step at any time. A jump backwards or forwards long after boot breaks the ordering of logs,
#   timers, certificates and monotonic assumptions of running software, and a spoofed or faulty source
#   can then move the clock at will. This best-practice rule runs under the baseline profile only: the
#   DISA STIG for Ubuntu (V-219332, ComplianceAsCode chronyd_sync_clock) asks for `makestep 1 -1`, so in
#   the stig profile it would contradict the benchmark.
# related_resources:
#   - ref: https://chrony-project.org/doc/4.3/chrony.conf.html#makestep
#     description: chrony.conf makestep
# custom:
#   id: CHRONY004
#   severity: low
#   inputs:
#     - chrony
#   profiles:
#     - baseline
#   examples:
#     fail: "makestep 1 -1"
#     pass: "makestep 1 3"
#   remediation: >-
#     Limit stepping to the first updates after chronyd starts: `makestep 1 3` (step when off by more
#     than 1 s during the first three updates, slew afterwards).
#   references:
#     - kind: Guide
#       id: chrony.conf(5) makestep
#       title: makestep with a limit of updates, as the distributions ship it
#       url: https://chrony-project.org/doc/4.3/chrony.conf.html#makestep
#     - kind: NIST 800-53
#       id: AU-8
#       title: Time Stamps
package ntp_policy.rules.chrony.makestep_unlimited

import data.ntp_policy.lib.chrony
import data.ntp_policy.lib.result

_makestep := object.get(chrony.facts, "makestep", null)

# METADATA
# description: One violation when makestep has no limit of updates.
violations contains result.fail(
	rego.metadata.chain(),
	_makestep.location,
	concat("", [
		chrony.line_subject(_makestep), ": the limit ", format_int(_makestep.limit, 10),
		" lets chronyd step the clock whenever its offset exceeds the threshold, not only at start-up",
	]),
	[chrony.line_evidence(_makestep)],
) if {
	is_object(chrony.facts)
	is_object(_makestep)
	_makestep.steps_any_time == true
}

# METADATA
# description: Passing evidence, a makestep line with a limit.
passed_evidence contains result.pass(rego.metadata.chain(), chrony.line_evidence(_makestep)) if {
	is_object(chrony.facts)
	is_object(_makestep)
	_makestep.steps_any_time == false
}
