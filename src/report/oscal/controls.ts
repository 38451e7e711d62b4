/**
 * Rules' NIST SP 800-53 references (METADATA `references`, kind `NIST 800-53`) as the identifiers of the OSCAL
 * SP 800-53 rev. 5 catalogue: `SC-7` → control `sc-7`, statement `sc-7_smt`; an enhancement `SC-7(5)` → control
 * `sc-7.5`; an item `CM-7(b)` → control `cm-7`, statement `cm-7_smt.b`; `AU-8(1)(b)` → `au-8.1`, `au-8.1_smt.b`.
 */
import type { RuleReference } from "../../model/finding.js";

export const NIST_800_53 = "NIST 800-53";

export interface ControlTarget {
  /** The control or enhancement, as the catalogue names it (`sc-7.5`). */
  controlId: string;
  /** The statement, or the statement item, the rule speaks to (`cm-7_smt.b`). */
  statementId: string;
  /** As the rule's METADATA writes it (`CM-7(b)`). */
  label: string;
}

const FORM = /^([A-Za-z]{2})-(\d+)((?:\(\d+\))?)((?:\([a-z]\))?)$/;

/** Null when the reference is not in the form above (it is then left out of the control mapping). */
export function controlTarget(id: string): ControlTarget | null {
  const m = FORM.exec(id.trim());
  if (!m) return null;
  const [, family, number, enhancement, item] = m;
  const controlId = `${family!.toLowerCase()}-${Number(number)}${enhancement ? `.${Number(enhancement.slice(1, -1))}` : ""}`;
  const statementId = `${controlId}_smt${item ? `.${item.slice(1, -1)}` : ""}`;
  return { controlId, statementId, label: id.trim() };
}

/** The distinct control targets a rule maps to, in the order its METADATA lists them. */
export function ruleControls(references: readonly RuleReference[]): ControlTarget[] {
  const seen = new Set<string>();
  const out: ControlTarget[] = [];
  for (const r of references) {
    if (r.kind !== NIST_800_53) continue;
    const t = controlTarget(r.id);
    if (t === null || seen.has(t.statementId)) continue;
    seen.add(t.statementId);
    out.push(t);
  }
  return out;
}
