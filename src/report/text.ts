/**
 * `--format text`, for people: findings grouped per host and then per file, each with its location, a
 * code frame of the lines it rests on (from its evidence) and how to fix it, then what was not evaluated and
 * why, then one summary line. Paths are relative to the working directory (the checked path joined to the
 * report's path), so a shell or an editor opens them as printed. Colour only when RenderOptions.color.
 * `quiet`: failing findings only, and nothing at all when none fail.
 */
import type { JudgedAs } from "../model/input.js";
import { SEVERITIES, severityRank, type Severity } from "../model/finding.js";
import { formatLocation } from "../model/location.js";
import type { HostReport, Report, ReportFinding } from "../model/report.js";
import { isFailing } from "./summary.js";
import { codeFrame, printable, type Paint } from "./code-frame.js";
import { leftUnevaluated, notApplicableReasons, outcomesOf, shownFindings, tallyOutcomes, worstFirst } from "./outcomes.js";
import type { Reporter, RuleInfo } from "./reporter.js";
import { relatedLine } from "./related.js";
import { withPrefix } from "./rule-info.js";

/** A fleet summary (worst hosts, pass rate per rule) is printed from this many hosts on. */
const FLEET_SUMMARY_MIN_HOSTS = 3;
const WORST_HOSTS_SHOWN = 5;

const SEVERITY_COLOR: Record<Severity, string> = { critical: "35;1", high: "31;1", medium: "33;1", low: "36", info: "2" };

export const textReporter: Reporter = {
  format: "text",
  render(report, { color, quiet = false, catalog }) {
    const paint: Paint = (code, s) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
    const failOn = report.summary.fail_on;
    const out: string[] = [];
    for (const host of report.hosts) {
      const findings = shownFindings(host, failOn, quiet).map((f) => openable(host, f));
      const notEvaluated = quiet ? [] : notApplicableReasons(outcomesOf(host, catalog));
      if (findings.length === 0 && !host.error && notEvaluated.length === 0) continue;
      out.push(hostHeading(host, failOn, quiet, paint));
      if (host.error) out.push(`  ${paint("31;1", "error")}  ${printable(host.error)}`);
      const fixShown = new Set<string>();
      for (const [file, inFile] of groupByFile(findings)) {
        out.push(`  ${paint("4", printable(file))}`);
        for (const f of inFile) out.push(...renderFinding(f, failOn, paint, fixShown));
      }
      if (notEvaluated.length > 0 && !host.error) out.push(...notEvaluatedLines(host, catalog, paint));
      out.push("");
    }
    if (!quiet) {
      for (const n of report.notices) {
        out.push(`${paint("33;1", "config")}  ${n.location ? `${printable(formatLocation(n.location))}  ` : ""}${printable(n.message)}`);
      }
      if (report.notices.length > 0) out.push("");
      if (report.hosts.length >= FLEET_SUMMARY_MIN_HOSTS) out.push(...fleetSummary(report, catalog, paint), "");
      if (report.config.trusted_networks.length === 0 && report.summary.findings > 0) {
        out.push(
          `${paint("33;1", "note")}  no trusted networks are configured: only loopback may query ntpd, so every restrict line for a LAN is reported. ` +
            "Name the networks that may query with --trusted CIDR (repeatable) or trusted_networks: in .ntp-policy.yaml.",
          "",
        );
      }
    }
    if (quiet && out.length === 0) return "";
    out.push(summaryLine(report, quiet, paint, catalog));
    return `${out.join("\n")}\n`;
  },
};

/** The finding with its paths as a shell opens them from the working directory (checked path + report path). */
function openable(host: HostReport, f: ReportFinding): ReportFinding {
  const base = host.checked_path ?? "";
  if (base === "" || base === ".") return f;
  const move = <T extends { location: { file: string } }>(x: T): T => ({ ...x, location: { ...x.location, file: withPrefix(base, x.location.file) } });
  return { ...move(f), evidence: f.evidence.map(move), ...(f.related ? { related: f.related.map(move) } : {}) };
}

/** "not evaluated: FW001, FW002 … — no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)", one line per reason. */
function notEvaluatedLines(host: HostReport, catalog: readonly RuleInfo[] | undefined, paint: Paint): string[] {
  const byReason = new Map<string, string[]>();
  for (const o of outcomesOf(host, catalog)) {
    if (!leftUnevaluated(o)) continue;
    const reason = o.reason ?? "not applicable";
    byReason.set(reason, [...(byReason.get(reason) ?? []), o.rule]);
  }
  return [...byReason.entries()].map(([reason, rules]) => `  ${paint("2", "not evaluated")}  ${rules.join(", ")}: ${printable(reason)}`);
}

