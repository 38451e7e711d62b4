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
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let failing = 0;
  let waived = 0;
  let findings = 0;
  let hostsFailing = 0;
  for (const h of hosts) {
    let hostFails = false;
    for (const f of h.findings) {
      findings++;
      if (f.status === "waived") {
        waived++;
        continue;
      }
      bySeverity[f.severity]++;
      if (isFailing(f, failOn)) {
        failing++;
        hostFails = true;
      }
    }
    if (hostFails || h.error) hostsFailing++;
  }
  return { hosts: hosts.length, hosts_failing: hostsFailing, findings, failing, waived, by_severity: bySeverity, fail_on: failOn };
}

export function exitCodeFor(report: Report): 0 | 1 | 2 {
  if (report.hosts.some((h) => h.error)) return 2;
  return report.summary.failing > 0 ? 1 : 0;
}
