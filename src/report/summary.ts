/** Assembling the report: hosts sorted, findings sorted, the summary counted once for every format. */
import { compareLocations } from "../model/location.js";
import { NOT_CHECKED_RULE, SEVERITIES, severityRank, type Severity } from "../model/finding.js";
import type { HostReport, Report, ReportFinding, ReportSummary } from "../model/report.js";

export function compareFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    compareLocations(a.location, b.location) ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export function isFailing(f: ReportFinding, failOn: Severity): boolean {
  return f.status === "fail" && severityRank(f.severity) >= severityRank(failOn);
}

export function summarise(hosts: HostReport[], failOn: Severity): ReportSummary {
  const tally = new SummaryTally(failOn);
  for (const h of hosts) tally.add(hostTally(h, failOn));
  return tally.summary();
}

/** A host's counts for the report summary. */
export interface HostTally {
  findings: number;
  waived: number;
  failing: number;
  by_severity: Record<Severity, number>;
  /** The host fails the run: a failing finding, or an error. */
  fails: boolean;
}

export function hostTally(host: Pick<HostReport, "findings" | "error">, failOn: Severity): HostTally {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let findings = 0;
  let waived = 0;
  let failing = 0;
  for (const f of host.findings) {
    findings++;
    if (f.status === "waived") {
      waived++;
      continue;
    }
    bySeverity[f.severity]++;
    if (isFailing(f, failOn)) failing++;
  }
  return { findings, waived, failing, by_severity: bySeverity, fails: failing > 0 || host.error !== undefined };
}

/** The summary counted one host at a time, for a report written while later hosts are still checked. */
export class SummaryTally {
  private readonly bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  private hosts = 0;
  private failing = 0;
  private waived = 0;
  private findings = 0;
  private hostsFailing = 0;

  constructor(private readonly failOn: Severity) {}

  add(t: HostTally): void {
    this.hosts++;
    this.findings += t.findings;
    this.waived += t.waived;
    this.failing += t.failing;
    for (const s of SEVERITIES) this.bySeverity[s] += t.by_severity[s];
    if (t.fails) this.hostsFailing++;
  }

  summary(): ReportSummary {
    return {
      hosts: this.hosts,
      hosts_failing: this.hostsFailing,
      findings: this.findings,
      failing: this.failing,
      waived: this.waived,
      by_severity: { ...this.bySeverity },
      fail_on: this.failOn,
    };
  }
}

export function exitCodeFor(report: Report): 0 | 1 | 2 {
  return exitCode(report.hosts.some((h) => h.error), report.summary.failing);
}

/** The exit code of a run (README "Exit codes"): 2 when a host could not be checked, 1 with failing findings. */
export function exitCode(hostErrors: boolean, failing: number): 0 | 1 | 2 {
  if (hostErrors) return 2;
  return failing > 0 ? 1 : 0;
}

/** A host that was not (fully) checked: its PARSE004 finding fails. */
export function isUnchecked(host: Pick<HostReport, "findings">): boolean {
  return host.findings.some((f) => f.rule === NOT_CHECKED_RULE && f.status === "fail");
}
