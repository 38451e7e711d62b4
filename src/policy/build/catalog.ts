/**
 * catalog.json from the rules' METADATA (`opa inspect -a`), checked strictly: every rule is a package
 * ntp_policy.rules.<category>.<rule> with package-scope METADATA, an id of the one rule-id form
 * (src/model/rule-id.ts), a severity, a title, a description, a remediation, a failing and a passing example
 * line, the evidence it reads (custom.inputs), optional profiles, optional causes (custom.consequence_of: rule ids
 * that exist, never the rule itself, no cycle) and a references list. src/policy/catalog.ts reads the result.
 */
import { PROFILES } from "../../model/config.js";
import { isRuleInput, RULE_INPUTS, SEVERITIES } from "../../model/finding.js";
import { compareIds, isRuleId, RULE_ID_FORM } from "../../model/rule-id.js";
import { ruleAnnotations } from "../annotations.js";
import { isRecord } from "../json-object.js";
import { GENERATED_BY } from "./layout.js";
import { fail } from "./tools.js";

/** catalog.json: rules in id order, each with its keys in this order (the file is compared byte for byte). */
export function catalogFromInspect(inspected: unknown): { generated_by: string; rules: Array<Record<string, unknown>> } {
  if (!isRecord(inspected)) fail("opa inspect printed no object");
  const problems: string[] = [];
  const rules: Array<Record<string, unknown> & { id: string }> = [];
  for (const a of ruleAnnotations(inspected)) {
    const custom = a.custom;
    const pkg = a.path.join(".");
    const where = `${a.file}:${a.row}`;
    if (a.scope !== "package") problems.push(`${where}: rule METADATA must be at package scope`);
    if (a.path.length !== 4 || a.path[0] !== "ntp_policy" || a.path[1] !== "rules") {
      problems.push(`${where}: rule package ${pkg} must be ntp_policy.rules.<category>.<rule> (main collects only those)`);
    }
    if (!isRuleId(String(custom.id))) problems.push(`${where}: id ${String(custom.id)} is not ${RULE_ID_FORM}`);
    if (!(SEVERITIES as readonly unknown[]).includes(custom.severity)) problems.push(`${where}: severity ${String(custom.severity)} is not one of ${SEVERITIES.join(",")}`);
    for (const [k, v] of [["title", a.title], ["description", a.description], ["remediation", custom.remediation]] as const) {
      if (typeof v !== "string" || v.trim() === "") problems.push(`${where}: ${k} is missing`);
    }
    // custom.profiles: optional (absent: every profile); custom.examples: one failing and one passing line.
    let profiles: string[] | undefined;
    if (custom.profiles !== undefined) {
      const p = custom.profiles;
      if (!Array.isArray(p) || p.length === 0 || !p.every((x) => (PROFILES as readonly unknown[]).includes(x)) || new Set(p).size !== p.length) {
        problems.push(`${where}: custom.profiles must be a non-empty list of distinct profiles from ${PROFILES.join(", ")}`);
      } else {
        profiles = PROFILES.filter((x) => p.includes(x));
      }
    }
    // custom.inputs: required; the evidence the rule reads (a host without it: the rule is not applicable).
    const inputs: unknown = custom.inputs;
    const inputsOk = Array.isArray(inputs) && inputs.every(isRuleInput) && new Set(inputs).size === inputs.length;
    if (!inputsOk) {
      problems.push(`${where}: custom.inputs must be a list of distinct evidence kinds from ${RULE_INPUTS.join(", ")} ([] for every host)`);
    }
    const ex = isRecord(custom.examples) ? custom.examples : undefined;
    const exampleOk = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";
    const examplesOk = ex !== undefined && exampleOk(ex.fail) && exampleOk(ex.pass);
    if (!examplesOk) {
      problems.push(`${where}: custom.examples needs a fail: and a pass: line (a configuration line that breaks the rule and one that does not)`);
    }
    // custom.passes_when: optional; what a pass rests on when the rule names no line as its passing evidence.
    const passesWhen: unknown = custom.passes_when;
    if (passesWhen !== undefined && (typeof passesWhen !== "string" || passesWhen.trim() === "")) {
      problems.push(`${where}: custom.passes_when must be a sentence (what a pass rests on when no line shows it)`);
    }
    // custom.consequence_of: optional; the rules whose failure on the same host causes this one's (the report links them).
    const causes: unknown = custom.consequence_of;
    const causesOk = causes === undefined || (Array.isArray(causes) && causes.length > 0 && causes.every((c) => isRuleId(String(c))) && new Set(causes).size === causes.length);
    if (!causesOk) problems.push(`${where}: custom.consequence_of must be a non-empty list of distinct rule ids`);
    const references: Array<Record<string, string>> = [];
    if (!Array.isArray(custom.references)) problems.push(`${where}: custom.references must be a list`);
    for (const r of Array.isArray(custom.references) ? custom.references : []) {
      if (!isRecord(r) || typeof r.kind !== "string" || typeof r.id !== "string") {
        problems.push(`${where}: every reference needs a kind and an id (got ${JSON.stringify(r)})`);
        continue;
      }
      references.push({
        kind: r.kind,
        id: r.id,
        ...(typeof r.title === "string" ? { title: r.title } : {}),
        ...(typeof r.url === "string" ? { url: r.url } : {}),
      });
    }
    rules.push({
      id: String(custom.id),
      title: String(a.title ?? "").trim(),
      severity: custom.severity,
      description: String(a.description ?? "").trim(),
      remediation: String(custom.remediation ?? "").trim(),
      references,
      package: pkg,
      source: a.file,
      related_resources: (Array.isArray(a.related_resources) ? a.related_resources : []).map((r: Record<string, unknown>) => ({
        ref: String(r.ref),
        ...(r.description ? { description: String(r.description) } : {}),
      })),
      ...(profiles ? { profiles } : {}),
      ...(causesOk && Array.isArray(causes) ? { consequence_of: causes.map(String).sort(compareIds) } : {}),
      ...(inputsOk ? { inputs: RULE_INPUTS.filter((x) => inputs.includes(x)) } : {}),
      ...(typeof passesWhen === "string" && passesWhen.trim() !== "" ? { passes_when: passesWhen.trim() } : {}),
      ...(examplesOk ? { examples: { fail: (ex.fail as string).trim(), pass: (ex.pass as string).trim() } } : {}),
    });
  }
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) problems.push(`rule id ${r.id} is used twice`);
    seen.add(r.id);
  }
  problems.push(...causeProblems(rules));
  if (rules.length === 0) problems.push("no rule METADATA found");
  if (problems.length > 0) fail(`rule METADATA problems:\n  - ${problems.join("\n  - ")}`);
  rules.sort((a, b) => compareIds(a.id, b.id));
  return { generated_by: GENERATED_BY, rules };
}

