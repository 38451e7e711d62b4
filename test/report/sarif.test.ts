/**
 * SARIF: validated against the SARIF 2.1.0 JSON schema (test/fixtures/report/sarif-2.1.0-rtm.5.json, MIT,
 * from @microsoft/jest-sarif; draft-04, hence ajv-draft-04 with unicodeRegExp off) with formats checked
 * (artifactLocation.uri is a uri-reference), plus what GitHub code scanning requires on top of the schema.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv4Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import type { ReportFinding } from "../../src/model/report.js";
import { sarifReporter, toUri } from "../../src/report/sarif.js";
import { cli } from "../e2e/cli.js";
import { CATALOG, hostileReport, shiftedLines } from "../fixtures/report/reports.js";

const Ajv4 = Ajv4Module.default;
const addFormats = addFormatsModule.default;
const SCHEMA = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/report/sarif-2.1.0-rtm.5.json"), "utf8"));
const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);

/* eslint-disable @typescript-eslint/no-explicit-any */
function render(report = hostileReport(), pathPrefix?: string): any {
  const text = sarifReporter.render(report, { color: false, catalog: CATALOG, ...(pathPrefix !== undefined ? { pathPrefix } : {}) });
  return JSON.parse(text);
}

function expectValid(doc: unknown): void {
  const ok = validate(doc);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

describe("sarif", () => {
  it("is valid SARIF 2.1.0", () => {
    expectValid(render());
    expectValid(render(hostileReport(), "hosts"));
  });

  it("the validator is strict enough to reject a broken log", () => {
    const doc = render();
    doc.version = "2.0.0";
    doc.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    doc.runs[0].results[1].locations[0].physicalLocation.artifactLocation.uri = "dc 1/host#2/ntp.conf";
    expect(validate(doc)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain("/version");
    expect(paths).toContain("/runs/0/results/0/locations/0/physicalLocation/region/startLine");
    expect(paths).toContain("/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri");
  });

  it("has one run with the tool, its version and the rules that have results, each fully described", () => {
    const doc = render();
    expect(doc.runs).toHaveLength(1);
    const run = doc.runs[0];
    expect(run.tool.driver).toMatchObject({ name: "ntp-policy", version: "0.1.0", semanticVersion: "0.1.0" });
    expect(run.automationDetails).toEqual({ id: "ntp-policy/" });
    // NTP003 is waived on web-1 but fails on the odd host; NTP002 never fires.
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(["FW001", "NTP001", "NTP003", "NTP005", "PARSE001"]);
    for (const rule of run.tool.driver.rules) {
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      for (const key of ["shortDescription", "fullDescription", "help"]) expect(rule[key].text.length).toBeGreaterThan(0);
      expect(rule.help.markdown.length).toBeGreaterThan(0);
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
      expect(rule.properties.tags).toContain("security");
    }
    const fw = run.tool.driver.rules[0];
    expect(fw).toMatchObject({
      name: "UntrustedNtpAccepted",
      defaultConfiguration: { level: "error" },
      helpUri: "https://ipset.netfilter.org/iptables-extensions.man.html",
      properties: { "security-severity": "8.0", tags: ["security", "firewall", "CVE-2013-5211"] },
    });
    expect(fw.help.text).toContain("Remediation: Accept UDP/123 only from the trusted networks");
    expect(fw.help.text).toContain("CVE CVE-2013-5211: ntpd monlist amplification <https://nvd.nist.gov/vuln/detail/CVE-2013-5211>");
    expect(fw.help.markdown).toContain("**Remediation.** Accept UDP/123");
    expect(fw.help.markdown).toContain("[CVE CVE-2013-5211](https://nvd.nist.gov/vuln/detail/CVE-2013-5211): ntpd monlist amplification");
    const levels = Object.fromEntries(run.tool.driver.rules.map((r: any) => [r.id, [r.defaultConfiguration.level, r.properties["security-severity"]]]));
    expect(levels).toEqual({ FW001: ["error", "8.0"], NTP001: ["error", "8.0"], NTP003: ["warning", "5.5"], NTP005: ["note", undefined], PARSE001: ["warning", "5.5"] });
  });

  it("reports every failing finding, leaves waived ones out, and points at the file and column", () => {
    const run = render().runs[0];
    const report = hostileReport();
    const failing = report.hosts.flatMap((h) => h.findings.filter((f) => f.status === "fail"));
    expect(run.results).toHaveLength(failing.length);
    expect(run.results.some((r: any) => r.message.text.includes("Only 2 usable"))).toBe(false);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).not.toMatch(/^\/|\\|^[a-z]+:/i);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
    }
    const parse = run.results.find((r: any) => r.ruleId === "PARSE001");
    expect(parse.level).toBe("warning");
    expect(parse.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "web-1/etc/ntp.conf" }, region: { startLine: 6, startColumn: 45 } });
    const odd = run.results.find((r: any) => r.ruleId === "NTP003");
    expect(odd.locations[0].physicalLocation.artifactLocation.uri).toBe("dc%201/host%232%20%C3%BC/ntp.conf");
    const fw = run.results.find((r: any) => r.ruleId === "FW001");
    expect(fw.relatedLocations.map((l: any) => [l.physicalLocation.artifactLocation.uri, l.message.text])).toEqual([
      ["web-1/iptables-save", "-A INPUT -p udp -m udp --dport 123 -j ACCEPT"],
      ["web-1/etc/ntp.conf", "restrict default kod nomodify"],
    ]);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toContain("broken: internal error");
    expect(run.invocations[0].toolConfigurationNotifications).toHaveLength(2);
    expect(run.properties.policyDigest).toBe(`sha256:${"e".repeat(64)}`);
  });

  it("prefixes paths so that GitHub finds them from the repository root", () => {
    const run = render(hostileReport(), "inventory/hosts").runs[0];
    const uris = run.results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
    for (const uri of uris) expect(uri.startsWith("inventory/hosts/")).toBe(true);
    // A category per checked directory, so that checks of two directories keep their own alerts.
    expect(run.automationDetails).toEqual({ id: "ntp-policy/inventory/hosts/" });
  });

  it("percent-encodes paths as URI references", () => {
    expect(toUri("a b/c#d/e%f/ü/x?y/(z)")).toBe("a%20b/c%23d/e%25f/%C3%BC/x%3Fy/%28z%29");
    expect(toUri("c:/x")).toBe("c%3A/x");
  });

  it("gives every result a unique fingerprint that survives lines inserted above it", () => {
    const fingerprints = (doc: any): string[] => doc.runs[0].results.map((r: any) => r.partialFingerprints.primaryLocationLineHash);
    const before = fingerprints(render());
    expect(new Set(before).size).toBe(before.length);
    for (const fp of before) expect(fp).toMatch(/^[0-9a-f]{32}:\d+$/);
    expect(fingerprints(render(shiftedLines(hostileReport(), 7)))).toEqual(before);
    // Changing the offending line's text changes the fingerprint.
    const edited = hostileReport();
    edited.hosts[3]!.findings[0]!.evidence[0]!.text = "restrict default kod";
    expect(fingerprints(render(edited))[1]).not.toBe(before[1]);
  });

  it("identifies findings located where their evidence is not by message and evidence, line references left out", () => {
    const report = hostileReport();
    const web = report.hosts[3]!;
    const upstream = (line: number, address: string, dropLine: number): ReportFinding => ({
      ...structuredClone(web.findings[5]!),
      rule: "FW004",
      location: { file: "web-1/etc/ntp.conf", line, column: 1 },
      message: `the firewall drops NTP with upstream ${address} (by iptables-save:${dropLine})`,
      evidence: [{ location: { file: "web-1/iptables-save", line: dropLine, column: 1 }, text: ":OUTPUT DROP [0:0]" }],
    });
    web.findings.push(upstream(10, "192.0.2.10", 5), upstream(11, "192.0.2.11", 5));
    const shifted = structuredClone(report);
    shifted.hosts[3]!.findings.splice(-2, 2, upstream(14, "192.0.2.10", 9), upstream(15, "192.0.2.11", 9));
    const fps = (doc: any): string[] => doc.runs[0].results.filter((r: any) => r.ruleId === "FW004").map((r: any) => r.partialFingerprints.primaryLocationLineHash);
    const before = fps(render(report));
    expect(before).toHaveLength(2);
    expect(before[0]!.split(":")[0]).not.toBe(before[1]!.split(":")[0]);
    expect(fps(render(shifted))).toEqual(before);
  });

  it("tells identical findings apart by occurrence", () => {
    const report = hostileReport();
    const web = report.hosts[3]!;
    web.findings.splice(1, 0, structuredClone(web.findings[0]!));
    web.findings[1]!.location.line = 4; // the same line text again, one line down
    web.findings[1]!.evidence[0]!.location.line = 4;
    const fps = render(report).runs[0].results.map((r: any) => r.partialFingerprints.primaryLocationLineHash as string);
    expect(fps[1]!.endsWith(":1")).toBe(true);
    expect(fps[2]!.endsWith(":2")).toBe(true);
    expect(fps[1]!.split(":")[0]).toBe(fps[2]!.split(":")[0]);
  });

  it("describes rules missing from the catalogue from their findings", () => {
    const doc = JSON.parse(sarifReporter.render(hostileReport(), { color: false }));
    expectValid(doc);
    const rule = doc.runs[0].tool.driver.rules.find((r: any) => r.id === "FW001");
    expect(rule.shortDescription.text).toBe("UDP/123 accepted from addresses outside the trusted networks");
  });

  it("is valid for the README's example dump, paths relative to the repository", () => {
    const r = cli(["check", "examples/host-dump", "--format", "sarif"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout);
    expectValid(doc);
    const uris = doc.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri as string);
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(uri.startsWith("examples/host-dump/")).toBe(true);
    expect(cli(["check", "examples/host-dump", "--format", "sarif"]).stdout).toBe(r.stdout);
  });
});
