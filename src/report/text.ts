/**
 * `--format text`, for people: findings grouped per host and then per file, each with its location, a
 * code frame of the lines it rests on (from its evidence) and how to fix it, then one summary line.
 * Colour only when RenderOptions.color. `quiet`: failing findings only, and nothing at all when none fail.
 */
import { SEVERITIES, severityRank, type Severity } from "../model/finding.js";
import { formatLocation } from "../model/location.js";
import type { HostReport, Report, ReportFinding } from "../model/report.js";
import { isFailing } from "./summary.js";
import { codeFrame, printable, type Paint } from "./code-frame.js";
import type { Reporter } from "./reporter.js";
import { hostRelative } from "./rule-info.js";

/** A fleet summary (worst hosts, pass rate per rule) is printed from this many hosts on. */
const FLEET_SUMMARY_MIN_HOSTS = 3;
const WORST_HOSTS_SHOWN = 5;

const SEVERITY_COLOR: Record<Severity, string> = { critical: "35;1", high: "31;1", medium: "33;1", low: "36", info: "2" };

export const textReporter: Reporter = {
  format: "text",
  render(report, { color, quiet = false }) {
    const paint: Paint = (code, s) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
    const failOn = report.summary.fail_on;
    const shown = (f: ReportFinding): boolean => !quiet || isFailing(f, failOn);
    const out: string[] = [];
    for (const host of report.hosts) {
      const findings = host.findings.filter(shown);
      if (findings.length === 0 && !host.error) continue;
      out.push(hostHeading(host, failOn, quiet, paint));
      if (host.error) out.push(`  ${paint("31;1", "error")}  ${printable(host.error)}`);
      const fixShown = new Set<string>();
      for (const [file, inFile] of groupByFile(findings)) {
        out.push(`  ${paint("4", printable(hostRelative(host.path, file)))}`);
        for (const f of inFile) out.push(...renderFinding(f, failOn, paint, fixShown));
      }
      out.push("");
    }
    if (!quiet) {
      for (const n of report.notices) {
        out.push(`${paint("33;1", "config")}  ${n.location ? `${printable(formatLocation(n.location))}  ` : ""}${printable(n.message)}`);
      }
      if (report.notices.length > 0) out.push("");
      if (report.hosts.length >= FLEET_SUMMARY_MIN_HOSTS) out.push(...fleetSummary(report, paint), "");
    }
    if (quiet && out.length === 0) return "";
    out.push(summaryLine(report, quiet, paint));
    return `${out.join("\n")}\n`;
  },
};

function hostHeading(host: HostReport, failOn: Severity, quiet: boolean, paint: Paint): string {
  const failing = host.findings.filter((f) => isFailing(f, failOn)).length;
  const waived = host.findings.filter((f) => f.status === "waived").length;
  const below = host.findings.length - failing - waived;
  const parts: string[] = [];
  if (host.error) parts.push(paint("31;1", "not checked"));
  if (failing > 0) parts.push(paint("31", `${failing} failing`));
  if (below > 0 && !quiet) parts.push(`${below} below ${failOn}`);
  if (waived > 0 && !quiet) parts.push(`${waived} waived`);
  return `${paint("1", printable(host.host))}${parts.length > 0 ? `  ${parts.join(", ")}` : ""}`;
}

/** Findings by file, files in the order their first finding comes (the report sorts findings by location). */
function groupByFile(findings: ReportFinding[]): Map<string, ReportFinding[]> {
  const groups = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    const group = groups.get(f.location.file);
    if (group) group.push(f);
    else groups.set(f.location.file, [f]);
  }
  return groups;
}

/** `fixShown`: the rules whose fix this host's section already printed (a rule's fix is the same each time). */
function renderFinding(f: ReportFinding, failOn: Severity, paint: Paint, fixShown: Set<string>): string[] {
  const where = printable(formatLocation(f.location));
  if (f.status === "waived") {
    const lines = [`    ${paint("2", where)}  ${paint("2", "waived")}  ${paint("1", f.rule)}  ${indented(f.message, 8)}`];
    if (f.waiver) {
      const by = f.waiver.approved_by ? ` (approved by ${printable(f.waiver.approved_by)})` : "";
      const until = f.waiver.expires ? `, until ${printable(f.waiver.expires)}` : "";
      lines.push(`      ${paint("2", "waived:")} ${indented(f.waiver.justification, 14)}${by}${until}`);
    }
    return lines;
  }
  const severity = isFailing(f, failOn) ? paint(SEVERITY_COLOR[f.severity], f.severity) : paint("2", f.severity);
  const lines = [`    ${where}  ${severity}  ${paint("1", f.rule)}  ${indented(f.message, 8)}`];
  for (const l of codeFrame(f, paint)) lines.push(`      ${l}`);
  if (f.remediation && fixShown.has(`${f.rule}\u0000${f.remediation}`)) {
    lines.push(`      ${paint("32", "fix:")} as for ${f.rule} above`);
  } else if (f.remediation) {
    fixShown.add(`${f.rule}\u0000${f.remediation}`);
    lines.push(`      ${paint("32", "fix:")} ${indented(f.remediation.trim(), 11)}`);
  }
  return lines;
}

