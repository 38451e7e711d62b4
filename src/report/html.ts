/**
 * `--format html`: the auditor report. One self-contained file — inline CSS, no script, no external asset, a
 * Content-Security-Policy that forbids every load — readable on screen and in print (`--format pdf` prints it).
 *
 * Sections: scope and provenance (tool, policy digest, configuration, every input file's sha256), executive
 * summary (pass rate per control and per host), the hosts × controls matrix, findings per host with evidence,
 * remediation and references, the evidence that each passing control passed (which inputs were evaluated),
 * waivers and configuration notices, and the control catalogue.
 *
 * Everything that comes from input files, the configuration or the report is escaped: a hostile comment in an
 * ntp.conf stays text. The output is deterministic for a given report, catalogue and `generatedAt`.
 */
import { createHash } from "node:crypto";
import { severityRank, type RuleMeta, type RuleReference, type Severity } from "../model/finding.js";
import type { InputFileKind } from "../model/input.js";
import { formatLocation, type SourceLocation } from "../model/location.js";
import type { HostReport, Report, ReportFinding } from "../model/report.js";
import { HTML_REPORT_CSS } from "./html-style.js";
import { jsonReporter } from "./json.js";
import type { RenderOptions, Reporter } from "./reporter.js";
import { reportTime } from "../model/clock.js";

/** A catalogue entry as the HTML report uses it: RuleMeta, plus the documentation links when the catalogue has them. */
export type HtmlCatalogueRule = RuleMeta & { related_resources?: ReadonlyArray<{ ref: string; description?: string }> };
export type HtmlCatalogue = ReadonlyArray<HtmlCatalogueRule>;

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
}

/**
 * What `htmlReporter.render` accepts: the common options (of which it reads `catalog`, the rules in effect, and
 * ignores `color`, `quiet` and `pathPrefix`: the auditor report is always complete) plus the HTML ones.
 */
export type HtmlReporterOptions = RenderOptions & HtmlRenderOptions;

export const DEFAULT_TITLE = "NTP security compliance report";
const DEFAULT_EXPIRY_WARNING_DAYS = 30;

export const htmlReporter: Reporter = {
  format: "html",
  render(report: Report, options: HtmlReporterOptions): string {
    const { generatedAt, title, expiryWarningDays } = options;
    // The CLI passes the rules in effect; without them only the rules that have findings are shown.
    return renderHtml(report, options.catalog ?? [], { generatedAt, title, expiryWarningDays });
  },
};

// ---------------------------------------------------------------------------------------------------------------
// The compliance model: one cell per (host, control), tallied per control and per host.

export type CellStatus = "pass" | "fail" | "waived" | "na" | "error";

export interface Control {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: readonly RuleReference[];
  related: ReadonlyArray<{ ref: string; description?: string }>;
  /** False for a rule id that appears in findings but not in the catalogue. */
  inCatalogue: boolean;
  /** The input file kinds the control evaluates (from the rule id's prefix). */
  reads: readonly InputFileKind[];
}

export interface Cell {
  status: CellStatus;
  /** The worst severity among the cell's failing (else waived) findings; null for pass, na and error. */
  severity: Severity | null;
  failing: number;
  waived: number;
  /** For pass: the input files that were evaluated. */
  inputs: HostReport["files"];
  /** For na and error: why the control was not evaluated. */
  reason: string;
}

export interface Tally {
  pass: number;
  fail: number;
  waived: number;
  na: number;
  error: number;
  /** pass + fail + waived: the (host, control) pairs that were actually evaluated. */
  evaluated: number;
  /** pass ÷ evaluated, null when nothing was evaluated. */
  passRate: number | null;
  /** (pass + waived) ÷ evaluated: the rate with waived risks accepted. */
  passRateWithWaivers: number | null;
}

export interface Compliance {
  controls: Control[];
  hosts: readonly HostReport[];
  /** cells[hostIndex][controlIndex]. */
  cells: Cell[][];
  byControl: Tally[];
  byHost: Tally[];
  total: Tally;
  /** Hosts that were checked (no internal error). */
  hostsChecked: number;
}

const NTP_KINDS: readonly InputFileKind[] = ["ntp.conf", "ntp.include", "ntp-version"];
const FW_KINDS: readonly InputFileKind[] = ["iptables", "ip6tables"];
const ALL_KINDS: readonly InputFileKind[] = [...NTP_KINDS, ...FW_KINDS];

/**
 * The input kinds a rule evaluates, from its id prefix: NTP → the daemon configuration (ntp.conf and its
 * includes), FW → the firewall dumps, XL → both. PARSE rules report lines that either the daemon or
 * iptables-restore would reject, so they read every input; an unknown prefix is assumed to read everything too.
 */