function hostHeading(host: HostReport, failOn: Severity, quiet: boolean, paint: Paint): string {
  const failing = host.findings.filter((f) => isFailing(f, failOn)).length;
  const waived = host.findings.filter((f) => f.status === "waived").length;
  const below = host.findings.length - failing - waived;
  const parts: string[] = [];
  if (host.error) parts.push(paint("31;1", "not checked"));
  if (failing > 0) parts.push(paint("31", `${failing} failing`));
  if (below > 0 && !quiet) parts.push(`${below} below ${failOn}`);
  if (waived > 0 && !quiet) parts.push(`${waived} waived`);
  if (host.judged_as && !quiet) parts.push(judgedAs(host.judged_as));
  return `${paint("1", printable(host.host))}${parts.length > 0 ? `  ${parts.join(", ")}` : ""}`;
}

/** Which daemon's semantics the host was judged by, and why: "judged as ntpsec (ntp-version)". */
function judgedAs(daemon: JudgedAs): string {
  const why = {
    "version-file": daemon.flavor === "chrony" ? "chrony-version" : "ntp-version",
    syntax: "ntpsec-only syntax",
    assumed: "assumed: nothing says which daemon runs",
    "config-file": "chrony.conf",
  }[daemon.decided_by];
  return `judged as ${daemon.flavor} (${why})`;
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
    const related = relatedLine(f);
    if (related !== null) lines.push(`      ${paint("2", "related:")} ${printable(related)}`);
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
  const related = relatedLine(f);
  if (related !== null) lines.push(`      ${paint("36", "related:")} ${printable(related)}`);
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

function summaryLine(report: Report, quiet: boolean, paint: Paint, catalog: readonly RuleInfo[] | undefined): string {
  const s = report.summary;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  const hosts = `${plural(s.hosts, "host")} checked`;
  const errors = report.hosts.filter((h) => h.error).length;
  const partly = quiet ? [] : report.hosts.filter((h) => !h.error && outcomesOf(h, catalog).some(leftUnevaluated));
  const notEvaluated = partly.length > 0 ? `; ${plural(partly.length, "host")} not fully evaluated (see "not evaluated")` : "";
  const notChecked = `${notEvaluated}${errors > 0 ? `; ${paint("31;1", `${plural(errors, "host")} could not be checked`)}` : ""}`;
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
 * For fleets: the hosts with the most failing findings (then the most severe), and for every rule that failed
 * somewhere the share of the hosts it judged that pass it — where to start, and how widespread each problem is.
 */
function fleetSummary(report: Report, catalog: readonly RuleInfo[] | undefined, paint: Paint): string[] {
  const failOn = report.summary.fail_on;
  const worst = worstFirst(report)
    .map((h) => ({ host: h.host, failing: h.findings.filter((f) => isFailing(f, failOn)) }))
    .filter((h) => h.failing.length > 0)
    .slice(0, WORST_HOSTS_SHOWN);
  const out: string[] = [paint("1", `Fleet: ${report.summary.hosts_failing} of ${report.summary.hosts} hosts failing`)];
  if (worst.length > 0) {
    out.push("  worst hosts:");
    for (const h of worst) out.push(`    ${printable(h.host)}  ${h.failing.length} failing (worst: ${worstSeverity(h.failing)})`);
  }
  const failingByRule = new Map<string, Set<string>>();
  for (const h of report.hosts) {
    for (const f of h.findings) {
      if (!isFailing(f, failOn)) continue;
      const set = failingByRule.get(f.rule) ?? new Set<string>();
      set.add(h.host);
      failingByRule.set(f.rule, set);
    }
  }
  if (failingByRule.size > 0) {
    out.push("  pass rate per rule (rules with failures; hosts where the rule was evaluated):");
    const outcomes = report.hosts.map((h) => outcomesOf(h, catalog));
    const rows = [...failingByRule.entries()].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1));
    for (const [rule, hosts] of rows) {
      // A host without an outcome for the rule (a report built without the catalogue) counts as judged.
      const t = tallyOutcomes(outcomes.map((o, i) => o.find((x) => x.rule === rule) ?? { rule, status: report.hosts[i]!.error ? "error" : "pass", reason: null }));
      const judged = t.pass + t.fail + t.waived;
      const passing = judged - hosts.size;
      const na = t.not_applicable > 0 ? `, ${t.not_applicable} not applicable` : "";
      out.push(`    ${rule.padEnd(8)} ${String(Math.round((passing / judged) * 100)).padStart(3)}%  (${passing}/${judged} hosts pass${na})`);
    }
  }
  return out;
}

function worstSeverity(findings: ReportFinding[]): Severity {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? "info";
}