/** Multi-line text (a message, a justification) as printable lines, the ones after the first indented. */
function indented(text: string, by: number): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(printable)
    .map((l, i) => (i === 0 ? l : `${" ".repeat(by)}${l}`.trimEnd()))
    .join("\n");
}

function summaryLine(report: Report, quiet: boolean, paint: Paint): string {
  const s = report.summary;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  const hosts = `${plural(s.hosts, "host")} checked`;
  const errors = report.hosts.filter((h) => h.error).length;
  const notChecked = errors > 0 ? `; ${paint("31;1", `${plural(errors, "host")} could not be checked`)}` : "";
  if (s.findings === 0) return `${hosts}: ${paint("32", "no findings")}${notChecked}`;
  const atOrAbove = SEVERITIES.filter((sev) => severityRank(sev) >= severityRank(s.fail_on));
  const severities = atOrAbove
    .filter((sev) => s.by_severity[sev] > 0)
    .map((sev) => `${s.by_severity[sev]} ${sev}`)
    .join(", ");
  const below = SEVERITIES.filter((sev) => !atOrAbove.includes(sev)).reduce((n, sev) => n + s.by_severity[sev], 0);
  const failing = `${plural(s.failing, "failing finding")} on ${plural(s.hosts_failing, "host")}`;
  const parts = [`${s.failing > 0 ? paint("31;1", failing) : failing}${severities ? ` (${severities})` : ""}`];
  if (below > 0 && !quiet) parts.push(`${below} below ${s.fail_on}`);
  if (s.waived > 0 && !quiet) parts.push(`${s.waived} waived`);
  return `${hosts}: ${parts.join(", ")}; failing at or above ${s.fail_on}${notChecked}`;
}

/**
 * For fleets: the hosts with the most (and most severe) failing findings, and for every rule that failed
 * somewhere the share of hosts that pass it — where to start, and how widespread each problem is.
 */
function fleetSummary(report: Report, paint: Paint): string[] {
  const failOn = report.summary.fail_on;
  const weight = (f: ReportFinding): number => 10 ** severityRank(f.severity);
  const scored = report.hosts
    .map((h) => {
      const failing = h.findings.filter((f) => isFailing(f, failOn));
      return { host: h.host, failing: failing.length, score: failing.reduce((n, f) => n + weight(f), 0), worst: worstSeverity(failing) };
    })
    .filter((h) => h.failing > 0)
    .sort((a, b) => b.score - a.score || (a.host < b.host ? -1 : 1))
    .slice(0, WORST_HOSTS_SHOWN);
  const out: string[] = [paint("1", `Fleet: ${report.summary.hosts_failing} of ${report.summary.hosts} hosts failing`)];
  if (scored.length > 0) {
    out.push("  worst hosts:");
    for (const h of scored) out.push(`    ${printable(h.host)}  ${h.failing} failing (worst: ${h.worst})`);
  }
  const hostsByRule = new Map<string, Set<string>>();
  for (const h of report.hosts) {
    for (const f of h.findings) {
      if (!isFailing(f, failOn)) continue;
      const set = hostsByRule.get(f.rule) ?? new Set<string>();
      set.add(h.host);
      hostsByRule.set(f.rule, set);
    }
  }
  if (hostsByRule.size > 0) {
    out.push("  pass rate per rule (rules with failures):");
    const total = report.hosts.length;
    const rows = [...hostsByRule.entries()].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1));
    for (const [rule, hosts] of rows) {
      const passing = total - hosts.size;
      out.push(`    ${rule.padEnd(8)} ${String(Math.round((passing / total) * 100)).padStart(3)}%  (${passing}/${total} hosts pass)`);
    }
  }
  return out;
}

function worstSeverity(findings: ReportFinding[]): Severity {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? "info";
}