export function inputKindsForRule(id: string): readonly InputFileKind[] {
  const prefix = /^[A-Za-z]+/.exec(id)?.[0]?.toUpperCase() ?? "";
  if (prefix === "NTP") return NTP_KINDS;
  if (prefix === "FW") return FW_KINDS;
  return ALL_KINDS;
}

function describeKinds(kinds: readonly InputFileKind[]): string {
  if (kinds === NTP_KINDS) return "ntp.conf (with its includes)";
  if (kinds === FW_KINDS) return "iptables-save / ip6tables-save";
  return "ntp.conf and the firewall dumps";
}

function compareControls(a: Control, b: Control): number {
  return severityRank(b.severity) - severityRank(a.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Rules the report says were switched off in the configuration (read defensively: older reports lack it). */
function disabledRules(report: Report): Set<string> {
  const rules = (report.config as { rules?: unknown }).rules;
  const off = new Set<string>();
  if (typeof rules === "object" && rules !== null && !Array.isArray(rules)) {
    for (const [id, setting] of Object.entries(rules)) {
      if (typeof setting === "object" && setting !== null && (setting as { enabled?: unknown }).enabled === false) off.add(id);
    }
  }
  return off;
}

function emptyTally(): Tally {
  return { pass: 0, fail: 0, waived: 0, na: 0, error: 0, evaluated: 0, passRate: null, passRateWithWaivers: null };
}

function closeTally(t: Tally): Tally {
  t.evaluated = t.pass + t.fail + t.waived;
  t.passRate = t.evaluated === 0 ? null : t.pass / t.evaluated;
  t.passRateWithWaivers = t.evaluated === 0 ? null : (t.pass + t.waived) / t.evaluated;
  return t;
}

function worst(findings: readonly ReportFinding[]): Severity | null {
  let w: Severity | null = null;
  for (const f of findings) if (w === null || severityRank(f.severity) > severityRank(w)) w = f.severity;
  return w;
}

/** The controls (every catalogue rule plus any rule id found only in findings) and one cell per host and control. */
export function computeCompliance(report: Report, catalogue: HtmlCatalogue): Compliance {
  const controls: Control[] = catalogue.map((r) => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    description: r.description,
    remediation: r.remediation,
    references: r.references,
    related: r.related_resources ?? [],
    inCatalogue: true,
    reads: inputKindsForRule(r.id),
  }));
  const known = new Set(controls.map((c) => c.id));
  for (const h of report.hosts) {
    for (const f of h.findings) {
      if (known.has(f.rule)) continue;
      known.add(f.rule);
      controls.push({
        id: f.rule,
        title: f.title,
        severity: f.severity,
        description: "",
        remediation: f.remediation,
        references: [],
        related: [],
        inCatalogue: false,
        reads: inputKindsForRule(f.rule),
      });
    }
  }
  controls.sort(compareControls);
  const off = disabledRules(report);

  const byControl = controls.map(emptyTally);
  const byHost = report.hosts.map(emptyTally);
  const total = emptyTally();
  const cells = report.hosts.map((host, hi) =>
    controls.map((control, ci) => {
      const findings = host.findings.filter((f) => f.rule === control.id);
      const failing = findings.filter((f) => f.status === "fail");
      const waived = findings.filter((f) => f.status === "waived");
      const inputs = host.files.filter((f) => control.reads.includes(f.kind));
      let cell: Cell;
      if (host.error !== undefined) {
        cell = { status: "error", severity: null, failing: 0, waived: 0, inputs: [], reason: "the host could not be checked (internal error)" };
      } else if (failing.length > 0) {
        cell = { status: "fail", severity: worst(failing), failing: failing.length, waived: waived.length, inputs, reason: "" };
      } else if (waived.length > 0) {
        cell = { status: "waived", severity: worst(waived), failing: 0, waived: waived.length, inputs, reason: "" };
      } else if (off.has(control.id)) {
        cell = { status: "na", severity: null, failing: 0, waived: 0, inputs: [], reason: "switched off in the configuration" };
      } else if (inputs.length === 0) {
        cell = { status: "na", severity: null, failing: 0, waived: 0, inputs: [], reason: `no ${describeKinds(control.reads)} in the dump: nothing to evaluate` };
      } else {
        cell = { status: "pass", severity: null, failing: 0, waived: 0, inputs, reason: "" };
      }
      for (const t of [byControl[ci]!, byHost[hi]!, total]) t[cell.status]++;
      return cell;
    }),
  );
  byControl.forEach(closeTally);
  byHost.forEach(closeTally);
  closeTally(total);
  return { controls, hosts: report.hosts, cells, byControl, byHost, total, hostsChecked: report.hosts.filter((h) => h.error === undefined).length };
}

