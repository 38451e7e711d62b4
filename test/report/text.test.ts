/** The terminal format: grouping, code frames and carets, colour, terminal safety, --quiet. */
import { describe, expect, it } from "vitest";
import type { ReportFinding } from "../../src/model/report.js";
import { caretSpan, displayText, displayWidth, printable } from "../../src/report/code-frame.js";
import { textReporter } from "../../src/report/text.js";
import { cli } from "../e2e/cli.js";
import { CATALOG, cleanReport, hostileReport } from "../fixtures/report/reports.js";

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

const render = (report = hostileReport(), options: { color?: boolean; quiet?: boolean } = {}): string =>
  textReporter.render(report, { color: options.color ?? false, quiet: options.quiet ?? false, catalog: CATALOG });

/** The lines of the block that starts with the finding's headline, up to the next headline or heading. */
function block(out: string, headline: string): string[] {
  const lines = out.split("\n");
  const start = lines.findIndex((l) => l.includes(headline));
  expect(start, headline).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => !l.startsWith("      "));
  return [lines[start]!, ...rest.slice(0, end)];
}

/** A report with one host and the given findings (summary recomputed by hostileReport's helper shape). */
function withFindings(findings: ReportFinding[]) {
  const report = hostileReport();
  report.hosts = [{ host: "h", path: "h", files: [], findings }];
  return report;
}

function finding(line: number, column: number, evidence: Array<[number, string, string?]>): ReportFinding {
  return {
    rule: "PARSE001",
    title: "t",
    severity: "medium",
    status: "fail",
    message: "m",
    location: { file: "h/ntp.conf", line, column },
    evidence: evidence.map(([l, text, file]) => ({ location: { file: file ?? "h/ntp.conf", line: l, column: 1 }, text })),
    remediation: "",
  };
}

