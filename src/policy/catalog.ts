/**
 * The rule catalogue: rule metadata generated from the Rego METADATA into policies/build/catalog.json by
 * the policy build (src/policy/build/, `npm run build:policy`). The Rego files are the single source; this only reads and checks the build output.
 */
import { readFileSync } from "node:fs";
import { PROFILES, type Profile } from "../model/config.js";
import { isRuleInput, RULE_INPUTS, isSeverity, type RuleExamples, type RuleInput, type RuleMeta, type RuleReference } from "../model/finding.js";
import { compareIds, RULE_ID_PATTERN } from "../model/rule-id.js";
import { DEFAULT_CATALOG_PATH } from "./paths.js";
import { isRecord } from "./json-object.js";

export { DEFAULT_CATALOG_PATH } from "./paths.js";

/** A catalogue entry: RuleMeta plus where the rule is defined and its documentation links. */
export interface CatalogRule extends RuleMeta {
  /** The Rego file, relative to the package root (`policies/ntp_policy/rules/access/untrusted_query/…rego`). */
  source: string;
  /** METADATA `related_resources`: documentation links. */
  related_resources: Array<{ ref: string; description?: string }>;
  /** METADATA `custom.profiles`, in PROFILES order; every profile when the METADATA lists none. */
  profiles: Profile[];
}

export interface Catalog {
  generated_by: string;
  rules: CatalogRule[];
}

export class CatalogError extends Error {
  override name = "CatalogError";
}

const cache = new Map<string, CatalogRule[]>();

/** All rules, sorted by id. Read once per path; throws CatalogError when the file is missing or malformed. */
export function loadCatalog(catalogPath: string = DEFAULT_CATALOG_PATH): CatalogRule[] {
  const cached = cache.get(catalogPath);
  if (cached) return cached;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(catalogPath, "utf8"));
  } catch (e) {
    throw new CatalogError(`cannot read the rule catalogue ${catalogPath}: ${(e as Error).message}`, { cause: e });
  }
  const rules = parseCatalog(parsed, catalogPath);
  cache.set(catalogPath, rules);
  return rules;
}

/** The rule with this id (case-sensitive, e.g. `NTP001`), or undefined. */
export function getRule(id: string, catalogPath: string = DEFAULT_CATALOG_PATH): CatalogRule | undefined {
  return loadCatalog(catalogPath).find((r) => r.id === id);
}

/** Validate a parsed catalog.json. */
export function parseCatalog(parsed: unknown, origin = "catalog.json"): CatalogRule[] {
  const bad = (why: string): never => {
    throw new CatalogError(`${origin}: ${why}`);
  };
  if (!isRecord(parsed) || !Array.isArray(parsed.rules)) return bad("expected {generated_by, rules: [...]}");
  const rules: CatalogRule[] = [];
  for (const [i, r] of parsed.rules.entries()) {
    const at = `rule #${i + 1}`;
    if (!isRecord(r)) return bad(`${at} is not an object`);
    if (typeof r.id !== "string" || !RULE_ID_PATTERN.test(r.id)) return bad(`${at} has a bad id ${JSON.stringify(r.id)}`);
    if (!isSeverity(r.severity)) return bad(`${r.id} has a bad severity ${JSON.stringify(r.severity)}`);
    for (const key of ["title", "description", "remediation", "package", "source"] as const) {
      if (typeof r[key] !== "string") return bad(`${r.id} has no ${key}`);
    }
    if (!Array.isArray(r.references)) return bad(`${r.id} has no references list`);
    const references: RuleReference[] = r.references.map((ref: unknown) => {
      if (!isRecord(ref) || typeof ref.kind !== "string" || typeof ref.id !== "string") {
        return bad(`${r.id} has a reference without kind and id`);
      }
      return {
        kind: ref.kind,
        id: ref.id,
        ...(typeof ref.title === "string" ? { title: ref.title } : {}),
        ...(typeof ref.url === "string" ? { url: ref.url } : {}),
      };
    });
    const related = Array.isArray(r.related_resources) ? r.related_resources : [];
    let profiles: Profile[] = [...PROFILES];
    if (r.profiles !== undefined && r.profiles !== null) {
      if (!Array.isArray(r.profiles) || r.profiles.length === 0 || !r.profiles.every((p) => (PROFILES as readonly unknown[]).includes(p))) {
        return bad(`${r.id} has bad profiles ${JSON.stringify(r.profiles)} (a non-empty list of ${PROFILES.join(", ")})`);
      }
      profiles = PROFILES.filter((p) => (r.profiles as unknown[]).includes(p));
    }
    let examples: RuleExamples | undefined;
    if (r.examples !== undefined && r.examples !== null) {
      const ex = r.examples;
      if (!isRecord(ex) || typeof ex.fail !== "string" || typeof ex.pass !== "string" || ex.fail.trim() === "" || ex.pass.trim() === "") {
        return bad(`${r.id} has bad examples (expected {fail: "<line>", pass: "<line>"})`);
      }
      examples = { fail: ex.fail, pass: ex.pass };
    }
    let inputs: RuleInput[] | undefined;
    if (r.inputs !== undefined && r.inputs !== null) {
      if (!Array.isArray(r.inputs) || !r.inputs.every(isRuleInput) || new Set(r.inputs).size !== r.inputs.length) {
        return bad(`${r.id} has bad inputs ${JSON.stringify(r.inputs)} (a list of distinct ${RULE_INPUTS.join(", ")})`);
      }
      inputs = [...(r.inputs as RuleInput[])];
    }
    if (r.consequence_of !== undefined && (!Array.isArray(r.consequence_of) || !r.consequence_of.every((c) => typeof c === "string" && RULE_ID_PATTERN.test(c)))) {
      return bad(`${r.id} has a bad consequence_of ${JSON.stringify(r.consequence_of)} (a list of rule ids)`);
    }
    if (r.passes_when !== undefined && (typeof r.passes_when !== "string" || r.passes_when.trim() === "")) {
      return bad(`${r.id} has a bad passes_when ${JSON.stringify(r.passes_when)} (a sentence)`);
    }
    rules.push({
      id: r.id,
      title: r.title as string,
      severity: r.severity,
      description: r.description as string,
      remediation: r.remediation as string,
      references,
      package: r.package as string,
      source: r.source as string,
      related_resources: related.filter(isRecord).map((x) => ({
        ref: String(x.ref),
        ...(typeof x.description === "string" ? { description: x.description } : {}),
      })),
      profiles,
      ...(examples ? { examples } : {}),
      ...(inputs ? { inputs } : {}),
      ...(Array.isArray(r.consequence_of) ? { consequence_of: [...(r.consequence_of as string[])] } : {}),
      ...(typeof r.passes_when === "string" ? { passes_when: r.passes_when } : {}),
    });
  }
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) bad(`rule id ${r.id} appears twice`);
    ids.add(r.id);
  }
  return rules.sort((a, b) => compareIds(a.id, b.id));
}

