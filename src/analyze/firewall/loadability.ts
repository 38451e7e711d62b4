/**
 * Which tables of a ruleset the kernel would hold as written. A table the front end marks as not loaded
 * (a line the loader rejects, a truncated file) and a table whose chains jump in a circle (the kernel
 * refuses it with ELOOP) are "unknown": each of their base chains may accept or drop anything.
 */
import type { SourceLocation } from "../../model/location.js";
import type { NetfilterRuleset, NetfilterTable } from "../../model/netfilter.js";
import { chainsByName } from "./walk.js";

export interface Loadability {
  /** Tables whose content the kernel may not hold. */
  unloaded: Set<NetfilterTable>;
  /** Why the ruleset does not show the whole firewall (the front end's reasons, then loops). */
  incomplete: Array<{ reason: string; location: SourceLocation }>;
}

export function loadability(ruleset: NetfilterRuleset): Loadability {
  const unloaded = new Set(ruleset.tables.filter((t) => !t.loaded));
  const incomplete = [...ruleset.incomplete];
  for (const table of ruleset.tables) {
    if (unloaded.has(table)) continue;
    const loop = findLoop(table);
    if (loop) {
      unloaded.add(table);
      incomplete.push({
        reason: `table ${table.name}: chains ${loop.chains.join(" → ")} jump in a loop, which the kernel refuses, so the table does not load`,
        location: loop.location,
      });
    }
  }
  return { unloaded, incomplete };
}

/**
 * A cycle in the jump graph of a table (jumps and gotos between chains), if there is one. Depth-first
 * with an explicit stack: a chain of 10,000 chains each jumping to the next must not exhaust the
 * JavaScript call stack.
 */
export function findLoop(table: NetfilterTable): { chains: string[]; location: SourceLocation } | null {
  const byName = chainsByName(table);
  const state = new Map<string, "visiting" | "done">();
  for (const root of table.chains) {
    if (state.has(root.name)) continue;
    // Each frame: a chain on the current path and the next rule of it to follow.
    const path: Array<{ name: string; rules: typeof root.rules; next: number }> = [{ name: root.name, rules: root.rules, next: 0 }];
    state.set(root.name, "visiting");
    while (path.length > 0) {
      const top = path.at(-1)!;
      if (top.next >= top.rules.length) {
        state.set(top.name, "done");
        path.pop();
        continue;
      }
      const rule = top.rules[top.next++]!;
      const v = rule.verdict;
      if (v.kind !== "jump" && v.kind !== "goto") continue;
      const target = byName.get(v.chain);
      if (!target) continue;
      const seen = state.get(target.name);
      if (seen === "visiting") {
        const names = path.map((f) => f.name);
        return { chains: [...names.slice(names.indexOf(target.name)), target.name], location: rule.location };
      }
      if (seen === undefined) {
        state.set(target.name, "visiting");
        path.push({ name: target.name, rules: target.rules, next: 0 });
      }
    }
  }
  return null;
}
