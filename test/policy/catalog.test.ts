/** src/policy/catalog.ts over the committed policies/build/catalog.json. */
import { describe, expect, it } from "vitest";
import { CatalogError, getRule, loadCatalog, parseCatalog } from "../../src/policy/catalog.js";

describe("rule catalogue", () => {
  it("lists every rule, sorted by id, with its severity", () => {
    expect(loadCatalog().map((r) => [r.id, r.severity])).toEqual([
      ["CHRONY001", "high"],
      ["CHRONY002", "medium"],
      ["CHRONY003", "medium"],
      ["CHRONY004", "low"],
      ["CHRONY005", "medium"],
      ["CHRONY006", "low"],
      ["FW001", "high"],
      ["FW002", "medium"],
      ["FW003", "medium"],
      ["FW004", "medium"],
      ["FW005", "low"],
      ["FW006", "medium"],
      ["FW007", "info"],
      ["FW008", "low"],
      ["FW009", "low"],
      ["FW010", "low"],
      ["FW011", "medium"],
      ["FW012", "low"],
      ["NTP001", "high"],
      ["NTP002", "high"],
      ["NTP003", "medium"],
      ["NTP004", "medium"],
      ["NTP005", "medium"],
      ["NTP006", "low"],
      ["NTP007", "medium"],
      ["NTP008", "low"],
      ["NTP009", "medium"],
      ["NTP010", "medium"],
      ["NTP011", "low"],
      ["NTP012", "info"],
      ["NTP013", "medium"],
      ["NTP014", "medium"],
      ["NTP015", "high"],
      ["NTP016", "low"],
      ["NTP017", "medium"],
      ["NTP018", "info"],
      ["NTP019", "low"],
      ["NTP020", "medium"],
      ["NTP021", "low"],
      ["NTP022", "high"],
      ["PARSE001", "medium"],
      ["PARSE002", "low"],
      ["PARSE003", "high"],
      ["PARSE004", "high"],
      ["XL001", "medium"],
    ]);
  });

  it("carries title, rationale, remediation, references and the Rego package of each rule", () => {
    for (const rule of loadCatalog()) {
      expect(rule.title.length).toBeGreaterThan(5);
      expect(rule.description.length).toBeGreaterThan(80);
      expect(rule.remediation.length).toBeGreaterThan(20);
      expect(rule.references.length).toBeGreaterThan(0);
      expect(rule.package).toMatch(/^ntp_policy\.rules\.[a-z_]+\.[a-z_]+$/);
      expect(rule.source).toBe(`policies/${rule.package.replaceAll(".", "/")}/${rule.package.split(".").at(-1)}.rego`);
    }
  });

  it("maps the NTP rules to CIS / CVE / NIST controls", () => {
    const kinds = (id: string) => new Set(getRule(id)!.references.map((r) => r.kind));
    expect(kinds("NTP001")).toEqual(new Set(["CIS", "SSG", "CVE", "NIST 800-53"]));
    expect(kinds("NTP002")).toContain("CVE");
    expect(kinds("NTP003")).toContain("STIG");
    expect(getRule("NTP001")!.references).toContainEqual({
      kind: "CVE",
      id: "CVE-2013-5211",
      title: "ntpd monlist (REQ_MON_GETLIST) traffic amplification",
      url: "https://nvd.nist.gov/vuln/detail/CVE-2013-5211",
    });
  });

  it("getRule finds a rule by id and returns undefined for an unknown one", () => {
    expect(getRule("NTP002")?.title).toBe("Client list (monlist/mrulist) reachable from other hosts");
    expect(getRule("NTP999")).toBeUndefined();
  });

  it("rejects a malformed catalogue with a clear error", () => {
    expect(() => parseCatalog({ rules: [{ id: "x" }] })).toThrow(CatalogError);
    expect(() => parseCatalog({ rules: [{ id: "NTP001", severity: "urgent" }] })).toThrow(/bad severity "urgent"/);
    expect(() => parseCatalog([])).toThrow(/expected \{generated_by, rules/);
    const rule = loadCatalog()[0]!;
    expect(() => parseCatalog({ rules: [rule, rule] })).toThrow(/appears twice/);
    expect(() => loadCatalog("/nonexistent/catalog.json")).toThrow(/cannot read the rule catalogue/);
  });
});
