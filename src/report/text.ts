/**
 * `--format text`, for people: findings grouped per host and file, each with its location, the
 * offending line and how to fix it, then one summary line.
 */
import type { Severity } from "../model/finding.js";
import { formatLocation } from "../model/location.js";
import type { Report, ReportFinding } from "../model/report.js";
import type { Reporter } from "./reporter.js";

const SEVERITY_COLOR: Record<Severity, string> = { critical: "35;1", high: "31;1", medium: "33", low: "36", info: "2" };

export const textReporter: Reporter = {
  format: "text",
  render(report, { color }) {
    const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
    const out: string[] = [];
    for (const host of report.hosts) {
      if (host.findings.length === 0 && !host.error) continue;
      out.push(paint("1", host.host));
      if (host.error) out.push(`  ${paint("31;1", "error")}  ${host.error}`);
      for (const f of host.findings) out.push(...renderFinding(f, paint));
      out.push("");
    }
    for (const n of report.notices) {
      out.push(`${n.location ? `${formatLocation(n.location)}: ` : ""}${paint("33", "config")}: ${n.message}`);
    }
    if (report.notices.length > 0) out.push("");
    out.push(summaryLine(report));
    return `${out.join("\n")}\n`;
  },
};

function renderFinding(f: ReportFinding, paint: (code: string, s: string) => string): string[] {
  const status = f.status === "waived" ? paint("2", "waived") : paint(SEVERITY_COLOR[f.severity], f.severity);
  const lines = [`  ${formatLocation(f.location)}  ${status}  ${paint("1", f.rule)}  ${f.message}`];
  const shown = f.evidence.filter((e) => e.text !== "").slice(0, 5);
  const width = Math.max(0, ...shown.map((e) => String(e.location.line).length));
  for (const e of shown) {
    const where = e.location.file === f.location.file ? String(e.location.line).padStart(width) : formatLocation(e.location);
    lines.push(`      ${paint("2", `${where} |`)} ${e.text}`);
  }
  if (f.evidence.filter((e) => e.text !== "").length > shown.length) lines.push(`      ${paint("2", "…")}`);
  if (f.status === "waived" && f.waiver) {
    lines.push(`      waived: ${f.waiver.justification}${f.waiver.approved_by ? ` (approved by ${f.waiver.approved_by})` : ""}${f.waiver.expires ? `, until ${f.waiver.expires}` : ""}`);
  } else if (f.remediation) {
    lines.push(`      ${paint("32", "fix:")} ${f.remediation.split("\n").join("\n           ")}`);
  }
  return lines;
}

function summaryLine(report: Report): string {
  const s = report.summary;
  const hosts = `${s.hosts} host${s.hosts === 1 ? "" : "s"} checked`;
  if (s.failing === 0 && s.findings === 0) return `${hosts}: no findings`;
  const severities = (Object.entries(s.by_severity) as Array<[Severity, number]>)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`)
    .join(", ");
  const parts = [`${s.failing} failing finding${s.failing === 1 ? "" : "s"} on ${s.hosts_failing} host${s.hosts_failing === 1 ? "" : "s"}`];
  if (severities) parts[0] += ` (${severities})`;
  if (s.waived > 0) parts.push(`${s.waived} waived`);
  return `${hosts}: ${parts.join(", ")}; failing at or above ${s.fail_on}`;
}