/**
 * A rate as a percentage with at most one decimal. Never shows 100% unless all passed, nor 0% unless none did
 * (99.96% prints as 99.9%).
 */
export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  let tenths = Math.round(rate * 1000);
  if (tenths === 1000 && rate < 1) tenths = 999;
  if (tenths === 0 && rate > 0) tenths = 1;
  return `${tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)}%`;
}

// ---------------------------------------------------------------------------------------------------------------
// Escaping.

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** C0/C1 controls (except tab, LF, CR), zero-width and bidirectional-override characters: shown, never obeyed. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF]/g;

function codePoint(c: string): string {
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Escape for an attribute value (always double-quoted) or text; invisible characters become U+XXXX. */
export function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!).replace(INVISIBLE, (c) => codePoint(c));
}

/** Escape for element content; invisible and bidi-control characters are shown as a marked U+XXXX. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!).replace(INVISIBLE, (c) => `<span class="cc" title="invisible or control character">${codePoint(c)}</span>`);
}

const t = escapeHtml;
const a = escapeAttr;

/** Catalogue prose: escaped, with `code spans` set as code. */
function prose(s: string): string {
  return t(s).replace(/`([^`\n]+)`/g, "<code>$1</code>");
}

function link(url: string, label: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return `${t(label)} <span class="mono small break">${t(url)}</span>`;
  const text = label === url ? "" : `${t(label)} — `;
  return `${text}<a class="ext break" href="${a(url)}" rel="noopener noreferrer">${t(url)}</a>`;
}

function slug(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_");
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering.

const GLYPH: Record<CellStatus, string> = { pass: "✓", fail: "✗", waived: "◐", na: "–", error: "!" };
const WORD: Record<CellStatus, string> = { pass: "PASS", fail: "FAIL", waived: "WAIVED", na: "N/A", error: "ERROR" };

const KIND_LABEL: Record<InputFileKind, string> = {
  "ntp.conf": "ntp.conf",
  "ntp.include": "ntp.conf include",
  "ntp-version": "ntpd version",
  "iptables-version": "iptables version (backend)",
  "collected-at": "collection time",
  "key-files": "key files (not copied)",
  iptables: "iptables-save (IPv4)",
  ip6tables: "ip6tables-save (IPv6)",
};

function kindLabel(kind: string): string {
  return (KIND_LABEL as Record<string, string>)[kind] ?? kind;
}

function badge(sev: Severity): string {
  return `<span class="badge ${a(sev)}">${t(sev)}</span>`;
}

function status(s: CellStatus, extra = ""): string {
  return `<span class="st ${s}">${GLYPH[s]} ${WORD[s]}${extra}</span>`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function hostLabel(host: HostReport): string {
  return host.host === "" ? "(unnamed host)" : host.host;
}

function defaultGeneratedAt(): string {
  return reportTime().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Whole days from `from` (an ISO date or time) to `to` (YYYY-MM-DD); null when either does not parse. */
function daysUntil(from: string, to: string): number | null {
  const start = Date.parse(from.slice(0, 10));
  const end = Date.parse(to.slice(0, 10));
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.round((end - start) / 86_400_000);
}

/** sha256 of what `--format json` prints for the same report, so the HTML can be matched to the machine data. */
function jsonDigest(report: Report): string {
  return createHash("sha256").update(jsonReporter.render(report, { color: false })).digest("hex");
}

interface Ctx {
  report: Report;
  compliance: Compliance;
  generatedAt: string;
  expiryWarningDays: number;
}

/** The whole report as one HTML document. */
export function renderHtml(report: Report, catalogue: HtmlCatalogue, options: HtmlRenderOptions = {}): string {
  const ctx: Ctx = {
    report,
    compliance: computeCompliance(report, catalogue),
    generatedAt: options.generatedAt ?? defaultGeneratedAt(),
    expiryWarningDays: options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS,
  };
  const title = options.title ?? DEFAULT_TITLE;
  const hostErrors = report.hosts.filter((h) => h.error !== undefined);
  const sections: Array<[id: string, heading: string, body: string]> = [
    ["scope", "Scope and provenance", renderScope(ctx)],
    ["summary", "Executive summary", renderSummary(ctx)],
    ["matrix", "Hosts × controls matrix", renderMatrix(ctx)],
    ["hosts", "Findings and evidence by host", renderHosts(ctx)],
    ["waivers", "Waivers and configuration notices", renderWaivers(ctx)],
    ...(hostErrors.length > 0 ? [["errors", "Hosts that could not be checked", renderErrors(hostErrors)] as [string, string, string]] : []),
    ["catalogue", "Control catalogue", renderCatalogue(ctx)],
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

function renderHead(ctx: Ctx, title: string): string {
  const { report } = ctx;
  const s = report.summary;
  const errors = report.hosts.filter((h) => h.error !== undefined).length;
  let verdict: string;
  if (errors > 0) {
    verdict = `<div class="verdict error" id="verdict">! INCOMPLETE<span class="why">${plural(errors, "host")} could not be checked; ${plural(s.failing, "failing finding")} at or above ${t(s.fail_on)}</span></div>`;
  } else if (s.failing > 0) {
    verdict = `<div class="verdict fail" id="verdict">✗ NOT COMPLIANT<span class="why">${plural(s.failing, "failing finding")} on ${plural(s.hosts_failing, "host")} at or above ${t(s.fail_on)}</span></div>`;
  } else {
    verdict = `<div class="verdict pass" id="verdict">✓ COMPLIANT<span class="why">no failing finding at or above ${t(s.fail_on)}${s.waived > 0 ? `; ${plural(s.waived, "finding")} waived` : ""}</span></div>`;
  }
  return [
    '<header class="report-head">',
    `<div><h1>${t(title)}</h1>`,
    `<div class="subtitle">${plural(report.hosts.length, "host")} · ${plural(ctx.compliance.controls.length, "control")} · generated ${t(ctx.generatedAt)} by ${t(report.tool.name)} ${t(report.tool.version)}</div></div>`,
    verdict,
    "</header>",
  ].join("\n");
}

function renderScope(ctx: Ctx): string {
  const { report } = ctx;
  const cfg = report.config;
  const cfgDigest = cfg.digest;
  const facts: Array<[string, string]> = [
    ["Tool", `${t(report.tool.name)} ${t(report.tool.version)}`],
    ["Report generated", t(ctx.generatedAt)],
    ["Policy bundle digest", `<span class="hash">${t(report.policy.digest)}</span>`],
    ["Report schema", t(report.schema_version)],
    ["Configuration source", cfg.source === null ? "built-in defaults (no configuration file)" : `<span class="mono break">${t(cfg.source)}</span>`],
    [
      "Configuration digest",
      cfgDigest !== null
        ? `<span class="hash">${t(cfgDigest)}</span>`
        : `<span class="muted">${cfg.source === null ? "none (no configuration file)" : "not recorded in the report"}</span>`,
    ],
    ["Profile", t(cfg.profile)],
    [
      "Trusted networks",
      cfg.trusted_networks.length === 0
        ? "none (only loopback is trusted)"
        : cfg.trusted_networks.map((n) => `<code>${t(n)}</code>`).join(", "),
    ],
    ["Minimum upstream sources", t(String(cfg.min_upstreams))],
    ["Fails at or above", t(report.summary.fail_on)],
    ["Hosts in scope", String(report.hosts.length)],
    ["JSON report sha256", `<span class="hash">${jsonDigest(report)}</span> <span class="muted small">(of <code>--format json</code> for this run)</span>`],
  ];
  const rows = report.hosts.flatMap((h) => {
    if (h.files.length === 0) {
      return [`<tr><th scope="row" class="break">${t(hostLabel(h))}</th><td colspan="3" class="muted">no input files${h.error !== undefined ? " (the host could not be checked)" : ""}</td></tr>`];
    }
    return h.files.map(
      (f, i) =>
        `<tr>${i === 0 ? `<th scope="rowgroup" rowspan="${h.files.length}" class="break">${t(hostLabel(h))}</th>` : ""}` +
        `<td class="mono break">${t(f.path)}</td><td class="nowrap">${t(kindLabel(f.kind))}</td><td class="hash">${t(f.sha256)}</td></tr>`,
    );
  });
  return [
    '<dl class="facts">',
    ...facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`),
    "</dl>",
    "<h4>Input inventory</h4>",
    '<table class="inventory"><caption>Every file evaluated, per host, with its SHA-256 (paths relative to the checked path).</caption>',
    "<thead><tr><th>Host</th><th>File</th><th>Kind</th><th>SHA-256</th></tr></thead>",
    `<tbody>${rows.join("\n")}</tbody></table>`,
  ].join("\n");
}

