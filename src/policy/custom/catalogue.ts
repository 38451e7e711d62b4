/** The rule catalogue of custom policies, from their METADATA as `opa inspect -a` reports it. */
import { compareIds, isRuleId } from "../../model/rule-id.js";
import { ruleAnnotations } from "../annotations.js";
import { CatalogError, parseCatalog, type CatalogRule } from "../catalog.js";
import { toError } from "../engine.js";
import { isRecord } from "../json-object.js";
import { CustomPolicyError } from "./error.js";

/**
 * Catalogue entries for the custom rules from `opa inspect -a --format json` output, checked: every Rego file
 * of the user's (staged as p<i>/…) is a package custom.<name>[.…]; every METADATA block with `custom.id` has a
 * rule id of the right form that no built-in or other custom rule uses, a severity, a title and a remediation.
 * `source` stays the staged path (it is stored in the cached bundle; loading maps it); `sourceOf` maps staged
 * paths for messages.
 */
export function customCatalogFromInspect(inspected: unknown, builtinIds: ReadonlySet<string>, sourceOf: (staged: string) => string = (s) => s): CatalogRule[] {
  const problems: string[] = [];
  if (!isRecord(inspected)) throw new CustomPolicyError("opa inspect printed no object");
  const namespaces = isRecord(inspected.namespaces) ? inspected.namespaces : {};
  for (const [ns, files] of Object.entries(namespaces)) {
    for (const file of Array.isArray(files) ? files : []) {
      if (typeof file !== "string" || !/^p\d+\//.test(file)) continue;
      if (!/^data\.custom\.[^.]+/.test(ns)) {
        problems.push(`${sourceOf(file)}: package ${ns.replace(/^data\./, "")}: custom policies must be in a package custom.<name> (e.g. package custom.server_keys)`);
      }
    }
  }
  const rules: CatalogRule[] = [];
  for (const ann of ruleAnnotations(inspected)) {
    const file = ann.file;
    if (!/^p\d+\//.test(file)) continue;
    const custom = ann.custom;
    const where = `${sourceOf(file)}:${ann.row}`;
    const before = problems.length;
    const id = String(custom.id);
    if (!isRuleId(id)) problems.push(`${where}: rule id ${JSON.stringify(custom.id)} must be capital letters and three digits (e.g. ORG001)`);
    else if (builtinIds.has(id)) problems.push(`${where}: rule id ${id} is a built-in rule's id; give custom rules their own prefix (e.g. ORG001)`);
    const pkgTerms = ann.scope === "rule" ? ann.path.slice(0, -1) : ann.path;
    if (pkgTerms[0] !== "custom" || pkgTerms.length < 2) problems.push(`${where}: rule ${id} must be in a package custom.<name>`);
    if (problems.length > before) continue;
    const entry = {
      id,
      title: typeof ann.title === "string" ? ann.title.trim() : "",
      severity: custom.severity,
      description: typeof ann.description === "string" ? ann.description.trim() : "",
      remediation: typeof custom.remediation === "string" ? custom.remediation.trim() : "",
      references: custom.references ?? [],
      package: pkgTerms.join("."),
      source: file,
      related_resources: Array.isArray(ann.related_resources) ? ann.related_resources : [],
      ...(custom.profiles !== undefined ? { profiles: custom.profiles } : {}),
      ...(custom.examples !== undefined ? { examples: custom.examples } : {}),
      ...(custom.inputs !== undefined ? { inputs: custom.inputs } : {}),
      ...(custom.passes_when !== undefined ? { passes_when: custom.passes_when } : {}),
    };
    if (entry.title === "") problems.push(`${where}: rule ${id} has no title in its METADATA`);
    if (entry.remediation === "") problems.push(`${where}: rule ${id} has no custom.remediation in its METADATA`);
    if (problems.length > before) continue;
    try {
      rules.push(parseCatalog({ rules: [entry] }, where)[0]!);
    } catch (e) {
      problems.push(e instanceof CatalogError ? e.message : toError(e).message);
    }
  }
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) problems.push(`rule id ${r.id} is declared twice in the custom policies`);
    seen.add(r.id);
  }
  if (problems.length === 0 && rules.length === 0) {
    problems.push("no custom rule found: a rule is a package custom.<name> whose METADATA has custom.id, severity and remediation");
  }
  if (problems.length > 0) throw new CustomPolicyError(`custom policy METADATA: ${problems.join("; ")}`);
  return rules.sort((x, y) => compareIds(x.id, y.id));
}
