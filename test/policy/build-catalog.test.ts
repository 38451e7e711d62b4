/**
 * The built-in build's catalogue step (src/policy/build/catalog.ts) on `opa inspect -a` documents made here:
 * every rule must declare the evidence it reads (custom.inputs), from the one list of input kinds, and may say
 * what its pass rests on when no line shows it (custom.passes_when).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RULE_INPUTS } from "../../src/model/finding.js";
import { catalogFromInspect } from "../../src/policy/build/catalog.js";
import { loadCatalog } from "../../src/policy/catalog.js";
import { PACKAGE_ROOT } from "../../src/policy/paths.js";

/** One rule's annotation as `opa inspect -a --format json` prints it, with `custom` overridden. */
function inspectedRule(custom: Record<string, unknown>): unknown {
  return {
    annotations: [
      {
        location: { file: "policies/ntp_policy/rules/access/x/x.rego", row: 1 },
        path: ["data", "ntp_policy", "rules", "access", "x"].map((value) => ({ type: "string", value })),
        annotations: {
          scope: "package",
          title: "A rule",
          description: "What it checks.",
          custom: {
            id: "NTP099",
            severity: "low",
            remediation: "Fix it.",
            references: [],
            examples: { fail: "restrict default", pass: "restrict default noquery" },
            ...custom,
          },
        },
      },
    ],
  };
}

describe("catalogue from rule METADATA: custom.inputs", () => {
  it("carries the declared inputs in the one order of input kinds", () => {
    const { rules } = catalogFromInspect(inspectedRule({ inputs: ["firewall", "ntp"] }));
    expect(rules[0]?.inputs).toEqual(["ntp", "firewall"]);
    expect(RULE_INPUTS.indexOf("ntp")).toBeLessThan(RULE_INPUTS.indexOf("firewall"));
  });

  it("keeps [] (the rule reads nothing host-specific and applies to every host)", () => {
    expect(catalogFromInspect(inspectedRule({ inputs: [] })).rules[0]?.inputs).toEqual([]);
  });

  it.each([
    ["missing", undefined],
    ["not a list", "ntp"],
    ["an unknown kind", ["ntp", "openntpd"]],
    ["a kind twice", ["ntp", "ntp"]],
  ])("rejects inputs that are %s, naming the rule and the kinds", (_what, inputs) => {
    expect(() => catalogFromInspect(inspectedRule({ inputs }))).toThrow(
      `policies/ntp_policy/rules/access/x/x.rego:1: custom.inputs must be a list of distinct evidence kinds from ${RULE_INPUTS.join(", ")}`,
    );
  });
});

describe("catalogue from rule METADATA: custom.passes_when", () => {
  it("carries the sentence, trimmed, and leaves it out when the rule has none", () => {
    const { rules } = catalogFromInspect(inspectedRule({ inputs: ["ntp"], passes_when: " The absence of an `enable mode7` line is what passes.\n" }));
    expect(rules[0]?.passes_when).toBe("The absence of an `enable mode7` line is what passes.");
    expect(catalogFromInspect(inspectedRule({ inputs: ["ntp"] })).rules[0]).not.toHaveProperty("passes_when");
  });

  it.each([["empty", " "], ["a list", ["a"]]])("rejects a passes_when that is %s", (_what, passesWhen) => {
    expect(() => catalogFromInspect(inspectedRule({ inputs: ["ntp"], passes_when: passesWhen }))).toThrow(
      "policies/ntp_policy/rules/access/x/x.rego:1: custom.passes_when must be a sentence",
    );
  });
});

describe("the built-in catalogue: every passed control can say what it rests on", () => {
  it("every rule without passing lines in its Rego has passes_when, and none with them does", () => {
    for (const rule of loadCatalog()) {
      const names = readFileSync(path.join(PACKAGE_ROOT, rule.source), "utf8").includes("\npassed_evidence contains ");
      expect(rule.passes_when === undefined, rule.id).toBe(names);
    }
  });
});

/** Several rules in one `opa inspect -a` document: [package name, id, custom overrides]. */
function inspectedRules(rules: Array<[string, string, Record<string, unknown>]>): unknown {
  const one = (name: string, id: string, custom: Record<string, unknown>) => {
    const doc = inspectedRule({ inputs: ["ntp"], id, ...custom }) as { annotations: Array<Record<string, unknown>> };
    const a = doc.annotations[0]!;
    return { ...a, path: ["data", "ntp_policy", "rules", "access", name].map((value) => ({ type: "string", value })) };
  };
  return { annotations: rules.map(([name, id, custom]) => one(name, id, custom)) };
}

describe("catalogue from rule METADATA: custom.consequence_of", () => {
  it("carries the declared causes, in id order; a rule without them has none", () => {
    const { rules } = catalogFromInspect(
      inspectedRules([
        ["a", "NTP001", {}],
        ["b", "FW001", {}],
        ["c", "XL001", { consequence_of: ["NTP001", "FW001"] }],
      ]),
    );
    expect(rules.find((r) => r.id === "XL001")?.consequence_of).toEqual(["FW001", "NTP001"]);
    expect(rules.find((r) => r.id === "NTP001")).not.toHaveProperty("consequence_of");
  });

  it.each([
    ["a rule that does not exist", [["a", "NTP001", { consequence_of: ["NTP404"] }]], "NTP001: custom.consequence_of names NTP404, which is no rule"],
    ["the rule itself", [["a", "NTP001", { consequence_of: ["NTP001"] }]], "NTP001: custom.consequence_of names the rule itself"],
    ["not a list of ids", [["a", "NTP001", { consequence_of: "FW001" }]], "custom.consequence_of must be a non-empty list of distinct rule ids"],
    ["an id twice", [["a", "NTP001", { consequence_of: ["FW001", "FW001"] }], ["b", "FW001", {}]], "custom.consequence_of must be a non-empty list of distinct rule ids"],
    [
      "a cycle",
      [
        ["a", "NTP001", { consequence_of: ["NTP002"] }],
        ["b", "NTP002", { consequence_of: ["NTP003"] }],
        ["c", "NTP003", { consequence_of: ["NTP001"] }],
      ],
      "custom.consequence_of forms a cycle",
    ],
  ] as Array<[string, Array<[string, string, Record<string, unknown>]>, string]>)("rejects a consequence_of that names %s", (_what, rules, message) => {
    expect(() => catalogFromInspect(inspectedRules(rules))).toThrow(message);
  });

  it("the built-in catalogue links NTP002 to NTP001, and XL001 to FW001 and NTP001", () => {
    const byId = new Map(loadCatalog().map((r) => [r.id, r]));
    expect(byId.get("NTP002")?.consequence_of).toEqual(["NTP001"]);
    expect(byId.get("XL001")?.consequence_of).toEqual(["FW001", "NTP001"]);
  });
});