function rateCell(rate: number | null): string {
  if (rate === null) return '<td class="num">—</td>';
  const width = Math.round(rate * 100);
  return `<td class="num">${formatRate(rate)}<span class="bar" aria-hidden="true"><span style="width:${width}%"></span></span></td>`;
}

function renderSummary(ctx: Ctx): string {
  const { report, compliance: c } = ctx;
  const s = report.summary;
  const failingFindings = report.hosts.reduce((n, h) => n + h.findings.filter((f) => f.status === "fail").length, 0);
  const belowThreshold = failingFindings - s.failing;
  const tiles = [
    ["", String(c.hostsChecked), `hosts checked${c.hostsChecked < report.hosts.length ? ` of ${report.hosts.length}` : ""}`],
    ["pass", formatRate(c.total.passRate), `control checks passed (${c.total.pass} of ${c.total.evaluated})`],
    ["fail", String(s.failing), `failing findings at or above ${s.fail_on}`],
    ["waived", String(s.waived), "waived findings"],
    ["", String(report.notices.length), "configuration notices"],
  ];
  const controlRows = c.controls.map((ctl, i) => {
    const tl = c.byControl[i]!;
    return (
      `<tr data-rule="${a(ctl.id)}"><th scope="row"><a href="#control-${slug(ctl.id)}">${t(ctl.id)}</a></th><td>${t(ctl.title)}</td><td>${badge(ctl.severity)}</td>` +
      `<td class="num">${tl.pass}</td><td class="num">${tl.waived}</td><td class="num">${tl.fail}</td><td class="num">${tl.na + tl.error}</td>` +
      `<td class="num rate">${tl.pass}/${tl.evaluated}</td>${rateCell(tl.passRate)}</tr>`
    );
  });
  const hostRows = c.hosts.map((h, i) => {
    const tl = c.byHost[i]!;
    const sev = (["critical", "high", "medium", "low", "info"] as const)
      .map((sv) => [sv, h.findings.filter((f) => f.status === "fail" && f.severity === sv).length] as const)
      .filter(([, n]) => n > 0)
      .map(([sv, n]) => `<span class="sev ${sv}">${n} ${sv}</span>`)
      .join(", ");
    return (
      `<tr data-host="${a(h.host)}"><th scope="row" class="break"><a href="#host-${i + 1}">${t(hostLabel(h))}</a></th>` +
      `<td class="num">${tl.pass}</td><td class="num">${tl.waived}</td><td class="num">${tl.fail}</td><td class="num">${tl.na + tl.error}</td>` +
      `<td class="num rate">${tl.pass}/${tl.evaluated}</td>${rateCell(tl.passRate)}<td>${h.error !== undefined ? status("error") : sev || '<span class="muted">none</span>'}</td></tr>`
    );
  });
  const notes: string[] = [];
  if (belowThreshold > 0) {
    notes.push(`${plural(belowThreshold, "failing finding")} below the <em>${t(s.fail_on)}</em> threshold ${belowThreshold === 1 ? "is" : "are"} reported but ${belowThreshold === 1 ? "does" : "do"} not fail the run.`);
  }
  notes.push(
    `With the ${plural(c.total.waived, "waived check")} accepted as risk, ${formatRate(c.total.passRateWithWaivers)} of the evaluated checks are compliant.`,
  );
  return [
    '<div class="tiles">',
    ...tiles.map(([cls, num, lbl]) => `<div class="tile ${cls}"><div class="num">${t(num!)}</div><div class="lbl">${t(lbl!)}</div></div>`),
    "</div>",
    `<p class="note">A control passes on a host when the policy found no violation of it in that host's inputs. ` +
      `Pass rate = hosts passing ÷ hosts on which the control was evaluated; a waived finding counts as not passing. ` +
      `N/A: the control had nothing to evaluate (no input of the kind it reads) or the host could not be checked. ${notes.join(" ")}</p>`,
    "<h4>Pass rate per control</h4>",
    '<table class="per-control"><thead><tr><th>Control</th><th>Title</th><th>Severity</th><th class="num">Pass</th><th class="num">Waived</th><th class="num">Fail</th><th class="num">N/A</th><th class="num">Hosts passing / evaluated</th><th class="num">Pass rate</th></tr></thead>',
    `<tbody>${controlRows.join("\n")}</tbody>`,
    `<tfoot><tr><th scope="row" colspan="3">All controls</th><td class="num">${c.total.pass}</td><td class="num">${c.total.waived}</td><td class="num">${c.total.fail}</td><td class="num">${c.total.na + c.total.error}</td><td class="num rate">${c.total.pass}/${c.total.evaluated}</td>${rateCell(c.total.passRate)}</tr></tfoot></table>`,
    "<h4>Pass rate per host</h4>",
    '<table class="per-host"><thead><tr><th>Host</th><th class="num">Pass</th><th class="num">Waived</th><th class="num">Fail</th><th class="num">N/A</th><th class="num">Controls passing / evaluated</th><th class="num">Pass rate</th><th>Failing findings by severity</th></tr></thead>',
    `<tbody>${hostRows.join("\n")}</tbody></table>`,
  ].join("\n");
}

