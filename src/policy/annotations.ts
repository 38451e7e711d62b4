/**
 * Rule METADATA as `opa inspect -a --format json` reports it: the annotation blocks that declare a rule (those
 * with `custom.id`), in a typed shape. The built-in build (src/policy/build/catalog.ts) and custom policies
 * (src/policy/custom/catalogue.ts) check them by their own rules and turn them into catalogue entries.
 */
import { isRecord } from "./json-object.js";

export interface RuleAnnotation {
  /** Source file as OPA names it (relative to the directory OPA ran in). */
  file: string;
  /** Line of the METADATA block ("?" when OPA does not say). */
  row: string;
  /** METADATA scope: "package" or "rule". */
  scope: unknown;
  /** The annotated path without the leading `data`: package terms, then the rule name for rule scope. */
  path: string[];
  title: unknown;
  description: unknown;
  related_resources: unknown;
  /** The METADATA `custom:` block (id, severity, remediation, references, profiles, examples, inputs …). */
  custom: Record<string, unknown>;
}

/** The rule-declaring annotations of an `opa inspect -a` document, in OPA's order. */
export function ruleAnnotations(inspected: Record<string, unknown>): RuleAnnotation[] {
  const out: RuleAnnotation[] = [];
  for (const a of Array.isArray(inspected.annotations) ? inspected.annotations : []) {
    if (!isRecord(a) || !isRecord(a.annotations)) continue;
    const ann = a.annotations;
    const custom = isRecord(ann.custom) ? ann.custom : {};
    if (custom.id === undefined) continue;
    const loc = isRecord(a.location) ? a.location : {};
    out.push({
      file: typeof loc.file === "string" ? loc.file : "",
      row: String(loc.row ?? "?"),
      scope: ann.scope,
      path: (Array.isArray(a.path) ? a.path : []).slice(1).map((t: unknown) => (isRecord(t) ? String(t.value) : "")),
      title: ann.title,
      description: ann.description,
      related_resources: ann.related_resources,
      custom,
    });
  }
  return out;
}
