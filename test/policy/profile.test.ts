/** src/policy/profile.ts: which rules run under a profile, and the catalogue fields it reads. */
import { describe, expect, it } from "vitest";
import { defaultConfig, type Profile, type RuleSetting } from "../../src/model/config.js";
import type { RuleMeta, Violation } from "../../src/model/finding.js";
import { loadCatalog, parseCatalog } from "../../src/policy/catalog.js";
import { applyConfig } from "../../src/policy/apply-config.js";
import { inProfile, isProfile, profilesOf, ruleRuns, rulesOfProfile, rulesThatRun } from "../../src/policy/profile.js";

const rule = (id: string, profiles?: Profile[]): RuleMeta => ({
  id,
  title: `${id} title`,
  severity: "medium",
  description: "",
  remediation: "fix",
  references: [],
  package: "",
  ...(profiles ? { profiles } : {}),
});

const violation = (id: string): Violation => ({
  rule: id,
  severity: "medium",
  message: `${id} broken`,
  location: { file: "ntp.conf", line: 1, column: 1 },
  evidence: [],
  remediation: "fix",
});

const ALL = rule("NTP001");
const CIS_STIG = rule("NTP005", ["cis", "stig"]);
const STIG = rule("NTP006", ["stig"]);
const CATALOG = [ALL, CIS_STIG, STIG];

describe("profile membership", () => {
  it("a rule without profiles belongs to every profile; an unknown rule too", () => {
    expect(profilesOf(ALL)).toEqual(["baseline", "cis", "stig"]);
    expect(profilesOf(rule("X001", []))).toEqual(["baseline", "cis", "stig"]);
    expect(profilesOf(undefined)).toEqual(["baseline", "cis", "stig"]);
    expect(inProfile(undefined, "stig")).toBe(true);
  });

  it("lists profiles in the canonical order", () => {
    expect(profilesOf(rule("X001", ["stig", "baseline"]))).toEqual(["baseline", "stig"]);
  });

  it.each<[Profile, string[]]>([
    ["baseline", ["NTP001"]],
    ["cis", ["NTP001", "NTP005"]],
    ["stig", ["NTP001", "NTP005", "NTP006"]],
  ])("profile %s runs %j", (profile, ids) => {
    expect(rulesOfProfile(CATALOG, profile).map((r) => r.id)).toEqual(ids);
    expect(rulesThatRun(CATALOG, profile, {}).map((r) => r.id)).toEqual(ids);
  });

  it("the configuration tailors the profile: off removes a rule, any other setting selects it", () => {
    const off: RuleSetting = { enabled: false, severity: null };
    const on: RuleSetting = { enabled: true, severity: null };
    const low: RuleSetting = { enabled: true, severity: "low" };
    expect(ruleRuns(ALL, "baseline", off)).toBe(false);
    expect(ruleRuns(STIG, "baseline", on)).toBe(true);
    expect(ruleRuns(STIG, "baseline", low)).toBe(true);
    expect(ruleRuns(STIG, "baseline", undefined)).toBe(false);
    expect(rulesThatRun(CATALOG, "cis", { NTP005: off, NTP006: low }).map((r) => r.id)).toEqual(["NTP001", "NTP006"]);
  });

  it("isProfile accepts exactly the three profiles", () => {
    expect(["baseline", "cis", "stig"].every(isProfile)).toBe(true);
    expect(isProfile("CIS")).toBe(false);
    expect(isProfile(undefined)).toBe(false);
  });
});

describe("the profile filter on findings (applyConfig)", () => {
  const catalog = new Map(CATALOG.map((r) => [r.id, r]));
  const run = (profile: Profile, rules: Record<string, RuleSetting> = {}, extra: Partial<ReturnType<typeof defaultConfig>> = {}) =>
    applyConfig(
      [{ host: "h", pathPrefix: "h", violations: [violation("NTP001"), violation("NTP005"), violation("NTP006"), violation("ORG001")] }],
      { ...defaultConfig(), profile, rules, ...extra },
      catalog,
      "2026-11-27",
    );

  it("drops violations of rules outside the profile and keeps rules the catalogue does not know (custom)", () => {
    expect(run("baseline").findings.get("h")!.map((f) => f.rule)).toEqual(["NTP001", "ORG001"]);
    expect(run("cis").findings.get("h")!.map((f) => f.rule)).toEqual(["NTP001", "NTP005", "ORG001"]);
    expect(run("stig").findings.get("h")!.map((f) => f.rule)).toEqual(["NTP001", "NTP005", "NTP006", "ORG001"]);
  });

  it("rule settings select or remove rules whatever the profile, and apply to custom rules", () => {
    const r = run("baseline", { NTP006: { enabled: true, severity: "critical" }, ORG001: { enabled: false, severity: null } });
    expect(r.findings.get("h")!.map((f) => [f.rule, f.severity])).toEqual([
      ["NTP001", "medium"],
      ["NTP006", "critical"],
    ]);
  });

  it("does not call a waiver unused when its rule does not run under the profile", () => {
    const waiver = { rule: "NTP006", hosts: ["*"], file: null, line: null, justification: "x", approved_by: null, expires: null, location: null };
    expect(run("baseline", {}, { waivers: [waiver] }).notices).toEqual([]);
    const stig = run("stig", {}, { waivers: [waiver] });
    expect(stig.notices).toEqual([]);
    expect(stig.findings.get("h")!.find((f) => f.rule === "NTP006")!.status).toBe("waived");
  });
});

describe("profiles and examples in the catalogue", () => {
  const base = loadCatalog()[0]!;

  it("fills in every profile when the METADATA lists none, in canonical order otherwise", () => {
    const bare: Record<string, unknown> = { ...base };
    delete bare["profiles"];
    delete bare["examples"];
    expect(parseCatalog({ rules: [bare] })[0]!.profiles).toEqual(["baseline", "cis", "stig"]);
    expect(parseCatalog({ rules: [{ ...bare, profiles: ["stig", "cis"] }] })[0]!.profiles).toEqual(["cis", "stig"]);
  });

  it("keeps the failing and passing example lines", () => {
    const r = parseCatalog({ rules: [{ ...base, examples: { fail: "restrict default", pass: "restrict default noquery" } }] })[0]!;
    expect(r.examples).toEqual({ fail: "restrict default", pass: "restrict default noquery" });
  });

  it("rejects unknown profiles and incomplete examples", () => {
    expect(() => parseCatalog({ rules: [{ ...base, profiles: ["pci"] }] })).toThrow(/bad profiles \["pci"\]/);
    expect(() => parseCatalog({ rules: [{ ...base, profiles: [] }] })).toThrow(/bad profiles/);
    expect(() => parseCatalog({ rules: [{ ...base, examples: { fail: "x" } }] })).toThrow(/bad examples/);
  });

  it("every built-in rule has a valid profile list", () => {
    for (const r of loadCatalog()) {
      expect(r.profiles.length).toBeGreaterThan(0);
      expect(r.profiles.every(isProfile)).toBe(true);
    }
  });
});