function cellHtml(cell: Cell, host: HostReport, control: Control): string {
  let detail = "";
  if (cell.status === "fail" || cell.status === "waived") {
    const n = cell.status === "fail" ? cell.failing : cell.waived;
    detail = `${n > 1 ? ` ×${n}` : ""}<span class="sev">${t(cell.severity ?? "")}</span>`;
  }
  const tip =
    cell.status === "pass"
      ? `no violation found in ${cell.inputs.map((f) => f.path).join(", ")}`
      : cell.status === "na" || cell.status === "error"
        ? cell.reason
        : `${cell.failing} failing, ${cell.waived} waived`;
  return (
    `<td class="cell ${cell.status}" data-host="${a(host.host)}" data-rule="${a(control.id)}" data-status="${cell.status}" title="${a(tip)}">` +
    `${GLYPH[cell.status]} ${WORD[cell.status]}${detail}</td>`
  );
}

function renderMatrix(ctx: Ctx): string {
  const { compliance: c } = ctx;
  if (c.hosts.length === 0) return '<p class="muted">No hosts were checked.</p>';
  const head = c.controls.map((ctl) => `<th class="ctl" scope="col" title="${a(ctl.title)}">${t(ctl.id)}<span class="sev ${a(ctl.severity)}">${t(ctl.severity)}</span></th>`);
  const rows = c.hosts.map((h, hi) => {
    const tl = c.byHost[hi]!;
    return (
      `<tr><th scope="row" class="host break"><a href="#host-${hi + 1}">${t(hostLabel(h))}</a></th>` +
      c.controls.map((ctl, ci) => cellHtml(c.cells[hi]![ci]!, h, ctl)).join("") +
      `<td class="num">${tl.pass}/${tl.evaluated} · ${formatRate(tl.passRate)}</td></tr>`
    );
  });
  const foot = c.byControl.map((tl) => `<td class="num">${tl.pass}/${tl.evaluated}<br>${formatRate(tl.passRate)}</td>`);
  return [
    '<p class="small muted">Each cell: ✓ PASS (no violation found), ✗ FAIL with the worst severity, ◐ WAIVED (a violation was found and waived), ' +
      "– N/A (nothing to evaluate), ! ERROR (host not checked). ×N: number of findings. Columns sorted by severity.</p>",
    '<table class="matrix">',
    `<thead><tr><th scope="col">Host</th>${head.join("")}<th class="num" scope="col">Passing</th></tr></thead>`,
    `<tbody>${rows.join("\n")}</tbody>`,
    `<tfoot><tr><th scope="row">Passing</th>${foot.join("")}<td class="num">${c.total.pass}/${c.total.evaluated} · ${formatRate(c.total.passRate)}</td></tr></tfoot>`,
    "</table>",
  ].join("\n");
}

