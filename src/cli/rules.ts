/** `ntp-policy rules` and `ntp-policy explain`: the catalogue, for people. */
import type { RuleMeta } from "../model/finding.js";

export function renderRulesTable(rules: RuleMeta[]): string {
  const idWidth = Math.max(4, ...rules.map((r) => r.id.length));
  const sevWidth = Math.max(8, ...rules.map((r) => r.severity.length));
  const lines = [`${"RULE".padEnd(idWidth)}  ${"SEVERITY".padEnd(sevWidth)}  TITLE`];
  for (const r of rules) lines.push(`${r.id.padEnd(idWidth)}  ${r.severity.padEnd(sevWidth)}  ${r.title}`);
  return `${lines.join("\n")}\n`;
}

export function explainRule(r: RuleMeta): string {
  const out = [`${r.id}: ${r.title}`, `severity: ${r.severity}`, "", r.description.trim(), "", "How to fix:", indent(r.remediation.trim())];
  if (r.references.length > 0) {
    out.push("", "References:");
    for (const ref of r.references) out.push(`  - ${ref.kind} ${ref.id}${ref.title ? `: ${ref.title}` : ""}${ref.url ? ` <${ref.url}>` : ""}`);
  }
  return `${out.join("\n")}\n`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
