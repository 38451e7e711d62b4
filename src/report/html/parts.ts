/** Small pieces every section of the HTML report uses: status words and glyphs, badges, rates, locations, references, expiry dates, and the rendering context. */
import { createHash } from "node:crypto";
import { reportTime } from "../../model/clock.js";
import type { Severity } from "../../model/finding.js";
import type { InputFileKind } from "../../model/input.js";
import { formatLocation, type SourceLocation } from "../../model/location.js";
import type { HostReport, Report } from "../../model/report.js";
import { jsonReporter } from "../json.js";
import { referenceLists } from "../rule-info.js";
import { a, link, t } from "./escape.js";
import { formatRate, type CellStatus, type Compliance, type Control } from "./compliance.js";

export const GLYPH: Record<CellStatus, string> = { pass: "✓", fail: "✗", waived: "◐", na: "–", error: "!" };
export const WORD: Record<CellStatus, string> = { pass: "PASS", fail: "FAIL", waived: "WAIVED", na: "N/A", error: "ERROR" };

export const KIND_LABEL: Record<InputFileKind, string> = {
  "ntp.conf": "ntp.conf",
  "ntp.include": "ntp.conf include",
  "ntp-version": "ntpd version",
  "iptables-version": "iptables version (backend)",
  "collected-at": "collection time",
  "key-files": "key files (not copied)",
  iptables: "iptables-save (IPv4)",
  ip6tables: "ip6tables-save (IPv6)",
  "chrony.conf": "chrony.conf",
  "chrony.include": "chrony.conf include or sources file",
  "chrony-options": "chronyd service options",
  "chrony-version": "chronyd version",
  nft: "nftables ruleset",
  "nft.include": "nftables include",
  "nft-json": "nftables ruleset (JSON)",
};

export function kindLabel(kind: string): string {
  return (KIND_LABEL as Record<string, string>)[kind] ?? kind;
}

export function badge(sev: Severity): string {
  return `<span class="badge ${a(sev)}">${t(sev)}</span>`;
}

export function status(s: CellStatus, extra = ""): string {
  return `<span class="st ${s}">${GLYPH[s]} ${WORD[s]}${extra}</span>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function hostLabel(host: HostReport): string {
  return host.host === "" ? "(unnamed host)" : host.host;
}

export function defaultGeneratedAt(): string {
  return reportTime().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Whole days from `from` (an ISO date or time) to `to` (YYYY-MM-DD); null when either does not parse. */
export function daysUntil(from: string, to: string): number | null {
  const start = Date.parse(from.slice(0, 10));
  const end = Date.parse(to.slice(0, 10));
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.round((end - start) / 86_400_000);
}

/** sha256 of what `--format json` prints for the same report, so the HTML can be matched to the machine data. */
export function jsonDigest(report: Report): string {
  return createHash("sha256").update(jsonReporter.render(report, { color: false })).digest("hex");
}

export interface Ctx {
  report: Report;
  compliance: Compliance;
  generatedAt: string;
  expiryWarningDays: number;
}

export function rateCell(rate: number | null): string {
  if (rate === null) return '<td class="num">—</td>';
  const width = Math.round(rate * 100);
  return `<td class="num">${formatRate(rate)}<span class="bar" aria-hidden="true"><span style="width:${width}%"></span></span></td>`;
}

export function renderLocation(loc: SourceLocation): string {
  return t(formatLocation(loc));
}

/** A control's compliance references, then its "see also" links (bug trackers, guides, documentation). */
export function renderReferences(control: Control | undefined): string {
  if (!control) return "";
  const { references, seeAlso } = referenceLists({ references: [...control.references], related_resources: control.related });
  const list = (items: typeof references): string => items.map((r) => `<li>${r.url ? link(r.url, r.label) : t(r.label)}</li>`).join("");
  return [
    references.length > 0 ? `<div class="field"><div class="k">References</div><ul class="refs">${list(references)}</ul></div>` : "",
    seeAlso.length > 0 ? `<div class="field"><div class="k">See also</div><ul class="refs">${list(seeAlso)}</ul></div>` : "",
  ].join("");
}

export function renderExpiry(ctx: Ctx, expires: string | null): string {
  if (expires === null) return '<span class="warn">no expiry date</span>';
  const days = daysUntil(ctx.generatedAt, expires);
  if (days !== null && days >= 0 && days <= ctx.expiryWarningDays) {
    return `${t(expires)} <span class="warn">(in ${plural(days, "day")})</span>`;
  }
  return t(expires);
}

/** A table: `headings` are HTML already escaped, each row one `<tr>…</tr>`. */
export function table(className: string, headings: readonly string[], rows: readonly string[]): string {
  return `<table class="${className}"><thead><tr>${headings.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
}

/** The table, or a muted line (`none`, HTML) when there is no row. */
export function tableOrNone(className: string, headings: readonly string[], rows: readonly string[], none: string): string {
  return rows.length === 0 ? `<p class="muted">${none}</p>` : table(className, headings, rows);
}