function renderLocation(loc: SourceLocation): string {
  return t(formatLocation(loc));
}

function renderReferences(control: Control | undefined): string {
  if (!control || (control.references.length === 0 && control.related.length === 0)) return "";
  const items = [
    ...control.references.map((r) => {
      const id = r.id.toUpperCase().startsWith(r.kind.toUpperCase()) ? r.id : `${r.kind} ${r.id}`;
      const label = `${id}${r.title ? ` — ${r.title}` : ""}`;
      return `<li>${r.url ? link(r.url, label) : t(label)}</li>`;
    }),
    ...control.related.map((r) => `<li>${link(r.ref, r.description ?? r.ref)}</li>`),
  ];
  return `<div class="field"><div class="k">References</div><ul class="refs">${items.join("")}</ul></div>`;
}

function renderWaiverBox(ctx: Ctx, f: ReportFinding): string {
  const w = f.waiver;
  if (!w) return '<div class="waiver"><strong>Waived.</strong> <span class="warn">The waiver record is missing from the report.</span></div>';
  return (
    `<div class="waiver"><strong>Waived.</strong> ` +
    `Justification: <span class="v">${t(w.justification)}</span>. ` +
    `Approved by: ${w.approved_by === null ? '<span class="warn">not recorded</span>' : t(w.approved_by)}. ` +
    `Expires: ${renderExpiry(ctx, w.expires)}.</div>`
  );
}

function renderExpiry(ctx: Ctx, expires: string | null): string {
  if (expires === null) return '<span class="warn">no expiry date</span>';
  const days = daysUntil(ctx.generatedAt, expires);
  if (days !== null && days >= 0 && days <= ctx.expiryWarningDays) {
    return `${t(expires)} <span class="warn">(in ${plural(days, "day")})</span>`;
  }
  return t(expires);
}

