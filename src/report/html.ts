/**
 * `--format html`: the auditor report. One self-contained file — inline CSS, no script, no external asset, a
 * Content-Security-Policy that forbids every load — readable on screen and in print (`--format pdf` prints it).
 *
 * Sections, one module each under html/: scope and provenance (tool, policy digest, every tailoring decision,
 * the command line, when each host's evidence was collected, every input file's sha256), executive summary (pass
 * rate per control and per host), the hosts × controls matrix, findings per host with evidence, remediation and
 * references, the lines that satisfy each passing control, waivers and configuration notices, and the control
 * catalogue. `detail: "summary"` (`--summary`) keeps the first three and the waivers: a few pages for any fleet.
 *
 * The pass/fail/waived/not-applicable/error status of every cell is the report's outcome (outcomes.ts). Everything
 * that comes from input files, the configuration or the report is escaped (html/escape.ts). The output is
 * deterministic for a given report, catalogue and `generatedAt`.
 */
import type { Report } from "../model/report.js";
import { renderCatalogue } from "./html/catalogue.js";
import { computeCompliance } from "./html/compliance.js";
import { a, t } from "./html/escape.js";
import { renderHead } from "./html/head.js";
import { renderHosts } from "./html/hosts.js";
import { renderMatrix } from "./html/matrix.js";
import { defaultGeneratedAt, jsonDigest, type Ctx } from "./html/parts.js";
import { renderScope } from "./html/scope.js";
import { HTML_REPORT_CSS } from "./html/style.js";
import { renderSummary } from "./html/summary.js";
import { renderErrors, renderWaivers } from "./html/waivers.js";
import type { RenderOptions, Reporter, RuleInfo } from "./reporter.js";

export { computeCompliance, formatRate, type Cell, type CellStatus, type Compliance, type Control, type Tally } from "./html/compliance.js";
export { escapeAttr, escapeHtml } from "./html/escape.js";

export interface HtmlRenderOptions {
  /**
   * When the report was generated, printed as given (e.g. an ISO-8601 UTC time). Pass it explicitly for
   * reproducible output; when absent, SOURCE_DATE_EPOCH is used if set, else the current time.
   */
  generatedAt?: string;
  /** The document title (default "NTP security compliance report"). */
  title?: string;
  /** Waivers that expire within this many days of `generatedAt` are flagged (default 30). */
  expiryWarningDays?: number;
  /** `summary`: the executive form (no per-host detail, no catalogue); default `full`. */
  detail?: "full" | "summary";
}

/**
 * What `htmlReporter.render` accepts: the common options (of which it reads `catalog`, the rules in effect, and
 * `summary`, and ignores `color`, `quiet` and `pathPrefix`: the auditor report is always complete) plus the HTML ones.
 */
export type HtmlReporterOptions = RenderOptions & HtmlRenderOptions;

export const DEFAULT_TITLE = "NTP security compliance report";
const DEFAULT_EXPIRY_WARNING_DAYS = 30;

export const htmlReporter: Reporter = {
  format: "html",
  render(report: Report, options: HtmlReporterOptions): string {
    const { generatedAt, title, expiryWarningDays } = options;
    const detail = options.detail ?? (options.summary ? "summary" : "full");
    // The CLI passes the rules in effect; without them only the rules that have findings are shown.
    return renderHtml(report, options.catalog ?? [], { generatedAt, title, expiryWarningDays, detail });
  },
};

/** The whole report as one HTML document. */
export function renderHtml(report: Report, catalogue: readonly RuleInfo[], options: HtmlRenderOptions = {}): string {
  const ctx: Ctx = {
    report,
    compliance: computeCompliance(report, catalogue),
    generatedAt: options.generatedAt ?? defaultGeneratedAt(),
    expiryWarningDays: options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS,
  };
  const title = options.title ?? DEFAULT_TITLE;
  const hostErrors = report.hosts.filter((h) => h.error !== undefined);
  const summaryOnly = options.detail === "summary";
  const sections: Array<[id: string, heading: string, body: string]> = [
    ["scope", "Scope and provenance", renderScope(ctx)],
    ["summary", "Executive summary", renderSummary(ctx)],
    ["matrix", "Hosts × controls matrix", renderMatrix(ctx)],
    ...(summaryOnly ? [] : ([["hosts", "Findings and evidence by host", renderHosts(ctx)]] as Array<[string, string, string]>)),
    ["waivers", "Waivers and configuration notices", renderWaivers(ctx)],
    ...(hostErrors.length > 0 ? [["errors", "Hosts that could not be checked", renderErrors(hostErrors)] as [string, string, string]] : []),
    ...(summaryOnly ? [] : ([["catalogue", "Control catalogue", renderCatalogue(ctx)]] as Array<[string, string, string]>)),
  ];
  const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${a(`${report.tool.name} ${report.tool.version}`)}">`,
    `<title>${t(title)}</title>`,
    `<style>${HTML_REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    renderHead(ctx, title),
    '<nav class="toc no-print" aria-label="Contents"><ol>',
    ...sections.map(([id, heading], i) => `<li><a href="#${id}">${i + 1}. ${t(heading)}</a></li>`),
    "</ol></nav>",
    ...sections.map(
      ([id, heading, body], i) =>
        `<section id="${id}"${id === "scope" || id === "summary" ? "" : ' class="page"'}>\n<h2>${i + 1}. ${t(heading)}</h2>\n${body}\n</section>`,
    ),
    `<footer class="report-foot">Generated by ${t(report.tool.name)} ${t(report.tool.version)} at ${t(ctx.generatedAt)}. ` +
      `Policy ${t(report.policy.digest)}. The sha256 of the JSON report for the same run is <span class="hash">${jsonDigest(report)}</span>.</footer>`,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