/** custom.consequence_of names rules that exist, never the rule itself, and the links form no cycle. */
function causeProblems(rules: ReadonlyArray<Record<string, unknown> & { id: string }>): string[] {
  const causesOf = new Map(rules.map((r) => [r.id, (r.consequence_of as string[] | undefined) ?? []]));
  const problems: string[] = [];
  for (const [id, causes] of causesOf) {
    for (const c of causes) {
      if (c === id) problems.push(`${id}: custom.consequence_of names the rule itself`);
      else if (!causesOf.has(c)) problems.push(`${id}: custom.consequence_of names ${c}, which is no rule`);
    }
  }
  // A cycle (A consequence of B, B consequence of A) would make each the other's cause: depth-first, iteratively.
  const state = new Map<string, "open" | "done">();
  for (const start of causesOf.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const causes = causesOf.get(top.id) ?? [];
      if (top.next >= causes.length) {
        state.set(top.id, "done");
        stack.pop();
        continue;
      }
      const c = causes[top.next++]!;
      if (!causesOf.has(c) || c === top.id) continue;
      if (state.get(c) === "open") problems.push(`custom.consequence_of forms a cycle through ${c} and ${top.id}`);
      else if (!state.has(c)) {
        state.set(c, "open");
        stack.push({ id: c, next: 0 });
      }
    }
  }
  return problems;
}