function renderFinding(ctx: Ctx, f: ReportFinding, control: Control | undefined): string {
  const evidence =
    f.evidence.length === 0
      ? ""
      : `<div class="field"><div class="k">Evidence</div><ol class="evidence">${f.evidence
          .map(
            (e) =>
              `<li><span class="where">${renderLocation(e.location)}</span><span class="text">${e.text === "" ? '<span class="muted">(location only)</span>' : t(e.text)}</span></li>`,
          )
          .join("")}</ol></div>`;
  const remediation = f.remediation || control?.remediation || "";
  return [
    `<article class="finding ${f.status === "waived" ? "waived" : "fail"}" data-rule="${a(f.rule)}" data-status="${f.status}">`,
    `<header>${badge(f.severity)} ${status(f.status === "waived" ? "waived" : "fail")} <span class="rid">${t(f.rule)}</span> <span class="ftitle">${t(f.title)}</span>` +
      `<span class="loc mono break">${renderLocation(f.location)}</span></header>`,
    `<div class="field"><div class="k">Finding</div><div class="v message">${t(f.message)}</div></div>`,
    evidence,
    f.status === "waived" ? renderWaiverBox(ctx, f) : "",
    remediation ? `<div class="field"><div class="k">Remediation</div><div class="v">${prose(remediation)}</div></div>` : "",
    renderReferences(control),
    "</article>",
  ]
    .filter((x) => x !== "")
    .join("\n");
}

function renderHosts(ctx: Ctx): string {
  const { compliance: c } = ctx;
  if (c.hosts.length === 0) return '<p class="muted">No hosts were checked.</p>';
  const controlById = new Map(c.controls.map((ctl) => [ctl.id, ctl]));
  return c.hosts
    .map((h, hi) => {
      const tl = c.byHost[hi]!;
      const failing = h.findings
        .filter((f) => f.status === "fail")
        .sort((x, y) => severityRank(y.severity) - severityRank(x.severity));
      const waived = h.findings.filter((f) => f.status === "waived");
      const passed = c.controls.map((ctl, ci) => [ctl, c.cells[hi]![ci]!] as const).filter(([, cell]) => cell.status === "pass");
      const notEvaluated = c.controls.map((ctl, ci) => [ctl, c.cells[hi]![ci]!] as const).filter(([, cell]) => cell.status === "na");
      const parts: string[] = [
        `<section class="host" id="host-${hi + 1}" data-host="${a(h.host)}">`,
        `<header><h3>Host <span class="break">${t(hostLabel(h))}</span></h3><div class="tally">` +
          `${status("pass", ` ${tl.pass}`)} ${status("fail", ` ${tl.fail}`)} ${status("waived", ` ${tl.waived}`)} ${status("na", ` ${tl.na}`)} · pass rate ${formatRate(tl.passRate)}</div></header>`,
        `<p class="small muted">Host directory: <span class="mono break">${h.path === "" ? "(the checked path itself)" : t(h.path)}</span> · ${plural(h.files.length, "input file")}</p>`,
      ];
      if (h.error !== undefined) {
        parts.push(`<p class="note"><span class="st error">! ERROR</span> This host could not be checked: <span class="break">${t(h.error)}</span>. None of its controls was evaluated.</p>`);
      }
      parts.push(`<h4>Failing findings (${failing.length})</h4>`);
      parts.push(failing.length === 0 ? '<p class="muted">None.</p>' : failing.map((f) => renderFinding(ctx, f, controlById.get(f.rule))).join("\n"));
      if (waived.length > 0) {
        parts.push(`<h4>Waived findings (${waived.length})</h4>`);
        parts.push(waived.map((f) => renderFinding(ctx, f, controlById.get(f.rule))).join("\n"));
      }
      if (h.error === undefined) {
        parts.push(`<h4>Passed controls — evidence of compliance (${passed.length})</h4>`);
        if (passed.length === 0) {
          parts.push('<p class="muted">None.</p>');
        } else {
          parts.push(
            '<table class="passes"><thead><tr><th>Control</th><th>Title</th><th>Result</th><th>Inputs evaluated (SHA-256)</th></tr></thead><tbody>' +
              passed
                .map(
                  ([ctl, cell]) =>
                    `<tr data-rule="${a(ctl.id)}"><th scope="row">${t(ctl.id)}</th><td>${t(ctl.title)}</td><td>${status("pass")}<br><span class="small">No violation found</span></td>` +
                    `<td>${cell.inputs.map((f) => `<div><span class="mono break">${t(f.path)}</span> <span class="muted small">${t(kindLabel(f.kind))}</span><br><span class="hash muted">${t(f.sha256)}</span></div>`).join("")}</td></tr>`,
                )
                .join("\n") +
              "</tbody></table>",
          );
        }
        if (notEvaluated.length > 0) {
          parts.push(`<h4>Not evaluated (${notEvaluated.length})</h4>`);
          parts.push(
            '<table class="not-evaluated"><thead><tr><th>Control</th><th>Title</th><th>Reason</th></tr></thead><tbody>' +
              notEvaluated.map(([ctl, cell]) => `<tr><th scope="row">${t(ctl.id)}</th><td>${t(ctl.title)}</td><td>${t(cell.reason)}</td></tr>`).join("\n") +
              "</tbody></table>",
          );
        }
      }
      parts.push("</section>");
      return parts.join("\n");
    })
    .join("\n");
}

