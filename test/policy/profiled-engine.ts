/**
 * The engine as a check under a profile sees it: raw policy output filtered to the rules of the input's
 * profile (src/policy/profile.ts), which is what the fixtures of the baseline profile describe.
 */
import type { Violation } from "../../src/model/finding.js";
import type { PolicyInput } from "../../src/model/input.js";
import { loadCatalog } from "../../src/policy/catalog.js";
import type { PolicyEngine, PolicyResult } from "../../src/policy/engine.js";
import { inProfile } from "../../src/policy/profile.js";

export function profiled(engine: PolicyEngine): PolicyEngine {
  const catalog = new Map(loadCatalog().map((r) => [r.id, r]));
  const judge = (input: PolicyInput): PolicyResult => {
    const profile = input?.settings?.profile ?? "baseline";
    const { violations, not_applicable, passed } = engine.judge(input);
    const keep = (v: { rule: string }): boolean => inProfile(catalog.get(v.rule), profile);
    return { violations: violations.filter(keep), not_applicable: not_applicable.filter(keep), passed: passed.filter(keep) };
  };
  return { digest: engine.digest, judge, evaluate: (input: PolicyInput): Violation[] => judge(input).violations };
}
