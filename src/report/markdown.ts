/**
 * `--format markdown`: GitHub-flavoured Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY — a
 * heading with the verdict, a table of the hosts that have findings, then per host a table of its
 * findings and the waivers that apply. Text from checked files is untrusted: it is written
 * with every character that can start inline Markdown backslash-escaped (GFM splits table cells on `|` even inside
 * code spans, so evidence is shown in <code> rather than between backticks), and newlines become `<br>`.
 * The details stop at MARKDOWN_BUDGET characters (a PR comment holds 65,536) with a count of what was left out;
 * hosts come worst first (most failing findings, then the most severe), so what is cut is the least urgent, and
 * a host whose findings no longer fit gets no heading at all. A host passes (✅) only when every rule in effect
 * was evaluated on it; a host some rule could not judge (no ntp.conf, no firewall dump) says so instead.
 */
import type { Severity } from "../model/finding.js";
import { SEVERITIES, severityRank } from "../model/finding.js";
import { formatLocation } from "../model/location.js";
import type { HostReport, Report, ReportFinding } from "../model/report.js";
import { printableLines } from "./escape.js";
import { notApplicableReasons, outcomesOf, shownFindings, worstFirst } from "./outcomes.js";
import type { Reporter, RuleInfo } from "./reporter.js";
import { relatedLine } from "./related.js";
import { isFailing } from "./summary.js";

export const MARKDOWN_BUDGET = 60_000;
const MAX_NOTICES = 20;

/**
 * Untrusted text as Markdown inline content that renders verbatim: the characters that can start inline
 * markup backslash-escaped (emphasis, code spans, links, images, HTML, entities, strikethrough, math, table
 * pipes; block markup cannot start where this text goes, never at the start of a line), control
 * characters as spaces, newlines as `<br>`, and a word joiner after an `@` that starts a word (no
 * @-mentions from configuration text in a PR comment).
 */
