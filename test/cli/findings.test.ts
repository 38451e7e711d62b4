import { describe, expect, it } from "vitest";
import { defaultConfig, type Waiver } from "../../src/model/config.js";
import type { RuleMeta, Violation } from "../../src/model/finding.js";
import { applyConfig, globMatch } from "../../src/policy/apply-config.js";

const violation = (rule: string, line = 1): Violation => ({
  rule,
  severity: "high",
  message: `${rule} happened`,
  location: { file: "ntp.conf", line, column: 1 },
  evidence: [{ location: { file: "ntp.conf", line, column: 1 }, text: "restrict default" }],
  remediation: "fix it",
});

const waiver = (over: Partial<Waiver>): Waiver => ({
  rule: "NTP001",
  hosts: ["*"],
  file: null,
  line: null,
  justification: "accepted risk",
  approved_by: "CISO",
  expires: null,
  location: { file: "cfg.yaml", line: 4, column: 5 },
  ...over,
});

const catalog = new Map<string, RuleMeta>([["NTP001", { id: "NTP001", title: "Untrusted hosts can query", severity: "high", description: "", remediation: "", references: [], package: "" }]]);

function run(violations: Violation[], waivers: Waiver[], rules = {}) {
  const config = { ...defaultConfig(), waivers, rules };
  return applyConfig([{ host: "web1", pathPrefix: "web1", violations }], config, catalog, "2026-11-27");
}

describe("applying the configuration to violations", () => {
  it("prefixes locations with the host path and takes titles from the catalogue", () => {
    const f = run([violation("NTP001")], []).findings.get("web1")![0]!;
    expect(f.location.file).toBe("web1/ntp.conf");
    expect(f.evidence[0]!.location.file).toBe("web1/ntp.conf");
    expect(f.title).toBe("Untrusted hosts can query");
    expect(f.status).toBe("fail");
  });

  it("turns rules off and overrides severities", () => {
    const r = run([violation("NTP001"), violation("NTP003")], [], { NTP003: { enabled: false, severity: null }, NTP001: { enabled: true, severity: "low" } });
    expect(r.findings.get("web1")!.map((f) => [f.rule, f.severity])).toEqual([["NTP001", "low"]]);
  });

  it("waives matching findings and keeps them with the waiver's fields", () => {
    const r = run([violation("NTP001", 3), violation("NTP001", 7)], [waiver({ hosts: ["web*"], file: "web1/ntp.conf", line: 3, expires: "2027-01-01" })]);
    const [a, b] = r.findings.get("web1")!;
    expect(a!.status).toBe("waived");
    expect(a!.waiver).toEqual({ justification: "accepted risk", approved_by: "CISO", expires: "2027-01-01" });
    expect(b!.status).toBe("fail");
    expect(r.notices).toEqual([]);
  });

  it("reports expired waivers (which no longer waive) and unused ones", () => {
    const r = run([violation("NTP001")], [waiver({ expires: "2026-11-26" }), waiver({ rule: "NTP002" })]);
    expect(r.findings.get("web1")![0]!.status).toBe("fail");
    expect(r.notices.map((n) => n.kind)).toEqual(["waiver-expired", "waiver-unused"]);
    expect(r.notices[0]!.message).toMatch(/expired on 2026-11-26/);
  });

  it("matches host globs literally apart from * and ?", () => {
    expect(globMatch("web-?.example.com", "web-1.example.com")).toBe(true);
    expect(globMatch("web-?.example.com", "web-1xexample.com")).toBe(false);
    expect(globMatch("*", "anything")).toBe(true);
  });
});
