/**
 * What each `-j`/`-g` names, decided when a table is committed (every chain of it exists by then): a chain
 * of the table, a verdict, a target extension, or none of these, which a real load refuses.
 */
import type { Diagnostic } from "../../model/diagnostic.js";
import { evidenceText } from "../../model/diagnostic.js";
import type { Chain, Table } from "../../model/iptables.js";
import { TARGET_MODULES, VERDICTS } from "./extensions.js";

/** Set `resolution` on every target of `table`; returns the diagnostics for targets that do not resolve. */
export function resolveTargets(table: Table, chains: ReadonlyMap<string, Chain>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const chain of table.chains) {
    for (const rule of chain.rules) {
      const t = rule.target;
      if (!t) continue;
      if (chains.has(t.name) && !VERDICTS.has(t.name)) t.resolution = "chain";
      else if (VERDICTS.has(t.name)) t.resolution = "verdict";
      else if (TARGET_MODULES.has(t.name)) t.resolution = "extension";
      else {
        t.resolution = "unknown";
        diagnostics.push({
          kind: "structure",
          message:
            `-${t.kind === "goto" ? "g" : "j"} ${t.name}: neither a chain of table ${table.name} nor a target ntp-policy knows ` +
            "(as a chain it does not exist: a real load fails on both backends, although iptables-nft-restore --test accepts it)",
          location: t.location,
          text: evidenceText(rule.text),
        });
      }
      if (t.kind === "goto" && t.resolution !== "chain") {
        diagnostics.push({
          kind: "structure",
          message: `-g ${t.name}: goto needs a user-defined chain of table ${table.name}`,
          location: t.location,
          text: evidenceText(rule.text),
        });
      }
    }
  }
  return diagnostics;
}
