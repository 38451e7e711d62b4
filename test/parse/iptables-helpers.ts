import type { Diagnostic } from "../../src/model/diagnostic.js";
import type { Chain, IpFamily, Rule, Ruleset } from "../../src/model/iptables.js";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";

/** Parse `lines` (joined with "\n") as file "rules.v4". */
export function load(lines: string[], family: IpFamily = "ipv4"): Ruleset {
  return parseIptablesSave(lines.join("\n") + "\n", "rules.v4", family);
}

/** A filter table with the built-in chains declared, the given lines as its body, and COMMIT. */
export function filter(body: string[], family: IpFamily = "ipv4"): Ruleset {
  return load(["*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...body, "COMMIT"], family);
}

/** Body lines of `filter()` start at this line number. */
export const BODY = 5;

export function chain(r: Ruleset, table: string, name: string): Chain {
  const t = r.tables.find((x) => x.name === table);
  if (!t) throw new Error(`no table ${table}`);
  const c = t.chains.find((x) => x.name === name);
  if (!c) throw new Error(`no chain ${name} in ${table}`);
  return c;
}

/** The only rule of filter INPUT (fails the test otherwise). */
export function onlyRule(r: Ruleset): Rule {
  const rules = chain(r, "filter", "INPUT").rules;
  if (rules.length !== 1) throw new Error(`expected one rule in INPUT, got ${rules.length}: ${show(r.diagnostics)}`);
  return rules[0]!;
}

export function show(ds: Diagnostic[]): string {
  return ds.map((d) => `${d.location.line}:${d.location.column} ${d.kind} ${d.message}`).join("\n");
}

/** `line:column kind` of every diagnostic, for compact exact assertions. */
export function where(r: Ruleset): string[] {
  return r.diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.kind}`);
}
