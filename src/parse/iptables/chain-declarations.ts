/**
 * Chains as a table declares them: `:NAME POLICY [packets:bytes]` lines (split like restore's strtok,
 * so `: NAME POLICY` names NAME), the names iptables allows, and which declarations only one backend
 * accepts (a user-defined chain with a policy or with counters but no `-`, a chain declared twice).
 */
import { TARGET_MODULES, VERDICTS } from "./extensions.js";
import { parseCounters, type LoadContext, type OpenTable } from "./load-context.js";
import type { LineToken } from "./syntax.js";

/** Why iptables refuses `name` as a chain name, or null when it takes it. */
export function chainNameError(name: string): string | null {
  if (name.length >= 29) return `chain name ${JSON.stringify(name)} is too long (must be under 29 characters)`;
  if (name.startsWith("-") || name.startsWith("!")) return `chain name not allowed to start with '${name[0]}'`;
  if (VERDICTS.has(name) || TARGET_MODULES.has(name)) return `chain name ${JSON.stringify(name)} clashes with a target name`;
  return null;
}

/** Apply a `:NAME POLICY [counters]` line to the open table. */
export function declareChain(
  ctx: LoadContext,
  open: OpenTable,
  tokens: readonly LineToken[],
  policyIndex: number,
  extra: readonly number[],
): void {
  const words = [policyIndex, ...extra];
  let name = tokens[0]!.text.slice(1);
  let nameCol = 2;
  if (name === "") {
    const first = words.shift()!;
    name = tokens[first]!.text;
    nameCol = tokens[first]!.col;
    if (words.length === 0) {
      ctx.syntax(ctx.lineText.length + 1, "chain declaration without a policy", ["a policy (ACCEPT, DROP or -)"]);
      return;
    }
  }
  const policyToken = tokens[words[0]!]!;
  const policy = policyToken.text;
  const countersToken = words.length > 1 ? tokens[words[1]!]! : null;
  const counters = countersToken ? parseCounters(countersToken.text) : null;
  const { chains, table } = open;
  const existing = chains.get(name);
  if (existing?.builtin) {
    if (policy !== "ACCEPT" && policy !== "DROP" && policy !== "-") {
      ctx.syntax(policyToken.col, `can't set policy ${JSON.stringify(policy)} on built-in chain ${name} (ACCEPT or DROP)`, ["ACCEPT", "DROP"]);
      return;
    }
    existing.declared = true;
    existing.location = ctx.loc(1);
    if (policy !== "-") existing.policy = policy;
    existing.counters = counters;
    return;
  }
  const nameError = chainNameError(name);
  if (nameError) {
    ctx.syntax(nameCol, nameError);
    return;
  }
  if (policy !== "-") {
    // iptables-nft-restore ignores the word; legacy takes it as a policy, which user chains cannot have.
    const what = /^\[\d*:\d*\]$/.test(policy)
      ? `user-defined chain ${name} declared with counters but no policy ('-')`
      : `user-defined chain ${name} declared with policy ${JSON.stringify(policy)} (only built-in chains have one)`;
    ctx.backendDependent(policyToken.col, what, "legacy");
  }
  if (existing) {
    ctx.backendDependent(1, `chain ${name} is declared twice in table ${table.name} (first at line ${existing.location.line})`, "legacy");
    existing.rules = []; // iptables-nft-restore flushes a redeclared chain
    return;
  }
  chains.set(name, { name, builtin: false, policy: null, declared: true, location: ctx.loc(1), counters, rules: [] });
}
