/**
 * `--format markdown`: GitHub-flavoured Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY — a
 * heading with the verdict, a table of the hosts that have findings, then per host a table of its
 * findings and the waivers that apply. Text from checked files is untrusted: it is written
 * with every character that can start inline Markdown backslash-escaped (GFM splits table cells on `|` even inside
 * code spans, so evidence is shown in <code> rather than between backticks), and newlines become `<br>`.
 * The details stop at MARKDOWN_BUDGET characters (a PR comment holds 65,536) with a count of what was left out.
 */
import type { Severity } from "../model/finding.js";
import { SEVERITIES } from "../model/finding.js";
import { formatLocation } from "../model/location.js";
import type { HostReport, Report, ReportFinding } from "../model/report.js";
import { printableLines } from "./escape.js";
import type { Reporter } from "./reporter.js";
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
  render(report, { quiet = false }) {
    return renderMarkdown(report, quiet);
  },
};

function renderMarkdown(report: Report, quiet: boolean): string {
  const s = report.summary;
  const failOn = s.fail_on;
  const errors = report.hosts.filter((h) => h.error);
  const verdict =
    s.failing > 0 || errors.length > 0
      ? `❌ ${s.failing} failing finding${s.failing === 1 ? "" : "s"} on ${s.hosts_failing} of ${s.hosts} host${s.hosts === 1 ? "" : "s"}`
      : `✅ no failing findings on ${s.hosts} host${s.hosts === 1 ? "" : "s"}`;
  const out: string[] = [`## ntp-policy: ${verdict}`, ""];
  const bySeverity = SEVERITIES.filter((sev) => s.by_severity[sev] > 0).map((sev) => `${s.by_severity[sev]} ${sev}`);
  out.push(
    `Failing at or above **${failOn}**.${bySeverity.length > 0 ? ` Findings not waived: ${bySeverity.join(", ")}.` : ""}${s.waived > 0 ? ` Waived: ${s.waived}.` : ""}`,
    "",
  );

  const shown = (f: ReportFinding): boolean => (quiet ? isFailing(f, failOn) : true);
  const listed = report.hosts.filter((h) => h.error || h.findings.some(shown));
  if (listed.length > 0) {
    out.push(`| Host | Result | ${SEVERITIES.map((sev) => cap(sev)).join(" | ")} | Waived |`, `|---|---|${SEVERITIES.map(() => "--:|").join("")}--:|`);
    let rows = 0;
    for (const h of listed) {
      const row = hostRow(h, failOn);
      if (out.join("\n").length + row.length > MARKDOWN_BUDGET / 2) break;
      out.push(row);
      rows++;
    }
    out.push("");
    if (rows < listed.length) out.push(`_${listed.length - rows} more hosts with findings are not listed here._`, "");
  }
  const clean = report.hosts.length - report.hosts.filter((h) => h.error || h.findings.length > 0).length;
  if (!quiet && clean > 0) out.push(`${clean} host${clean === 1 ? "" : "s"} with no findings.`, "");

  const budget = { left: MARKDOWN_BUDGET - out.join("\n").length, omitted: 0 };
  for (const h of listed) out.push(...hostSection(h, failOn, shown, budget));
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

function hostRow(h: HostReport, failOn: Severity): string {
  const counts = Object.fromEntries(SEVERITIES.map((sev) => [sev, 0])) as Record<Severity, number>;
  let waived = 0;
  for (const f of h.findings) {
    if (f.status === "waived") waived++;
    else counts[f.severity]++;
  }
  const failing = h.findings.some((f) => isFailing(f, failOn));
  const result = h.error ? "⚠️ not checked" : failing ? "❌ fail" : "✅ pass";
  return `| ${mdText(h.host)} | ${result} | ${SEVERITIES.map((sev) => String(counts[sev])).join(" | ")} | ${waived} |`;
}

/** What is left of MARKDOWN_BUDGET, and how many findings did not fit. */
interface Budget {
  left: number;
  omitted: number;
}

/** Lines of one host's section; findings that no longer fit the budget are counted instead of written. */
function hostSection(h: HostReport, failOn: Severity, shown: (f: ReportFinding) => boolean, budget: Budget): string[] {
  const active = h.findings.filter((f) => f.status === "fail" && shown(f));
  const waived = h.findings.filter((f) => f.status === "waived" && shown(f));
  const fits = (lines: string[]): boolean => {
    const size = lines.reduce((n, l) => n + l.length + 1, 0);
    if (size > budget.left) return false;
    budget.left -= size;
    return true;
  };
  const head = [`### ${mdText(h.host)}`, ""];
  if (h.error) head.push(`> [!WARNING]`, `> Not checked: ${mdText(h.error)}`, "");
  if (active.length > 0) head.push("| Severity | Rule | Location | Finding | Evidence | Fix |", "|---|---|---|---|---|---|");
  if (!fits(head)) {
    budget.omitted += active.length + waived.length;
    return [];
  }
  const lines = head;
  let rows = 0;
  for (const f of active) {
    const row = findingRow(f, failOn);
    if (budget.omitted > 0 || !fits([row])) {
      budget.omitted++;
      continue;
    }
    lines.push(row);
    rows++;
  }
  if (active.length > 0 && rows === 0) lines.splice(lines.length - 2, 2); // a table with no rows
  if (active.length > 0) lines.push("");
  if (waived.length > 0) {
    const items = waived.map(waiverItem);
    const block = ["<details><summary>Waived</summary>", "", ...items, "", "</details>", ""];
    if (budget.omitted === 0 && fits(block)) lines.push(...block);
    else budget.omitted += waived.length;
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
  return `| ${severity} | **${mdText(f.rule)}** ${mdText(f.title)} | ${mdCode(formatLocation(f.location))} | ${mdText(f.message)} | ${evidence}${more} | ${mdTrusted(f.remediation)} |`;
}

function waiverItem(f: ReportFinding): string {
  const w = f.waiver;
  const detail = w ? `${mdText(w.justification)}${w.approved_by ? ` (approved by ${mdText(w.approved_by)})` : ""}${w.expires ? `, until ${mdText(w.expires)}` : ""}` : "";
  return `- **${mdText(f.rule)}** ${mdCode(formatLocation(f.location))}: ${mdText(f.message)}${detail ? ` — ${detail}` : ""}`;
}
