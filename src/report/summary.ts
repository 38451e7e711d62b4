/** Assembling the report: hosts sorted, findings sorted, the summary counted once for every format. */
import { compareLocations } from "../model/location.js";
import { SEVERITIES, severityRank, type Severity } from "../model/finding.js";
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
  for (const h of hosts) tally.add(h);
  return tally.summary();
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

  add(h: HostReport): void {
    this.hosts++;
    let hostFails = false;
    for (const f of h.findings) {
      this.findings++;
      if (f.status === "waived") {
        this.waived++;
        continue;
      }
      this.bySeverity[f.severity]++;
      if (isFailing(f, this.failOn)) {
        this.failing++;
        hostFails = true;
      }
    }
    if (hostFails || h.error) this.hostsFailing++;
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
  if (report.hosts.some((h) => h.error)) return 2;
  return report.summary.failing > 0 ? 1 : 0;
}