describe("text", () => {
  it("groups findings per host, then per file, with clickable locations", () => {
    const out = render();
    const headings = out.split("\n").filter((l) => /^\S/.test(l));
    // clean-host has no finding but no firewall dump either: it is listed for what was not evaluated.
    expect(headings.slice(0, 4)).toEqual(["broken  not checked", "clean-host", "dc 1/host#2 ü  1 failing", "web-1  4 failing, 1 below low, 1 waived"]);
    expect(out).toContain("clean-host\n  not evaluated  FW001: no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)\n");
    const beforeFleetSummary = out.includes("Fleet:") ? out.slice(0, out.indexOf("Fleet:")) : out;
    const files = beforeFleetSummary.split("\n").filter((l) => /^ {2}\S/.test(l) && !l.startsWith("  error") && !l.startsWith("  not evaluated"));
    expect(files).toEqual(["  dc 1/host#2 ü/ntp.conf", "  web-1/etc/ntp.conf", "  web-1/iptables-save"]);
    expect(out).toContain("    web-1/etc/ntp.conf:6:45  medium  PARSE001  unexpected word");
    expect(out).toContain("  error  internal error while checking this host: boom <&> \"quoted\"");
  });

  it("frames the offending line with a caret under the column", () => {
    expect(block(render(), "web-1/etc/ntp.conf:6:45")).toEqual([
      '    web-1/etc/ntp.conf:6:45  medium  PARSE001  unexpected word "noqeury"; expected one of "noquery", …',
      "      > 6 | restrict default kod nomodify notrap nopeer noqeury",
      "          |                                             ^^^^^^^",
      "      fix: Fix the line so the daemon accepts it, or delete it.",
    ]);
  });

  it("marks a directive's first word when its evidence starts at the column (blanks before it dropped)", () => {
    expect(block(render(), "web-1/etc/ntp.conf:5:3").slice(1, 3)).toEqual(["      > 5 | restrict -6 default kod", "          | ^^^^^^^^"]);
  });

  it("shows evidence from another file under its name, and gaps between lines", () => {
    expect(block(render(), "web-1/iptables-save:7:1").slice(3, 7)).toEqual([
      "      > 7 | -A INPUT -p udp -m udp --dport 123 -j ACCEPT",
      "          | ^^",
      "       --> web-1/etc/ntp.conf",
      "        3 | restrict default kod nomodify",
    ]);
    expect(block(render(), "dc 1/host#2 ü/ntp.conf:2:1").slice(1, 5)).toEqual([
      "      > 2 | server ntp.zürich.example iburst # 東京 😀 – naïve",
      "          | ^^^^^^",
      "        …",
      "        4 | server 192.0.2.1 \\x1B[31mred\\x1B[0m \\u202Eevil\\u202C nul:\\x00 bell:\\x07",
    ]);
  });

  it("aligns the caret across tabs and wide characters", () => {
    const text = "server\t東京 bad # x";
    const out = render(withFindings([finding(4, text.indexOf("bad") + 1, [[4, text]])]));
    const [, line, caret] = block(out, "h/ntp.conf:4:");
    expect(line).toBe("      > 4 | server  東京 bad # x");
    expect(caret).toBe(`          | ${" ".repeat(13)}^^^`);
    expect(displayWidth(displayText("server\t東京 "))).toBe(13);
  });

  it("caps long evidence, keeping the finding's own line", () => {
    const evidence: Array<[number, string]> = Array.from({ length: 12 }, (_, i) => [i + 1, `server 192.0.2.${i + 1}`]);
    const out = render(withFindings([finding(12, 1, evidence)]));
    const lines = block(out, "h/ntp.conf:12:1");
    expect(lines).toContain("      > 12 | server 192.0.2.12");
    expect(lines).toContain("         … and 4 more lines of evidence");
    expect(lines.filter((l) => / \d+ \| /.test(l))).toHaveLength(8);
  });

  it("prints a rule's fix once per host", () => {
    expect(block(render(), "web-1/etc/ntp.conf:5:3").at(-1)).toBe("      fix: as for NTP001 above");
  });

  it("shows multi-line messages and justifications as indented lines", () => {
    const out = render();
    expect(block(render(), "web-1/iptables-save:7:1")[0]).toBe("    web-1/iptables-save:7:1  high  FW001  -A INPUT accepts UDP/123 from 0.0.0.0/0:");
    expect(out).toContain("\n        line two\n        line three\n");
    expect(out).toContain('waived: Accepted by the "NTP" board, see CHG-1234:\n              legacy monitoring <needs> mode 6 & 7, until the migration (approved by');
  });

  it("never passes control or bidi characters from checked files to the terminal", () => {
    const plain = render();
    expect(plain).not.toMatch(UNSAFE);
    const coloured = render(hostileReport(), { color: true }).replace(SGR, "");
    expect(coloured).not.toMatch(UNSAFE);
    expect(printable("a\u001b[2Jb\u202e\t\u0000")).toBe("a\\x1B[2Jb\\u202E\t\\x00");
  });

  it("colours only when asked", () => {
    expect(render()).not.toContain("\u001b");
    const coloured = render(hostileReport(), { color: true });
    expect(coloured).toContain("\u001b[31;1mhigh\u001b[0m");
    expect(coloured.replace(SGR, "")).toBe(render());
  });

  it("with --quiet prints failing findings only, and nothing when nothing fails", () => {
    const out = render(hostileReport(), { quiet: true });
    expect(out).not.toContain("waived");
    expect(out).not.toContain("NTP005");
    expect(out).not.toContain("config");
    expect(out).not.toContain("below");
    expect(out).toContain("web-1/etc/ntp.conf:6:45  medium  PARSE001");
    expect(out.trimEnd().split("\n").at(-1)).toMatch(/^4 hosts checked: 5 failing findings on 3 hosts/);
    expect(render(cleanReport(), { quiet: true })).toBe("");
    expect(render(cleanReport())).toBe(
      'ok-1\n  not evaluated  FW001: no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)\n\n1 host checked: no findings; 1 host not fully evaluated (see "not evaluated")\n',
    );
  });

  it("ends with one summary line", () => {
    expect(render().trimEnd().split("\n").at(-1)).toBe(
      '4 hosts checked: 5 failing findings on 3 hosts (3 high, 2 medium), 1 below low, 1 waived; failing at or above low; 2 hosts not fully evaluated (see "not evaluated"); 1 host could not be checked',
    );
  });

  it("places carets by column, tolerating evidence that starts at the column", () => {
    expect(caretSpan("restrict default noqeury", 18)).toEqual({ offset: 17, length: 7 });
    expect(caretSpan("  restrict default noqeury", 20)).toEqual({ offset: 19, length: 7 });
    expect(caretSpan("restrict default", 17)).toEqual({ offset: 16, length: 1 }); // end of line
    expect(caretSpan("restrict -6 default kod", 3)).toEqual({ offset: 0, length: 8 });
    expect(caretSpan("-A INPUT -s 10.0.0.0/8", 4)).toEqual({ offset: 3, length: 5 });
    expect(caretSpan("--dport=12x", 9)).toEqual({ offset: 8, length: 3 });
    expect(caretSpan("   ", 2)).toBeNull();
    expect(caretSpan("", 1)).toBeNull();
    expect(caretSpan(`${"x".repeat(400)}\u2026`, 900)).toBeNull();
  });

  it("--quiet on the command line keeps failures only", () => {
    const full = cli(["check", "examples/host-dump"]);
    const quiet = cli(["check", "examples/host-dump", "--quiet"]);
    expect(quiet.code).toBe(full.code);
    // The same failures; quiet leaves out which hosts were not fully evaluated (the nft examples: FW012 does not apply).
    const failures = (summary: string): string => summary.replace(/; \d+ hosts? not fully evaluated \(see "not evaluated"\)/, "");
    expect(quiet.stdout.trimEnd().split("\n").at(-1)).toBe(failures(full.stdout.trimEnd().split("\n").at(-1)!));
    const high = cli(["check", "examples/host-dump", "--quiet", "--fail-on", "high"]);
    expect(high.stdout).toMatch(/ high {2}/);
    expect(high.stdout).not.toMatch(/ (medium|low) {2}/);
    expect(cli(["check", "examples/host-dump/ntp-hardened", "-q"])).toMatchObject({ code: 0, stdout: "" });
  });
});
