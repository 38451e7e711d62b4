/**
 * The built-in build's catalogue step (src/policy/build/catalog.ts) on `opa inspect -a` documents made here:
 * every rule must declare the evidence it reads (custom.inputs), from the one list of input kinds.
 */
import { describe, expect, it } from "vitest";
import { RULE_INPUTS } from "../../src/model/finding.js";
import { catalogFromInspect } from "../../src/policy/build/catalog.js";

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
    ["an unknown kind", ["ntp", "chrony"]],
    ["a kind twice", ["ntp", "ntp"]],
  ])("rejects inputs that are %s, naming the rule and the kinds", (_what, inputs) => {
    expect(() => catalogFromInspect(inspectedRule({ inputs }))).toThrow(
      `policies/ntp_policy/rules/access/x/x.rego:1: custom.inputs must be a list of distinct evidence kinds from ${RULE_INPUTS.join(", ")}`,
    );
  });
});