function renderWaivers(ctx: Ctx): string {
  const { report } = ctx;
  const waived = report.hosts.flatMap((h) => h.findings.filter((f) => f.status === "waived").map((f) => [h, f] as const));
  const parts: string[] = ["<h4>Waivers applied in this run</h4>"];
  if (waived.length === 0) {
    parts.push('<p class="muted">No finding was waived.</p>');
  } else {
    parts.push(
      '<table class="waivers"><thead><tr><th>Host</th><th>Control</th><th>Finding location</th><th>Justification</th><th>Approved by</th><th>Expires</th></tr></thead><tbody>' +
        waived
          .map(
            ([h, f]) =>
              `<tr><td class="break">${t(hostLabel(h))}</td><td class="nowrap">${t(f.rule)} ${badge(f.severity)}</td><td class="mono break">${renderLocation(f.location)}</td>` +
              `<td class="break">${f.waiver ? t(f.waiver.justification) : '<span class="warn">missing</span>'}</td>` +
              `<td class="break">${f.waiver?.approved_by ? t(f.waiver.approved_by) : '<span class="warn">not recorded</span>'}</td>` +
              `<td class="nowrap">${renderExpiry(ctx, f.waiver?.expires ?? null)}</td></tr>`,
          )
          .join("\n") +
        "</tbody></table>",
    );
  }
  parts.push("<h4>Configuration notices (expired and unused waivers)</h4>");
  if (report.notices.length === 0) {
    parts.push('<p class="muted">None: every waiver in the configuration is current and matched a finding.</p>');
  } else {
    const label = (k: string): string => (k === "waiver-expired" ? "Expired waiver" : k === "waiver-unused" ? "Unused waiver" : k);
    parts.push(
      '<table class="notices"><thead><tr><th>Notice</th><th>Where in the configuration</th><th>Message</th></tr></thead><tbody>' +
        report.notices
          .map(
            (n) =>
              `<tr><td class="nowrap">${t(label(n.kind))}</td><td class="mono break">${n.location ? renderLocation(n.location) : '<span class="muted">—</span>'}</td><td class="break">${t(n.message)}</td></tr>`,
          )
          .join("\n") +
        "</tbody></table>",
    );
    if (report.notices.some((n) => n.kind === "waiver-expired")) {
      parts.push('<p class="small muted">An expired waiver no longer applies: the findings it covered are reported as failing again.</p>');
    }
  }
  return parts.join("\n");
}

function renderErrors(hosts: readonly HostReport[]): string {
  return (
    '<table class="errors"><thead><tr><th>Host</th><th>Error</th></tr></thead><tbody>' +
    hosts.map((h) => `<tr><td class="break">${t(hostLabel(h))}</td><td class="break">${t(h.error ?? "")}</td></tr>`).join("\n") +
    "</tbody></table>"
  );
}

function renderCatalogue(ctx: Ctx): string {
  const { compliance: c } = ctx;
  return c.controls
    .map(
      (ctl) =>
        `<div class="catalogue-entry" id="control-${slug(ctl.id)}"><h3>${t(ctl.id)} ${badge(ctl.severity)} <span>${t(ctl.title)}</span></h3>` +
        `<p class="small muted">Evaluates: ${t(describeKinds(ctl.reads))}${ctl.inCatalogue ? "" : " · not in the rule catalogue (reported by the policy only)"}</p>` +
        (ctl.description ? `<p>${prose(ctl.description)}</p>` : "") +
        (ctl.remediation ? `<div class="field"><div class="k">Remediation</div><div class="v">${prose(ctl.remediation)}</div></div>` : "") +
        renderReferences(ctl) +
        "</div>",
    )
    .join("\n");
}
