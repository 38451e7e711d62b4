/**
 * Missing evidence is never compliance, end to end: the real CLI on hosts that lack a layer. Every format shows
 * the same outcome for the same (host, rule) — JUnit, HTML and Markdown — and none calls a rule passed when the
 * host had nothing for it to judge.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/model/report.js";
import { cli, ROOT } from "./cli.js";

const EXAMPLES = path.join(ROOT, "examples/host-dump");
let dump: string;

beforeAll(() => {
  dump = mkdtempSync(path.join(tmpdir(), "ntpp-outcomes-"));
  mkdirSync(path.join(dump, "ntp-only"));
  copyFileSync(path.join(EXAMPLES, "ntp-hardened/etc/ntp.conf"), path.join(dump, "ntp-only/ntp.conf"));
  mkdirSync(path.join(dump, "firewall-only"));
  copyFileSync(path.join(EXAMPLES, "ntp-hardened/etc/iptables/rules.v4"), path.join(dump, "firewall-only/iptables-save"));
});

interface TestCase {
  name: string;
  failure?: unknown;
  skipped?: string;
}

function junitCases(xml: string): Map<string, TestCase[]> {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => name === "testsuite" || name === "testcase" }).parse(xml);
  return new Map(doc.testsuites.testsuite.map((s: { name: string; testcase: TestCase[] }) => [s.name, s.testcase]));
}

function passing(cases: TestCase[]): string[] {
  return cases.filter((c) => c.failure === undefined && c.skipped === undefined).map((c) => c.name.split(" ")[0]!);
}

describe("a host that lacks a layer of evidence", () => {
  it("JUnit: a host with only ntp.conf has no passing FW001; it is skipped with the reason", () => {
    const r = cli(["check", dump, "--format", "junit", "--trusted", "192.0.2.0/24"]);
    expect(r.stderr).toBe("");
    const cases = junitCases(r.stdout).get("ntp-only")!;
    expect(passing(cases)).not.toContain("FW001");
    expect(passing(cases).filter((id) => id.startsWith("FW") || id.startsWith("XL"))).toEqual([]);
    const fw001 = cases.find((c) => c.name.startsWith("FW001 "))!;
    expect(fw001.skipped).toBe("not applicable: no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)");
  });

  it("JUnit: a host with no ntp.conf has no passing NTP test case", () => {
    const cases = junitCases(cli(["check", dump, "--format", "junit"]).stdout).get("firewall-only")!;
    expect(passing(cases).filter((id) => id.startsWith("NTP") || id.startsWith("XL"))).toEqual([]);
    expect(cases.find((c) => c.name.startsWith("NTP001 "))!.skipped).toBe("not applicable: no time evidence (ntp.conf or chrony.conf)");
    expect(cases.find((c) => c.name.startsWith("NTP002 "))!.skipped).toBe("not applicable: no ntp evidence (ntp.conf)");
  });

  it("HTML: the same cells are N/A with the same reasons, never PASS", () => {
    const html = cli(["check", dump, "--format", "html"]).stdout;
    const cell = (host: string, rule: string): string => {
      const m = new RegExp(`<td class="cell [a-z]+" data-host="${host}" data-rule="${rule}" data-status="([a-z]+)" title="([^"]*)"`).exec(html);
      expect(m, `${host} ${rule}`).not.toBeNull();
      return `${m![1]}: ${m![2]}`;
    };
    expect(cell("ntp-only", "FW001")).toBe("na: no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)");
    expect(cell("ntp-only", "XL001")).toBe("na: no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)");
    expect(cell("firewall-only", "NTP001")).toBe("na: no time evidence (ntp.conf or chrony.conf)");
    expect(cell("firewall-only", "NTP002")).toBe("na: no ntp evidence (ntp.conf)");
    expect(cell("firewall-only", "XL001")).toBe("na: no time evidence (ntp.conf or chrony.conf)");
  });

  it("Markdown: a host with no ntp.conf gets no ✅", () => {
    const r = cli(["check", path.join(dump, "firewall-only"), "--format", "markdown"]);
    expect(r.stdout).not.toContain("✅");
    // The missing daemon configuration is itself a finding (NTP022), so the host fails rather than passes.
    expect(r.stdout).toContain("❌ fail");
    expect(r.stdout).toContain("**NTP022**");
  });

  it("JSON: the report carries one outcome per rule in effect, the same the other formats render", () => {
    const report = JSON.parse(cli(["check", dump, "--format", "json"]).stdout);
    const host = report.hosts.find((h: { host: string }) => h.host === "ntp-only");
    const rules = JSON.parse(cli(["rules", "--format", "json", "--profile", "baseline"]).stdout).map((r: { id: string }) => r.id);
    expect(host.outcomes.map((o: { rule: string }) => o.rule)).toEqual(rules);
    expect(host.outcomes.find((o: { rule: string }) => o.rule === "FW001")).toEqual({
      rule: "FW001",
      status: "not_applicable",
      reason: "no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)",
      evidence: [],
    });
  });
});

describe("a passed control shows the lines that satisfy it", () => {
  const hardened = path.join(EXAMPLES, "ntp-hardened");

  it("JSON: NTP001 on ntp-hardened passes on its restrict default … noquery lines, located", () => {
    const r = cli(["check", hardened, "--format", "json"]);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as Report;
    const outcomes = report.hosts[0]!.outcomes!;
    const ntp001 = outcomes.find((o) => o.rule === "NTP001")!;
    expect(ntp001.status).toBe("pass");
    expect(ntp001.evidence).toEqual([
      { location: { file: "etc/ntp.conf", line: 7, column: 1 }, text: "restrict -4 default kod limited nomodify notrap nopeer noquery" },
      { location: { file: "etc/ntp.conf", line: 8, column: 1 }, text: "restrict -6 default kod limited nomodify notrap nopeer noquery" },
    ]);
    // The lines are the host's own: what the file says at those locations.
    const conf = readFileSync(path.join(hardened, "etc/ntp.conf"), "utf8").split("\n");
    for (const e of ntp001.evidence!) expect(conf[e.location.line - 1]).toBe(e.text);
    // Every outcome carries the field; only passing ones carry lines.
    for (const o of outcomes) expect(o.evidence, o.rule).toEqual(o.status === "pass" ? expect.any(Array) : []);
    expect(outcomes.find((o) => o.rule === "FW002")!.evidence!.map((e) => `${e.location.file}:${e.location.line} ${e.text}`)).toEqual([
      "etc/iptables/rules.v4:3 :INPUT DROP [0:0]",
      "etc/iptables/rules.v6:3 :INPUT DROP [0:0]",
    ]);
  });

  it("HTML and JUnit: the same lines under the passed control, with the rule's words where no line exists", () => {
    const html = cli(["check", hardened, "--format", "html"]).stdout;
    const passes = html.slice(html.indexOf('<table class="passes">'));
    const row = passes.slice(passes.indexOf('<tr data-rule="NTP001">'), passes.indexOf("</tr>", passes.indexOf('<tr data-rule="NTP001">')));
    expect(row).toContain('<span class="where">etc/ntp.conf:7:1</span><span class="text">restrict -4 default kod limited nomodify notrap nopeer noquery</span>');
    expect(html).not.toContain("No violation found");
    const ntp010 = passes.slice(passes.indexOf('<tr data-rule="NTP010">'), passes.indexOf("</tr>", passes.indexOf('<tr data-rule="NTP010">')));
    expect(ntp010).toContain("the absence of an `enable mode7` line is what passes");
    const junit = cli(["check", hardened, "--format", "junit"]).stdout;
    expect(junit).toContain("Satisfied by:\n  etc/ntp.conf:7:1 | restrict -4 default kod limited nomodify notrap nopeer noquery");
  });
});
