/**
 * The engine as a check under a profile sees it: raw policy output filtered to the rules of the input's
 * profile (src/policy/profile.ts), which is what the fixtures of the baseline profile describe.
 */
import type { Violation } from "../../src/model/finding.js";
import type { PolicyInput } from "../../src/model/input.js";
import { loadCatalog } from "../../src/policy/catalog.js";
import type { PolicyEngine } from "../../src/policy/engine.js";
import { inProfile } from "../../src/policy/profile.js";

export function profiled(engine: PolicyEngine): PolicyEngine {
  const catalog = new Map(loadCatalog().map((r) => [r.id, r]));
  return {
    digest: engine.digest,
    evaluate(input: PolicyInput): Violation[] {
      const profile = input?.settings?.profile ?? "baseline";
      return engine.evaluate(input).filter((v) => inProfile(catalog.get(v.rule), profile));
    },
  };
}
