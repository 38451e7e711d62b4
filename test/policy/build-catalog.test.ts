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