export function mdText(s: string): string {
  return oneLine(s)
    .replace(/[\\`*_[\]<>|~$&!]/g, (c) => `\\${c}`)
    .replace(/(^|[^\p{L}\p{N}_])@/gu, "$1@\u2060")
    .replace(/\n/g, "<br>");
}

/** Untrusted text shown as code: mdText() inside `<code>` (whose content Markdown still parses, hence the escaping). */
export function mdCode(s: string): string {
  return s === "" ? "" : `<code>${mdText(s)}</code>`;
}

/**
 * Text from our own catalogue, which uses backticks for code on purpose (remediations): kept as Markdown,
 * with pipes escaped for the table, HTML neutralised and newlines as `<br>`.
 */
function mdTrusted(s: string): string {
  return oneLine(s).replace(/\|/g, "\\|").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\n/g, "<br>");
}

/** Line breaks normalised to `\n`, tabs as spaces, every other control, C1 or bidi character escaped (escape.ts). */
function oneLine(s: string): string {
  return printableLines(s.replace(/\r\n|\r/g, "\n").replace(/\t/g, " ")).trim();
}

const ICON: Record<Severity, string> = { critical: "🟣", high: "🔴", medium: "🟠", low: "🔵", info: "⚪" };

export const markdownReporter: Reporter = {
  format: "markdown",
  render(report, { quiet = false, catalog }) {
    return renderMarkdown(report, quiet, catalog);
  },
};

function renderMarkdown(report: Report, quiet: boolean, catalog: readonly RuleInfo[] | undefined): string {
  const s = report.summary;
  const failOn = s.fail_on;
  const errors = report.hosts.filter((h) => h.error);
  const partly = report.hosts.filter((h) => !h.error && notApplicableReasons(outcomesOf(h, catalog)).length > 0).length;
  const hostsWord = `${s.hosts} host${s.hosts === 1 ? "" : "s"}`;
  const verdict =
    s.failing > 0 || errors.length > 0
      ? `❌ ${s.failing} failing finding${s.failing === 1 ? "" : "s"} on ${s.hosts_failing} of ${hostsWord}`
      : partly > 0
        ? `➖ no failing findings on ${hostsWord}, but ${partly === s.hosts ? (s.hosts === 1 ? "it was" : "none was") : `${partly} ${partly === 1 ? "was" : "were"}`} not fully evaluated`
        : `✅ no failing findings on ${hostsWord}`;
  const out: string[] = [`## ntp-policy: ${verdict}`, ""];
  const bySeverity = SEVERITIES.filter((sev) => s.by_severity[sev] > 0).map((sev) => `${s.by_severity[sev]} ${sev}`);
  out.push(
    `Failing at or above **${failOn}**.${bySeverity.length > 0 ? ` Findings not waived: ${bySeverity.join(", ")}.` : ""}${s.waived > 0 ? ` Waived: ${s.waived}.` : ""}`,
    "",
  );

  const notEvaluated = new Map(report.hosts.map((h) => [h, h.error ? [] : notApplicableReasons(outcomesOf(h, catalog))]));
  if (!quiet && report.config.trusted_networks.length === 0 && s.findings > 0) {
    out.push("> [!NOTE]", "> No trusted networks are configured: only loopback may query ntpd, so every restrict line for a LAN is reported. Name them with `--trusted CIDR` or `trusted_networks:` in `.ntp-policy.yaml`.", "");
  }
  const listed = worstFirst(report).filter((h) => h.error || shownFindings(h, failOn, quiet).length > 0 || (!quiet && notEvaluated.get(h)!.length > 0));
  if (listed.length > 0) {
    out.push(`| Host | Result | ${SEVERITIES.map((sev) => cap(sev)).join(" | ")} | Waived |`, `|---|---|${SEVERITIES.map(() => "--:|").join("")}--:|`);
    let rows = 0;
    for (const h of listed) {
      const row = hostRow(h, failOn, notEvaluated.get(h)!);
      if (out.join("\n").length + row.length > MARKDOWN_BUDGET / 2) break;
      out.push(row);
      rows++;
    }
    out.push("");
    if (rows < listed.length) out.push(`_${listed.length - rows} more hosts with findings are not listed here._`, "");
  }
  const clean = report.hosts.filter((h) => !h.error && h.findings.length === 0 && notEvaluated.get(h)!.length === 0).length;
  if (!quiet && clean > 0) out.push(`${clean} host${clean === 1 ? "" : "s"} with no findings, every rule evaluated.`, "");

  const budget = { left: MARKDOWN_BUDGET - out.join("\n").length, omitted: 0 };
  for (const h of listed) out.push(...hostSection(h, failOn, shownFindings(h, failOn, quiet), budget));
  if (budget.omitted > 0) {
    out.push(`_${budget.omitted} more finding${budget.omitted === 1 ? "" : "s"} left out to keep this summary short; the text, json or sarif report has them all._`, "");
  }
  if (!quiet && report.notices.length > 0) {
    out.push("### Configuration", "");
    for (const n of report.notices.slice(0, MAX_NOTICES)) out.push(`- ${n.location ? `${mdCode(formatLocation(n.location))}: ` : ""}${mdText(n.message)}`);
    if (report.notices.length > MAX_NOTICES) out.push(`- … and ${report.notices.length - MAX_NOTICES} more`);
    out.push("");
  }
  out.push(`<sub>${mdText(`${report.tool.name} ${report.tool.version}`)}, policy ${mdCode(report.policy.digest)}</sub>`);
  return `${out.join("\n")}\n`;
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

function hostRow(h: HostReport, failOn: Severity, notEvaluated: readonly string[]): string {
  const counts = Object.fromEntries(SEVERITIES.map((sev) => [sev, 0])) as Record<Severity, number>;
  let waived = 0;
  for (const f of h.findings) {
    if (f.status === "waived") waived++;
    else counts[f.severity]++;
  }
  const failing = h.findings.some((f) => isFailing(f, failOn));
  const result = h.error ? "⚠️ not checked" : failing ? "❌ fail" : notEvaluated.length > 0 ? `➖ not fully evaluated: ${mdText(notEvaluated.join("; "))}` : "✅ pass";
  return `| ${mdText(h.host)} | ${result} | ${SEVERITIES.map((sev) => String(counts[sev])).join(" | ")} | ${waived} |`;
}

/** What is left of MARKDOWN_BUDGET, and how many findings did not fit. */
interface Budget {
  left: number;
  omitted: number;
}

/**
 * Lines of one host's section; findings that no longer fit the budget are counted instead of written, and a
 * host with nothing to show (no error, no finding that fits) gets no heading.
 */
function hostSection(h: HostReport, failOn: Severity, shown: readonly ReportFinding[], budget: Budget): string[] {
  // Worst first inside the host too: what the budget cuts is the least severe.
  const active = shown.filter((f) => f.status === "fail").sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const waived = shown.filter((f) => f.status === "waived");
  if (!h.error && active.length === 0 && waived.length === 0) return [];
  const before = budget.left;
  const fits = (lines: string[]): boolean => {
    const size = lines.reduce((n, l) => n + l.length + 1, 0);
    if (budget.omitted > 0 || size > budget.left) return false;
    budget.left -= size;
    return true;
  };
  const head = [`### ${mdText(h.host)}`, ""];
  if (h.error) head.push(`> [!WARNING]`, `> Not checked: ${mdText(h.error)}`, "");
  const tableHead = ["| Severity | Rule | Location | Finding | Evidence | Fix |", "|---|---|---|---|---|---|"];
  if (!fits(head)) {
    budget.omitted += active.length + waived.length;
    return [];
  }
  const rows: string[] = [];
  if (active.length > 0 && fits(tableHead)) {
    for (const f of active) {
      const row = findingRow(f, failOn);
      if (fits([row])) rows.push(row);
      else budget.omitted++;
    }
    if (rows.length === 0) budget.left += tableHead.reduce((n, l) => n + l.length + 1, 0);
  } else {
    budget.omitted += active.length;
  }
  const lines = [...head, ...(rows.length > 0 ? [...tableHead, ...rows, ""] : [])];
  if (waived.length > 0) {
    const block = ["<details><summary>Waived</summary>", "", ...waived.map(waiverItem), "", "</details>", ""];
    if (fits(block)) lines.push(...block);
    else budget.omitted += waived.length;
  }
  if (!h.error && lines.length === head.length) {
    // Nothing of this host fitted: no heading without content.
    budget.left = before;
    return [];
  }
  return lines;
}

function findingRow(f: ReportFinding, failOn: Severity): string {
  const severity = `${ICON[f.severity]} ${f.severity}${isFailing(f, failOn) ? "" : " (not failing)"}`;
  const withText = f.evidence.filter((e) => e.text !== "");
  const evidence = withText
    .slice(0, 5)
    .map((e) => `${e.location.file === f.location.file ? `${e.location.line}` : mdText(`${e.location.file}:${e.location.line}`)}: ${mdCode(e.text)}`)
    .join("<br>");
  const more = withText.length > 5 ? `<br>… ${withText.length - 5} more` : "";
  const related = relatedLine(f);
  const message = related === null ? mdText(f.message) : `${mdText(f.message)}<br>_${mdText(related)}_`;
  return `| ${severity} | **${mdText(f.rule)}** ${mdText(f.title)} | ${mdCode(formatLocation(f.location))} | ${message} | ${evidence}${more} | ${mdTrusted(f.remediation)} |`;
}

function waiverItem(f: ReportFinding): string {
  const w = f.waiver;
  const detail = w ? `${mdText(w.justification)}${w.approved_by ? ` (approved by ${mdText(w.approved_by)})` : ""}${w.expires ? `, until ${mdText(w.expires)}` : ""}` : "";
  return `- **${mdText(f.rule)}** ${mdCode(formatLocation(f.location))}: ${mdText(f.message)}${detail ? ` — ${detail}` : ""}`;
}
