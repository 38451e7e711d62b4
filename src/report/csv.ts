/**
 * `--format csv`: one row per finding, for auditors' spreadsheets. RFC 4180: CRLF between records, a
 * header row, fields quoted when they hold a comma, a quote, CR or LF (quotes doubled). Safe to open in a
 * spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, tab or CR would be read as a formula (an
 * iptables rule starts with `-A`), so it gets a leading `'` (OWASP's CSV-injection advice). Waived findings
 * are included, with their waiver; `quiet` keeps failing findings only. A host that could not be checked
 * gets a row with status `error`; a rule that could not judge a host (outcomes.ts) a row with status
 * `not_applicable` and the reason as its message (left out with `quiet`).
 */
import type { Report } from "../model/report.js";
import { outcomesOf, shownFindings } from "./outcomes.js";
import type { Reporter, RuleInfo } from "./reporter.js";

export const CSV_COLUMNS = [
  "host",
  "rule",
  "severity",
  "status",
  "file",
  "line",
  "column",
  "message",
  "evidence",
  "remediation",
  "title",
  "waiver_justification",
  "waiver_approved_by",
  "waiver_expires",
] as const;

/** A cell a spreadsheet will not evaluate: a leading `'` before `=`, `+`, `-`, `@`, tab or CR. */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 field: quoted when it must be, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRow(values: Array<string | number>): string {
  return values.map((v) => csvField(typeof v === "number" ? String(v) : neutralise(v))).join(",");
}

export const csvReporter: Reporter = {
  format: "csv",
  render(report, { quiet = false, catalog }) {
    return renderCsv(report, quiet, catalog);
  },
};

function renderCsv(report: Report, quiet: boolean, catalog: readonly RuleInfo[] | undefined): string {
  const titles = new Map((catalog ?? []).map((r) => [r.id, r]));
  const rows = [csvRow([...CSV_COLUMNS])];
  for (const host of report.hosts) {
    if (host.error) rows.push(csvRow([host.host, "", "", "error", host.path, "", "", host.error, "", "", "", "", "", ""]));
    for (const f of shownFindings(host, report.summary.fail_on, quiet)) {
      rows.push(
        csvRow([
          host.host,
          f.rule,
          f.severity,
          f.status,
          f.location.file,
          f.location.line,
          f.location.column,
          f.message,
          f.evidence
            .filter((e) => e.text !== "")
            .map((e) => e.text)
            .join("\n"),
          f.remediation,
          f.title,
          f.waiver?.justification ?? "",
          f.waiver?.approved_by ?? "",
          f.waiver?.expires ?? "",
        ]),
      );
    }
    if (quiet || host.error) continue;
    for (const o of outcomesOf(host, catalog)) {
      if (o.status !== "not_applicable") continue;
      const rule = titles.get(o.rule);
      rows.push(csvRow([host.host, o.rule, rule?.severity ?? "", "not_applicable", host.path, "", "", o.reason ?? "", "", "", rule?.title ?? "", "", "", ""]));
    }
  }
  return `${rows.join("\r\n")}\r\n`;
}
