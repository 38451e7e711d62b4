/**
 * One root cause, its consequences linked (src/report/related.ts): a finding of a rule declared a consequence of
 * another (METADATA custom.consequence_of) links to that rule's finding on the same host — same line first, else
 * same address family — and the cause links back. Severities and statuses stay each rule's own. End to end, the
 * links reach the JSON report, SARIF relatedLocations and one line in text, markdown and html.
 */
import { describe, expect, it } from "vitest";
import type { ReportFinding } from "../../src/model/report.js";
import { linkRelated, relatedLine } from "../../src/report/related.js";
import { cli } from "../e2e/cli.js";

function finding(rule: string, file: string, line: number, message: string, severity: ReportFinding["severity"] = "high"): ReportFinding {
  return { rule, title: rule, severity, status: "fail", message, location: { file, line, column: 1 }, evidence: [], remediation: "" };
}

const CAUSES = new Map([
  ["NTP002", ["NTP001"]],
  ["XL001", ["FW001", "NTP001"]],
]);
const FILES = [
  { path: "h/ntp.conf", kind: "ntp.conf" as const },
  { path: "h/iptables-save", kind: "iptables" as const },
  { path: "h/ip6tables-save", kind: "ip6tables" as const },
];

describe("linkRelated", () => {
  it("links each consequence to its causes of the same family and the causes back; nothing else changes", () => {
    const findings = [
      finding("FW001", "h/ip6tables-save", 3, "IPv6 firewall accepts"),
      finding("FW001", "h/iptables-save", 11, "IPv4 firewall may accept"),
      finding("NTP001", "h/ntp.conf", 6, "default entry 0.0.0.0/0 (IPv4)"),
      finding("NTP001", "h/ntp.conf", 6, "default entry ::/0 (IPv6)"),
      finding("XL001", "h/iptables-save", 11, "IPv4: ntpd answers", "medium"),
      finding("NTP010", "h/ntp.conf", 7, "enable mode7", "medium"),
    ];
    const linked = linkRelated(findings, CAUSES, FILES);
    const xl = linked[4]!;
    expect(xl.related).toEqual([
      { rule: "FW001", location: { file: "h/iptables-save", line: 11, column: 1 }, relation: "cause" },
      { rule: "NTP001", location: { file: "h/ntp.conf", line: 6, column: 1 }, relation: "cause" },
    ]);
    expect(xl.severity).toBe("medium");
    expect(linked[1]!.related).toEqual([{ rule: "XL001", location: xl.location, relation: "consequence" }]);
    expect(linked[2]!.related).toEqual([{ rule: "XL001", location: xl.location, relation: "consequence" }]);
    // The IPv6 findings and the unrelated rule get no link: IPv4's XL001 is not their consequence.
    for (const i of [0, 3, 5]) expect(linked[i]).toBe(findings[i]);
  });

  it("prefers the cause on the consequence's own line, and links across hosts never (one host at a time)", () => {
    const findings = [
      finding("NTP001", "h/ntp.conf", 10, "restrict entry 192.168.1.0/24 (IPv4)"),
      finding("NTP001", "h/ntp.conf", 12, "restrict entry 10.0.0.0/8 (IPv4)"),
      finding("NTP002", "h/ntp.conf", 12, "Monitoring is on … through restrict entry 10.0.0.0/8 (IPv4)"),
    ];
    const linked = linkRelated(findings, CAUSES, FILES);
    expect(linked[2]!.related).toEqual([{ rule: "NTP001", location: { file: "h/ntp.conf", line: 12, column: 1 }, relation: "cause" }]);
    expect(linked[0]!.related).toBeUndefined();
    expect(linkRelated([findings[2]!], CAUSES, FILES)[0]!.related).toBeUndefined();
  });

  it("says it in one line", () => {
    const [, , xl] = linkRelated(
      [finding("FW001", "h/iptables-save", 3, "IPv4"), finding("NTP001", "h/ntp.conf", 1, "(IPv4;"), finding("XL001", "h/iptables-save", 3, "IPv4:")],
      CAUSES,
      FILES,
    );
    expect(relatedLine(xl!)).toBe("consequence of FW001 (h/iptables-save:3) and NTP001 (h/ntp.conf:1)");
    expect(relatedLine(finding("NTP010", "h/ntp.conf", 7, "x"))).toBeNull();
  });
});

describe("related findings in every format (ntp-open: NTP001 and FW001 cause XL001, NTP001 causes NTP002)", () => {
  const HOST = "examples/host-dump/ntp-open";
  interface JsonFinding {
    rule: string;
    severity: string;
    related?: Array<{ rule: string; relation: string; location: { file: string; line: number } }>;
  }

  it("json: cause and consequence links, severities as before", () => {
    const findings = (JSON.parse(cli(["check", HOST, "--format", "json"]).stdout) as { hosts: Array<{ findings: JsonFinding[] }> }).hosts[0]!.findings;
    const xl = findings.find((f) => f.rule === "XL001")!;
    expect(xl.severity).toBe("medium");
    expect(xl.related?.map((r) => `${r.relation} ${r.rule} ${r.location.file}:${r.location.line}`)).toEqual(["cause FW001 iptables-save:3", "cause NTP001 ntp.conf:1"]);
    const ntp002 = findings.find((f) => f.rule === "NTP002")!;
    expect(ntp002.related?.map((r) => `${r.relation} ${r.rule}`)).toEqual(["cause NTP001"]);
    const ntp001 = findings.find((f) => f.rule === "NTP001" && f.related !== undefined)!;
    expect(ntp001.related?.map((r) => `${r.relation} ${r.rule}`)).toEqual(["consequence NTP002", "consequence XL001"]);
  }, 30_000);

  it("sarif: relatedLocations name the cause", () => {
    const sarif = JSON.parse(cli(["check", HOST, "--format", "sarif"]).stdout) as {
      runs: Array<{ results: Array<{ ruleId: string; relatedLocations?: Array<{ message: { text: string }; physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>;
    };
    const xl = sarif.runs[0]!.results.find((r) => r.ruleId === "XL001")!;
    const links = xl.relatedLocations!.filter((l) => /^(cause|consequence):/.test(l.message.text));
    expect(links.map((l) => `${l.message.text} ${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region.startLine}`)).toEqual([
      "cause: FW001 examples/host-dump/ntp-open/iptables-save:3",
      "cause: NTP001 examples/host-dump/ntp-open/ntp.conf:1",
    ]);
  }, 30_000);

  it("text, markdown and html: one short line", () => {
    expect(cli(["check", HOST]).stdout).toContain("related: consequence of FW001 (examples/host-dump/ntp-open/iptables-save:3) and NTP001 (examples/host-dump/ntp-open/ntp.conf:1)");
    expect(cli(["check", HOST, "--format", "markdown"]).stdout).toContain("<br>_consequence of FW001 (iptables-save:3) and NTP001 (ntp.conf:1)_");
    expect(cli(["check", HOST, "--format", "html"]).stdout).toMatch(/<div class="k">Related<\/div><div class="v related">consequence of FW001 \(iptables-save:3\) and NTP001 \(ntp.conf:1\)<\/div>/);
  }, 60_000);
});
