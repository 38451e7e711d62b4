/**
 * CSV: parsed back with csv-parse in strict mode (no relaxed quotes or column counts) and compared field by
 * field with the report, so RFC 4180 quoting is checked by a round trip; spreadsheet formula injection is
 * checked on every cell.
 */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, csvField, csvReporter, neutralise } from "../../src/report/csv.js";
import { cli } from "../e2e/cli.js";
import { CATALOG, cleanReport, CONTROL_EVIDENCE, hostileReport, IPTABLES_EVIDENCE, MULTILINE_JUSTIFICATION, NON_ASCII_EVIDENCE, SCRIPT_EVIDENCE } from "../fixtures/report/reports.js";

function parseStrict(text: string): string[][] {
  return parse(text, { relax_quotes: false, relax_column_count: false, skip_empty_lines: false, record_delimiter: "\r\n", bom: false });
}

const render = (report = hostileReport(), quiet = false): string => csvReporter.render(report, { color: false, catalog: CATALOG, quiet });

describe("csv", () => {
  it("has a header and one row per finding (waived included) plus one per host that could not be checked and per rule not applicable", () => {
    const rows = parseStrict(render());
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const findings = hostileReport().hosts.flatMap((h) => h.findings);
    // clean-host and dc 1/host#2 ü have no firewall dump: FW001 is not applicable there.
    expect(rows).toHaveLength(1 + findings.length + 1 + 2);
    const na = rows.filter((r) => r[3] === "not_applicable").map((r) => [r[0], r[1], r[7]]);
    expect(na).toEqual([
      ["clean-host", "FW001", "no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)"],
      ["dc 1/host#2 ü", "FW001", "no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)"],
    ]);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    expect(rows[1]!.slice(0, 8)).toEqual(["broken", "", "", "error", "broken", "", "", 'internal error while checking this host: boom <&> "quoted"']);
  });

  it("round-trips every field, quotes, commas, newlines and non-ASCII included", () => {
    const rows = parseStrict(render()).slice(2).filter((r) => r[3] !== "not_applicable");
    const report = hostileReport();
    const expected = report.hosts.flatMap((h) =>
      h.findings.map((f) =>
        [
          h.host,
          f.rule,
          f.severity,
          f.status,
          f.location.file,
          String(f.location.line),
          String(f.location.column),
          f.message,
          f.evidence.map((e) => e.text).join("\n"),
          f.remediation,
          f.title,
          f.waiver?.justification ?? "",
          f.waiver?.approved_by ?? "",
          f.waiver?.expires ?? "",
        ].map(neutralise),
      ),
    );
    expect(rows).toEqual(expected);
    const all = rows.flat();
    expect(all).toContain(SCRIPT_EVIDENCE);
    expect(all).toContain(`${NON_ASCII_EVIDENCE}\n${CONTROL_EVIDENCE}`);
    expect(all).toContain(MULTILINE_JUSTIFICATION);
    expect(all).toContain("'-A INPUT accepts UDP/123 from 0.0.0.0/0:\nline two\r\nline three");
    expect(all).toContain(`'${IPTABLES_EVIDENCE}\nrestrict default kod nomodify`);
  });

  it("never lets a cell start like a formula", () => {
    for (const cell of parseStrict(render()).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(neutralise("=1+2")).toBe("'=1+2");
    expect(neutralise("+1")).toBe("'+1");
    expect(neutralise("-A INPUT")).toBe("'-A INPUT");
    expect(neutralise("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutralise("\tx")).toBe("'\tx");
    expect(neutralise("\rx")).toBe("'\rx");
    expect(neutralise("a=b")).toBe("a=b");
    const rows = parseStrict(render());
    const info = rows.find((r) => r[1] === "NTP005")!;
    expect(info[7]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(info[8]).toBe("'@SUM(1+1)*cmd|' /C calc'!A0");
  });

  it("quotes exactly the fields RFC 4180 requires and ends records with CRLF", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    const text = render();
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.startsWith("host,rule,severity,status,file,line,column,message,evidence,remediation,")).toBe(true);
  });

  it("keeps failing findings only when quiet", () => {
    const rows = parseStrict(render(hostileReport(), true)).slice(1);
    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ["broken", "", "error"],
      ["dc 1/host#2 ü", "NTP003", "fail"],
      ["web-1", "NTP001", "fail"],
      ["web-1", "NTP001", "fail"],
      ["web-1", "PARSE001", "fail"],
      ["web-1", "FW001", "fail"],
    ]);
    expect(parseStrict(render(cleanReport(), true))).toEqual([[...CSV_COLUMNS]]);
    // Not quiet: a host without a firewall dump is not a clean pass.
    expect(parseStrict(render(cleanReport())).slice(1).map((r) => [r[0], r[1], r[3]])).toEqual([["ok-1", "FW001", "not_applicable"]]);
  });

  it("parses for the README's example dump", () => {
    const r = cli(["check", "examples/host-dump", "--format", "csv"]);
    expect(r.code).toBe(1);
    const rows = parseStrict(r.stdout);
    expect(rows.length).toBeGreaterThan(1);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
