/**
 * OSCAL: every document validated against NIST's official OSCAL 1.1.3 assessment-results JSON Schema
 * (test/fixtures/oscal/, public domain; draft-07, checked with formats), plus what an auditor relies on beyond the
 * schema: scope with sha256, controls from the rules' METADATA, waivers as accepted risks, determinism, escaping.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import AjvModule from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/report.js";
import { controlTarget, ruleControls } from "../../src/report/oscal/controls.js";
import { uuidV5 } from "../../src/report/oscal/uuid.js";
import { oscalReporter } from "../../src/report/oscal.js";
import type { RuleInfo } from "../../src/report/reporter.js";
import { cli, ROOT } from "../e2e/cli.js";
import { CATALOG, cleanReport, hostileReport } from "../fixtures/report/reports.js";

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
const SCHEMA = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/oscal/oscal_assessment-results_schema-1.1.3.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);
const AT = "2026-12-03T12:00:00Z";

/* eslint-disable @typescript-eslint/no-explicit-any */
function render(report: Report = hostileReport(), catalog: readonly RuleInfo[] = CATALOG): any {
  return JSON.parse(oscalReporter.render(report, { color: false, catalog, generatedAt: AT }));
}

function expectValid(doc: unknown): void {
  const ok = validate(doc);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

/** The catalogue fixture, with NIST SP 800-53 references on the rules the hostile report breaks. */
const NIST_CATALOG: RuleInfo[] = CATALOG.map((r) => {
  const extra: Record<string, string[]> = { NTP001: ["CM-7", "SC-5"], NTP002: ["CM-7(b)"], NTP003: ["AU-8(1)(b)", "SC-45(2)"] };
  return { ...r, references: [...r.references, ...(extra[r.id] ?? []).map((id) => ({ kind: "NIST 800-53", id }))] };
});

describe("oscal", () => {
  it("is valid OSCAL 1.1.3 assessment-results, for hostile, clean and empty reports", () => {
    expectValid(render());
    expectValid(render(hostileReport(), NIST_CATALOG));
    expectValid(render(cleanReport()));
    expectValid(render({ ...cleanReport(), hosts: [] }, []));
  });

  it("the validator is strict enough to reject a broken document", () => {
    const doc = render(hostileReport(), NIST_CATALOG);
    const ar = doc["assessment-results"];
    ar.uuid = "not-a-uuid";
    ar.results[0].findings[0].target.status.state = "passed";
    ar.results[0].observations[0].methods = [];
    ar.results[0].observations[0].props[0].value = " leading space";
    expect(validate(doc)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain("/assessment-results/uuid");
    expect(paths).toContain("/assessment-results/results/0/findings/0/target/status/state");
    expect(paths).toContain("/assessment-results/results/0/observations/0/methods");
    expect(paths).toContain("/assessment-results/results/0/observations/0/props/0/value");
  });

  it("maps SP 800-53 references onto the OSCAL catalogue's control and statement ids", () => {
    expect(controlTarget("SC-7")).toEqual({ controlId: "sc-7", statementId: "sc-7_smt", label: "SC-7" });
    expect(controlTarget("SC-7(5)")).toMatchObject({ controlId: "sc-7.5", statementId: "sc-7.5_smt" });
    expect(controlTarget("CM-7(b)")).toMatchObject({ controlId: "cm-7", statementId: "cm-7_smt.b" });
    expect(controlTarget("AU-8(1)(b)")).toMatchObject({ controlId: "au-8.1", statementId: "au-8.1_smt.b" });
    expect(controlTarget("SC-45(2)")).toMatchObject({ controlId: "sc-45.2" });
    expect(controlTarget("Boundary protection")).toBeNull();
    const refs = [
      { kind: "NIST 800-53", id: "SC-7" },
      { kind: "CIS", id: "SC-7" },
      { kind: "NIST 800-53", id: "SC-7" },
    ];
    expect(ruleControls(refs).map((t) => t.statementId)).toEqual(["sc-7_smt"]);
  });

  it("name-based UUIDs follow RFC 4122 version 5", () => {
    // RFC 4122's DNS namespace and the well-known v5 of www.example.com.
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("scopes the assessment: one inventory item per host, every file with its sha256, referenced by the evidence", () => {
    const report = hostileReport();
    const ar = render(report)["assessment-results"];
    const result = ar.results[0];
    expect(result["local-definitions"]["inventory-items"].map((i: any) => i.props.find((p: any) => p.name === "host").value)).toEqual(
      report.hosts.map((h) => h.host),
    );
    const resources = new Map<string, any>(ar["back-matter"].resources.map((r: any) => [r.uuid, r]));
    for (const h of report.hosts) {
      for (const f of h.files) {
        const r = [...resources.values()].find((x) => x.title === f.path);
        expect(r?.rlinks[0].hashes).toEqual([{ algorithm: "SHA-256", value: f.sha256 }]);
      }
    }
    // An odd path ("dc 1/host#2 ü/…") is a URI reference, not a fragment.
    expect([...resources.values()].some((r) => r.rlinks?.[0].href.startsWith("dc%201/host%232%20%C3%BC/"))).toBe(true);
    const hrefs = result.observations.flatMap((o: any) => (o["relevant-evidence"] ?? []).map((e: any) => e.href)).filter(Boolean);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(resources.has(href.slice(1))).toBe(true);
    // The plan is the run's own: the policy digest and the profile, in back-matter, and import-ap points at it.
    const plan = resources.get(ar["import-ap"].href.slice(1));
    expect(plan.props).toEqual(expect.arrayContaining([expect.objectContaining({ name: "policy-digest", value: report.policy.digest })]));
  });

  it("judges each host's control statements from the rules mapped to them: fail, waived, pass and not evaluated", () => {
    const result = render(hostileReport(), NIST_CATALOG)["assessment-results"].results[0];
    const finding = (host: string, statement: string): any =>
      result.findings.find((f: any) => f.target["target-id"] === statement && f.props.some((p: any) => p.name === "host" && p.value === host));
    // web-1 breaks NTP001 (CM-7, SC-5): not satisfied, because of a failure.
    expect(finding("web-1", "cm-7_smt").target.status).toEqual({ state: "not-satisfied", reason: "fail" });
    // NTP003 is waived on web-1: still not satisfied, with the accepted risk linked.
    const au = finding("web-1", "au-8.1_smt.b");
    expect(au.target.status.state).toBe("not-satisfied");
    expect(au["related-risks"]).toHaveLength(1);
    // clean-host passes NTP001 and NTP003; FW001 (SC-7) needs a firewall dump it does not have.
    expect(finding("clean-host", "cm-7_smt").target.status).toEqual({ state: "satisfied", reason: "pass" });
    const sc7 = finding("clean-host", "sc-7_smt");
    expect(sc7.target.status.state).toBe("not-satisfied");
    expect(sc7.target.status.reason).toBe("other");
    expect(sc7.description).toContain("FW001 not applicable");
    // The host that could not be checked satisfies nothing.
    expect(result.findings.filter((f: any) => f.props[0].value === "broken").every((f: any) => f.target.status.state === "not-satisfied")).toBe(true);
    // Every finding rests on observations that exist.
    const observations = new Set(result.observations.map((o: any) => o.uuid));
    for (const f of result.findings) for (const r of f["related-observations"]) expect(observations.has(r["observation-uuid"])).toBe(true);
    const controls = result["reviewed-controls"]["control-selections"][0]["include-controls"].map((c: any) => c["control-id"]);
    expect(controls).toEqual(["au-8.1", "cm-7", "sc-45.2", "sc-5", "sc-7"]);
  });

  it("records a waiver as an accepted risk: justification, approver, expiry, and the tool as origin", () => {
    const ar = render(hostileReport(), NIST_CATALOG)["assessment-results"];
    const [risk] = ar.results[0].risks;
    expect(risk.status).toBe("deviation-approved");
    expect(risk.statement).toContain("Accepted by the");
    expect(risk.statement).not.toContain("\n");
    expect(risk.deadline).toBe("2099-12-31T23:59:59Z");
    const party = ar.metadata.parties.find((p: any) => p.uuid === risk["risk-log"].entries[0]["logged-by"][0]["party-uuid"]);
    expect(party.name).toBe("Jane O'Neil <jane@example.com>");
    const tool = ar.results[0]["local-definitions"].components[0];
    expect(tool).toMatchObject({ type: "software", title: "ntp-policy" });
    expect(risk.origins[0].actors[0]).toEqual({ type: "tool", "actor-uuid": tool.uuid });
  });

  it("accounts for every rule in effect on every host in an observation", () => {
    const report = hostileReport();
    const result = render(report)["assessment-results"].results[0];
    for (const h of report.hosts) {
      const rulesSeen = new Set(
        result.observations
          .filter((o: any) => o.title.includes(` on ${h.host}`))
          .map((o: any) => o.props.find((p: any) => p.name === "rule").value),
      );
      for (const r of CATALOG) expect(rulesSeen.has(r.id)).toBe(true);
    }
  });

  it("is deterministic and escapes what comes from the dump", () => {
    const a = oscalReporter.render(hostileReport(), { color: false, catalog: CATALOG, generatedAt: AT });
    const b = oscalReporter.render(hostileReport(), { color: false, catalog: CATALOG, generatedAt: AT });
    expect(a).toBe(b);
    const strings: string[] = [];
    JSON.parse(a, (_k, v) => {
      if (typeof v === "string") strings.push(v);
      return v;
    });
    // eslint-disable-next-line no-control-regex
    for (const s of strings) expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it("is written by `check --format oscal` on real hosts and validates", () => {
    const config = path.join(import.meta.dirname, "../fixtures/oscal/waiver.yaml");
    const r = cli(["check", "examples/host-dump", "--config", config, "--format", "oscal"], { cwd: ROOT, env: { SOURCE_DATE_EPOCH: "1796292000" } });
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout);
    expectValid(doc);
    const result = doc["assessment-results"].results[0];
    expect(result.end).toBe("2026-12-03T10:00:00.000Z");
    expect(result.risks).toHaveLength(1);
    expect(result.risks[0].props).toEqual(expect.arrayContaining([expect.objectContaining({ name: "rule", value: "NTP003" })]));
    // Controls come from the real rules' METADATA (NTP001 maps to CM-7 and SC-5).
    const controls = result["reviewed-controls"]["control-selections"][0]["include-controls"].map((c: any) => c["control-id"]);
    expect(controls).toEqual(expect.arrayContaining(["cm-7", "sc-5", "sc-7", "au-8.1"]));
  });
});
