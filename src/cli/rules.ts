/** `ntp-policy rules` and `ntp-policy explain`: the catalogue, for people. */
import type { RuleMeta } from "../model/finding.js";
import { profilesOf } from "../policy/profile.js";
import { referenceLists } from "../report/rule-info.js";

type Rule = RuleMeta & { source?: string; related_resources?: ReadonlyArray<{ ref: string; description?: string }> };

export function renderRulesTable(rules: readonly Rule[]): string {
  const profiles = (r: Rule): string => profilesOf(r).join(",");
  const idWidth = Math.max(4, ...rules.map((r) => r.id.length));
  const sevWidth = Math.max(8, ...rules.map((r) => r.severity.length));
  const profWidth = Math.max(8, ...rules.map((r) => profiles(r).length));
  const lines = [`${"RULE".padEnd(idWidth)}  ${"SEVERITY".padEnd(sevWidth)}  ${"PROFILES".padEnd(profWidth)}  TITLE`];
  for (const r of rules) lines.push(`${r.id.padEnd(idWidth)}  ${r.severity.padEnd(sevWidth)}  ${profiles(r).padEnd(profWidth)}  ${r.title}`);
  return `${lines.join("\n")}\n`;
}

export function explainRule(r: Rule): string {
  const out = [`${r.id}: ${r.title}`, `severity: ${r.severity}`, `profiles: ${profilesOf(r).join(", ")}`];
  if (r.source) out.push(`source:   ${r.source}`);
  out.push("", r.description.trim() || "(no description)");
  if (r.examples) {
    out.push("", "Fails:", indent(r.examples.fail.trim()), "", "Passes:", indent(r.examples.pass.trim()));
  }
  out.push("", "How to fix:", indent(r.remediation.trim()));
  const { references, seeAlso } = referenceLists(r);
  if (references.length > 0) {
    out.push("", "References:");
    for (const ref of references) out.push(`  - ${ref.name}${ref.title ? `: ${ref.title}` : ""}${ref.url ? ` <${ref.url}>` : ""}`);
  }
  if (seeAlso.length > 0) {
    out.push("", "See also:");
    for (const ref of seeAlso) out.push(`  - ${ref.name}${ref.title ? `: ${ref.title}` : ""}${ref.url ? ` <${ref.url}>` : ""}`);
  }
  return `${out.join("\n")}\n`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
